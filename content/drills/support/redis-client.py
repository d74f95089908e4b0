#!/usr/bin/env python3
"""A long-lived Redis application client for the Sentinel drill, Python 3 standard library only.

    redis-client.py writer SENTINEL_PORTS MASTER_NAME MARKER OUT.json
        SENTINEL_PORTS is a comma-separated list of Sentinel ports on 127.0.0.1. Finds the master
        through Sentinel (as a Sentinel-aware client library does: ask each Sentinel in turn for
        the master's address, connect, check ROLE says master), writes `SET drill:w:N N` every
        50 ms, and after any error discovers the master again and goes on writing. A write is
        acknowledged when the master answered +OK. The fault instant is the wall-clock time the
        drill writes into MARKER. Once it reconnected and wrote for 3 s more (or CAP s after the
        fault), it reads every acknowledged key back from the master Sentinel names and writes
        a JSON report to OUT.json; OUT.json.ready appears after the first acknowledged write.
    redis-client.py report OUT.json FIELD
        prints FIELD of the report; exits 1 with the reason when the report is not written yet
        or the figure was not measured.

Connects to 127.0.0.1 only.
"""
import json
import os
import socket
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the drill's folder (embedded, written by init)
from report_field import report_field  # noqa: E402 (support/report_field.py, beside this file)

HOST = "127.0.0.1"
INTERVAL = 0.05     # seconds between writes
TIMEOUT = 0.5       # seconds one command may take
SETTLE = 3.0        # seconds of writes on the new master before the window ends
CAP = 35.0          # the window ends this long after the fault whether or not it reconnected


class RedisError(Exception):
    pass


class Connection:
    def __init__(self, port):
        self.port = port
        self.sock = socket.create_connection((HOST, port), timeout=TIMEOUT)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.data = b""

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def command(self, *args):
        payload = b"*%d\r\n" % len(args)
        for arg in args:
            arg = arg if isinstance(arg, bytes) else str(arg).encode()
            payload += b"$%d\r\n%s\r\n" % (len(arg), arg)
        self.sock.sendall(payload)
        return self.reply()

    def line(self):
        while b"\r\n" not in self.data:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed")
            self.data += chunk
        line, _, self.data = self.data.partition(b"\r\n")
        return line

    def exact(self, count):
        while len(self.data) < count + 2:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed")
            self.data += chunk
        value, self.data = self.data[:count], self.data[count + 2:]
        return value

    def reply(self):
        line = self.line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RedisError(rest.decode(errors="replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            length = int(rest)
            return None if length < 0 else self.exact(length).decode(errors="replace")
        if kind == b"*":
            length = int(rest)
            return None if length < 0 else [self.reply() for _ in range(length)]
        raise ConnectionError("unexpected reply %r" % line[:40])


def discover(sentinels, name):
    """The master Sentinel names, connected and checked, or raises why not."""
    errors = []
    for port in sentinels:
        try:
            sentinel = Connection(port)
            try:
                address = sentinel.command("SENTINEL", "get-master-addr-by-name", name)
            finally:
                sentinel.close()
            if not address:
                errors.append("sentinel %d knows no master" % port)
                continue
            if address[0] not in ("127.0.0.1", "localhost"):
                raise ValueError("loopback only")
            master = Connection(int(address[1]))
            role = master.command("ROLE")
            if role[0] != "master":
                master.close()
                errors.append("%s named by sentinel %d is a %s" % (address[1], port, role[0]))
                continue
            return master
        except (OSError, ConnectionError, RedisError, ValueError) as error:
            errors.append("sentinel %d: %s" % (port, error))
    raise ConnectionError("; ".join(errors) or "no sentinel")


def read_marker(path):
    try:
        with open(path) as handle:
            return float(handle.read().strip())
    except (OSError, ValueError):
        return None


def writer(sentinels, name, marker, out):
    acked = []                  # seqs the master answered +OK to
    failed = 0
    first_failure = None        # wall clock of the first failed write after the fault
    reconnected_at = None       # first acknowledged write after that failure
    masters = []                # ports written to, in order
    errors = []
    fault_at = None
    started = time.time()
    master = None
    seq = 0
    while time.time() - started < 300:
        now = time.time()
        if fault_at is None:
            fault_at = read_marker(marker)
        if fault_at is not None:
            if reconnected_at is not None and now - reconnected_at >= SETTLE:
                break
            if now - fault_at >= CAP:
                break
        if master is None:
            try:
                master = discover(sentinels, name)
                if not masters or masters[-1] != master.port:
                    masters.append(master.port)
            except ConnectionError as error:
                if len(errors) < 20:
                    errors.append(str(error)[:200])
                time.sleep(0.1)
                continue
        seq += 1
        try:
            if master.command("SET", "drill:w:%d" % seq, seq) != "OK":
                raise RedisError("SET not acknowledged")
            acked.append(seq)
            if first_failure is not None and reconnected_at is None:
                reconnected_at = time.time()
            if len(acked) == 1:
                with open(out + ".ready", "w") as handle:
                    handle.write("writing\n")
        except (OSError, ConnectionError, RedisError) as error:
            failed += 1
            if fault_at is None:
                fault_at = read_marker(marker)
            if fault_at is not None and first_failure is None:
                first_failure = time.time()
            if len(errors) < 20:
                errors.append("write %d to %d: %s" % (seq, master.port, str(error)[:120]))
            master.close()
            master = None
        time.sleep(max(0, INTERVAL - (time.time() - now)))
    if master is not None:
        master.close()

    report = {"acked_writes": len(acked), "failed_writes": failed, "masters": masters, "errors": errors,
              "fault_at": fault_at, "reasons": {}}
    report["reconnected"] = 1 if reconnected_at is not None else 0
    if first_failure is None:
        report["reasons"]["reconnect_seconds"] = "no write failed after the fault: there was nothing to reconnect from"
    elif reconnected_at is None:
        report["reasons"]["reconnect_seconds"] = "no write was acknowledged again within %g s of the fault" % CAP
    else:
        report["reconnect_seconds"] = round(reconnected_at - first_failure, 3)
    # Read every acknowledged write back from the master Sentinel names now: what the
    # application can read is what survived.
    lost = None
    for _ in range(50):
        try:
            reader = discover(sentinels, name)
        except ConnectionError as error:
            report["reasons"]["verify"] = str(error)[:200]
            time.sleep(0.1)
            continue
        try:
            lost = 0
            for start in range(0, len(acked), 500):
                chunk = acked[start:start + 500]
                values = reader.command("MGET", *["drill:w:%d" % s for s in chunk])
                lost += sum(1 for s, v in zip(chunk, values) if v != str(s))
            report["verified_on"] = reader.port
            break
        except (OSError, ConnectionError, RedisError) as error:
            report["reasons"]["verify"] = str(error)[:200]
            lost = None
        finally:
            reader.close()
    if lost is None:
        # No master the application could reach: none of its acknowledged writes can be read.
        lost = len(acked)
        report["reasons"]["verify"] = "no master reachable through Sentinel to read them back (%s); all counted lost" % report["reasons"].get("verify", "")
    report["acknowledged_writes_lost"] = lost
    tmp = out + ".tmp"
    with open(tmp, "w") as handle:
        json.dump(report, handle, indent=2, sort_keys=True)
    os.rename(tmp, out)
    return 0


def main():
    if len(sys.argv) == 6 and sys.argv[1] == "writer":
        ports = [int(p) for p in sys.argv[2].split(",") if p]
        return writer(ports, sys.argv[3], sys.argv[4], sys.argv[5])
    if len(sys.argv) == 4 and sys.argv[1] == "report":
        return report_field(sys.argv[2], sys.argv[3], label="the client report")
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
