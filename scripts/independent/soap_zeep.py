"""zeep loads specs/marketo-soap.wsdl and calls the emulator with a header it signs itself."""

import datetime
import hashlib
import hmac

from zeep import Client, Settings
from zeep.exceptions import Fault

from common import ENCRYPTION_KEY, ROOT, SOAP, USER_ID, check, rest_get

NS = "http://www.marketo.com/mktows/"

client = Client(str(ROOT / "specs" / "marketo-soap.wsdl"), settings=Settings(strict=True))
service = client.create_service(f"{{{NS}}}MktowsApiSoapBinding", SOAP)
AuthenticationHeader = client.get_element(f"{{{NS}}}AuthenticationHeader")


def header(key):
    stamp = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    signature = hmac.new(key.encode(), (stamp + USER_ID).encode(), hashlib.sha1).hexdigest()
    return AuthenticationHeader(
        mktowsUserId=USER_ID, requestSignature=signature, requestTimestamp=stamp
    )


# A batch campaign of the demo data and its program, found through REST.
campaigns = rest_get("/rest/asset/v1/smartCampaigns.json", maxReturn=200)["result"]
batch = next(c for c in campaigns if c.get("type") == "batch" and c.get("parentProgramId"))
program = rest_get(f"/rest/asset/v1/program/{batch['parentProgramId']}.json")["result"][0]
print(f"scheduleCampaign: program {program['name']!r}, campaign {batch['name']!r}")

result = service.scheduleCampaign(
    programName=program["name"],
    campaignName=batch["name"],
    programTokenList={"attrib": [{"name": "{{my.greeting}}", "value": "Hello from zeep"}]},
    _soapheaders=[header(ENCRYPTION_KEY)],
)
# zeep unwraps a single-member result to its value.
success = result if isinstance(result, bool) else result.success
check(success is True, "scheduleCampaign with a correctly signed header succeeds")

leads = rest_get("/rest/v1/leads.json", filterType="id", filterValues="3001,3002,3003,3004,3005")["result"]
email = next(lead["email"] for lead in leads if lead.get("email"))
result = service.getLead(
    leadKey={"keyType": "EMAIL", "keyValue": email},
    _soapheaders=[header(ENCRYPTION_KEY)],
)
check(result.count >= 1, f"getLead by EMAIL {email} returns the lead")
records = result.leadRecordList.leadRecord
check(records[0].Email == email, "getLead returns the same email")

try:
    service.getLead(
        leadKey={"keyType": "EMAIL", "keyValue": email},
        _soapheaders=[header("not-the-key")],
    )
    check(False, "a wrong key must fault")
except Fault as fault:
    detail = fault.detail
    text = "" if detail is None else "".join(detail.itertext())
    check("20014" in text, f"a wrong key gives fault 20014 ({fault.message!r})")
