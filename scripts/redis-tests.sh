#!/usr/bin/env bash
# The Redis-backed throttle (feature `redis`) against a real Redis server
# from the distribution's packages, on a loopback port, stopped on exit.
# Part of scripts/test.sh; installs redis-server with apt-get when missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && apt-get install -y -qq redis-server) >/dev/null
  else
    echo "redis-server is not installed and cannot be installed here: Redis throttle tests skipped" >&2
    exit 0
  fi
fi
redis_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$redis_port" ping >/dev/null
export MARKETO_TEST_REDIS_URL="redis://127.0.0.1:$redis_port/"
MARKETO_TEST_REDIS_SERVER=$(command -v redis-server)
export MARKETO_TEST_REDIS_SERVER
cargo test -p marketo-resilience --features redis --test redis_throttle
cargo test -p marketo-rest --features redis --test redis_fleet
