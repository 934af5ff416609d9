#!/usr/bin/env bash
# Installs what the test suite needs from Debian's packages on a fresh machine:
# PostgreSQL (storage contract and crash tests start a private server),
# chromium (browser tests), python3-grpcio (independent gRPC client), curl (independent REST/JSON client), systemd (systemd-analyze checks
# deploy/systemd/caretwin.service; installing the package does not make it the init system), haproxy (the load balancer
# deploy/dev/cluster.sh puts in front of a development cluster, with deploy/balancer/haproxy.cfg; run unprivileged
# by that script, so the system's own haproxy service, which Debian's default configuration leaves with no listener, is not used).
# The .NET SDK and node/npm are expected to be present already.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
  postgresql \
  chromium \
  python3-grpcio python3-grpc-tools python3-protobuf \
  curl \
  fonts-liberation \
  systemd \
  haproxy
