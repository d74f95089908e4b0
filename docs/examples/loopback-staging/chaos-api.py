#!/usr/bin/env python3
"""The "chaos API" of the loopback staging: pauses and resumes the NSE gateway (a process).

    chaos-api.py ADDRESS PORT NSE_PID_FILE

POST /v1/faults/nse-gateway/pause sends SIGSTOP to the process whose id is in NSE_PID_FILE,
/v1/faults/nse-gateway/resume SIGCONT. Every request must carry `Authorization: Bearer TOKEN`
with TOKEN the value of the environment variable BONDX_CHAOS_TOKEN (401 otherwise). Logs one
line per request (path and status, never the token) to standard error.
"""
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

address, port, pid_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
token = os.environ["BONDX_CHAOS_TOKEN"]
SIGNALS = {"/v1/faults/nse-gateway/pause": signal.SIGSTOP, "/v1/faults/nse-gateway/resume": signal.SIGCONT}


class Handler(BaseHTTPRequestHandler):
    def answer(self, status, text):
        body = (text + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        sys.stderr.write(f"chaos-api: POST {self.path} {status}\n")

    def do_POST(self):
        if self.headers.get("Authorization") != "Bearer " + token:
            self.answer(401, "unauthorised")
        elif self.path in SIGNALS:
            with open(pid_file) as f:
                os.kill(int(f.read().strip()), SIGNALS[self.path])
            self.answer(200, "ok")
        else:
            self.answer(404, "no such fault")

    def log_message(self, *args):
        pass


ThreadingHTTPServer((address, port), Handler).serve_forever()
