"""zeep built from Marketo's own published 2_3 WSDL (not ours) calls every
operation of it against the emulator's 2_3 endpoint, with a header it signs
itself, and checks the documented outcome of each."""

import datetime
import hashlib
import hmac

from zeep import Client, Settings
from zeep.exceptions import Fault

from common import ENCRYPTION_KEY, ROOT, SOAP, USER_ID, check, rest_get

NS = "http://www.marketo.com/mktows/"
# The emulator serves every version path; 2_3 answers in 2_3's shapes.
ENDPOINT = SOAP.rsplit("/", 1)[0] + "/2_3"

client = Client(
    str(ROOT / "specs" / "reference" / "marketo-mktows-2_3.wsdl"), settings=Settings(strict=True)
)
service = client.create_service(f"{{{NS}}}MktowsApiSoapBinding", ENDPOINT)
AuthenticationHeader = client.get_element(f"{{{NS}}}AuthenticationHeader")


def header(key=ENCRYPTION_KEY):
    stamp = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    signature = hmac.new(key.encode(), (stamp + USER_ID).encode(), hashlib.sha1).hexdigest()
    return AuthenticationHeader(
        mktowsUserId=USER_ID, requestSignature=signature, requestTimestamp=stamp
    )


def call(op, **params):
    return getattr(service, op)(_soapheaders=[header()], **params)


def fault_code(op, **params):
    try:
        call(op, **params)
    except Fault as fault:
        detail = fault.detail
        return "" if detail is None else "".join(detail.itertext())
    return None


def ok(op, what, predicate, **params):
    try:
        result = call(op, **params)
    except Fault as fault:
        check(False, f"{op}: {what} (fault {fault.message!r})")
        return None
    check(predicate(result), f"{op}: {what}")
    return result


def ids(n):
    return {"leadKey": [{"keyType": "IDNUM", "keyValue": str(i)} for i in n]}


lead = ok("getLead", "IDNUM 3001 returns the lead", lambda r: r.count >= 1,
          leadKey={"keyType": "IDNUM", "keyValue": "3001"})
email = lead.leadRecordList.leadRecord[0].Email
ok("getLead", f"EMAIL {email} returns the same lead", lambda r: r.count >= 1,
   leadKey={"keyType": "EMAIL", "keyValue": email})
code = fault_code("getLead", leadKey={"keyType": "IDNUM", "keyValue": "999999"})
check(code is not None and "20103" in code, "getLead: an unknown lead is fault 20103")

ok("getMultipleLeads", "a lead key selector returns leads", lambda r: r.returnCount >= 1,
   leadSelector=client.get_type(f"{{{NS}}}LeadKeySelector")(
       keyType="IDNUM", keyValues={"stringItem": ["3001", "3002"]}),
   batchSize=10)
ok("getMultipleLeads", "a last-update selector (latestUpdatedAt before oldestUpdatedAt) answers",
   lambda r: r.returnCount >= 0,
   leadSelector=client.get_type(f"{{{NS}}}LastUpdateAtSelector")(
       latestUpdatedAt=datetime.datetime.now(datetime.timezone.utc),
       oldestUpdatedAt=datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=7)),
   batchSize=10)

ok("getLeadActivity", "lead 3001's activities (records with the 2_3 id)",
   lambda r: r.returnCount >= 0,
   leadKey={"keyType": "IDNUM", "keyValue": "3001"}, startPosition={}, batchSize=10)
ok("getLeadChanges", "changes since 2000", lambda r: r.returnCount >= 0,
   startPosition={"oldestCreatedAt": datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)},
   batchSize=10)

synced = ok("syncLead", "creates a lead", lambda r: r.syncStatus.status in ("CREATED", "UPDATED"),
            leadRecord={"Email": "zeep-2_3@example.com",
                        "leadAttributeList": {"attribute": [
                            {"attrName": "FirstName", "attrValue": "Zeep"}]}},
            returnLead=False)
pair = ok("syncMultipleLeads", "creates or updates two leads",
   lambda r: len(r.syncStatus) == 2,
   leadRecordList={"leadRecord": [{"Email": "zeep-a@example.com"}, {"Email": "zeep-b@example.com"}]},
   dedupEnabled=True)

ok("listOperation", "ISMEMBEROFLIST answers per lead", lambda r: r is not None,
   listOperation="ISMEMBEROFLIST",
   listKey={"keyType": "MKTOLISTNAME", "keyValue": "Demo Static List"},
   listMemberList=ids([3001]))

campaigns = ok("getCampaignsForSource", "MKTOWS campaigns", lambda r: r.returnCount >= 1,
               source="MKTOWS")
ok("requestCampaign", "requests a campaign by id for a lead", lambda r: r is not None,
   source="MKTOWS", campaignId=campaigns.campaignRecordList.campaignRecord[0].id,
   leadList=ids([3001]))
batch = next(c for c in rest_get("/rest/asset/v1/smartCampaigns.json", maxReturn=200)["result"]
             if c.get("type") == "batch" and c.get("parentProgramId"))
program = rest_get(f"/rest/asset/v1/program/{batch['parentProgramId']}.json")["result"][0]
ok("scheduleCampaign", "schedules a batch campaign of the demo data",
   lambda r: (r if isinstance(r, bool) else r.success) is True,
   programName=program["name"], campaignName=batch["name"],
   programTokenList={"attrib": [{"name": "{{my.greeting}}", "value": "Hello from zeep 2_3"}]})
code = fault_code("scheduleCampaign", programName="No Such Program", campaignName="Nope")
check(code is not None, "scheduleCampaign: an unknown program is a fault")

ok("getChannels", "lists channels", lambda r: r is not None, tag={})
ok("getTags", "lists tags", lambda r: r is not None)

ok("importToList", "starts an import", lambda r: r is not None,
   programName="Demo Default Program", importFileHeader="Email,FirstName",
   importFileRows={"stringItem": ["zeep-import@example.com,Imp"]},
   importListMode="UPSERTLEADS", listName="Zeep Import", clearList=False, campaignName=None)
ok("getImportToListStatus", "reads the import", lambda r: r is not None,
   programName="Demo Default Program", listName="Zeep Import")

ok("syncCustomObjects", "upserts a RoadShow", lambda r: r is not None,
   objTypeName="RoadShow",
   customObjList={"customObj": [{
       "customObjKeyList": {"attribute": [{"attrName": "MKTOID", "attrValue": "3002"},
                                          {"attrName": "rid", "attrValue": "zeep1"}]},
       "customObjAttributeList": {"attribute": [{"attrName": "city", "attrValue": "Lyon"}]}}]},
   operation="UPSERT")
ok("getCustomObjects", "reads RoadShows", lambda r: r is not None,
   objTypeName="RoadShow", customObjKeyList={"attribute": [{"attrName": "MKTOID", "attrValue": "3002"}]},
   includeAttributes={"stringItem": []})
ok("deleteCustomObjects", "deletes the RoadShow", lambda r: r is not None,
   objTypeName="RoadShow",
   customObjKeyLists={"keyList": [{"attribute": [{"attrName": "MKTOID", "attrValue": "3002"},
                                                 {"attrName": "rid", "attrValue": "zeep1"}]}]})

ok("listMObjects", "lists MObject types", lambda r: r is not None)
ok("describeMObject", "describes Opportunity", lambda r: r is not None, objectName="Opportunity")
made = ok("syncMObjects", "inserts an Opportunity", lambda r: r is not None,
          mObjectList={"mObject": [{"type": "Opportunity",
                                    "attribList": {"attrib": [{"name": "Name", "value": "Zeep Opp"}]}}]},
          operation="INSERT")
ok("getMObjects", "reads Opportunities", lambda r: r is not None, type="Opportunity")
status = made.mObjStatus[0]
ok("deleteMObjects", "deletes the Opportunity", lambda r: r is not None,
   mObjectList={"mObject": [{"type": "Opportunity", "id": status.id}]})

ok("mergeLeads", "merges two leads", lambda r: r is not None,
   winningLeadKeyList={"attribute": [{"attrName": "IDNUM", "attrValue": str(pair.syncStatus[0].leadId)}]},
   losingLeadKeyLists={"keyList": [{"attribute": [
       {"attrName": "IDNUM", "attrValue": str(pair.syncStatus[1].leadId)}]}]})

try:
    service.getTags(_soapheaders=[header("not-the-key")])
    check(False, "a wrong key must fault")
except Fault as fault:
    text = "" if fault.detail is None else "".join(fault.detail.itertext())
    check("20014" in text, "a wrong key gives fault 20014")
print("zeep (Marketo's 2_3 WSDL): done")
