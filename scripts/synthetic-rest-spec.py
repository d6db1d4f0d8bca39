#!/usr/bin/env python3
"""Writes an Adobe-scale OpenAPI spec for timing the REST generator.

Copies specs/marketo-rest.yaml COPIES times (default 10: 330 operations,
10x the schemas and tags), each copy with its own path prefix, operationIds,
tags and schema names, into target/synthetic/marketo-rest-x<COPIES>.yaml
(never committed). Usage: scripts/synthetic-rest-spec.py [COPIES]
"""
import copy
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rename_refs(node, suffix):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = value + suffix
            elif key == "tags" and isinstance(value, list) and all(isinstance(t, str) for t in value):
                out[key] = [t + " S" + suffix for t in value]
            elif key == "operationId" and isinstance(value, str):
                out[key] = value + "S" + suffix
            else:
                out[key] = rename_refs(value, suffix)
        return out
    if isinstance(node, list):
        return [rename_refs(v, suffix) for v in node]
    return node


def main():
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with open(os.path.join(ROOT, "specs", "marketo-rest.yaml"), encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    paths, tags, schemas = {}, [], {}
    for k in range(1, copies + 1):
        suffix = str(k)
        for path, item in spec["paths"].items():
            if "/oauth/" in path:
                if k == 1:
                    paths[path] = item
                continue
            # Keep the area prefix (/rest/asset/, /rest/v1/, /bulk/) first.
            head, _, rest = path.rpartition("/")
            paths[f"{head}/s{suffix}/{rest}"] = rename_refs(item, suffix)
        for tag in spec.get("tags", []):
            if tag["name"] == "Identity":
                if k == 1:
                    tags.append(tag)
                continue
            t = copy.deepcopy(tag)
            t["name"] = f"{tag['name']} S{suffix}"
            tags.append(t)
        for name, schema in spec["components"]["schemas"].items():
            schemas[name + suffix] = rename_refs(schema, suffix)
    spec["paths"], spec["tags"] = paths, tags
    spec["components"]["schemas"] = schemas
    out_dir = os.path.join(ROOT, "target", "synthetic")
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, f"marketo-rest-x{copies}.yaml")
    with open(out, "w", encoding="utf-8") as f:
        yaml.safe_dump(spec, f, sort_keys=False, allow_unicode=True)
    ops = sum(1 for item in paths.values() for m in item if m in ("get", "post", "put", "delete", "patch"))
    print(f"{out}: {ops} operations, {len(schemas)} schemas, {len(tags)} tags")


if __name__ == "__main__":
    main()
