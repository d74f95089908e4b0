#!/usr/bin/env python3
"""The market-data service of the provider drills (2.1, 2.2): the component under test.

It serves quotes to users from the first live provider it considers healthy and decides the
fallback itself: a monitor polls every provider's /health (every 0.2 s, 0.4 s timeout; down after
two failures, up again after two successes), and a quote request that fails on one provider (0.5 s
timeout) is tried on the next. With every live provider down it serves indicative mock quotes
with a notice to users (`--mock on`) and keeps accepting orders at the indicative price.

Usage: market-service.py PORT NAME=URL [NAME=URL …] [--fallback on|off] [--mock on|off]
                         [--notice on|off] [--orders any-price|live-price]
The broken variants the negative controls run: `--fallback off` (only the first provider is ever
asked; when it fails the last quote it gave is served again, so users get stale data), `--notice
off` (mock quotes carry no notice), `--orders live-price` (orders need a live price, so trading
stops when every provider is down).
GET /quote, POST /orders, GET /status, GET /health. Python 3 standard library only; 127.0.0.1 only.
"""
import http.client
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import marketdata

NOTICE = "Live market data is unavailable; prices shown are indicative."


class Provider:
    def __init__(self, name, url):
        parts = urlsplit(url)
        self.name, self.host, self.port = name, parts.hostname, parts.port
        self.up = True
        self.failures = 0
        self.successes = 0

    def get(self, path, timeout):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise OSError(f"HTTP {response.status}")
            return body
        finally:
            connection.close()


class Service:
    def __init__(self, providers, fallback, mock, notice, orders):
        self.providers, self.fallback, self.mock, self.notice, self.orders = providers, fallback, mock, notice, orders
        self.lock = threading.Lock()
        self.last_quote = None
        self.order_count = 0

    def note(self, provider, ok):
        with self.lock:
            if ok:
                provider.failures, provider.successes = 0, provider.successes + 1
                if provider.successes >= 2:
                    provider.up = True
            else:
                provider.successes, provider.failures = 0, provider.failures + 1
                if provider.failures >= 2:
                    provider.up = False

    def monitor(self, provider):
        while True:
            started = time.monotonic()
            try:
                provider.get("/health", 0.4)
                self.note(provider, True)
            except (OSError, http.client.HTTPException):
                self.note(provider, False)
            time.sleep(max(0.0, 0.2 - (time.monotonic() - started)))

    def quote(self):
        """(quote, live): from the first healthy provider that answers, else the fallback behaviour."""
        if self.fallback:
            with self.lock:
                candidates = [p for p in self.providers if p.up]
        else:
            candidates = self.providers[:1]
        for provider in candidates:
            try:
                quote = json.loads(provider.get("/quote", 0.5))
                self.note(provider, True)
                with self.lock:
                    self.last_quote = quote
                return quote, True
            except (OSError, ValueError, http.client.HTTPException):
                self.note(provider, False)
        with self.lock:
            last = self.last_quote
        if not self.fallback:
            return last, False  # the defect: the cache hides the outage
        if self.mock:
            price = last["price"] if last else 101.0
            quote = {"provider": "MOCK", "symbol": marketdata.SYMBOL, "tick": marketdata.current_tick(), "price": price}
            if self.notice:
                quote["notice"] = NOTICE
            return quote, False
        return None, False

    def status(self):
        with self.lock:
            up = {p.name: p.up for p in self.providers}
        active = next((name for name, ok in up.items() if ok), "MOCK" if self.mock else None)
        return {"active": active if self.fallback else self.providers[0].name, "providers": up}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    service = None

    def answer(self, status, payload):
        body = json.dumps(payload).encode() + b"\n"
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("/health"):
            self.answer(200, {"ok": True})
        elif self.path.startswith("/status"):
            self.answer(200, self.service.status())
        elif self.path.startswith("/quote"):
            quote, _ = self.service.quote()
            if quote is None:
                self.answer(503, {"error": "no market data"})
            else:
                self.answer(200, quote)
        else:
            self.answer(404, {"error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, 65536))
        if not self.path.startswith("/orders"):
            self.answer(404, {"error": "not found"})
            return
        quote, live = self.service.quote()
        if quote is None or (self.service.orders == "live-price" and not live):
            self.answer(503, {"error": "no live price: order rejected"})
            return
        with self.service.lock:
            self.service.order_count += 1
            number = self.service.order_count
        self.answer(201, {"order": number, "price": quote["price"], "indicative": not live})

    def log_message(self, *args):
        pass


def main(argv):
    port = int(argv[0])
    options = {"--fallback": "on", "--mock": "off", "--notice": "on", "--orders": "any-price"}
    providers = []
    rest = argv[1:]
    while rest:
        word = rest.pop(0)
        if word in options and rest:
            options[word] = rest.pop(0)
        elif "=" in word:
            name, url = word.split("=", 1)
            providers.append(Provider(name, url))
        else:
            sys.exit(f"market-service.py: unexpected argument {word!r}")
    if not providers:
        sys.exit("market-service.py: name at least one provider (NAME=URL)")
    service = Service(providers, options["--fallback"] == "on", options["--mock"] == "on", options["--notice"] == "on", options["--orders"])
    for provider in providers:
        threading.Thread(target=service.monitor, args=(provider,), daemon=True).start()
    Handler.service = service
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
