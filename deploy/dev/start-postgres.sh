#!/usr/bin/env bash
# Starts a private PostgreSQL for development and CI from Debian's postgresql package:
# its own cluster in DIR, listening only on 127.0.0.1:PORT, with a database and a role for CareTwin.
# Prints the Npgsql connection string on stdout (also kept in DIR/connection-string); logs go to DIR/postgres.log.
# Running it again on the same DIR starts the existing cluster. Stop it with deploy/dev/stop-postgres.sh DIR.
#
#   deploy/dev/start-postgres.sh DIR [PORT]        (PORT defaults to 55432)
#
# Environment: CARETWIN_PG_DATABASE, CARETWIN_PG_USER (both default caretwin), PG_BINDIR (default: the
# newest /usr/lib/postgresql/*/bin).
set -euo pipefail

usage() { echo "usage: $0 DIR [PORT]" >&2; exit 64; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
dir=$1
port=${2:-55432}
database=${CARETWIN_PG_DATABASE:-caretwin}
user=${CARETWIN_PG_USER:-caretwin}
case $port in ''|*[!0-9]*) usage ;; esac
case $database$user in *[!a-z0-9_]*) echo "CARETWIN_PG_DATABASE and CARETWIN_PG_USER must be lower-case letters, digits and _" >&2; exit 64 ;; esac

bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_ctl" ] || [ ! -x "$bindir/psql" ]; then
  echo "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin; run deploy/dev/install-prerequisites.sh" >&2
  exit 3
fi

# initdb and the server refuse to run as root: as root, the cluster belongs to the postgres user.
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ "$(id -u)" -eq 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "Running as root needs the postgres OS user (created by Debian's postgresql package); run deploy/dev/install-prerequisites.sh" >&2
    exit 3
  fi
  chown postgres: "$dir"
  as_owner() { (cd / && runuser -u postgres -- "$@"); }
  if ! as_owner test -x "$dir"; then
    echo "The postgres user cannot reach $dir (a parent directory is private to root); use a directory such as /tmp/caretwin-pg" >&2
    exit 1
  fi
else
  as_owner() { (cd / && "$@"); }
fi
chmod 700 "$dir"
data=$dir/data

if [ ! -s "$data/PG_VERSION" ]; then
  # The superuser is only reachable through the socket in DIR (mode 700); TCP needs a password.
  as_owner "$bindir/initdb" --pgdata="$data" --username=postgres --encoding=UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
    || { echo "initdb failed; see $dir/initdb.log" >&2; tail -n 20 "$dir/initdb.log" >&2; exit 1; }
  cat >>"$data/postgresql.conf" <<EOF
# deploy/dev/start-postgres.sh: private development server
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
EOF
fi

if ! as_owner "$bindir/pg_ctl" status --pgdata="$data" >/dev/null 2>&1; then
  as_owner "$bindir/pg_ctl" start --pgdata="$data" --wait --timeout=60 --silent \
    --log="$dir/postgres.log" --options="-p $port" >/dev/null \
    || { echo "PostgreSQL did not start on 127.0.0.1:$port; see $dir/postgres.log" >&2; tail -n 20 "$dir/postgres.log" >&2; exit 1; }
fi
running_port=$(sed -n 4p "$data/postmaster.pid")

# The password is made once and kept beside the cluster, so a restart prints the same connection string.
if [ ! -s "$dir/password" ]; then
  (umask 077; od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$dir/password")
fi
password=$(cat "$dir/password")
# The password goes on stdin, never on a command line other users can see.
as_owner "$bindir/psql" --quiet --no-psqlrc -v ON_ERROR_STOP=1 --host="$dir" --port="$running_port" --username=postgres --dbname=postgres \
  -v user="$user" -v database="$database" >/dev/null <<SQL
SELECT format('CREATE ROLE %I LOGIN', :'user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
ALTER ROLE :"user" PASSWORD '$password';
SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'user') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') \gexec
SQL

connection="Host=127.0.0.1;Port=$running_port;Database=$database;Username=$user;Password=$password"
(umask 077; echo "$connection" >"$dir/connection-string")
echo "$connection"
