#!/usr/bin/env bash
# Stops the private PostgreSQL that deploy/dev/start-postgres.sh started in DIR (fast shutdown: sessions are
# disconnected, committed data stays). Does nothing if it is not running. The cluster stays in DIR.
#
#   deploy/dev/stop-postgres.sh DIR
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 64; }
data=$1/data
[ -s "$data/PG_VERSION" ] || { echo "No cluster in $1" >&2; exit 1; }
bindir=${PG_BINDIR:-/usr/lib/postgresql/$(cat "$data/PG_VERSION")/bin}

if [ "$(id -u)" -eq 0 ]; then
  as_owner() { (cd / && runuser -u postgres -- "$@"); }
else
  as_owner() { (cd / && "$@"); }
fi
if as_owner "$bindir/pg_ctl" status --pgdata="$data" >/dev/null 2>&1; then
  as_owner "$bindir/pg_ctl" stop --pgdata="$data" --mode=fast --wait --timeout=60 --silent
fi
