"""marketorestpython (PyPI), pointed at the emulator, manages programs."""

import time

from marketorestpython.client import MarketoClient

from common import CLIENT_ID, CLIENT_SECRET, REST, check, rest_get

mc = MarketoClient("emulator", CLIENT_ID, CLIENT_SECRET)
mc.host = REST  # the library builds https://<munchkin>.mktorest.com otherwise

folders = rest_get("/rest/asset/v1/folders.json", maxReturn=200)["result"]
folder = next(f for f in folders if f["folderId"]["type"] == "Folder")
channels = mc.execute(method="get_channels")
channel = next(c for c in channels if c["applicableProgramType"] == "program")

name = f"marketorestpython {int(time.time())}"
created = mc.execute(
    method="create_program",
    folderId=folder["folderId"]["id"],
    folderType="Folder",
    name=name,
    type="Default",
    channel=channel["name"],
    description="made by marketorestpython",
)
check(created[0]["name"] == name, "create_program")
program_id = created[0]["id"]

found = mc.execute(method="get_program_by_name", name=name)
check(found[0]["id"] == program_id, "get_program_by_name")

programs = mc.execute(method="browse_programs", maxReturn=200)
check(any(p["id"] == program_id for p in programs), f"browse_programs ({len(programs)} programs)")

clone = mc.execute(
    method="clone_program",
    id=program_id,
    name=name + " (copy)",
    folderId=folder["folderId"]["id"],
    folderType="Folder",
)
check(clone[0]["name"] == name + " (copy)", "clone_program")

for pid in (clone[0]["id"], program_id):
    deleted = mc.execute(method="delete_program", id=pid)
    check(deleted[0]["id"] == pid, f"delete_program {pid}")
