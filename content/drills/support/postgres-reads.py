#!/usr/bin/env python3
"""Long-lived PostgreSQL clients for the replica-lag drill, Python 3 standard library only (a
minimal client of the wire protocol: trust authentication, simple queries).

    postgres-reads.py heartbeat PORT
        on the primary at PORT: `update heartbeat set ts = clock_timestamp()` every 50 ms, so a
        replica's lag is the age of the heartbeat it has replayed (reconnects after errors)
    postgres-reads.py agent REPLICA_PORT AGENT_PORT MAX_LAG OUT.json
        samples the replica's lag (heartbeat age) every 100 ms over one connection, and answers
        HAProxy agent checks on AGENT_PORT: "up" while the last sample is fresh and at most
        MAX_LAG seconds behind, "down" otherwise. Writes {max_lag_seconds, ...} to OUT.json
    postgres-reads.py reads ROUTER_PORT STALE_LIMIT OUT.json
        an application reading through the router: every 100 ms a new connection to ROUTER_PORT
        asks who answered (primary or replica, its port) and how old its data is. A read is
        misrouted when it fails or its data is more than STALE_LIMIT seconds old. Writes the
        tally to OUT.json every 0.5 s
    postgres-reads.py report OUT.json FIELD
        prints FIELD; exits 1 with the reason when the file is not written yet

Connects to and listens on 127.0.0.1 only.
"""
import json
import os
import socket
import socketserver
import struct
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the drill's folder (embedded, written by init)
from report_field import report_field  # noqa: E402 (support/report_field.py, beside this file)

HOST = "127.0.0.1"
LAG_SQL = "select extract(epoch from clock_timestamp() - ts) from heartbeat"
READ_SQL = ("select pg_is_in_recovery(), extract(epoch from clock_timestamp() - ts), "
            "current_setting('port') from heartbeat")


class PgError(Exception):
    pass


class Pg:
    def __init__(self, port, timeout=1.0):
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.data = b""
        body = struct.pack("!I", 196608) + b"user\0postgres\0database\0postgres\0\0"
        self.sock.sendall(struct.pack("!I", len(body) + 4) + body)
        while True:
            kind, payload = self.message()
            if kind == b"R" and struct.unpack("!I", payload[:4])[0] != 0:
                raise PgError("authentication other than trust requested")
            if kind == b"E":
                raise PgError(self.error_text(payload))
            if kind == b"Z":
                return

    def close(self):
        try:
            self.sock.sendall(b"X" + struct.pack("!I", 4))
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass

    def message(self):
        while len(self.data) < 5 or len(self.data) < 1 + struct.unpack("!I", self.data[1:5])[0]:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed")
            self.data += chunk
        length = struct.unpack("!I", self.data[1:5])[0]
        kind, payload, self.data = self.data[:1], self.data[5:1 + length], self.data[1 + length:]
        return kind, payload

    @staticmethod
    def error_text(payload):
        fields = dict((part[:1], part[1:].decode(errors="replace")) for part in payload.split(b"\0") if part)
        return fields.get(b"M", "error")

    def query(self, sql):
        """The rows (lists of text or None) of a simple query."""
        body = sql.encode() + b"\0"
        self.sock.sendall(b"Q" + struct.pack("!I", len(body) + 4) + body)
        rows, error = [], None
        while True:
            kind, payload = self.message()
            if kind == b"D":
                count, offset, row = struct.unpack("!H", payload[:2])[0], 2, []
                for _ in range(count):
                    size = struct.unpack("!i", payload[offset:offset + 4])[0]
                    offset += 4
                    if size < 0:
                        row.append(None)
                    else:
                        row.append(payload[offset:offset + size].decode())
                        offset += size
                rows.append(row)
            elif kind == b"E":
                error = self.error_text(payload)
            elif kind == b"Z":
                if error:
                    raise PgError(error)
                return rows


def write_json(path, value):
    tmp = path + ".tmp"
    with open(tmp, "w") as handle:
        json.dump(value, handle, indent=2, sort_keys=True)
    os.rename(tmp, path)


def heartbeat(port):
    conn = None
    for _ in range(10_000_000):
        started = time.time()
        try:
            if conn is None:
                conn = Pg(port)
            conn.query("update heartbeat set ts = clock_timestamp() where id = 1")
        except (OSError, ConnectionError, PgError):
            if conn is not None:
                conn.close()
            conn = None
        time.sleep(max(0, 0.05 - (time.time() - started)))


def agent(replica_port, agent_port, max_lag, out):
    state = {"lag": None, "at": 0.0, "max": 0.0, "samples": 0, "errors": 0, "down_answers": 0, "up_answers": 0}
    lock = threading.Lock()

    def healthy():
        with lock:
            return state["lag"] is not None and time.time() - state["at"] < 0.5 and state["lag"] <= max_lag

    class Agent(socketserver.BaseRequestHandler):
        def handle(self):
            up = healthy()
            with lock:
                state["up_answers" if up else "down_answers"] += 1
            try:
                self.request.sendall(b"up\n" if up else b"down\n")
            except OSError:
                pass

    class Server(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True

    server = Server((HOST, agent_port), Agent)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    conn = None
    last_written = 0.0
    for _ in range(10_000_000):
        started = time.time()
        try:
            if conn is None:
                conn = Pg(replica_port)
            lag = float(conn.query(LAG_SQL)[0][0])
            with lock:
                state.update(lag=lag, at=time.time(), max=max(state["max"], lag))
                state["samples"] += 1
        except (OSError, ConnectionError, PgError, ValueError, IndexError, TypeError):
            with lock:
                state["errors"] += 1
                state["lag"] = None
            if conn is not None:
                conn.close()
            conn = None
        if time.time() - last_written >= 0.2:
            with lock:
                write_json(out, {"max_lag_seconds": round(state["max"], 3), "last_lag_seconds": state["lag"],
                                 "samples": state["samples"], "errors": state["errors"], "max_lag_for_reads": max_lag,
                                 "agent_up_answers": state["up_answers"], "agent_down_answers": state["down_answers"]})
            last_written = time.time()
        time.sleep(max(0, 0.1 - (time.time() - started)))


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, -(-p * len(ordered) // 100)) - 1]


def reads(router_port, stale_limit, out):
    tally = {"reads": 0, "failed": 0, "stale": 0, "replica_reads": 0, "primary_reads": 0, "max_staleness_seconds": 0.0,
             "stale_limit_seconds": stale_limit, "errors": []}
    latencies = []
    last_written = 0.0
    for _ in range(10_000_000):
        started = time.time()
        conn = None
        try:
            conn = Pg(router_port, timeout=1.0)
            in_recovery, staleness, port = conn.query(READ_SQL)[0]
            latencies.append((time.time() - started) * 1000)
            staleness = float(staleness)
            tally["replica_reads" if in_recovery == "t" else "primary_reads"] += 1
            tally["max_staleness_seconds"] = round(max(tally["max_staleness_seconds"], staleness), 3)
            if staleness > stale_limit:
                tally["stale"] += 1
        except (OSError, ConnectionError, PgError, ValueError, IndexError, TypeError) as error:
            tally["failed"] += 1
            if len(tally["errors"]) < 10:
                tally["errors"].append(str(error)[:160])
        finally:
            if conn is not None:
                conn.close()
        tally["reads"] += 1
        if time.time() - last_written >= 0.5 or tally["reads"] == 1:
            tally["misrouted"] = tally["failed"] + tally["stale"]
            value = percentile(latencies, 95)
            tally["p95_ms"] = round(value, 2) if value is not None else None
            write_json(out, tally)
            last_written = time.time()
        time.sleep(max(0, 0.1 - (time.time() - started)))


def main():
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "heartbeat":
        return heartbeat(int(args[1]))
    if len(args) == 5 and args[0] == "agent":
        return agent(int(args[1]), int(args[2]), float(args[3]), args[4])
    if len(args) == 4 and args[0] == "reads":
        return reads(int(args[1]), float(args[2]), args[3])
    if len(args) == 3 and args[0] == "report":
        path = args[1]
        return report_field(path, args[2], reason=lambda report, field, value: "%s is %s in %s" % (field, json.dumps(value), path))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
