#!/usr/bin/env python3
"""Minimal WebSocket (RFC 6455) pieces for drills, Python 3 standard library only.

    websocket.py node PORT NAME            a node: echoes every text message as "NAME|message";
                                           GET /health answers 200 without upgrading
    websocket.py probe URL COUNT           exit 0 only if COUNT new connections all echo
    websocket.py fleet URL CLIENTS SECONDS OUT.json
                                           CLIENTS clients send a message every 100 ms for SECONDS,
                                           reconnect when dropped, resend what was not echoed, and
                                           write a JSON report to OUT.json

Everything listens on and connects to 127.0.0.1 only.
"""
import base64
import hashlib
import json
import os
import socket
import socketserver
import struct
import sys
import threading
import time
from urllib.parse import urlparse

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

    def handle(self):
        sock = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            request_line, headers, rest = read_headers(sock)
        except (ConnectionError, OSError):
            return
        if headers.get("upgrade", "").lower() != "websocket":
            body = b"ok\n"
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\n" + body)
            return
        accept = base64.b64encode(hashlib.sha1((headers.get("sec-websocket-key", "") + GUID).encode()).digest()).decode()
        sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Accept: %s\r\n\r\n" % accept).encode())
        buffer = [rest]
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


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


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


def fleet(url, clients, seconds, out):
    lock = threading.Lock()
    state = {"sent": 0, "acked": 0, "dropped": 0, "reconnected": 0, "failed_reconnects": 0,
             "first_drop": None, "before": [], "after": [], "unacked": 0}
    start = time.monotonic()
    end = start + seconds

    def client(index):
        pending = []  # (seq, sent_at) not yet echoed
        seq = 0
        sock = None
        buffer = None
        dropped_at = None
        while time.monotonic() < end:
            if sock is None:
                try:
                    sock, buffer = connect(url, timeout=1.0)
                    sock.settimeout(1.0)
                    if dropped_at is not None:
                        with lock:
                            state["reconnected"] += 1
                        dropped_at = None
                    # Resend what was not echoed; their round trips include the outage, so they
                    # are not counted as latency samples.
                    pending = [(old_seq, None) for old_seq, _ in pending]
                    for old_seq, _ in pending:
                        sock.sendall(frame(1, b"%d-%d" % (index, old_seq), True))
                except (OSError, ConnectionError):
                    sock = None
                    if dropped_at is not None and time.monotonic() - dropped_at > 5:
                        with lock:
                            state["failed_reconnects"] += 1
                        dropped_at = time.monotonic()
                    time.sleep(0.05)
                    continue
            try:
                seq += 1
                now = time.monotonic()
                pending.append((seq, now))
                with lock:
                    state["sent"] += 1
                sock.sendall(frame(1, b"%d-%d" % (index, seq), True))
                deadline = now + 1.0
                while pending and time.monotonic() < deadline:
                    opcode, payload = read_frame(sock, buffer)
                    if opcode != 1:
                        continue
                    echoed = int(payload.rsplit(b"-", 1)[1])
                    for item in list(pending):
                        if item[0] == echoed:
                            pending.remove(item)
                            with lock:
                                state["acked"] += 1
                                if item[1] is not None:
                                    rtt = (time.monotonic() - item[1]) * 1000
                                    (state["after"] if state["first_drop"] is not None else state["before"]).append(rtt)
                time.sleep(max(0, 0.1 - (time.monotonic() - now)))
            except (OSError, ConnectionError, ValueError, IndexError):
                try:
                    sock.close()
                except OSError:
                    pass
                sock = None
                dropped_at = time.monotonic()
                with lock:
                    state["dropped"] += 1
                    if state["first_drop"] is None:
                        state["first_drop"] = dropped_at - start
        if sock is not None:
            sock.close()
        with lock:
            state["unacked"] += len(pending)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    with open(out + ".ready", "w") as marker:
        marker.write("started\n")
    for thread in threads:
        thread.join()
    before = percentile(state["before"], 95)
    after = percentile(state["after"], 95)
    dropped = state["dropped"]
    report = {
        "clients": clients,
        "messages_sent": state["sent"],
        "messages_acked": state["acked"],
        "messages_lost": state["unacked"],
        "disconnections": dropped,
        "reconnections": state["reconnected"],
        "reconnection_success_rate": round(100.0 * state["reconnected"] / dropped, 2) if dropped else 100.0,
        "first_drop_seconds": state["first_drop"],
        "p95_before_ms": before,
        "p95_after_ms": after,
        "p95_latency_ratio": round(after / before, 3) if before and after else None,
    }
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
    elif len(sys.argv) == 6 and sys.argv[1] == "fleet":
        return fleet(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    else:
        print(__doc__)
        return 2


if __name__ == "__main__":
    sys.exit(main())
