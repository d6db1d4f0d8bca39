#!/usr/bin/env bash
# SOAP decode benchmark (issue 15 item 5), side by side in one run:
# marketo-soap's generated decoders (and its yaserde reference path) and
# zeep, on the same bytes: a successGetMultipleLeads envelope of
# LEADS leads × ATTRIBUTES attributes (1,000 × 20 ≈ 2.4 MB, built by
# crates/marketo-soap/benches/support, written to a file both read).
# zeep is built from specs/marketo-soap.wsdl (Marketo's published 2_3 WSDL
# with documented additions) and decodes through the operation's binding
# (parse_xml + SoapOperation.process_reply). Also prints sign + serialize
# of a scheduleCampaign request in µs.
#
# Both wall time (median of RUNS) and CPU time (thread CPU per run, mean)
# are printed; on a shared machine the CPU figures and their ratio are the
# steadier ones.
#
# Needs python3 with venv and the PyPI registry, unless PYTHON names an
# interpreter that has zeep; builds in release mode.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

leads=${LEADS:-1000}
attributes=${ATTRIBUTES:-20}
runs=${RUNS:-30}
zeep_runs=${ZEEP_RUNS:-5}

target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
python=${PYTHON:-}
if [[ -z "$python" ]]; then
  # The same venv as scripts/independent-clients.sh.
  venv="$target_dir/independent-venv"
  if ! "$venv/bin/python" -c 'import zeep' 2>/dev/null; then
    echo "== creating $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/independent/requirements.txt
  fi
  python="$venv/bin/python"
fi

echo "== building (release)" >&2
cargo build --quiet --release -p marketo-soap --example soap_decode_bench

body="$target_dir/bench-soap-body.xml"
ours=$("$target_dir/release/examples/soap_decode_bench" \
  --leads "$leads" --attributes "$attributes" --runs "$runs" --calls 1000 --write "$body")
theirs=$("$python" scripts/bench_soap_zeep.py specs/marketo-soap.wsdl getMultipleLeads "$body" "$zeep_runs")

value() { # value NAME TEXT
  awk -v k="$1" '$1 == k { print $2 }' <<<"$2"
}
ours_ms=$(value decode_ms "$ours")
ours_cpu=$(value decode_cpu_ms "$ours")
yaserde_ms=$(value decode_yaserde_ms "$ours")
yaserde_cpu=$(value decode_yaserde_cpu_ms "$ours")
zeep_ms=$(value zeep_decode_ms "$theirs")
zeep_cpu=$(value zeep_decode_cpu_ms "$theirs")
zeep_leads=$(value zeep_leads "$theirs")
if [[ "$zeep_leads" != "$leads" ]]; then
  echo "zeep decoded $zeep_leads leads, expected $leads" >&2
  exit 1
fi
ratio() { python3 -c "print(f'{$1 / $2:.1f}')"; }

echo "getMultipleLeads response: $(value body_bytes "$ours") bytes ($leads leads × $attributes attributes); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| decoder | wall, median (ms) | CPU per run (ms) | zeep ÷ this (wall) | zeep ÷ this (CPU) |"
echo "| --- | --- | --- | --- | --- |"
echo "| marketo-soap \`decode_response\` (generated decoders, $runs runs) | $ours_ms | $ours_cpu | $(ratio "$zeep_ms" "$ours_ms")× | $(ratio "$zeep_cpu" "$ours_cpu")× |"
echo "| marketo-soap \`decode_response_with_yaserde\` (reference) | $yaserde_ms | $yaserde_cpu | $(ratio "$zeep_ms" "$yaserde_ms")× | $(ratio "$zeep_cpu" "$yaserde_cpu")× |"
echo "| zeep $(value zeep_version "$theirs") (parse_xml + process_reply, $zeep_runs runs) | $zeep_ms | $zeep_cpu | 1.0× | 1.0× |"
echo
echo "scheduleCampaign sign + serialize: $(value sign_serialize_us "$ours") µs wall, $(value sign_serialize_cpu_us "$ours") µs CPU (per call)"
