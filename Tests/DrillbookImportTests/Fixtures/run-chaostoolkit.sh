#!/bin/sh
# Runs two real Chaos Toolkit experiments against a Python HTTP server on 127.0.0.1 and leaves
# their journals in OUT: passing.json (losing a cache file does not break /health) and
# deviated.json (removing the health file does; the rollback restores it).
# Usage: run-chaostoolkit.sh CHAOS OUT    (CHAOS: the venv's bin/chaos)
set -eu
CHAOS=$1
OUT=$2
mkdir -p "$OUT/www"
printf 'ok\n' > "$OUT/www/health"
printf 'cached\n' > "$OUT/www/cache.txt"
# The server binds an ephemeral port on loopback and writes it to a file.
python3 - "$OUT/www" "$OUT/port" > "$OUT/server.log" 2>&1 <<'PY' &
import functools, http.server, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os; os.rename(sys.argv[2] + ".tmp", sys.argv[2])
server.serve_forever()
PY
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT INT TERM
i=0
while [ ! -s "$OUT/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$OUT/port")
experiment() { # NAME FILE-TO-REMOVE
    cat > "$OUT/$1-experiment.json" <<JSON
{
  "version": "1.0.0",
  "title": "Health endpoint survives losing $2",
  "description": "A local static server keeps answering its health check when $2 is removed.",
  "tags": ["drillbook-test"],
  "steady-state-hypothesis": {
    "title": "The service is healthy",
    "probes": [
      {"type": "probe", "name": "health endpoint answers 200", "tolerance": 200,
       "provider": {"type": "http", "url": "http://127.0.0.1:$PORT/health", "timeout": 3}}
    ]
  },
  "method": [
    {"type": "action", "name": "remove $2", "provider": {"type": "process", "path": "rm", "arguments": "-f $OUT/www/$2"}},
    {"type": "probe", "name": "list served files", "provider": {"type": "process", "path": "ls", "arguments": "$OUT/www"}}
  ],
  "rollbacks": [
    {"type": "action", "name": "restore $2", "provider": {"type": "process", "path": "sh", "arguments": ["-c", "printf 'ok\\\\n' > $OUT/www/$2"]}}
  ]
}
JSON
    # chaos exits non-zero when the experiment deviated; the journal is what we want.
    HOME="$OUT" timeout 120 "$CHAOS" --no-version-check --log-file "$OUT/$1.log" --settings "$OUT/settings.yaml" \
        run --rollback-strategy always --journal-path "$OUT/$1.json" "$OUT/$1-experiment.json" > "$OUT/$1.out" 2>&1 || true
    test -s "$OUT/$1.json"
}
experiment passing cache.txt
experiment deviated health
