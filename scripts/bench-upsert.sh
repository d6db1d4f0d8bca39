#!/usr/bin/env bash
# Bulk upsert benchmark (issue 12): ONE emulator process with 50 ms latency
# per call and Marketo's limits on (100 calls per sliding 20 s, 10 in
# flight); side by side in one run: our `sync_leads_batched` (300 leads a
# call, as many calls in flight as the throttle allows) and
# marketorestpython 0.5.25's `create_update_leads` over the same number of
# leads in chunks of 300. The emulator's counters and rate windows are
# reset before each client (POST /__emulator/reset). Prints a Markdown
# table for docs/BENCHMARKS.md.
#
# LEADS (default 100000) and LATENCY_MS (default 50) change the job.
# Needs python3 with venv and the PyPI registry; builds in release mode.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

latency_ms=${LATENCY_MS:-50}
leads=${LEADS:-100000}

target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
venv="$target_dir/independent-venv"
if ! "$venv/bin/python" -c 'import marketorestpython' 2>/dev/null; then
  echo "== creating $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/independent/requirements.txt
fi

echo "== building (release)" >&2
cargo build --quiet --release -p marketo-emulator --bin marketo-emulator
cargo build --quiet --release -p marketo-rest --example bench_upsert

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export MARKETO_EMULATOR_CLIENT_ID=bench-client
export MARKETO_EMULATOR_CLIENT_SECRET=bench-secret-$RANDOM$RANDOM
log="$target_dir/bench-upsert-emulator.log"
"$target_dir/release/marketo-emulator" --port "$port" --latency-ms "$latency_ms" >"$log" 2>&1 &
emulator=$!
trap 'kill $emulator 2>/dev/null || true' EXIT
export EMU_REST="http://127.0.0.1:$port"
up=
for _ in $(seq 1 300); do
  if curl -sf "$EMU_REST/__emulator/stats" >/dev/null 2>&1; then up=1; break; fi
  sleep 0.1
done
[ -n "$up" ] || { echo "the emulator did not start; see $log" >&2; exit 1; }
export MARKETO_CLIENT_ID=$MARKETO_EMULATOR_CLIENT_ID
export MARKETO_CLIENT_SECRET=$MARKETO_EMULATOR_CLIENT_SECRET
export LEADS=$leads

python_upsert() {
  "$venv/bin/python" - <<'EOF'
import json, os, time, urllib.request
from marketorestpython.client import MarketoClient

rest = os.environ["EMU_REST"]
n = int(os.environ["LEADS"])
urllib.request.urlopen(urllib.request.Request(rest + "/__emulator/reset", method="POST")).read()
mc = MarketoClient("emulator", os.environ["MARKETO_CLIENT_ID"], os.environ["MARKETO_CLIENT_SECRET"])
mc.host = rest  # the library builds https://<munchkin>.mktorest.com otherwise
leads = [{"email": f"bench-python-{i}@example.com", "firstName": f"Bench {i}", "lastName": "Python"}
         for i in range(n)]
started = time.perf_counter()
synced = 0
for at in range(0, n, 300):
    result = mc.execute(method="create_update_leads", leads=leads[at:at + 300],
                        action="createOrUpdate", lookupField="email")
    synced += sum(1 for r in result if r.get("status") in ("created", "updated"))
wall = time.perf_counter() - started
stats = json.load(urllib.request.urlopen(rest + "/__emulator/stats"))
errors = stats["errorCounts"]
print("\t".join(str(x) for x in [
    "marketorestpython 0.5.25 create_update_leads (300 a call)", f"{wall:.3f}", n, synced,
    stats["rest"]["calls"], errors.get("606", 0), errors.get("615", 0), stats["rest"]["maxConcurrent"],
]))
EOF
}

results=$(
  "$target_dir/release/examples/bench_upsert" --leads "$leads"
  "$target_dir/release/examples/bench_upsert" --leads "$leads" --max-in-flight 10
  python_upsert
)

python3 - "$latency_ms" "$leads" "$results" <<'EOF'
import math, sys
latency = int(sys.argv[1]) / 1000
leads = int(sys.argv[2])
rows = [line.split("\t") for line in sys.argv[3].splitlines()]
calls = math.ceil(leads / 300)
# Marketo admits 100 calls in any 20 s: the first 100 at once, then 100
# more each 20 s. The quota bound is when the last call can end.
bound = (math.ceil(calls / 100) - 1) * 20 + latency
first = min(leads, 100 * 300)  # leads of the first, fresh window
after_bound = (leads - first) / (bound - 20) if bound > 20 else float("nan")
print(f"{leads} leads = {calls} calls of at most 300; {latency * 1000:.0f} ms latency per call.")
print(f"Quota bound: the last of {calls} calls can start at {(math.ceil(calls / 100) - 1) * 20} s "
      f"(100 calls per 20 s) = {bound:.2f} s; after the first window (the first {first} leads), "
      f"at most {after_bound:.0f} leads/s.\n")
print("| Client | Wall time (s) | Leads | Synced | Calls | 606 | 615 | Max in flight | Leads/s after the first window | % of that bound | % of the quota bound | vs marketorestpython |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
python_wall = next((float(r[1]) for r in rows if r[0].startswith("marketorestpython")), None)
for label, wall, n, synced, c, e606, e615, conc in rows:
    wall = float(wall)
    after = (leads - first) / (wall - 20) if wall > 20 and leads > first else float("nan")
    speedup = f"{python_wall / wall:.1f}x" if python_wall else "-"
    print(f"| {label} | {wall:.2f} | {n} | {synced} | {c} | {e606} | {e615} | {conc} | {after:.0f} | "
          f"{100 * after / after_bound:.0f} % | {100 * bound / wall:.0f} % | {speedup} |")
EOF
