"""Validates every documented example under tests/fixtures/rest-examples/
against the schema specs/marketo-rest.yaml gives its operation, with
openapi-schema-validator (an OpenAPI 3.0 schema validator this project did
not write). The Rust side (tests/tests/rest_examples.rs) checks that the same
examples decode into the generated types; this checks the spec itself.

`response*.json` is checked against the 200 answer's application/json
schema, `request*.json` against the JSON request body's; `*.excluded.json`
is skipped (notes.md says why). Formats are not checked: Marketo's own time
stamps (`2015-05-21T22:45:13Z+0000`) are not RFC 3339, as the spec notes.
"""

from pathlib import Path
import sys

from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
import json
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC = yaml.safe_load((ROOT / "specs/marketo-rest.yaml").read_text())
FIXTURES = ROOT / "tests/fixtures/rest-examples"
URI = "urn:marketo-rest-spec"
REGISTRY = Registry().with_resource(URI, Resource.from_contents(SPEC, default_specification=DRAFT4))


def pointer(*parts):
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def operations():
    """operationId → (path, method, operation)."""
    ops = {}
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                ops[op["operationId"]] = (path, method, op)
    return ops


def schema_ref(path, method, op, kind):
    if kind == "response":
        media = op.get("responses", {}).get("200", {}).get("content", {}).get("application/json")
        where = ("paths", path, method, "responses", "200", "content", "application/json", "schema")
    else:
        media = op.get("requestBody", {}).get("content", {}).get("application/json")
        where = ("paths", path, method, "requestBody", "content", "application/json", "schema")
    if not media or "schema" not in media:
        return None
    return {"$ref": f"{URI}#/{pointer(*where)}"}


def main():
    ops = operations()
    checked, failures = 0, []
    for directory in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        op_id = directory.name
        if op_id not in ops:
            failures.append(f"{op_id}: no such operationId in the spec")
            continue
        for file in sorted(directory.glob("*.json")):
            if file.name.endswith(".excluded.json"):
                continue
            kind = "response" if file.name.startswith("response") else "request"
            schema = schema_ref(*ops[op_id], kind)
            if schema is None:
                failures.append(f"{op_id}/{file.name}: the operation has no JSON {kind} schema")
                continue
            instance = json.loads(file.read_text())
            validator = OAS30Validator(schema, registry=REGISTRY)
            errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
            checked += 1
            for e in errors[:5]:
                at = "/".join(str(p) for p in e.absolute_path)
                failures.append(f"{op_id}/{file.name}: at /{at}: {e.message[:300]}")
    print(f"  {checked} examples validated against specs/marketo-rest.yaml")
    if failures:
        print("\n".join(f"  FAIL {f}" for f in failures))
        sys.exit(1)
    if checked == 0:
        print("  FAIL no example found")
        sys.exit(1)


if __name__ == "__main__":
    main()
