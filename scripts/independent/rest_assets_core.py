"""marketorestpython (PyPI), pointed at the emulator, drives the asset groups of area C:
folders, tokens, smart campaigns, smart lists, static lists (asset side),
segmentations, snippets and files (read side), program approval and smart lists."""

import time

from marketorestpython.client import MarketoClient

from common import CLIENT_ID, CLIENT_SECRET, REST, check

mc = MarketoClient("emulator", CLIENT_ID, CLIENT_SECRET)
mc.host = REST  # the library builds https://<munchkin>.mktorest.com otherwise
run = mc.execute
stamp = int(time.time())

# ---- folders
folder = run(method="create_folder", name=f"mrp folder {stamp}", parentId=10, parentType="Folder",
             description="made by marketorestpython")
folder_id = folder[0]["id"]
check(folder[0]["parent"]["id"] == 10, "create_folder")
check(run(method="get_folder_by_id", id=folder_id, type="Folder")[0]["id"] == folder_id, "get_folder_by_id")
check(any(f["id"] == folder_id for f in run(method="get_folder_by_name", name=f"mrp folder {stamp}")),
      "get_folder_by_name")
updated = run(method="update_folder", id=folder_id, description="changed")
check(updated[0]["description"] == "changed", "update_folder")
contents = run(method="get_folder_contents", id=10, type="Folder")
check(any(c["id"] == folder_id and c["type"] == "Folder" for c in contents), "get_folder_contents")
check(len(run(method="browse_folders", maxReturn=200)) > 5, "browse_folders")

# ---- tokens
made = run(method="create_token", id=folder_id, folderType="Folder", type="text", name="Greeting", value="Hi")
check(made[0]["tokens"][0]["value"] == "Hi", "create_token")
tokens = run(method="get_tokens", id=folder_id, folderType="Folder")
check(any(t["name"] == "Greeting" for t in tokens[0]["tokens"]), "get_tokens")
check(run(method="delete_tokens", id=folder_id, folderType="Folder", name="Greeting", type="text")[0]["id"] == folder_id,
      "delete_tokens")
check(run(method="delete_folder", id=folder_id)[0]["id"] == folder_id, "delete_folder")

# ---- smart campaigns
sc = run(method="create_smart_campaign", name=f"mrp campaign {stamp}", folderId=1001, folderType="Program")
sc_id = sc[0]["id"]
check(sc[0]["type"] == "batch", "create_smart_campaign")
check(run(method="get_smart_campaign_by_id", id=sc_id)[0]["id"] == sc_id, "get_smart_campaign_by_id")
check(run(method="get_smart_campaign_by_name", name=f"mrp campaign {stamp}")[0]["id"] == sc_id,
      "get_smart_campaign_by_name")
pages = list(run(method="get_smart_campaigns", maxReturn=200))  # a generator of pages
check(any(c["id"] == sc_id for page in pages for c in page), "get_smart_campaigns")
renamed = run(method="update_smart_campaign", id=sc_id, name=f"mrp campaign {stamp} b")
check(renamed[0]["name"].endswith(" b"), "update_smart_campaign")
sl = run(method="get_smart_list_by_smart_campaign_id", id=sc_id)
check(sl[0]["id"] == sc[0]["smartListId"], "get_smart_list_by_smart_campaign_id")
trig = run(method="clone_smart_campaign", id=2002, folderId=1002, folderType="Program", name=f"mrp trigger {stamp}")
trig_id = trig[0]["id"]
check(trig[0]["isActive"] is False, "clone_smart_campaign")
check(run(method="activate_smart_campaign", id=trig_id)[0]["id"] == trig_id, "activate_smart_campaign")
check(run(method="deactivate_smart_campaign", id=trig_id)[0]["id"] == trig_id, "deactivate_smart_campaign")
for cid in (trig_id, sc_id):
    check(run(method="delete_smart_campaign", id=cid)[0]["id"] == cid, f"delete_smart_campaign {cid}")

# ---- smart lists
check(run(method="get_smart_list_by_id", id=10001, includeRules=True)[0]["rules"]["filters"], "get_smart_list_by_id")
check(run(method="get_smart_list_by_name", name="Demo Smart List")[0]["id"] == 10001, "get_smart_list_by_name")
check(sum(len(page) for page in run(method="get_smart_lists")) >= 3, "get_smart_lists")
copy = run(method="clone_smart_list", id=10001, name=f"mrp list {stamp}", folderId=1002, folderType="Program")
check(copy[0]["folder"]["id"] == 1002, "clone_smart_list")
check(run(method="delete_smart_list", id=copy[0]["id"])[0]["id"] == copy[0]["id"], "delete_smart_list")
check(run(method="get_smart_list_by_program_id", id=1005)[0]["id"] == 10002, "get_smart_list_by_program_id")

# ---- static lists (asset side)
lst = run(method="create_list", name=f"mrp static {stamp}", folderId=1001, folderType="Program")
list_id = lst[0]["id"]
check(lst[0]["folder"]["id"] == 1001, "create_list")
check(run(method="get_list_by_id", id=list_id)[0]["id"] == list_id, "get_list_by_id")
check(run(method="get_list_by_name", name=f"mrp static {stamp}")[0]["id"] == list_id, "get_list_by_name")
check(run(method="update_list", id=list_id, description="changed")[0]["description"] == "changed", "update_list")
check(run(method="delete_list", id=list_id)[0]["id"] == list_id, "delete_list")

# ---- segmentations
segs = run(method="get_segmentations")
check(segs[0]["id"] == 11001, "get_segmentations")
check([s["name"] for s in run(method="get_segments", id=11001)] == ["North America", "EMEA", "Default"],
      "get_segments")

# ---- snippets
sn = run(method="create_snippet", name=f"mrp snippet {stamp}", folderId=22, folderType="Folder")
sn_id = sn[0]["id"]
check(sn[0]["status"] == "draft", "create_snippet")
check(run(method="update_snippet_content", id=sn_id, type="HTML", content="<p>hi</p>")[0]["id"] == sn_id,
      "update_snippet_content")
check(run(method="get_snippet_content", id=sn_id)[0]["content"] == "<p>hi</p>", "get_snippet_content")
check(run(method="update_snippet", id=sn_id, description="d")[0]["description"] == "d", "update_snippet")
check(run(method="get_snippet_by_id", id=sn_id)[0]["id"] == sn_id, "get_snippet_by_id")
check(any(s["id"] == sn_id for s in run(method="get_snippets", maxReturn=200)), "get_snippets")
check(any(s["id"] == sn_id for page in run(method="get_snippets_yield") for s in page), "get_snippets_yield")
check(run(method="approve_snippet", id=sn_id)[0]["status"] == "approved", "approve_snippet")
run(method="update_snippet_content", id=sn_id, type="DynamicContent", content="11001")
check(run(method="update_snippet_dynamic_content", id=sn_id, segmentId=11002, type="HTML", value="<p>EMEA</p>")[0]["id"]
      == sn_id, "update_snippet_dynamic_content")
dyn = run(method="get_snippet_dynamic_content", id=sn_id)
check(dyn[0]["segmentation"] == 11001, "get_snippet_dynamic_content")
check(run(method="discard_snippet_draft", id=sn_id)[0]["id"] == sn_id, "discard_snippet_draft")
clone = run(method="clone_snippet", id=sn_id, name=f"mrp snippet {stamp} copy", folderId=22, folderType="Folder")
check(clone[0]["status"] == "draft", "clone_snippet")
check(run(method="unapprove_snippet", id=sn_id)[0]["id"] == sn_id, "unapprove_snippet")
for sid in (clone[0]["id"], sn_id):
    check(run(method="delete_snippet", id=sid)[0]["id"] == sid, f"delete_snippet {sid}")

# ---- files (the uploads are multipart: not in the spec, served by the emulator)
import json
import os
import tempfile

with tempfile.NamedTemporaryFile("wb", suffix=".txt", delete=False) as fh:
    fh.write(b"hello from marketorestpython")
    upload_path = fh.name
made = run(method="create_file", name=f"mrp-{stamp}.txt", file=upload_path,
           folder=json.dumps({"id": 23, "type": "Folder"}), description="upload")
check(made[0]["size"] == 28 and made[0]["mimeType"] == "text/plain", "create_file")
with open(upload_path, "wb") as fh:
    fh.write(b"shorter")
updated = run(method="update_file_content", id=made[0]["id"], file=upload_path)
check(updated[0]["size"] == 7, "update_file_content")
os.unlink(upload_path)
files = run(method="list_files")
check(len(files) >= 3, "list_files")
check(sum(len(page) for page in run(method="get_files_yield")) >= 2, "get_files_yield")
check(run(method="get_file_by_id", id=9501)[0]["name"] == "demo-logo.png", "get_file_by_id")
check(run(method="get_file_by_name", name="demo-brochure.pdf")[0]["id"] == 9502, "get_file_by_name")

# ---- programs: email program approval and its smart list
prog = run(method="get_program_by_id", id=1005)
check(prog[0]["type"] == "Email", "get_program_by_id")
check(run(method="approve_program", id=1005)[0]["id"] == 1005, "approve_program")
check(run(method="unapprove_program", id=1005)[0]["id"] == 1005, "unapprove_program")
