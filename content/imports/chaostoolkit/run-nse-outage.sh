#!/bin/sh
# Produces the Chaos Toolkit journals of the sample site: a team's experiment for playbook 2.1
# (single provider failure), run by the real Chaos Toolkit against the local realisation's own
# servers on 127.0.0.1 (content/drills/support: NSE and BSE providers, the market-data service).
#
#   passing: the service falls back to BSE when NSE freezes; the hypothesis holds after the method.
#   deviated: the same with the service's fallback switched off (--fallback off, the broken variant
#             drill 2.1's negative control runs); the hypothesis fails after the method.
#
# Usage: run-nse-outage.sh CHAOS OUT   (CHAOS: the venv's bin/chaos, e.g. .build/chaostoolkit-venv/bin/chaos
# after RealChaosToolkitTests installed it). Then, from the package folder:
#   drillbook import chaostoolkit OUT/passing.json --drill nse-outage-experiment
#   drillbook import chaostoolkit OUT/deviated.json --drill nse-outage-experiment
set -eu
CHAOS=$1
OUT=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
SUPPORT=$(cd "$(dirname "$0")/../../drills/support" && pwd)
mkdir -p "$OUT"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PIDS=""
cleanup() { for pid in $PIDS; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
wait_for() { # URL
    i=0
    until curl -fsS -o /dev/null "$1" 2>/dev/null; do
        i=$((i + 1)); [ $i -lt 100 ] || { echo "no answer from $1" >&2; exit 1; }; sleep 0.1
    done
}
experiment() { # NAME FALLBACK
    NSE=$(free_port); BSE=$(free_port); MARKET=$(free_port)
    python3 "$SUPPORT/http-provider.py" "$NSE" NSE > "$OUT/$1-nse.log" 2>&1 & NSE_PID=$!
    python3 "$SUPPORT/http-provider.py" "$BSE" BSE > "$OUT/$1-bse.log" 2>&1 & BSE_PID=$!
    python3 "$SUPPORT/market-service.py" "$MARKET" NSE=http://127.0.0.1:$NSE BSE=http://127.0.0.1:$BSE --fallback "$2" \
        > "$OUT/$1-market.log" 2>&1 & MARKET_PID=$!
    PIDS="$PIDS $NSE_PID $BSE_PID $MARKET_PID"
    wait_for "http://127.0.0.1:$NSE/health"; wait_for "http://127.0.0.1:$BSE/health"; wait_for "http://127.0.0.1:$MARKET/quote"
    cat > "$OUT/$1-experiment.json" <<JSON
{
  "version": "1.0.0",
  "title": "Market data survives an NSE outage",
  "description": "Playbook 2.1: when the NSE provider stops answering, the market-data service falls back to BSE and users keep getting live quotes.",
  "tags": ["market-data", "playbook-2.1"],
  "steady-state-hypothesis": {
    "title": "Users get live quotes",
    "probes": [
      {"type": "probe", "name": "market service serves a quote", "tolerance": 200,
       "provider": {"type": "http", "url": "http://127.0.0.1:$MARKET/quote", "timeout": 2}},
      {"type": "probe", "name": "the active provider is up", "tolerance": 0,
       "provider": {"type": "process", "path": "python3", "arguments": ["-c", "import json, sys, urllib.request; s = json.load(urllib.request.urlopen('http://127.0.0.1:$MARKET/status', timeout=2)); print(s); sys.exit(0 if s['providers'].get(s['active']) else 1)"]}}
    ]
  },
  "method": [
    {"type": "action", "name": "freeze the NSE provider", "provider": {"type": "process", "path": "kill", "arguments": "-STOP $NSE_PID"},
     "pauses": {"after": 3}},
    {"type": "probe", "name": "service status during the outage",
     "provider": {"type": "http", "url": "http://127.0.0.1:$MARKET/status", "timeout": 2}}
  ],
  "rollbacks": [
    {"type": "action", "name": "resume the NSE provider", "provider": {"type": "process", "path": "kill", "arguments": "-CONT $NSE_PID"}}
  ]
}
JSON
    # chaos exits non-zero when the experiment deviated; the journal is what we keep.
    HOME="$OUT" timeout 120 "$CHAOS" --no-version-check --log-file "$OUT/$1.log" --settings "$OUT/settings.yaml" \
        run --rollback-strategy always --journal-path "$OUT/$1.json" "$OUT/$1-experiment.json" > "$OUT/$1.out" 2>&1 || true
    test -s "$OUT/$1.json"
    cleanup; PIDS=""
}
experiment passing on
experiment deviated off
