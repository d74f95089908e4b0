#!/usr/bin/env python3
"""Minimal WebSocket (RFC 6455) pieces for drills, Python 3 standard library only.

    websocket.py node PORT NAME            a node: echoes every text message as "NAME|message";
                                           GET /health answers 200 without upgrading; GET /metrics
                                           answers Prometheus' text format (open WebSocket connections)
    websocket.py probe URL COUNT           exit 0 only if COUNT new connections all echo
    websocket.py fleet URL REF_URL CLIENTS MARKER AFTER OUT.json
                                           long-lived clients (see fleet() below) through URL, and
                                           as many reference clients through REF_URL (nodes the
                                           fault does not touch); the fault instant is
                                           the wall-clock time written in MARKER; writes a JSON report,
                                           and OUT.json.fields with one `FIELD VALUE` line per figure
    websocket.py report OUT.json FIELD     prints FIELD of the report; exits 1 with the reason when the
                                           report is not written yet or the figure was not measured

Everything listens on and connects to 127.0.0.1 only.
"""
import base64
import hashlib
import json
import os
import socket
import socketserver
import statistics
import struct
import sys
import threading
import time
from urllib.parse import urlparse

sys.dont_write_bytecode = True  # no __pycache__ in the drill's folder (embedded, written by init)
from report_field import report_field, reported_reason  # noqa: E402 (support/report_field.py, beside this file)

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def read_headers(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed during handshake")
        data += chunk
        if len(data) > 65536:
            raise ConnectionError("headers too long")
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return lines[0], headers, rest


def recv_exact(sock, count, buffer):
    while len(buffer[0]) < count:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        buffer[0] += chunk
    data, buffer[0] = buffer[0][:count], buffer[0][count:]
    return data


def read_frame(sock, buffer):
    first, second = recv_exact(sock, 2, buffer)
    opcode = first & 0x0F
    masked = second & 0x80
    length = second & 0x7F
    if length == 126:
        length = struct.unpack("!H", recv_exact(sock, 2, buffer))[0]
    elif length == 127:
        length = struct.unpack("!Q", recv_exact(sock, 8, buffer))[0]
    mask = recv_exact(sock, 4, buffer) if masked else None
    payload = recv_exact(sock, length, buffer)
    if mask:
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return opcode, payload


def frame(opcode, payload, masked):
    header = bytes([0x80 | opcode])
    length = len(payload)
    mask_bit = 0x80 if masked else 0
    if length < 126:
        header += bytes([mask_bit | length])
    elif length < 65536:
        header += bytes([mask_bit | 126]) + struct.pack("!H", length)
    else:
        header += bytes([mask_bit | 127]) + struct.pack("!Q", length)
    if not masked:
        return header + payload
    mask = os.urandom(4)
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class NodeHandler(socketserver.BaseRequestHandler):
    name = "node"
    open_connections = 0
    count_lock = threading.Lock()

    def handle(self):
        sock = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            request_line, headers, rest = read_headers(sock)
        except (ConnectionError, OSError):
            return
        if headers.get("upgrade", "").lower() != "websocket":
            body, content_type = b"ok\n", b"text/plain"
            if request_line.split(" ")[1:2] == ["/metrics"]:
                # Prometheus' scrape (the drill's monitoring): the node's open WebSocket connections.
                body = ("# TYPE websocket_open_connections gauge\nwebsocket_open_connections{node=\"%s\"} %d\n"
                        % (self.name, NodeHandler.open_connections)).encode()
                content_type = b"text/plain; version=0.0.4"
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                         % (content_type, len(body)) + body)
            return
        accept = base64.b64encode(hashlib.sha1((headers.get("sec-websocket-key", "") + GUID).encode()).digest()).decode()
        sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Accept: %s\r\n\r\n" % accept).encode())
        buffer = [rest]
        with NodeHandler.count_lock:
            NodeHandler.open_connections += 1
        try:
            while True:
                opcode, payload = read_frame(sock, buffer)
                if opcode == 8:
                    sock.sendall(frame(8, b"", False))
                    return
                if opcode == 9:
                    sock.sendall(frame(10, payload, False))
                elif opcode == 1:
                    sock.sendall(frame(1, self.name.encode() + b"|" + payload, False))
        except (ConnectionError, OSError):
            return
        finally:
            with NodeHandler.count_lock:
                NodeHandler.open_connections -= 1


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    # socketserver's default listen backlog is 5: when 30 clients connect at once (at the start,
    # or a third of them reconnecting after the failover) and the node is slow to accept on a
    # loaded machine, connections beyond it wait for a SYN retransmit (1 s), nginx's 1 s connect
    # timeout expires and it marks a live node failed for 10 s (max_fails=1).
    request_queue_size = 128


def connect(url, timeout=2.0):
    parsed = urlparse(url)
    if parsed.hostname not in ("127.0.0.1", "localhost"):
        raise ValueError("loopback only")
    sock = socket.create_connection((parsed.hostname, parsed.port or 80), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(("GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n"
                  % (parsed.path or "/", parsed.hostname, parsed.port or 80, key)).encode())
    status, headers, rest = read_headers(sock)
    if " 101 " not in status + " ":
        sock.close()
        raise ConnectionError(status)
    return sock, [rest]


def probe(url, count):
    for i in range(count):
        sock, buffer = connect(url)
        try:
            sock.sendall(frame(1, b"probe-%d" % i, True))
            opcode, payload = read_frame(sock, buffer)
            if opcode != 1 or not payload.endswith(b"|probe-%d" % i):
                print("unexpected answer", payload)
                return 1
        finally:
            sock.close()
    print("%d connections echoed" % count)
    return 0


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, int(-(-p * len(ordered) // 100)))
    return ordered[min(len(ordered), rank) - 1]


TICK = 0.1          # each client creates a message every 100 ms, connected or not
BASELINE = 12.0     # seconds before the fault whose round trips are the baseline (24 slots: an
                    # episode of a few seconds in which the machine favours one group stays a minority)
CAP = 32.0          # a client not receiving again this long after the fault never recovered
SLOT = 0.5          # seconds per like-with-like slot of the latency ratio
AFTER_MIN = 3.0     # the window after the failover lasts at least this long
DRAIN = 1.5         # after the window, seconds to wait for echoes still on their way


class Client:
    """One long-lived client, as an application would run it: it creates a message every TICK
    whether connected or not, sends it when connected, keeps every message until it is echoed,
    and after a dropped connection reconnects and resends what was not echoed."""

    def __init__(self, index, url, lock, first_tick):
        self.index, self.url, self.lock = index, url, lock
        self.first_tick = first_tick    # wall clock of the first message (see fleet())
        self.created = {}       # seq -> wall-clock creation time
        self.echoed = set()
        self.samples = []       # (wall time sent, round trip ms) of first sends only
        self.outages = []       # [lost at, first echo after reconnecting or None], wall clock;
                                # a drop before the client received again is the same outage
        self.reasons = []       # why each connection ended
        self.duplicates = 0

    def outage_after(self, instant):
        return any(lost >= instant for lost, _ in self.outages)

    def run(self, stop):
        seq = 0
        sock = None
        data = b""
        unsent = []             # seqs to send on the current connection
        ever_sent = set()
        sent_at = {}            # seq -> send time, for first sends made right after creation
        next_tick = self.first_tick
        while not stop.is_set():
            now = time.time()
            if now >= next_tick:
                if not stop.generating_stopped:
                    seq += 1
                    self.created[seq] = now
                    unsent.append(seq)
                next_tick += TICK
            if sock is None:
                try:
                    sock, buffer = connect(self.url, timeout=1.0)
                    data = buffer[0]
                    # Resend everything not echoed yet.
                    unsent = sorted(set(self.created) - self.echoed)
                    sent_at = {}
                except (OSError, ConnectionError, ValueError):
                    sock = None
                    stop.wait(0.05)
                    continue
            try:
                for item in unsent:
                    sent = time.time()
                    sock.sendall(frame(1, b"%d-%d" % (self.index, item), True))
                    # A backlog or a resend waited for the connection: not a latency sample.
                    if item not in ever_sent and sent - self.created[item] < TICK:
                        sent_at[item] = sent
                    ever_sent.add(item)
                unsent = []
                sock.settimeout(max(0.005, next_tick - time.time()))
                try:
                    chunk = sock.recv(65536)
                    if not chunk:
                        raise ConnectionError("closed")
                    data += chunk
                except socket.timeout:
                    pass
                arrived = time.time()
                while True:
                    parsed = parse_frame(data)
                    if parsed is None:
                        break
                    opcode, payload, data = parsed
                    if opcode == 8:
                        raise ConnectionError("closed by the server")
                    if opcode != 1:
                        continue
                    echoed = int(payload.rsplit(b"-", 1)[1])
                    if echoed in self.echoed:
                        self.duplicates += 1
                        continue
                    self.echoed.add(echoed)
                    if self.outages and self.outages[-1][1] is None:
                        self.outages[-1][1] = arrived
                    if echoed in sent_at:
                        first = sent_at.pop(echoed)
                        self.samples.append((first, (arrived - first) * 1000))
            except (OSError, ConnectionError, ValueError, IndexError) as error:
                try:
                    sock.close()
                except OSError:
                    pass
                sock = None
                data = b""
                unsent, sent_at = [], {}
                self.reasons.append(repr(error)[:80])
                if not self.outages or self.outages[-1][1] is not None:
                    self.outages.append([time.time(), None])
        if sock is not None:
            sock.close()


def parse_frame(data):
    """(opcode, payload, rest) for one complete unmasked server frame at the start of data, or
    None while it is incomplete."""
    if len(data) < 2:
        return None
    opcode, length, offset = data[0] & 0x0F, data[1] & 0x7F, 2
    if length == 126:
        if len(data) < 4:
            return None
        length, offset = struct.unpack("!H", data[2:4])[0], 4
    elif length == 127:
        if len(data) < 10:
            return None
        length, offset = struct.unpack("!Q", data[2:10])[0], 10
    if len(data) < offset + length:
        return None
    return opcode, data[offset:offset + length], data[offset + length:]


class Stop(threading.Event):
    generating_stopped = False


def fleet(url, ref_url, clients, marker, after, out):
    """Runs `clients` long-lived clients through the load balancer at `url` and as many reference
    clients through `ref_url` (the same nginx, to reference nodes the fault does not touch: like
    with like, the same hops, node processes with as many clients each, as many samples). The
    fault instant is the wall-clock time the drill writes into `marker` just before the fault.

    The window runs until every client that lost its connection after the fault receives again
    and `after` seconds have passed (at most CAP seconds after the fault). Reported:
    - disconnected_clients: clients whose connection dropped after the fault;
    - failover_seconds: from the fault until the last of them received an echo again (null
      when none was disconnected, or when one never received again within CAP seconds);
    - reconnection_success_rate: disconnected clients that received again, in % (null when none
      was disconnected);
    - messages_lost: messages created from 1 s before the fault until the failover ended (the
      window's end if it never did) that were never echoed (null when none was disconnected);
    - p95_latency_ratio: (p95 round trip after the failover / p95 in the BASELINE s before the
      fault) divided by the same ratio of the reference clients, measured in the same windows:
      a machine that is slower in one window slows both, a failover that hurts the service only
      the first. Raw p95s are reported beside it."""
    lock = threading.Lock()
    stop = Stop()
    # Every client's ticks have their own phase, spread evenly over one TICK, with the reference
    # clients' phases interleaved among the fleet's: all messages created at the same instant would
    # arrive as a burst of 30 through nginx that queues behind itself in this one process (more so
    # on a loaded machine) beside the reference clients' burst, which may queue differently, so the two
    # groups' round trips would not be alike.
    count = clients
    total = clients + count
    ref_phases = [j * total // count for j in range(count)]
    fleet_phases = [k for k in range(total) if k not in ref_phases]
    base = time.time() + 0.2
    fleet_clients = [Client(i, url, lock, base + TICK * fleet_phases[i] / total) for i in range(clients)]
    refs = [Client(1000 + i, ref_url, lock, base + TICK * ref_phases[i] / total) for i in range(count)]
    threads = [threading.Thread(target=c.run, args=(stop,), daemon=True) for c in fleet_clients + refs]
    started = time.time()
    for thread in threads:
        thread.start()
    for _ in range(200):
        if all(c.echoed for c in fleet_clients + refs):
            break
        time.sleep(0.05)
    with open(out + ".ready", "w") as handle:
        handle.write("started\n")
    fault_at = None
    reasons = {}
    while time.time() - started < 300:
        time.sleep(0.05)
        if fault_at is None:
            try:
                with open(marker) as handle:
                    fault_at = float(handle.read().strip())
            except (OSError, ValueError):
                continue
        now = time.time()
        hit = [c for c in fleet_clients if c.outage_after(fault_at)]
        if any(c.outages[-1][1] is None for c in hit):
            if now - fault_at >= CAP:
                break
            continue
        last = max((c.outages[-1][1] for c in hit), default=fault_at)
        if now - fault_at >= after and now - last >= AFTER_MIN:
            break
    window_end = time.time()
    stop.generating_stopped = True
    time.sleep(DRAIN)
    stop.set()
    for thread in threads:
        thread.join(timeout=3)
    report = {"clients": clients, "reference_clients": len(refs), "fault_at": fault_at}
    if fault_at is None:
        reasons["all"] = "the fault marker %s was never written" % marker
        fault_at = window_end
    hit = [c for c in fleet_clients if c.outage_after(fault_at)]
    recovered = [c for c in hit if c.outages[-1][1] is not None]
    report["disconnected_clients"] = len(hit)
    report["disconnections_before_fault"] = sum(1 for c in fleet_clients for lost, _ in c.outages if lost < fault_at)
    report["recovered_clients"] = len(recovered)
    report["outages"] = {str(c.index): [[round(lost - fault_at, 3), round(back - fault_at, 3) if back else None] for lost, back in c.outages]
                         for c in fleet_clients if c.outages}
    report["connection_end_reasons"] = sorted(set(r for c in fleet_clients for r in c.reasons))
    failover_end = max((c.outages[-1][1] for c in recovered), default=fault_at)
    if not hit:
        for field in ("failover_seconds", "reconnection_success_rate", "messages_lost"):
            reasons[field] = "no client lost its connection after the fault: there was no failover to measure"
        report["failover_seconds"] = report["reconnection_success_rate"] = report["messages_lost"] = None
    else:
        report["reconnection_success_rate"] = round(100.0 * len(recovered) / len(hit), 2)
        if len(recovered) < len(hit):
            report["failover_seconds"] = None
            reasons["failover_seconds"] = "%d of %d disconnected clients never received again within %g s of the fault" % (
                len(hit) - len(recovered), len(hit), CAP)
            failover_end = window_end
        else:
            report["failover_seconds"] = round(failover_end - fault_at, 3)
        sent = [(c, s) for c in fleet_clients for s, at in c.created.items() if fault_at - 1.0 <= at <= failover_end]
        report["messages_sent_during_failover"] = len(sent)
        report["messages_lost"] = sum(1 for c, s in sent if s not in c.echoed)
    report["messages_duplicated"] = sum(c.duplicates for c in fleet_clients)

    def p95(group, start, end):
        return percentile([ms for c in group for at, ms in c.samples if start <= at < end], 95)

    # Like with like: each SLOT-second slot compares the fleet's p95 round trip with the reference
    # clients' p95 in the same slot; the figure is the median slot ratio after the failover over
    # the median slot ratio before the fault. A burst of load elsewhere on the machine slows both
    # sides of a slot, and the median leaves out the slots a burst distorted anyway.
    after_start = failover_end + 0.2 if hit else fault_at
    windows = {"before": (fault_at - BASELINE, fault_at), "after": (after_start, window_end)}
    medians = {}
    for window, (start, end) in windows.items():
        for name, group in (("", fleet_clients), ("reference_", refs)):
            value = p95(group, start, end)
            report[name + "p95_" + window + "_ms"] = round(value, 3) if value is not None else None
            report[name + "samples_" + window] = sum(1 for c in group for at, _ in c.samples if start <= at < end)
        ratios = []
        slot = start
        while slot + SLOT <= end + 1e-9:
            system, reference = p95(fleet_clients, slot, slot + SLOT), p95(refs, slot, slot + SLOT)
            if system and reference:
                ratios.append(system / reference)
            slot += SLOT
        report["slot_ratios_" + window] = [round(r, 3) for r in ratios]
        medians[window] = statistics.median(ratios) if ratios else None
    if None in medians.values():
        report["p95_latency_ratio"] = None
        reasons["p95_latency_ratio"] = "no round trips in the window before the fault or after the failover"
    else:
        report["p95_latency_ratio"] = round(medians["after"] / medians["before"], 3)
        if report["p95_before_ms"] and report["p95_after_ms"]:
            report["raw_p95_latency_ratio"] = round(report["p95_after_ms"] / report["p95_before_ms"], 3)
    report["reasons"] = reasons
    # The same figures as `FIELD VALUE` lines (or `FIELD not measured: REASON`), written before the
    # JSON report appears, so the drill reads each with awk: on a loaded machine, starting Python
    # once per figure took longer than the drill waits for a figure that is already there.
    lines = []
    for field, value in sorted(report.items()):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            lines.append("%s %r\n" % (field, value))
        elif value is None:
            lines.append("%s not measured: %s\n" % (field, reasons.get(field, reasons.get("all", "%s was not measured" % field))))
    with open(out + ".fields.tmp", "w") as handle:
        handle.writelines(lines)
    os.rename(out + ".fields.tmp", out + ".fields")
    tmp = out + ".tmp"
    with open(tmp, "w") as handle:
        json.dump(report, handle, indent=2, sort_keys=True)
    os.rename(tmp, out)
    return 0


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "node":
        NodeHandler.name = sys.argv[3]
        with Server(("127.0.0.1", int(sys.argv[2])), NodeHandler) as server:
            server.serve_forever()
    elif len(sys.argv) == 4 and sys.argv[1] == "probe":
        try:
            return probe(sys.argv[2], int(sys.argv[3]))
        except (OSError, ConnectionError, ValueError) as error:
            print("probe failed:", error)
            return 1
    elif len(sys.argv) == 8 and sys.argv[1] == "fleet":
        return fleet(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], float(sys.argv[6]), sys.argv[7])
    elif len(sys.argv) == 4 and sys.argv[1] == "report":
        return report_field(
            sys.argv[2], sys.argv[3], label="the fleet report",
            reason=lambda report, field, value: reported_reason(report, field, fallback_key="all"))
    else:
        print(__doc__)
        return 2


if __name__ == "__main__":
    sys.exit(main())
