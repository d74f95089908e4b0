#!/usr/bin/env python3
"""A tiny market-data provider for drills: GET /quote answers the reference feed's current quote
(support/marketdata.py) naming the provider; GET /health answers "ok"; GET /metrics answers Prometheus' text format
(`provider_info{provider="NAME"} 1`), so monitoring sees the provider up while it answers.

Usage: http-provider.py PORT NAME
Python 3 standard library only; listens on 127.0.0.1 only; logs nothing per request.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import marketdata


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle and delayed ACKs add 40 ms.
    disable_nagle_algorithm = True
    provider = "NSE"

    def do_GET(self):
        if self.path.startswith("/health"):
            body, content_type = b"ok\n", "text/plain"
        elif self.path.startswith("/metrics"):
            body = f'# TYPE provider_info gauge\nprovider_info{{provider="{self.provider}"}} 1\n'.encode()
            content_type = "text/plain; version=0.0.4"
        else:
            body, content_type = json.dumps(marketdata.quote(self.provider)).encode() + b"\n", "application/json"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    Handler.provider = sys.argv[2] if len(sys.argv) > 2 else "NSE"
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
