#!/usr/bin/env bash
# Bulk export benchmark (issue 13): ONE emulator process seeded with
# LEADS leads (default 1,000,000), then, one after the other, our
# `Client::export_leads` (typed rows, 20 fields) and marketorestpython's
# bulk export path (create/enqueue/poll/get file) + Python's csv reader on
# the same kind of job. Prints rows/s, MB/s and peak memory of each client
# as a Markdown table for docs/BENCHMARKS.md.
#
# Run it on an idle machine: the emulator holds every lead in memory
# (about 1.5 GB for 1,000,000) and both clients compete for the CPU.
# LEADS=100000 scripts/bench-bulk.sh is a quick check that it works.
#
# Needs python3 with marketorestpython (the venv of
# scripts/independent-clients.sh, or PYTHON=/path/to/python); builds in
# release mode.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

leads=${LEADS:-1000000}
# PROFILE=debug checks the script without a release build (figures meaningless).
profile=${PROFILE:-release}
if [ "$profile" = release ]; then build_flag=--release; else build_flag=; fi

target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
python=${PYTHON:-$target_dir/independent-venv/bin/python}
if ! "$python" -c 'import marketorestpython' 2>/dev/null; then
  echo "== creating $target_dir/independent-venv" >&2
  python3 -m venv "$target_dir/independent-venv"
  "$target_dir/independent-venv/bin/pip" install --quiet --disable-pip-version-check \
    -r scripts/independent/requirements.txt
  python=$target_dir/independent-venv/bin/python
fi

echo "== building ($profile)" >&2
cargo build --quiet $build_flag -p marketo-emulator --bin marketo-emulator
cargo build --quiet $build_flag -p marketo-rest --example bench_bulk

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export MARKETO_EMULATOR_CLIENT_ID=bench-client
export MARKETO_EMULATOR_CLIENT_SECRET=bench-secret-$RANDOM$RANDOM
log="$target_dir/bench-bulk-emulator.log"
echo "== seeding $leads leads" >&2
"$target_dir/$profile/marketo-emulator" --port "$port" --no-limits --leads "$leads" >"$log" 2>&1 &
emulator=$!
trap 'kill $emulator 2>/dev/null || true' EXIT
export EMU_REST="http://127.0.0.1:$port"
up=
for _ in $(seq 1 1200); do
  if curl -sf "$EMU_REST/__emulator/stats" >/dev/null 2>&1; then up=1; break; fi
  sleep 0.1
done
[ -n "$up" ] || { echo "the emulator did not start; see $log" >&2; exit 1; }
export MARKETO_CLIENT_ID=$MARKETO_EMULATOR_CLIENT_ID
export MARKETO_CLIENT_SECRET=$MARKETO_EMULATOR_CLIENT_SECRET

rust=$("$target_dir/$profile/examples/bench_bulk")

python=$("$python" - <<'PY'
import csv, io, os, resource, time, datetime
from marketorestpython.client import MarketoClient

base = os.environ["EMU_REST"]
mc = MarketoClient(base.split("//")[1], os.environ["MARKETO_CLIENT_ID"],
                   os.environ["MARKETO_CLIENT_SECRET"], None, None)
mc.host = base
fields = ["id", "email", "firstName", "lastName", "company", "title", "phone", "city",
          "state", "country", "postalCode", "industry", "leadSource", "leadStatus",
          "website", "address", "leadScore", "cookies", "createdAt", "updatedAt"]
now = datetime.datetime.now(datetime.timezone.utc)
start = (now - datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
end = (now + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
t0 = time.time()
job = mc.execute(method="create_leads_export_job", fields=fields,
                 filters={"createdAt": {"startAt": start, "endAt": end}})
export_id = job[0]["exportId"]
mc.execute(method="enqueue_leads_export_job", job_id=export_id)
while mc.execute(method="get_leads_export_job_status", job_id=export_id)[0]["status"] != "Completed":
    time.sleep(0.2)
completed = time.time()
data = mc.execute(method="get_leads_export_job_file", job_id=export_id)
rows = sum(1 for _ in csv.DictReader(io.StringIO(data.decode("utf-8"))))
end = time.time()
secs, phase = end - t0, end - completed
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"marketorestpython + csv\t{secs:.2f}\t{phase:.2f}\t{rows}\t{len(data)}\t{rows/phase:.0f}\t{len(data)/phase/1e6:.1f}\t{peak:.1f}")
PY
)

echo
echo "Bulk lead export, $leads leads x 20 fields, one emulator ($profile), $(nproc) cores"
echo
echo "Seconds: create to last row (the emulator's job processing included);"
echo "download + decode: from the job seen Completed to the last row (rows/s and MB/s are of this phase)."
echo
echo "| client | seconds | download + decode (s) | rows | bytes | rows/s | MB/s | peak MB |"
echo "|---|---|---|---|---|---|---|---|"
for line in "$rust" "$python"; do
  echo "| ${line//$'\t'/ | } |"
done
rust_phase=$(cut -f3 <<<"$rust")
python_phase=$(cut -f3 <<<"$python")
echo
echo "Download + decode: marketo-rest is $(python3 -c "print(f'{$python_phase / $rust_phase:.1f}')")x marketorestpython + csv."
