#!/bin/sh
# Starts (or stops) the "loopback staging": servers on other loopback addresses standing in for a
# team's staging hosts, for `drillbook run single-provider-failure --environment-file
# docs/examples/loopback-staging/loopback-staging.yaml` (README.md beside this file).
#
#   127.0.0.2:18080  market-data service (support/market-service.py, --fallback on)
#   127.0.0.3:18080  NSE provider gateway     127.0.0.4:18080  BSE provider gateway
#   127.0.0.5:18080  chaos API (chaos-api.py: pauses/resumes NSE, bearer token BONDX_CHAOS_TOKEN)
#   127.0.0.6:19090  Prometheus, scraping both gateways, rules of drill 2.1
#   127.0.0.7:19093  Alertmanager
#
# Usage: BONDX_CHAOS_TOKEN=… servers.sh start DIR    servers.sh stop DIR    (DIR: state, logs, PIDs)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
SUPPORT=$(cd "$HERE/../../../content/drills/support" && pwd)
ACTION=$1
DIR=$2
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
if [ "$ACTION" = stop ]; then
    # Only the processes this script started, by the ids it wrote down.
    for pid in $(cat "$DIR/pids" 2>/dev/null); do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
    rm -f "$DIR/pids"
    exit 0
fi
: "${BONDX_CHAOS_TOKEN:?set BONDX_CHAOS_TOKEN (the chaos API's bearer token)}"
start() { # NAME COMMAND...
    name=$1; shift
    "$@" > "$DIR/$name.log" 2>&1 &
    echo $! >> "$DIR/pids"
    echo $! > "$DIR/$name.pid"
}
wait_for() { # URL
    i=0
    until curl -fsS -o /dev/null "$1" 2>/dev/null; do
        i=$((i + 1)); [ $i -lt 150 ] || { echo "servers.sh: no answer from $1" >&2; exit 1; }; sleep 0.1
    done
}
start nse python3 "$HERE/rebind.py" 127.0.0.3 "$SUPPORT/http-provider.py" 18080 NSE
start bse python3 "$HERE/rebind.py" 127.0.0.4 "$SUPPORT/http-provider.py" 18080 BSE
start market python3 "$HERE/rebind.py" 127.0.0.2 "$SUPPORT/market-service.py" 18080 NSE=http://127.0.0.3:18080 BSE=http://127.0.0.4:18080 --fallback on
start chaos-api python3 "$HERE/chaos-api.py" 127.0.0.5 18080 "$DIR/nse.pid"
mkdir -p "$DIR/prometheus" "$DIR/alertmanager"
python3 "$SUPPORT/monitoring/render.py" "$DIR" 19093 "$SUPPORT/monitoring/rules/single-provider-failure.yml" \
    provider-nse=127.0.0.3:18080 provider-bse=127.0.0.4:18080
sed -i 's/127\.0\.0\.1:19093/127.0.0.7:19093/' "$DIR/prometheus.yml"
start alertmanager prometheus-alertmanager --config.file="$DIR/alertmanager.yml" --storage.path="$DIR/alertmanager" \
    --web.listen-address=127.0.0.7:19093 --cluster.listen-address=
start prometheus prometheus --config.file="$DIR/prometheus.yml" --storage.tsdb.path="$DIR/prometheus" --web.listen-address=127.0.0.6:19090
wait_for http://127.0.0.3:18080/health
wait_for http://127.0.0.4:18080/health
wait_for http://127.0.0.2:18080/quote
wait_for http://127.0.0.7:19093/-/ready
wait_for http://127.0.0.6:19090/-/ready
echo "loopback staging up: market 127.0.0.2, NSE 127.0.0.3, BSE 127.0.0.4, chaos API 127.0.0.5, Prometheus 127.0.0.6, Alertmanager 127.0.0.7 (PIDs in $DIR/pids)"
