#!/usr/bin/env bash
# Browse benchmark (issue 6): ONE emulator process with 50 ms latency per
# call and 10,000 extra programs, Marketo's limits on; side by side in one
# run: our REST client streaming every program (default settings; pages
# on tasks of their own; one page at a time; 10 in flight) and
# marketorestpython 0.5.25's browse_programs(maxReturn=200); and the floor
# under any client here: plain reqwest GETs of the same pages, 5 in flight,
# bodies only counted (bench_browse --floor true).
# Before each run the emulator's counters and rate windows are reset
# (POST /__emulator/reset), so every client starts with a fresh window.
# Prints a Markdown table for docs/BENCHMARKS.md.
#
# Needs python3 with venv and the PyPI registry (for the venv, shared with
# scripts/independent-clients.sh); builds in release mode.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

latency_ms=${LATENCY_MS:-50}
programs=${PROGRAMS:-10000}

target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
# The same venv as scripts/independent-clients.sh.
venv="$target_dir/independent-venv"
if ! "$venv/bin/python" -c 'import marketorestpython' 2>/dev/null; then
  echo "== creating $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/independent/requirements.txt
fi

echo "== building (release)" >&2
cargo build --quiet --release -p marketo-emulator --bin marketo-emulator
cargo build --quiet --release -p marketo-rest --example bench_browse

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export MARKETO_EMULATOR_CLIENT_ID=bench-client
export MARKETO_EMULATOR_CLIENT_SECRET=bench-secret-$RANDOM$RANDOM
log="$target_dir/bench-emulator.log"
"$target_dir/release/marketo-emulator" --port "$port" \
  --latency-ms "$latency_ms" --programs "$programs" >"$log" 2>&1 &
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

rust() {
  "$target_dir/release/examples/bench_browse" "$@"
}

python_browse() {
  "$venv/bin/python" - <<'EOF'
import json, os, time, urllib.request
from marketorestpython.client import MarketoClient

rest = os.environ["EMU_REST"]
urllib.request.urlopen(urllib.request.Request(rest + "/__emulator/reset", method="POST")).read()
mc = MarketoClient("emulator", os.environ["MARKETO_CLIENT_ID"], os.environ["MARKETO_CLIENT_SECRET"])
mc.host = rest  # the library builds https://<munchkin>.mktorest.com otherwise
started = time.perf_counter()
programs = mc.execute(method="browse_programs", maxReturn=200)
wall = time.perf_counter() - started
stats = json.load(urllib.request.urlopen(rest + "/__emulator/stats"))
errors = stats["errorCounts"]
print("\t".join(str(x) for x in [
    "marketorestpython 0.5.25 browse_programs(maxReturn=200)", f"{wall:.3f}", len(programs),
    stats["rest"]["calls"], errors.get("606", 0), errors.get("615", 0), stats["rest"]["maxConcurrent"],
]))
EOF
}

results=$(
  rust
  rust --page-tasks true
  rust --prefetch 1
  rust --max-in-flight 10
  rust --floor true
  python_browse
)

items=$(echo "$results" | head -1 | cut -f3)
pages=$(( (items + 199) / 200 ))
python3 - "$latency_ms" "$pages" "$items" "$results" <<'EOF'
import re, sys
latency = int(sys.argv[1]) / 1000
pages, items = int(sys.argv[2]), int(sys.argv[3])
rows = [line.split("\t") for line in sys.argv[4].splitlines()]
quota_rate = 100 / 20          # Marketo: 100 calls per 20 s
default_in_flight = 5          # the throttle's default in-flight limit
steady = pages / min(default_in_flight / latency, quota_rate)
print(f"{items} programs = {pages} pages of 200; {latency * 1000:.0f} ms latency per call.")
print(f"Steady-state bound: pages / min(in-flight / latency, quota rate) = {pages} / min({default_in_flight} / {latency}, {quota_rate:g}/s) = {steady:.2f} s")
print("(a fresh window admits 98 calls at once, so a run of fewer calls is bounded by")
print("pages x latency / pages in flight instead: the latency bound below).\n")
print("| Client | Wall time (s) | Programs | Calls | 606 | 615 | Max in flight | Latency bound (s) | % of it | vs marketorestpython |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
python_wall = next((float(r[1]) for r in rows if r[0].startswith("marketorestpython")), None)
for label, wall, n, calls, e606, e615, conc in rows:
    wall = float(wall)
    in_flight = re.search(r"\((\d+) in flight\)", label)
    in_flight = int(in_flight.group(1)) if in_flight else 1
    prefetch = re.search(r"prefetch (\d+)", label)
    parallel = min(int(prefetch.group(1)), in_flight) if prefetch else in_flight
    bound = pages * latency / parallel if pages <= 98 else steady
    speedup = f"{python_wall / wall:.1f}x" if python_wall else "-"
    print(f"| {label} | {wall:.2f} | {n} | {calls} | {e606} | {e615} | {conc} | {bound:.2f} | {100 * bound / wall:.0f} % | {speedup} |")
EOF
