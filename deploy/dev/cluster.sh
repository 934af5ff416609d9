#!/usr/bin/env bash
# A CareTwin cluster on this machine for development and tests: a private PostgreSQL (start-postgres.sh), N nodes
# on 127.0.0.1 forming one Orleans cluster on it, and HAProxy in front (deploy/balancer/haproxy.cfg, run as the
# calling user), all with their files in DIR. Everything listens on 127.0.0.1 only, except that each node's Orleans
# silo port listens on every interface (the host does that whenever it is in a cluster).
#
#   deploy/dev/cluster.sh up N [DIR] [--no-demo] [--base-port PORT] [Section__Key=value ...]
#   deploy/dev/cluster.sh start I [DIR]
#   deploy/dev/cluster.sh down [DIR]
#
# up starts everything, waits until every node is ready (GET /healthz answers Healthy and grpc.health.v1 answers
# SERVING) and the balancer sees every node up, then prints one line per node and one for the balancer:
#   node I web=http://127.0.0.1:PORT/ grpc=127.0.0.1:PORT pid=PID
#   balancer web=http://127.0.0.1:PORT/ grpc=127.0.0.1:PORT keys=PATH
# keys is the demo API keys file every node shares ("none" with --no-demo). Progress goes to stderr. With the demo
# region (the default) up also waits until the first node has loaded it. Settings given as Section__Key=value
# reach every node (e.g. Demo__Children=20, Demo__ClockFactor=60).
# start I starts node I of a running cluster again after it stopped or was killed (as systemd's Restart= would), with
# the settings and ports up gave it, waits until it is ready and prints its node line.
# down stops what up started, by the pids it recorded in DIR/pids: the balancer, then the nodes with SIGTERM (each
# leaves the cluster gracefully; SIGKILL after 60 s), then PostgreSQL. Logs and data stay in DIR.
#
# DIR defaults to ${TMPDIR:-/tmp}/caretwin-cluster. Ports are free ones picked at random below the kernel's ephemeral range (python3), or PORT, PORT+1, ...
# with --base-port: PostgreSQL, balancer web, balancer gRPC, balancer status, then web, API and silo port per node.
# Files in DIR: pids, ports, silo (the host it runs), demo-api-keys.json, node-I/{node.env,node.log}, balancer/{haproxy.cfg,haproxy.log,
# haproxy.pid,admin.sock,status-url}, postgres/ (the database cluster, postgres.log).
#
# Environment: CARETWIN_SILO (the host's CareTwin.Silo.dll; default: dotnet build -c Release src/Silo first),
# HAPROXY (default: haproxy on PATH or /usr/sbin/haproxy), CARETWIN_CLUSTER_TIMEOUT (seconds to wait for each
# step, default 180), CARETWIN_CLUSTER_STOP_TIMEOUT (seconds a node may take to stop, default 60). Nodes get only PATH, HOME, USER, LANG, TMPDIR and DOTNET_ROOT from this environment, so a
# shell's ASPNETCORE_URLS or similar cannot change their listeners.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
timeout_s=${CARETWIN_CLUSTER_TIMEOUT:-180}

usage() {
  echo "usage: $0 up N [DIR] [--no-demo] [--base-port PORT] [Section__Key=value ...]" >&2
  echo "       $0 start I [DIR]" >&2
  echo "       $0 down [DIR]" >&2
  exit 64
}
say() { echo "cluster: $*" >&2; }
fail() { echo "cluster: $*" >&2; exit 1; }

# ---- processes recorded in DIR/pids: "NAME PID WHAT", WHAT a word of the process's command line -----------------

# True while PID runs and is still the process we started (its command line has WHAT; a zombie has none).
ours_running() {
  local pid=$1 what=$2 cmdline
  [ -r "/proc/$pid/cmdline" ] || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  case $cmdline in *"$what"*) return 0 ;; *) return 1 ;; esac
}

record_pid() { echo "$1 $2 $3" >>"$dir/pids"; }

# Stops the recorded processes whose NAME starts with PREFIX: SIGTERM, then SIGKILL after LIMIT seconds.
stop_recorded() {
  local prefix=$1 limit=$2 name pid what waiting deadline
  [ -f "$dir/pids" ] || return 0
  waiting=()
  while read -r name pid what; do
    case $name in "$prefix"*) ;; *) continue ;; esac
    if ours_running "$pid" "$what"; then
      kill -TERM "$pid" 2>/dev/null || true
      waiting+=("$pid:$what:$name")
    fi
  done <"$dir/pids"
  deadline=$((SECONDS + limit))
  for entry in "${waiting[@]}"; do
    pid=${entry%%:*}; what=${entry#*:}; name=${what#*:}; what=${what%%:*}
    while ours_running "$pid" "$what" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    if ours_running "$pid" "$what"; then
      say "$name (pid $pid) did not stop within $limit s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      while ours_running "$pid" "$what"; do sleep 0.1; done
    fi
    say "stopped $name (pid $pid)"
  done
}

down() {
  if [ -f "$dir/pids" ]; then
    stop_recorded balancer 10
    stop_recorded node "${CARETWIN_CLUSTER_STOP_TIMEOUT:-60}"
    rm -f "$dir/pids"
  fi
  if [ -s "$dir/postgres/data/PG_VERSION" ] && [ -e "$dir/postgres/data/postmaster.pid" ]; then
    "$here/stop-postgres.sh" "$dir/postgres" >&2
    say "stopped PostgreSQL"
  fi
}

# ---- readiness ---------------------------------------------------------------------------------------------------

healthz() { curl -fsS --max-time 3 "http://127.0.0.1:$1/healthz" 2>/dev/null; }

# grpc.health.v1.Health/Check over h2c with curl: the answer's bytes, "00000000020801" when SERVING.
grpc_health() {
  printf '\0\0\0\0\0' | curl -sS --max-time 3 --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @- "http://127.0.0.1:$1/grpc.health.v1.Health/Check" 2>/dev/null | od -An -tx1 | tr -d ' \n'
}

node_ready() { [ "$(healthz "$1")" = Healthy ] && [ "$(grpc_health "$2")" = 00000000020801 ]; }

# Waits until CHECK (a command) succeeds; fails if the process PID exits first, showing LOG's end.
wait_for() {
  local what=$1 pid=$2 match=$3 log=$4 deadline=$((SECONDS + timeout_s))
  shift 4
  until "$@"; do
    if ! ours_running "$pid" "$match"; then
      tail -n 30 "$log" >&2 || true
      fail "$what exited before it was ready (log: $log)"
    fi
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 30 "$log" >&2 || true; fail "$what not ready within $timeout_s s (log: $log)"; }
    sleep 0.25
  done
}

demo_loaded() { grep -q '"Message":"Demo region [0-9]* ready' "$1"; }

# The balancer's status page as CSV: true when every server of both backends is UP.
balancer_sees_all() {
  local csv
  csv=$(curl -fsS --max-time 3 "$status_url;csv" 2>/dev/null) || return 1
  [ "$(echo "$csv" | awk -F, '($1 == "caretwin_web" || $1 == "caretwin_grpc") && $2 ~ /^node/ && $18 == "UP"' | wc -l)" -eq $((2 * count)) ]
}

# ---- starting ----------------------------------------------------------------------------------------------------

# Ports below the kernel's ephemeral range, so no outgoing connection can take one between now and the bind, nor
# while a killed node is down before it is started again on the same ports.
free_ports() {
  command -v python3 >/dev/null || fail "python3 picks free ports; without it, give --base-port PORT"
  python3 - "$1" <<'EOF'
import random, socket, sys
with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
    top = int(f.read().split()[0])
top = top if top > 21000 else 32768
held = []
while len(held) < int(sys.argv[1]):
    s = socket.socket()
    try:
        s.bind(("0.0.0.0", random.randrange(20000, top)))
        held.append(s)
    except OSError:
        s.close()
print(" ".join(str(s.getsockname()[1]) for s in held))
EOF
}

# Runs a command detached (own session, stdin from /dev/null, output to LOG) with only a few variables of this
# environment plus those in ENVFILE (KEY=value lines), so secrets never appear on a command line. Prints its pid
# once the process runs the command (its command line has WHAT), so the pid recorded is the command's own.
launch() {
  local workdir=$1 envfile=$2 log=$3 what=$4 pid deadline=$((SECONDS + 30))
  shift 4
  (
    cd "$workdir"
    for name in $(compgen -e); do
      case $name in PATH|HOME|USER|LOGNAME|LANG|LC_*|TMPDIR|DOTNET_ROOT|DOTNET_CLI_HOME) ;; *) unset "$name" 2>/dev/null || true ;; esac
    done
    while IFS= read -r setting; do
      [ -n "$setting" ] && export "${setting?}"
    done <"$envfile"
    exec setsid "$@"
  ) </dev/null >>"$log" 2>&1 &
  pid=$!
  until ours_running "$pid" "$what"; do
    kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ] || { kill -KILL "$pid" 2>/dev/null; tail -n 20 "$log" >&2; fail "$1 did not start (log: $log)"; }
    sleep 0.05
  done
  echo "$pid"
}

up() {
  local demo=true base_port="" extra=()
  while [ $# -gt 0 ]; do
    case $1 in
      --no-demo) demo=false ;;
      --base-port) [ $# -ge 2 ] || usage; base_port=$2; shift ;;
      --base-port=*) base_port=${1#*=} ;;
      *=*) case ${1%%=*} in *[!A-Za-z0-9_]*|'') usage ;; esac; extra+=("$1") ;;
      *) usage ;;
    esac
    shift
  done
  case $base_port in *[!0-9]*) usage ;; esac

  local haproxy=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}
  [ -x "$haproxy" ] || fail "HAProxy not found; run deploy/dev/install-prerequisites.sh (Debian's haproxy package)"
  command -v curl >/dev/null || fail "curl not found; run deploy/dev/install-prerequisites.sh"
  command -v dotnet >/dev/null || fail "dotnet not found"

  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ -f "$dir/pids" ]; then
    while read -r name pid what; do
      ours_running "$pid" "$what" && fail "a cluster is already running in $dir ($name, pid $pid); run: $0 down $dir"
    done <"$dir/pids"
    rm -f "$dir/pids"
  fi
  # As root, PostgreSQL runs as the postgres user, which must reach DIR/postgres: DIR may be traversed, not listed.
  if [ "$(id -u)" -eq 0 ]; then chmod 711 "$dir"; else chmod 700 "$dir"; fi

  local silo=${CARETWIN_SILO:-}
  if [ -z "$silo" ]; then
    say "building src/Silo (Release); set CARETWIN_SILO=path/to/CareTwin.Silo.dll to skip"
    dotnet build -c Release "$repo/src/Silo" -nologo -v q >&2 || fail "dotnet build -c Release src/Silo failed"
    silo=$repo/src/Silo/bin/Release/net10.0/CareTwin.Silo.dll
  fi
  [ -f "$silo" ] || fail "no host at $silo"
  silo=$(cd "$(dirname "$silo")" && pwd)/$(basename "$silo")

  # Ports: PostgreSQL, balancer web, gRPC and status, then web, API and silo per node.
  local needed=$((4 + 3 * count)) ports
  if [ -n "$base_port" ]; then
    ports=$(seq "$base_port" $((base_port + needed - 1)) | tr '\n' ' ')
  else
    ports=$(free_ports "$needed")
  fi
  # shellcheck disable=SC2206
  local p=($ports)
  local pg_port=${p[0]} lb_web=${p[1]} lb_grpc=${p[2]} lb_status=${p[3]}
  local web=() api=() silo_port=()
  for ((i = 1; i <= count; i++)); do
    web[i]=${p[$((4 + 3 * (i - 1)))]}; api[i]=${p[$((5 + 3 * (i - 1)))]}; silo_port[i]=${p[$((6 + 3 * (i - 1)))]}
  done
  echo "$ports" >"$dir/ports"
  echo "$silo" >"$dir/silo"

  # From here on a failure stops whatever was started.
  trap 'status=$?; if [ $status -ne 0 ]; then say "up failed; stopping what was started"; down || true; fi' EXIT

  say "starting PostgreSQL on 127.0.0.1:$pg_port"
  local connection
  connection=$("$here/start-postgres.sh" "$dir/postgres" "$pg_port")

  local keys=$dir/demo-api-keys.json
  for ((i = 1; i <= count; i++)); do
    (
      umask 077
      mkdir -p "$dir/node-$i"
      {
        echo "DOTNET_ENVIRONMENT=Production"
        echo "ASPNETCORE_ENVIRONMENT=Production"
        echo "Storage__Provider=Postgres"
        echo "Storage__Postgres__ConnectionString=$connection"
        echo "Orleans__Membership=Postgres"
        echo "Orleans__ClusterId=caretwin-dev"
        echo "Orleans__AdvertisedAddress=127.0.0.1"
        echo "Orleans__SiloPort=${silo_port[i]}"
        echo "Orleans__GatewayPort=0"
        echo "Listeners__Address=127.0.0.1"
        echo "Listeners__WebPort=${web[i]}"
        echo "Listeners__ApiPort=${api[i]}"
        echo "Demo__Enabled=$demo"
        echo "Api__DemoKeysFile=$keys"
        # Production runs with Secure cookies only; this cluster is plain HTTP on 127.0.0.1. Browsers send Secure cookies
        # to http://127.0.0.1 anyway, but curl, Python and .NET HTTP clients (the cluster tests sign in with one) do not,
        # so cookies answering requests from this machine go without Secure here. Never set on a real node.
        echo "Web__AllowInsecureCookiesOnLoopback=true"
        for setting in "${extra[@]}"; do echo "$setting"; done
      } >"$dir/node-$i/node.env"
    )
  done

  # Node 1 first: it creates the demo keys file the others then read (creating it is not safe to race).
  local pid=()
  start_node() {
    pid[$1]=$(launch "$dir/node-$1" "$dir/node-$1/node.env" "$dir/node-$1/node.log" CareTwin.Silo dotnet "$silo")
    record_pid "node$1" "${pid[$1]}" CareTwin.Silo
    say "node $1 started (pid ${pid[$1]}); log: $dir/node-$1/node.log"
  }
  start_node 1
  wait_for "node 1" "${pid[1]}" CareTwin.Silo "$dir/node-1/node.log" node_ready "${web[1]}" "${api[1]}"
  if [ "$demo" = true ]; then
    wait_for "node 1 (demo region)" "${pid[1]}" CareTwin.Silo "$dir/node-1/node.log" demo_loaded "$dir/node-1/node.log"
  fi
  for ((i = 2; i <= count; i++)); do start_node "$i"; done
  for ((i = 2; i <= count; i++)); do
    wait_for "node $i" "${pid[i]}" CareTwin.Silo "$dir/node-$i/node.log" node_ready "${web[i]}" "${api[i]}"
  done
  say "every node is ready"

  # The balancer: the template as it is, with its example servers replaced by these nodes.
  (umask 077; mkdir -p "$dir/balancer")
  awk -v count="$count" -v web="${web[*]}" -v api="${api[*]}" '
    /^[a-z]/ { section = $1 " " $2 }
    /^[ \t]+server[ \t]/ && (section == "backend caretwin_web" || section == "backend caretwin_grpc") {
      if (done[section]++) next
      split(section == "backend caretwin_web" ? web : api, port, " ")
      for (i = 1; i <= count; i++) {
        line = "    server node" i " 127.0.0.1:" port[i]
        for (f = 4; f <= NF; f++) line = line " " (($(f - 1) == "cookie") ? "node" i : $f)
        print line
      }
      next
    }
    { print }
  ' "$repo/deploy/balancer/haproxy.cfg" >"$dir/balancer/haproxy.cfg"
  status_url=http://127.0.0.1:$lb_status/
  echo "$status_url" >"$dir/balancer/status-url"
  {
    echo "CARETWIN_LB_UNPRIVILEGED=1"
    echo "CARETWIN_LB_ADMIN_SOCKET=$dir/balancer/admin.sock"
    echo "CARETWIN_LB_WEB_BIND=127.0.0.1:$lb_web"
    echo "CARETWIN_LB_GRPC_BIND=127.0.0.1:$lb_grpc"
    echo "CARETWIN_LB_STATS_BIND=127.0.0.1:$lb_status"
  } >"$dir/balancer/balancer.env"
  local check
  check=$(set -a; . "$dir/balancer/balancer.env"; "$haproxy" -c -q -f "$dir/balancer/haproxy.cfg" 2>&1) \
    || { echo "$check" >&2; fail "HAProxy refused $dir/balancer/haproxy.cfg"; }
  local lb_pid
  lb_pid=$(launch "$dir/balancer" "$dir/balancer/balancer.env" "$dir/balancer/haproxy.log" haproxy \
    "$haproxy" -db -f "$dir/balancer/haproxy.cfg" -p "$dir/balancer/haproxy.pid")
  record_pid balancer "$lb_pid" haproxy
  say "balancer started (pid $lb_pid); log: $dir/balancer/haproxy.log; status: $status_url"
  wait_for "the balancer" "$lb_pid" haproxy "$dir/balancer/haproxy.log" balancer_sees_all
  say "the balancer sees every node up"

  trap - EXIT
  for ((i = 1; i <= count; i++)); do
    echo "node $i web=http://127.0.0.1:${web[i]}/ grpc=127.0.0.1:${api[i]} pid=${pid[i]}"
  done
  if [ "$demo" = true ]; then
    echo "balancer web=http://127.0.0.1:$lb_web/ grpc=127.0.0.1:$lb_grpc keys=$keys"
  else
    echo "balancer web=http://127.0.0.1:$lb_web/ grpc=127.0.0.1:$lb_grpc keys=none"
  fi
}

# Node I again, as up started it: its node.env holds its settings and ports.
start_again() {
  local i=$1 name pid what silo env
  [ -f "$dir/pids" ] && [ -f "$dir/silo" ] || fail "no cluster running in $dir; run: $0 up N $dir"
  env=$dir/node-$i/node.env
  [ -f "$env" ] || fail "the cluster in $dir has no node $i"
  while read -r name pid what; do
    [ "$name" = "node$i" ] && ours_running "$pid" "$what" && fail "node $i is running (pid $pid)"
  done <"$dir/pids"
  silo=$(cat "$dir/silo")
  local web api
  web=$(sed -n 's/^Listeners__WebPort=//p' "$env")
  api=$(sed -n 's/^Listeners__ApiPort=//p' "$env")
  pid=$(launch "$dir/node-$i" "$env" "$dir/node-$i/node.log" CareTwin.Silo dotnet "$silo")
  # The pids file keeps one line per node: the new process replaces the old one.
  { grep -v "^node$i " "$dir/pids" || true; echo "node$i $pid CareTwin.Silo"; } >"$dir/pids.new"
  mv "$dir/pids.new" "$dir/pids"
  say "node $i started again (pid $pid); log: $dir/node-$i/node.log"
  wait_for "node $i" "$pid" CareTwin.Silo "$dir/node-$i/node.log" node_ready "$web" "$api"
  echo "node $i web=http://127.0.0.1:$web/ grpc=127.0.0.1:$api pid=$pid"
}

[ $# -ge 1 ] || usage
command=$1
shift
case $command in
  up)
    [ $# -ge 1 ] || usage
    count=$1
    shift
    case $count in ''|*[!0-9]*|0) usage ;; esac
    dir=${TMPDIR:-/tmp}/caretwin-cluster
    if [ $# -ge 1 ] && [ "${1#-}" = "$1" ] && [ "${1#*=}" = "$1" ]; then dir=$1; shift; fi
    up "$@"
    ;;
  start)
    [ $# -ge 1 ] && [ $# -le 2 ] || usage
    case $1 in ''|*[!0-9]*) usage ;; esac
    dir=${2:-${TMPDIR:-/tmp}/caretwin-cluster}
    [ -d "$dir" ] || fail "no cluster in $dir"
    dir=$(cd "$dir" && pwd)
    start_again "$1"
    ;;
  down)
    [ $# -le 1 ] || usage
    dir=${1:-${TMPDIR:-/tmp}/caretwin-cluster}
    [ -d "$dir" ] || fail "no cluster in $dir"
    dir=$(cd "$dir" && pwd)
    down
    ;;
  *) usage ;;
esac
