#!/usr/bin/env python3
"""Runs one of the drills' support servers bound to another loopback address.

    rebind.py ADDRESS SCRIPT [ARGS ...]

The support servers (content/drills/support) bind 127.0.0.1; here a server stands in for a host
of a team's staging, so every HTTP server the script creates binds ADDRESS (127.0.0.2, …) instead.
"""
import runpy
import socketserver
import sys

address, script = sys.argv[1], sys.argv[2]
if not address.startswith("127."):
    sys.exit(f"rebind.py: expected a loopback address 127.x.y.z, got {address!r}")
bind = socketserver.TCPServer.server_bind


def server_bind(self):
    host, port = self.server_address[:2]
    if host in ("127.0.0.1", "localhost", ""):
        self.server_address = (address, port)
    bind(self)


socketserver.TCPServer.server_bind = server_bind
sys.argv = [script] + sys.argv[3:]
sys.path.insert(0, script.rsplit("/", 1)[0])
runpy.run_path(script, run_name="__main__")
