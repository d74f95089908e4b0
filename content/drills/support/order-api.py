#!/usr/bin/env python3
"""The order API of the load drills (3.1, 3.2): the system under test behind nginx.

Usage: order-api.py PORT LOG [--work-ms N] [--hold-ms N]
GET or POST /orders accepts an order (200, JSON); GET /health answers "ok". Every order appends
one line to LOG: `END_UNIX_SECONDS HANDLER_MICROSECONDS STATUS PROCESS_CPU_SECONDS` — the API's
own (server-side) view of its latency and CPU use, which support/load-report.py judges.
`--work-ms N` is the broken variant of the negative controls: each order takes N ms of CPU
inside one lock (a single-threaded matching step), so the API degrades as soon as it gets less
CPU; `--hold-ms N` keeps that lock N ms per order without using CPU (a synchronous journal write),
so the API serves at most 1000 / N orders a second whatever the machine's load, and beyond that
rate orders queue for the lock. Python 3 standard library only; listens on 127.0.0.1 only.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    log = None
    log_lock = threading.Lock()
    engine = threading.Lock()
    work_seconds = 0.0
    hold_seconds = 0.0
    orders = 0

    def answer(self, body, content_type):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def order(self):
        started = time.perf_counter()
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, 65536))
        with Handler.engine:
            if Handler.work_seconds:
                until = time.thread_time() + Handler.work_seconds
                while time.thread_time() < until:
                    pass
            if Handler.hold_seconds:
                time.sleep(Handler.hold_seconds)
            Handler.orders += 1
            number = Handler.orders
        self.answer(json.dumps({"order": number, "status": "accepted"}).encode() + b"\n", "application/json")
        micros = int((time.perf_counter() - started) * 1e6)
        with Handler.log_lock:
            Handler.log.write(f"{time.time():.6f} {micros} 200 {time.process_time():.6f}\n")

    def do_GET(self):
        if self.path.startswith("/health"):
            self.answer(b"ok\n", "text/plain")
        else:
            self.order()

    do_POST = order

    def log_message(self, *args):
        pass


def main(argv):
    Handler.log = open(argv[1], "a", buffering=1, encoding="utf-8")
    if "--work-ms" in argv:
        Handler.work_seconds = float(argv[argv.index("--work-ms") + 1]) / 1000
    if "--hold-ms" in argv:
        Handler.hold_seconds = float(argv[argv.index("--hold-ms") + 1]) / 1000
    server = ThreadingHTTPServer(("127.0.0.1", int(argv[0])), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
