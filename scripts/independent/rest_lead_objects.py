"""marketorestpython (PyPI), pointed at the emulator, drives every method it
has for program members, custom objects (+ type admin), companies,
opportunities and roles, named accounts and their lists, and sales persons.

Several named account methods of the library are empty stubs (`pass`):
`sync_named_accounts`, `delete_named_accounts`, `add_named_account_list_members`,
`remove_named_account_list_members`, `sync_named_account_lists`,
`delete_named_account_lists`. They are called (they return None without a
request), and the same operations are then driven with plain requests.
"""

import time

import requests
from marketorestpython.client import MarketoClient

from common import CLIENT_ID, CLIENT_SECRET, REST, check, token

mc = MarketoClient("emulator", CLIENT_ID, CLIENT_SECRET)
mc.host = REST  # the library builds https://<munchkin>.mktorest.com otherwise
run = mc.execute
tag = str(int(time.time()))


def post(path, body):
    r = requests.post(f"{REST}{path}", json=body, headers={"Authorization": f"Bearer {token()}"}, timeout=10)
    r.raise_for_status()
    j = r.json()
    check(j.get("success") is True, f"POST {path} succeeds")
    return j["result"]


# --- companies
d = run(method="describe_company")
check(d[0]["dedupeFields"] == ["externalCompanyId"], "describe_company")
r = run(method="create_update_companies", input=[{"externalCompanyId": f"py-{tag}", "company": "Py Co"}])
check(r[0]["status"] == "created", "create_update_companies")
got = run(method="get_companies", filterType="externalCompanyId", filterValues=[f"py-{tag}", "ext-acme"], fields=["company"])
check(sorted(c["company"] for c in got) == ["Acme Corp", "Py Co"], "get_companies (POST _method=GET, form body)")
r = run(method="delete_companies", input=[{"externalCompanyId": f"py-{tag}"}])
check(r[0]["status"] == "deleted", "delete_companies")

# --- sales persons
d = run(method="describe_sales_person")
check(d[0]["idField"] == "id", "describe_sales_person")
r = run(method="create_update_sales_persons", input=[{"externalSalesPersonId": f"py{tag}@example.com", "email": f"py{tag}@example.com"}])
check(r[0]["status"] == "created", "create_update_sales_persons")
got = run(method="get_sales_persons", filterType="email", filterValues=[f"py{tag}@example.com"])
check(len(got) == 1 and got[0]["id"] == r[0]["id"], "get_sales_persons")
r = run(method="delete_sales_persons", input=[{"id": r[0]["id"]}], deleteBy="idField")
check(r[0]["status"] == "deleted", "delete_sales_persons (idField)")

# --- opportunities and roles
d = run(method="describe_opportunity")
check(d[0]["idField"] == "marketoGUID", "describe_opportunity")
r = run(method="create_update_opportunities", input=[{"externalOpportunityId": f"py-opp-{tag}", "name": "Py deal"}])
check(r[0]["status"] == "created", "create_update_opportunities")
got = run(method="get_opportunities", filterType="externalOpportunityId", filterValues=[f"py-opp-{tag}"], fields=["name"])
check(got[0]["name"] == "Py deal", "get_opportunities")
d = run(method="describe_opportunity_role")
check(d[0]["dedupeFields"] == ["externalOpportunityId", "leadId", "role"], "describe_opportunity_role")
r = run(method="create_update_opportunities_roles", input=[{"externalOpportunityId": f"py-opp-{tag}", "leadId": 3004, "role": "Champion"}])
check(r[0]["status"] == "created", "create_update_opportunities_roles")
got = run(method="get_opportunity_roles", filterType="externalOpportunityId", filterValues=[f"py-opp-{tag}"])
check(len(got) == 1 and got[0]["leadId"] == 3004, "get_opportunity_roles")
r = run(method="delete_opportunity_roles", input=[{"externalOpportunityId": f"py-opp-{tag}", "leadId": 3004, "role": "Champion"}])
check(r[0]["status"] == "deleted", "delete_opportunity_roles")
r = run(method="delete_opportunities", input=[{"externalOpportunityId": f"py-opp-{tag}"}])
check(r[0]["status"] == "deleted", "delete_opportunities")

# --- named accounts and lists
d = run(method="describe_named_accounts")
check(d[0]["idField"] == "marketoGUID", "describe_named_accounts")
got = [a for page in run(method="get_named_accounts", filterType="name", filterValues=["Acme Corp", "Globex"]) for a in page]
check(len(got) == 2, "get_named_accounts")
acme = next(a["marketoGUID"] for a in got if a["name"] == "Acme Corp")
lists = [x for page in run(method="get_named_account_lists", filterType="dedupeFields", filterValues=["Key Accounts"]) for x in page]
check(len(lists) == 1, "get_named_account_lists")
members = [m for page in run(method="get_named_account_list_members", id=lists[0]["marketoGUID"]) for m in page]
check([m["marketoGUID"] for m in members] == [acme], "get_named_account_list_members (POST _method=GET, empty body)")
for stub in ("sync_named_accounts", "delete_named_accounts", "add_named_account_list_members",
             "remove_named_account_list_members", "sync_named_account_lists", "delete_named_account_lists"):
    check(run(method=stub) is None, f"{stub} (a stub in marketorestpython)")
acct = post("/rest/v1/namedaccounts.json", {"input": [{"name": f"Py Account {tag}"}]})[0]["marketoGUID"]
lst = post("/rest/v1/namedAccountLists.json", {"input": [{"name": f"Py List {tag}"}]})[0]["marketoGUID"]
check(post(f"/rest/v1/namedAccountList/{lst}/namedAccounts.json", {"input": [{"marketoGUID": acct}]})[0]["status"] == "added", "add members (requests)")
check(post(f"/rest/v1/namedAccountList/{lst}/namedAccounts/remove.json", {"input": [{"marketoGUID": acct}]})[0]["status"] == "removed", "remove members (requests)")
check(post("/rest/v1/namedAccountLists/delete.json", {"input": [{"name": f"Py List {tag}"}]})[0]["status"] == "deleted", "delete lists (requests)")
check(post("/rest/v1/namedaccounts/delete.json", {"input": [{"name": f"Py Account {tag}"}]})[0]["status"] == "deleted", "delete accounts (requests)")

# --- program members
d = run(method="describe_program_member")
check(d[0]["dedupeFields"] == ["leadId", "programId"], "describe_program_member")
r = run(method="sync_program_member_data", id=1003, input=[{"leadId": 3001, "registrationCode": f"py-{tag}"}])
check(r[0]["status"] == "updated", "sync_program_member_data")

# --- custom object types and records
api = f"py_{tag}"
run(method="create_update_custom_object_type", apiName=api, displayName=f"Py {tag}", action="createOnly", description="from python")
check(run(method="describe_custom_object_type", apiName=api)[0]["state"] == "draft", "create_update_custom_object_type + describe_custom_object_type")
run(method="add_field_custom_object_type", apiName=api, fields=[
    {"name": "code", "displayName": "Code", "dataType": "string", "isDedupeField": True},
    {"name": "owner", "displayName": "Owner", "dataType": "link", "relatedTo": {"name": "lead", "field": "id"}},
])
run(method="approve_custom_object_type", apiName=api)
types = run(method="get_list_of_custom_object_types")
check(any(t["apiName"] == api and t["state"] == "approved" for t in types), "add_field_custom_object_type + approve_custom_object_type + get_list_of_custom_object_types")
run(method="add_field_custom_object_type", apiName=api, fields=[{"name": "note", "displayName": "Note", "dataType": "string"}])
run(method="discard_custom_object_type", apiName=api)
check(run(method="describe_custom_object_type", apiName=api)[0]["state"] == "approved", "discard_custom_object_type")
check(any(o["name"] == api for o in run(method="get_list_of_custom_objects", names=api)), "get_list_of_custom_objects")
check(run(method="describe_custom_object", name=api)[0]["dedupeFields"] == ["code"], "describe_custom_object")
r = run(method="create_update_custom_objects", name=api, input=[{"code": "A1", "owner": 3002}, {"code": "A2", "owner": 999999}])
check(r[0]["status"] == "created" and r[1]["reasons"][0]["code"] == "1004", "create_update_custom_objects")
got = run(method="get_custom_objects", name=api, input=[{"code": "A1"}], filterType="dedupeFields", fields=["code", "owner"])
check(len(got) == 1 and got[0]["owner"] == 3002, "get_custom_objects (POST _method=GET, JSON body)")
r = run(method="delete_custom_objects", name=api, input=[{"code": "A1"}])
check(r[0]["status"] == "deleted", "delete_custom_objects")
run(method="delete_custom_object_type", apiName=api)
check(not any(t["apiName"] == api for t in run(method="get_list_of_custom_object_types")), "delete_custom_object_type")
