"""marketorestpython (PyPI) against the emulator's Lead Database API (area A):
leads, activities, static list membership, campaigns and usage; then the
request forms real clients send, checked with plain `requests`."""

import json
import time

import requests
from marketorestpython.client import MarketoClient

from common import CLIENT_ID, CLIENT_SECRET, REST, check, rest_get, token

mc = MarketoClient("emulator", CLIENT_ID, CLIENT_SECRET)
mc.host = REST  # the library builds https://<munchkin>.mktorest.com otherwise
run = mc.execute
stamp = int(time.time())

# --- leads ---------------------------------------------------------------
described = run(method="describe")
check(any(f["rest"]["name"] == "email" for f in described if "rest" in f), "describe")
check(run(method="describe2")[0]["name"] == "Lead", "describe2")
check(run(method="get_lead_by_id", id=3001)[0]["email"] == "ada@example.com", "get_lead_by_id")
found = run(method="get_multiple_leads_by_filter_type", filterType="id", filterValues="3001,3002")
check(sorted(l["id"] for l in found) == [3001, 3002], "get_multiple_leads_by_filter_type")
email = f"mrp.{stamp}@example.com"
synced = run(method="create_update_leads", leads=[{"email": email, "firstName": "Py"}])
check(synced[0]["status"] == "created", "create_update_leads")
new_id = synced[0]["id"]
programs = requests.get(
    f"{REST}/rest/asset/v1/program/1001.json",
    headers={"Authorization": f"Bearer {token()}"},
    timeout=10,
).json()["result"]
pushed = run(
    method="push_lead",
    leads=[{"email": email, "lastName": "Thon"}],
    programName=programs[0]["name"],
    source="script",
    reason="check",
)
check(pushed[0]["status"] == "updated" and pushed[0]["id"] == new_id, "push_lead")
members = run(method="get_multiple_leads_by_program_id", programId=1001)
check(any(m["id"] == new_id for m in members), "get_multiple_leads_by_program_id")
members = [l for page in run(method="get_multiple_leads_by_program_id_yield", programId=1001, batchSize=1) for l in page]
check(any(m["id"] == new_id for m in members), "get_multiple_leads_by_program_id_yield")
# Program status: Change Lead Program Status (Leads API) and the program
# member API report the same memberships. Event program 1002, Tradeshow
# channel: Not in Program, Invited, Registered, Attended.
changed = run(method="change_lead_program_status", id=1002, leadIds=[new_id, 999999], status="Registered")
check([c["status"] for c in changed] == ["created", "skipped"] and changed[1]["reasons"][0]["code"] == "1004",
      "change_lead_program_status: joins with the status; unknown lead 1004")
back = run(method="change_lead_program_status", id=1002, leadIds=[new_id], status="Invited")
check(back[0]["reasons"][0]["code"] == "1037", "change_lead_program_status: no step back (1037)")
other = run(method="change_lead_program_status", id=1002, leadIds=[new_id], status="Sent")
check(other[0]["reasons"][0]["code"] == "1025", "change_lead_program_status: status of another channel (1025)")
try:
    run(method="change_lead_program_status", id=987654, leadIds=[new_id], status="Registered")
    refused = None
except Exception as e:  # execute() re-raises the API error as Exception({'message', 'code'})
    refused = e.args[0].get("code") if e.args and isinstance(e.args[0], dict) else repr(e)
check(refused == "1013", f"change_lead_program_status: unknown program ({refused})")
member = rest_get("/rest/v1/programs/1002/members.json", filterType="leadId", filterValues=str(new_id),
                  fields="statusName")["result"]
check([m["statusName"] for m in member] == ["Registered"], "program member API sees the changed status")
of_lead = rest_get(f"/rest/v1/leads/{new_id}/programMembership.json", filterType="programId", filterValues="1002")
check([(m["id"], m["progressionStatus"]) for m in of_lead["result"]] == [(1002, "Registered")],
      "programMembership.json (filterType=programId) sees it too")
form = run(
    method="submit_form",
    formId=1029,
    input={"leadFormFields": {"email": email, "firstName": "Form"}},
)
check(form[0]["id"] == new_id, "submit_form")
check(run(method="associate_lead", id=new_id, cookie="id:123-EMU-456&token:_mch-py") is not None, "associate_lead")
partitions = run(method="get_lead_partitions")
check([p["name"] for p in partitions][:1] == ["Default"], "get_lead_partitions")
moved = run(method="update_leads_partition", input=[{"id": new_id, "partitionName": partitions[-1]["name"]}])
check(moved[0]["status"] == "updated", "update_leads_partition")
campaigns_of = run(method="get_smart_campaigns_by_lead_id", lead_id=3001)
check([c["smartCampaignId"] for c in campaigns_of] == [2001], "get_smart_campaigns_by_lead_id")

# --- static list membership ----------------------------------------------
check(run(method="add_leads_to_list", listId=4002, id=[new_id])[0]["status"] == "added", "add_leads_to_list")
check(run(method="member_of_list", listId=4002, id=[new_id])[0]["status"] == "memberof", "member_of_list (POST ?_method=GET, JSON body)")
in_list = run(method="get_multiple_leads_by_list_id", listId=4002)
check([l["id"] for l in in_list] == [new_id], "get_multiple_leads_by_list_id (POST ?_method=GET, form body)")
in_list = [l for page in run(method="get_multiple_leads_by_list_id_yield", listId=4001, batchSize=1) for l in page]
check(len(in_list) == 3, "get_multiple_leads_by_list_id_yield")
check(run(method="remove_leads_from_list", listId=4002, id=[new_id])[0]["status"] == "removed", "remove_leads_from_list")
check(run(method="member_of_list", listId=4002, id=[new_id])[0]["status"] == "notmemberof", "removed really")

# --- campaigns -------------------------------------------------------------
campaigns = run(method="get_multiple_campaigns", batchSize=2)
check(any(c["id"] == 2001 for c in campaigns), f"get_multiple_campaigns ({len(campaigns)})")
check(run(method="get_campaign_by_id", id=2001)[0]["id"] == 2001, "get_campaign_by_id")
check(run(method="schedule_campaign", id=2003) is True, "schedule_campaign")
check(run(method="request_campaign", id=2002, leads=[new_id]) is True, "request_campaign")

# --- activities ----------------------------------------------------------
types = run(method="get_activity_types")
check(any(t["id"] == 37 for t in types), "get_activity_types")
tok = run(method="get_paging_token", sinceDatetime="2020-01-01T00:00:00Z")
check(isinstance(tok, str) and tok, "get_paging_token")
acts = run(method="get_lead_activities", activityTypeIds=["12"], sinceDatetime="2020-01-01T00:00:00Z", leadIds=str(new_id))
check(any(a["leadId"] == new_id for a in acts), "get_lead_activities")
acts = [a for page in run(method="get_lead_activities_yield", activityTypeIds=["12"], sinceDatetime="2020-01-01T00:00:00Z") for a in page]
check(any(a["leadId"] == new_id for a in acts), "get_lead_activities_yield")
changes = run(method="get_lead_changes", fields=["firstName"], sinceDatetime="2020-01-01T00:00:00Z")
check(any(c["leadId"] == new_id and c["activityTypeId"] == 13 for c in changes), "get_lead_changes")
changes = [c for page in run(method="get_lead_changes_yield", fields=["firstName"], sinceDatetime="2020-01-01T00:00:00Z") for c in page]
check(any(c["leadId"] == new_id for c in changes), "get_lead_changes_yield")

api = f"pyType{stamp}"
created = run(
    method="create_custom_activity_type",
    apiName=api,
    name=f"Py Type {stamp}",
    triggerName=f"Py Triggers {stamp}",
    filterName=f"Py Filtered {stamp}",
    primaryAttributeApiName="thing",
    primaryAttributeName="Thing",
)
check(created[0]["status"] == "draft", "create_custom_activity_type")
run(method="create_custom_activity_type_attribute", apiName=api, attributes=[{"apiName": "size", "name": "Size", "dataType": "integer"}])
run(method="update_custom_activity_type_attribute", apiName=api, attributes=[{"apiName": "size", "name": "Size (cm)"}])
described = run(method="describe_custom_activity_type", apiName=api, draft=True)
check(described[0]["attributes"][0]["name"] == "Size (cm)", "create/update_custom_activity_type_attribute, describe_custom_activity_type")
approved = run(method="approve_custom_activity_type", apiName=api)
check(approved[0]["status"] == "approved", "approve_custom_activity_type")
run(method="update_custom_activity_type", apiName=api, name=f"Py Type {stamp} v2")
check(any(t["apiName"] == api and t["status"] == "approved with draft" for t in run(method="get_custom_activity_types")), "update_custom_activity_type, get_custom_activity_types")
check(run(method="discard_custom_activity_type_draft", apiName=api)[0]["status"] == "approved", "discard_custom_activity_type_draft")
added = run(
    method="add_custom_activities",
    input=[{
        "leadId": new_id,
        "activityDate": "2024-03-01T10:00:00Z",
        "activityTypeId": created[0]["id"],
        "primaryAttributeValue": "a box",
        "attributes": [{"apiName": "size", "value": 3}],
    }],
)
check(added[0]["status"] == "added", "add_custom_activities")
other = f"pyTemp{stamp}"
run(method="create_custom_activity_type", apiName=other, name=f"Temp {stamp}", triggerName=f"Temps {stamp}",
    filterName=f"Temped {stamp}", primaryAttributeApiName="x", primaryAttributeName="X")
run(method="create_custom_activity_type_attribute", apiName=other, attributes=[{"apiName": "y", "name": "Y", "dataType": "string"}])
run(method="delete_custom_activity_type_attribute", apiName=other, attributes=[{"apiName": "y"}])
check(run(method="delete_custom_activity_type", apiName=other)[0]["apiName"] == other, "delete_custom_activity_type(_attribute)")

# --- merge, delete, deleted leads ------------------------------------------
twin = run(method="create_update_leads", leads=[{"email": f"twin.{stamp}@example.com"}])[0]["id"]
check(run(method="merge_lead", id=new_id, leadIds=[twin]) is True, "merge_lead")
deleted = run(method="delete_lead", id=[new_id])
check(deleted[0]["status"] == "deleted", "delete_lead (DELETE with a JSON body)")
gone = run(method="get_deleted_leads", sinceDatetime="2020-01-01T00:00:00Z")
check(any(a["leadId"] == new_id for a in gone), "get_deleted_leads")

# --- usage -------------------------------------------------------------------
check(run(method="get_daily_usage")[0]["total"] > 0, "get_daily_usage")
check(len(run(method="get_last_7_days_usage")) == 7, "get_last_7_days_usage")
check(len(run(method="get_daily_errors")) == 1, "get_daily_errors")
check(len(run(method="get_last_7_days_errors")) == 7, "get_last_7_days_errors")

# --- request forms, client-independent -------------------------------------
H = {"Authorization": f"Bearer {token()}"}


def post(path, **kw):
    return requests.post(f"{REST}{path}", headers=H, timeout=10, **kw).json()


r = post("/rest/v1/leads.json", data={"_method": "GET", "filterType": "id", "filterValues": "3002"})
check(r["result"][0]["id"] == 3002, "_method=GET as a form field")
r = post("/rest/v1/leads.json", params={"_method": "GET"}, data={"filterType": "id", "filterValues": "3002"})
check(r["result"][0]["id"] == 3002, "_method=GET in the query, form body")
r = post("/rest/v1/lists/4001/leads/ismember.json", params={"_method": "GET"}, json={"input": [{"id": 3002}]})
check(r["result"][0]["status"] == "memberof", "_method=GET in the query, JSON body")
r = post("/rest/v1/lists/4002/leads.json", json={"input": [{"id": "3004"}]})
check(r["result"][0] == {"id": 3004, "status": "added"}, "ids as JSON strings")
r = post("/rest/v1/lists/4002/leads.json", params={"_method": "DELETE"}, json={"input": [{"id": 3004}]})
check(r["result"][0]["status"] == "removed", "_method=DELETE in the query with a JSON body removes")
r = post("/rest/v1/lists/4002/leads.json", json={"input": [{"id": 3004}]})
r = post("/rest/v1/lists/4002/leads.json", data={"_method": "DELETE", "id": "3004"})
check(r["result"][0]["status"] == "removed", "_method=DELETE as a form field")
ids = []
offset = 0
while True:
    page = requests.get(f"{REST}/rest/asset/v1/programs.json", headers=H, timeout=10,
                        params={"maxReturn": 3, "offset": offset}).json()
    if not page.get("result"):
        break
    ids += [p["id"] for p in page["result"]]
    offset += 3
check(len(ids) == len(set(ids)) and ids, f"offset paging: {len(ids)} programs, none twice")
print(json.dumps({"area": "lead database", "lead": new_id}))
