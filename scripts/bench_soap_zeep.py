"""Times zeep decoding a SOAP response, for scripts/bench-soap.sh.

Usage: bench_soap_zeep.py WSDL OPERATION BODY_FILE RUNS

Builds a zeep client from WSDL (a local file), then RUNS times parses the
bytes of BODY_FILE with zeep's own XML loader and deserialises them with the
operation's binding (`SoapOperation.process_reply`, what zeep runs on an
HTTP answer). Prints `zeep_decode_ms <median wall>`, `zeep_decode_cpu_ms
<thread CPU per run>` and `zeep_leads <count>`.
"""

import statistics
import sys
import time

import zeep
from zeep.loader import parse_xml


def main() -> int:
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    wsdl, operation_name, body_file, runs = sys.argv[1:]
    client = zeep.Client(wsdl=wsdl)
    operation = client.service._binding._operations[operation_name]
    with open(body_file, "rb") as f:
        body = f.read()

    def decode():
        envelope = parse_xml(body, client.transport, settings=client.settings)
        return operation.process_reply(envelope)

    result = decode()
    leads = result.leadRecordList.leadRecord if result.leadRecordList else []
    samples = []
    runs = max(1, int(runs))
    cpu_start = time.thread_time()
    for _ in range(runs):
        start = time.perf_counter()
        decode()
        samples.append(time.perf_counter() - start)
    cpu = (time.thread_time() - cpu_start) / runs
    print(f"zeep_version {zeep.__version__}")
    print(f"zeep_leads {len(leads)}")
    print(f"zeep_decode_ms {statistics.median(samples) * 1e3:.3f}")
    print(f"zeep_decode_cpu_ms {cpu * 1e3:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
