#!/usr/bin/env bash
# The project's test command (README): every test, from a fresh machine.
#
# 1. `cargo test --workspace`: unit, generator, fixture, freshness,
#    end-to-end (clients against the in-process emulator) and resilience
#    tests.
# 2. The examples, each against an emulator it starts itself.
# 3. The Redis-backed throttle against a real redis-server
#    (scripts/redis-tests.sh; installs it with apt-get when missing).
# 4. Independent clients (zeep, marketorestpython, openapi-spec-validator,
#    schemathesis) against the emulator; needs python3 and PyPI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "== cargo test --workspace"
cargo test --workspace

echo "== examples (against an in-process emulator)"
for example in $(find crates/*/examples -maxdepth 1 -name '*.rs' 2>/dev/null | sort); do
  crate=$(basename "$(dirname "$(dirname "$example")")")
  name=$(basename "$example" .rs)
  echo "-- $crate: $name"
  # No MARKETO_* variables: the examples start their own emulator.
  env -u MARKETO_BASE_URL -u MARKETO_SOAP_ENDPOINT cargo run --quiet -p "$crate" --example "$name"
done

echo "== Redis throttle (a real redis-server on a loopback port)"
bash scripts/redis-tests.sh

echo "== independent clients"
bash scripts/independent-clients.sh
