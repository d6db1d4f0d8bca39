#!/usr/bin/env bash
# Checks the emulator (and the specs) with clients this project did not
# write: zeep (SOAP, from specs/marketo-soap.wsdl), marketorestpython (REST),
# openapi-spec-validator and schemathesis (specs/marketo-rest.yaml).
# Needs python3 with venv and the PyPI registry; builds the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
venv="$target_dir/independent-venv"
if [ ! -x "$venv/bin/st" ]; then
  echo "== creating $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/independent/requirements.txt
fi

echo "== openapi-spec-validator specs/marketo-rest.yaml"
"$venv/bin/openapi-spec-validator" specs/marketo-rest.yaml

echo "== openapi-schema-validator: the documented examples against specs/marketo-rest.yaml"
"$venv/bin/python" scripts/independent/validate_examples.py

echo "== building the emulator"
cargo build --quiet -p marketo-emulator
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export MARKETO_EMULATOR_CLIENT_ID=independent-client
export MARKETO_EMULATOR_CLIENT_SECRET=independent-secret-$RANDOM$RANDOM
export MARKETO_EMULATOR_USER_ID=independent_user
export MARKETO_EMULATOR_ENCRYPTION_KEY=independent-key-$RANDOM$RANDOM
log="$target_dir/independent-emulator.log"
"$target_dir/debug/marketo-emulator" --port "$port" --no-limits >"$log" 2>&1 &
emulator=$!
trap 'kill $emulator 2>/dev/null || true' EXIT
export EMU_REST="http://127.0.0.1:$port"
export EMU_SOAP="http://127.0.0.1:$port/soap/mktows/2_9"
for _ in $(seq 1 100); do
  if python3 -c "import urllib.request; urllib.request.urlopen('$EMU_SOAP?WSDL', timeout=1)" 2>/dev/null; then
    break
  fi
  sleep 0.1
done

cd scripts/independent
echo "== zeep (SOAP)"
PYTHONPATH=. "$venv/bin/python" soap_zeep.py
echo "== zeep (SOAP, from Marketo's published 2_3 WSDL)"
PYTHONPATH=. "$venv/bin/python" soap_zeep_marketo.py
echo "== marketorestpython (REST)"
for script in rest_*.py; do
  echo "-- $script"
  PYTHONPATH=. "$venv/bin/python" "$script"
done
cd ../..

echo "== schemathesis (REST spec against the emulator)"
token=$(EMU_REST=$EMU_REST PYTHONPATH=scripts/independent "$venv/bin/python" -c 'import common; print(common.token())')
# The identity endpoint is outside the bearer-authenticated API; it is
# checked by marketorestpython above and by the emulator's own tests.
"$venv/bin/st" run specs/marketo-rest.yaml \
  --url "$EMU_REST" \
  -H "Authorization: Bearer $token" \
  --exclude-path /identity/oauth/token \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --phases examples,fuzzing \
  --max-examples 10 \
  --seed 20261123 \
  --max-time 150 \
  --request-timeout 10 \
  --workers 1 \
  --warnings off
echo "== independent clients: all passed"
