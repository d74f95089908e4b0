#!/usr/bin/env python3
"""A tiny market-data provider for drills: answers GET / with a JSON quote naming the provider.

Usage: http-provider.py PORT NAME [QUALITY [NOTICE]]
NOTICE, when given, is added to every quote (a mock provider tells users its data is indicative).
Python 3 standard library only; listens on 127.0.0.1 only; logs nothing per request.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle and delayed ACKs add 40 ms.
    disable_nagle_algorithm = True
    provider = "NSE"
    quality = 98
    notice = None

    def do_GET(self):
        if self.path.startswith("/health"):
            body = b"ok\n"
            content_type = "text/plain"
        else:
            quote = {"provider": self.provider, "symbol": "BONDX", "price": 101.25, "quality": self.quality}
            if self.notice:
                quote["notice"] = self.notice
            body = json.dumps(quote).encode() + b"\n"
            content_type = "application/json"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    port = int(sys.argv[1])
    Handler.provider = sys.argv[2] if len(sys.argv) > 2 else "NSE"
    Handler.quality = int(sys.argv[3]) if len(sys.argv) > 3 else 98
    Handler.notice = sys.argv[4] if len(sys.argv) > 4 else None
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
