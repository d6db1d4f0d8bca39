"""marketorestpython (PyPI), pointed at the emulator, drives every Bulk API method it has."""

import csv
import datetime
import io
import os
import tempfile
import time

from marketorestpython.client import MarketoClient

from common import CLIENT_ID, CLIENT_SECRET, REST, check

mc = MarketoClient("emulator", CLIENT_ID, CLIENT_SECRET)
mc.host = REST  # the library builds https://<munchkin>.mktorest.com otherwise

# ----- import: a CSV file with one good row, one failing row and one warning -----
stamp = int(time.time())
with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    f.write("email,firstName,lastName\n")
    f.write(f"bulk-py-{stamp}@example.com,Py,Bulk\n")
    f.write(",No,Email\n")
    f.write("not-an-email,Bad,Mail\n")
    path = f.name
job = mc.execute(method="import_lead", format="csv", file=path)
os.unlink(path)
batch = job[0]["batchId"]
check(job[0]["status"] in ("Queued", "Importing", "Complete"), f"import_lead (batch {batch})")
for _ in range(50):
    status = mc.execute(method="get_import_lead_status", id=batch)[0]
    if status["status"] in ("Complete", "Failed"):
        break
    time.sleep(0.1)
check(status["status"] == "Complete" and status["numOfRowsFailed"] == 1, "get_import_lead_status")
failures = list(csv.DictReader(io.StringIO(mc.execute(method="get_import_failure_file", id=batch))))
check(len(failures) == 1 and failures[0]["firstName"] == "No", "get_import_failure_file")
warnings = list(csv.DictReader(io.StringIO(mc.execute(method="get_import_warning_file", id=batch))))
check(len(warnings) == 1 and warnings[0]["firstName"] == "Bad", "get_import_warning_file")

# ----- exports: create, enqueue, status, file, cancel, list, for each entity -----
now = datetime.datetime.now(datetime.timezone.utc)
window = {
    "startAt": (now - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "endAt": (now + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
}
entities = [
    ("leads", {}, ["id", "email", "firstName"], {"createdAt": window}),
    ("activities", {}, None, {"createdAt": window}),
    ("program_members", {}, ["leadId", "statusName"], {"programId": 1001}),
    ("custom_objects", {"object_name": "car"}, ["vin", "make", "leadId"], {"staticListId": 4001}),
]
for entity, extra, fields, filters in entities:
    created = mc.execute(method=f"create_{entity}_export_job", fields=fields, filters=filters, **extra)
    export_id = created[0]["exportId"]
    check(created[0]["status"] == "Created", f"create_{entity}_export_job")
    queued = mc.execute(method=f"enqueue_{entity}_export_job", job_id=export_id, **extra)
    check(queued[0]["status"] == "Queued", f"enqueue_{entity}_export_job")
    for _ in range(50):
        status = mc.execute(method=f"get_{entity}_export_job_status", job_id=export_id, **extra)[0]
        if status["status"] == "Completed":
            break
        time.sleep(0.1)
    check(status["status"] == "Completed", f"get_{entity}_export_job_status ({status.get('numberOfRecords')} records)")
    data = mc.execute(method=f"get_{entity}_export_job_file", job_id=export_id, **extra)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    check(len(data) == status["fileSize"] and len(rows) == status["numberOfRecords"] + 1,
          f"get_{entity}_export_job_file ({len(data)} bytes)")
    if entity == "leads":
        check(any(r[1] == f"bulk-py-{stamp}@example.com" for r in rows[1:]), "the imported lead is exported")
    if entity in ("program_members", "custom_objects"):
        check(status["numberOfRecords"] > 0, f"{entity}: the demo records are exported")
    other = mc.execute(method=f"create_{entity}_export_job", fields=fields, filters=filters, **extra)
    cancelled = mc.execute(method=f"cancel_{entity}_export_job", job_id=other[0]["exportId"], **extra)
    check(cancelled[0]["status"] == "Cancelled", f"cancel_{entity}_export_job")
    listing = (mc.execute(method=f"get_{entity}_export_jobs_list", **extra) if extra
               else mc.execute(method=f"get_{entity}_export_jobs_list"))
    check(any(j["exportId"] == export_id for j in listing), f"get_{entity}_export_jobs_list")
