"""marketorestpython (PyPI), pointed at the emulator, manages landing page
templates, forms with their fields, landing pages with their content
sections, dynamic content, variables and preview, and reads redirect rules
and domains: every method of the library for those groups."""

import os
import tempfile
import time

from marketorestpython.client import MarketoClient

from common import CLIENT_ID, CLIENT_SECRET, REST, check

mc = MarketoClient("emulator", CLIENT_ID, CLIENT_SECRET)
mc.host = REST  # the library builds https://<munchkin>.mktorest.com otherwise

FOLDER = 21  # the demo "Landing Pages" folder of Design Studio
SEGMENTATION = 11051  # the demo segmentation for dynamic content
GUIDED_PAGE = 8501  # the demo guided page (variables)
stamp = int(time.time())


def run(method, **kw):
    return mc.execute(method=method, **kw)


def pages(method, **kw):
    """Every item of a generator method (`*_yield`, redirect rules, domains)."""
    out = []
    for page in run(method, **kw):
        out.extend(page)
    return out


# ---- landing page templates
tpl_name = f"mrp template {stamp}"
tpl = run("create_landing_page_template", name=tpl_name, folderId=FOLDER, folderType="Folder",
          description="made by marketorestpython", templateType="freeForm")
tpl_id = tpl[0]["id"]
check(tpl[0]["name"] == tpl_name, "create_landing_page_template")
html = "<html><head></head><body><div id=\"mktoContent\"></div></body></html>"
with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as f:
    f.write(html)
    content_file = f.name
run("update_landing_page_template_content", id=tpl_id, content=content_file)
os.unlink(content_file)
got = run("get_landing_page_template_content", id=tpl_id)
check(got[0]["content"] == html, "update_landing_page_template_content (multipart)")
check(got[0]["id"] == tpl_id, "get_landing_page_template_content")
check(run("get_landing_page_template_by_id", id=tpl_id)[0]["name"] == tpl_name,
      "get_landing_page_template_by_id")
check(run("get_landing_page_template_by_name", name=tpl_name)[0]["id"] == tpl_id,
      "get_landing_page_template_by_name")
listed = run("get_landing_page_templates", maxReturn=200)
check(any(t["id"] == tpl_id for t in listed), "get_landing_page_templates")
listed = pages("get_landing_page_templates_yield", maxReturn=2)
check(any(t["id"] == tpl_id for t in listed), "get_landing_page_templates_yield")
run("approve_landing_page_template", id=tpl_id)
check(run("get_landing_page_template_by_id", id=tpl_id)[0]["status"] == "approved",
      "approve_landing_page_template")
upd = run("update_landing_page_template", id=tpl_id, description="changed")
check(upd[0]["description"] == "changed", "update_landing_page_template")
run("discard_landing_page_template_draft", id=tpl_id)
check(run("get_landing_page_template_by_id", id=tpl_id, status="approved")[0]["id"] == tpl_id,
      "discard_landing_page_template_draft")
tpl_copy = run("clone_landing_page_template", id=tpl_id, name=tpl_name + " copy",
               folderId=FOLDER, folderType="Folder")
check(tpl_copy[0]["name"] == tpl_name + " copy", "clone_landing_page_template")

# ---- forms
form_name = f"mrp form {stamp}"
form = run("create_form", name=form_name, folderId=FOLDER, folderType="Folder",
           description="made by marketorestpython", language="English")
form_id = form[0]["id"]
check(form[0]["name"] == form_name, "create_form")
check(run("get_form_by_id", id=form_id)[0]["name"] == form_name, "get_form_by_id")
check(run("get_form_by_name", name=form_name)[0]["id"] == form_id, "get_form_by_name")
check(run("update_form", id=form_id, description="changed")[0]["description"] == "changed",
      "update_form")
check(any(f["id"] == form_id for f in run("get_forms", maxReturn=200)), "get_forms")
check(any(f["id"] == form_id for f in pages("get_forms_yield", maxReturn=2)), "get_forms_yield")
added = run("create_form_field", id=form_id, fieldId="Phone", label="Phone:", required=True)
check(added[0]["id"] == "Phone", "create_form_field")
changed = run("update_form_field", id=form_id, fieldId="Phone", label="Your phone")
check(changed[0]["label"] == "Your phone", "update_form_field")
fields = [f["id"] for f in run("get_form_fields", id=form_id)]
check(fields == ["FirstName", "LastName", "Email", "Phone"], f"get_form_fields {fields}")
run("delete_form_field", id=form_id, fieldId="Phone")
check("Phone" not in [f["id"] for f in run("get_form_fields", id=form_id)], "delete_form_field")
thanks = run("get_thank_you_page_by_form_id", id=form_id)
check(thanks[0]["thankYouList"][0]["default"] is True, "get_thank_you_page_by_form_id")
run("approve_form", id=form_id)
check(run("get_form_by_id", id=form_id)[0]["status"] == "approved", "approve_form")
run("update_form", id=form_id, description="draft change")
run("discard_form_draft", id=form_id)
drafts = run("get_forms", maxReturn=200, status="draft") or []
check(all(f["id"] != form_id for f in drafts), "discard_form_draft")
form_copy = run("clone_form", id=form_id, name=form_name + " copy", folderId=FOLDER,
                folderType="Folder")
check(form_copy[0]["name"] == form_name + " copy", "clone_form")

# ---- landing pages
lp_name = f"mrp page {stamp}"
lp = run("create_landing_page", name=lp_name, folderId=FOLDER, folderType="Folder",
         template=tpl_id, title="Hello", prefillForm=True)
lp_id = lp[0]["id"]
check(lp[0]["name"] == lp_name and lp[0]["formPrefill"] is True, "create_landing_page")
check(run("get_landing_page_by_id", id=lp_id)[0]["title"] == "Hello", "get_landing_page_by_id")
check(run("get_landing_page_by_name", name=lp_name)[0]["id"] == lp_id, "get_landing_page_by_name")
check(run("update_landing_page", id=lp_id, keywords="k")[0]["keywords"] == "k",
      "update_landing_page")
check(any(p["id"] == lp_id for p in run("get_landing_pages", maxReturn=200)), "get_landing_pages")
check(any(p["id"] == lp_id for p in pages("get_landing_pages_yield", maxReturn=2)),
      "get_landing_pages_yield")
html_section = run("create_landing_page_content_section", id=lp_id, type="HTML",
                   value="<p>Hello</p>", zIndex=2, left="10px")[0]["id"]
form_section = run("create_landing_page_content_section", id=lp_id, type="Form",
                   value=str(form_id))[0]["id"]
sections = run("get_landing_page_content", id=lp_id)
check(len(sections) == 2, "create_landing_page_content_section / get_landing_page_content")
run("update_landing_page_content_section", id=lp_id, contentId=html_section, type="HTML",
    value="<p>Changed</p>")
sections = run("get_landing_page_content", id=lp_id)
check(sections[0]["content"] == "<p>Changed</p>", "update_landing_page_content_section")
run("update_landing_page_content_section", id=lp_id, contentId=html_section,
    type="DynamicContent", value=SEGMENTATION)
dc = run("get_landing_page_content", id=lp_id)[0]["content"]["content"]
dyn = run("get_landing_page_dynamic_content", id=lp_id, dynamicContentId=dc)
check([s["segmentName"] for s in dyn[0]["segments"]] == ["Default", "Customers", "Prospects"],
      "get_landing_page_dynamic_content")
run("update_landing_page_dynamic_content", id=lp_id, dynamicContentId=dc, segment="Customers",
    value="<p>Hi customer</p>", type="HTML")
dyn = run("get_landing_page_dynamic_content", id=lp_id, dynamicContentId=dc)
check(dyn[0]["segments"][1]["content"] == "<p>Hi customer</p>", "update_landing_page_dynamic_content")
preview = run("get_landing_page_full_content", id=lp_id,
              segmentation='[{"segmentationId":11051,"segmentId":1101}]')
check("Hi customer" in preview[0]["content"], "get_landing_page_full_content")
variables = run("get_landing_page_variables", id=GUIDED_PAGE)
check([v["id"] for v in variables] == ["stringVar", "colorVar", "boolVar"],
      "get_landing_page_variables")
run("approve_landing_page", id=lp_id)
check(run("get_landing_page_by_id", id=lp_id)[0]["status"] == "approved", "approve_landing_page")
run("update_landing_page", id=lp_id, title="draft title")
run("discard_landing_page_draft", id=lp_id)
drafts = run("get_landing_pages", maxReturn=200, status="draft") or []
check(all(p["id"] != lp_id for p in drafts), "discard_landing_page_draft")
lp_copy = run("clone_landing_page", id=lp_id, name=lp_name + " copy", folderId=FOLDER,
              folderType="Folder", template=tpl_id)
check(lp_copy[0]["template"] == tpl_id, "clone_landing_page")
run("unapprove_landing_page", id=lp_id)
check(run("get_landing_page_by_id", id=lp_id)[0]["status"] == "draft", "unapprove_landing_page")
run("delete_landing_page_content_section", id=lp_id, contentId=form_section)
check(len(run("get_landing_page_content", id=lp_id)) == 1, "delete_landing_page_content_section")

# ---- redirect rules and domains (read side)
rules = pages("get_landing_page_redirect_rules", maxReturn=20)
check(any(r["redirectFrom"]["type"] == "path" for r in rules), "get_landing_page_redirect_rules")
domains = pages("get_landing_page_domains", maxReturn=20)
check(any(d["type"] == "domain" for d in domains), "get_landing_page_domains")

# ---- clean up: pages, then what they used
for pid in (lp_copy[0]["id"], lp_id):
    check(run("delete_landing_page", id=pid)[0]["id"] == pid, f"delete_landing_page {pid}")
run("unapprove_form", id=form_id)
check(run("get_form_by_id", id=form_id)[0]["status"] == "draft", "unapprove_form")
for fid in (form_copy[0]["id"], form_id):
    check(run("delete_form", id=fid)[0]["id"] == fid, f"delete_form {fid}")
run("unapprove_landing_page_template", id=tpl_id)
check(run("get_landing_page_template_by_id", id=tpl_id)[0]["status"] == "draft",
      "unapprove_landing_page_template")
for tid in (tpl_copy[0]["id"], tpl_id):
    check(run("delete_landing_page_template", id=tid)[0]["id"] == tid,
          f"delete_landing_page_template {tid}")
