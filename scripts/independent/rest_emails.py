"""marketorestpython (PyPI), pointed at the emulator, drives every method it
has for emails and email templates (Asset API v1). Demo data: template 7501
(approved), email 7001 (approved), 7002 (draft), folder 20 ("Emails")."""

import json
import os
import tempfile
import time

from marketorestpython.client import MarketoClient

from common import CLIENT_ID, CLIENT_SECRET, REST, check

mc = MarketoClient("emulator", CLIENT_ID, CLIENT_SECRET)
mc.host = REST  # the library builds https://<munchkin>.mktorest.com otherwise


def call(method, **kw):
    return mc.execute(method=method, **kw)


def fails(method, **kw):
    """The call is refused (the library raises on `success: false`)."""
    try:
        call(method, **kw)
    except Exception:  # noqa: BLE001 - the library raises plain Exceptions
        return True
    return False


stamp = int(time.time())

# ----- email templates -----
tpl = call("get_email_template_by_id", id=7501)
check(tpl[0]["name"] == "Demo Newsletter Template", "get_email_template_by_id")
by_name = call("get_email_template_by_name", name="Demo Newsletter Template")
check(by_name[0]["id"] == 7501, "get_email_template_by_name")
templates = call("get_email_templates", status="approved")
check(any(t["id"] == 7501 for t in templates), f"get_email_templates ({len(templates)})")
pages = [p for page in mc.execute(method="get_email_templates_yield", maxReturn=1) for p in page]
check(len(pages) >= 2, "get_email_templates_yield")
html = call("get_email_template_content", id=7501)
check("mktoModule" in html[0]["content"], "get_email_template_content")
used = call("get_email_template_used_by", id=7501)
check(any(u["id"] == 7001 for u in used), "get_email_template_used_by")
copy = call("clone_email_template", id=7501, name=f"py template {stamp}", folderId=20, folderType="Folder")
tid = copy[0]["id"]
check(copy[0]["status"] == "draft", "clone_email_template")
upd = call("update_email_template", id=tid, description="set by marketorestpython")
check(upd[0]["description"] == "set by marketorestpython", "update_email_template")
check(call("approve_email_template", id=tid)[0]["status"] == "approved", "approve_email_template")
check(fails("discard_email_template_draft", id=tid), "discard_email_template_draft refused without a draft")
check(call("unapprove_email_template", id=tid)[0]["status"] == "draft", "unapprove_email_template")
check(call("delete_email_template", id=tid)[0]["id"] == tid, "delete_email_template")

# ----- emails -----
created = call(
    "create_email",
    name=f"py email {stamp}",
    folderId=20,
    folderType="Folder",
    template=7501,
    subject="Hello",
    fromName="Py",
    fromEmail="py@example.com",
    replyEmail="py@example.com",
)
eid = created[0]["id"]
check(created[0]["template"] == 7501, "create_email")
check(call("get_email_by_id", id=eid)[0]["name"] == f"py email {stamp}", "get_email_by_id")
check(
    call("get_email_by_name", name=f"py email {stamp}", folderId=20, folderType="Folder")[0]["id"] == eid,
    "get_email_by_name",
)
emails = call("get_emails", folderId=20, folderType="Folder")
check(any(e["id"] == eid for e in emails), f"get_emails ({len(emails)})")
pages = [e for page in mc.execute(method="get_emails_yield", maxReturn=1) for e in page]
check(any(e["id"] == eid for e in pages), "get_emails_yield")
upd = call("update_email", id=eid, description="py description", preHeader="pre")
check(upd[0]["description"] == "py description", "update_email")
content = call("get_email_content", id=eid)
check(any(s["htmlId"] == "headline" for s in content), "get_email_content")
check(call("update_email_content", id=eid, type="Text", subject="New subject")[0]["id"] == eid, "update_email_content")
check(call("get_email_by_id", id=eid)[0]["subject"]["value"] == "New subject", "subject stored")
res = call("update_email_content_in_editable_section", id=eid, htmlId="headline", type="Text", value="<b>Py</b>")
check(res[0]["id"] == eid, "update_email_content_in_editable_section")
variables = call("get_email_variables", id=eid)
check(any(v["name"] == "ctaLinkText" for v in variables), "get_email_variables")
var = call("update_email_variable", id=eid, name="ctaLinkText", value="Go", moduleId="body")
check(var[0]["value"] == "Go" and var[0]["moduleId"] == "body", "update_email_variable")
check(fails("get_email_dynamic_content", id=eid, dynamicContentId="missing", status=None), "get_email_dynamic_content (702 for an unknown section)")
check(
    fails("update_email_dynamic_content", id=eid, dynamicContentId="missing", segment="Default", value="x", type="HTML"),
    "update_email_dynamic_content (702 for an unknown section)",
)
preview = call("get_email_full_content", id=eid, type="Text")
check("Py" in preview[0]["content"], "get_email_full_content")
check(call("send_sample_email", id=eid, emailAddress="abe@example.com", textOnly=True)[0]["id"] == eid, "send_sample_email")
check(call("approve_email", id=eid)[0]["id"] == eid, "approve_email")
call("update_email_content_in_editable_section", id=eid, htmlId="bodyText", type="Text", value="draft edit")
check(call("discard_email_draft", id=eid)[0]["id"] == eid, "discard_email_draft")
clone = call("clone_email", id=eid, name=f"py clone {stamp}", folderId=1005, folderType="Program")
check(clone[0]["status"] == "draft", "clone_email")
check(fails("delete_email", id=eid), "delete_email refused while approved")
check(call("unapprove_email", id=eid)[0]["id"] == eid, "unapprove_email")
for i in (clone[0]["id"], eid):
    check(call("delete_email", id=i)[0]["id"] == i, f"delete_email {i}")

# ----- multipart uploads -----
with tempfile.TemporaryDirectory() as tmp:
    page = os.path.join(tmp, "template.html")
    with open(page, "w") as f:
        f.write('<html><body><div class="mktEditable" id="main">Hi</div></body></html>')
    made = call("create_email_template", name=f"py upload {stamp}", folderId=20, folderType="Folder",
                content=page, description="uploaded")
    check(made[0]["name"] == f"py upload {stamp}", "create_email_template")
    with open(page, "w") as f:
        f.write('<html><body><div class="mktEditable" id="main2">Bye</div></body></html>')
    upd = call("update_email_template_content", id=made[0]["id"], content=page)
    check("main2" in upd[0]["content"], "update_email_template_content")
    check(call("delete_email_template", id=made[0]["id"])[0]["id"] == made[0]["id"], "delete uploaded template")
    # Emails linked to their template cannot have their HTML replaced (709).
    check(fails("update_email_full_content", id=7002, content=page), "update_email_full_content refused for a linked email")
    # Demo email 7004 is no longer linked to its template: its whole HTML is replaced.
    full = call("update_email_full_content", id=7004, content=page)
    check(full[0]["id"] == 7004, "update_email_full_content")
    preview = call("get_email_full_content", id=7004, status="draft")
    check("main2" in json.dumps(preview), "get_email_full_content after update_email_full_content")
