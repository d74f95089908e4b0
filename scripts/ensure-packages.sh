#!/usr/bin/env bash
# Installs the Debian packages named on the command line that are not installed yet.
# Used by `make site`, `make test` and `make bench` so a fresh machine needs no manual set-up.
set -euo pipefail

missing=()
for package in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "drillbook: installing missing system packages: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  run() { "$@"; }
elif command -v sudo >/dev/null 2>&1; then
  run() { sudo "$@"; }
else
  echo "drillbook: need root (or sudo) to install: ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# An out-of-date or empty package list is the usual reason an install fails on a fresh machine.
run apt-get update -q >/dev/null
run apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts packaged servers on install; drills and tests start their own copies on free
# loopback ports, so stop the system instances to keep the machine quiet and ports free.
for service in redis-server redis-sentinel nginx postgresql; do
  if printf "%s\n" "${missing[@]}" | grep -qx "$service"; then
    (command -v service >/dev/null 2>&1 && run service "$service" stop >/dev/null 2>&1) || true
  fi
done
