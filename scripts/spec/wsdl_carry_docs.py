#!/usr/bin/env python3
"""Carry the documentation of one WSDL into another.

Usage: wsdl_carry_docs.py FROM.wsdl INTO.wsdl OUT.wsdl

Every `xs:annotation/xs:documentation` of a named schema item (element,
complexType, simpleType, attribute; keyed by the names of the item and of
its named ancestors) and every `wsdl:documentation` (definitions, portType
operations, service) of FROM is inserted into the matching item of INTO,
as its first child. Nothing else of INTO changes: annotations carry no
schema meaning. Items of INTO with no match stay undocumented; the keys of
FROM that match nothing are printed.
"""
import sys
from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
NAMED = {f"{{{XS}}}{t}" for t in ("element", "complexType", "simpleType", "attribute")}


def key_of(node):
    parts = []
    n = node
    while n is not None:
        if n.tag in NAMED and n.get("name"):
            parts.append((etree.QName(n).localname, n.get("name")))
        elif n.tag == f"{{{WSDL}}}operation" and n.getparent().tag == f"{{{WSDL}}}portType":
            parts.append(("operation", n.get("name")))
        elif n.tag in (f"{{{WSDL}}}service", f"{{{WSDL}}}definitions"):
            parts.append((etree.QName(n).localname, n.get("name")))
        n = n.getparent()
    return tuple(reversed(parts))


def docs_of(tree):
    out = {}
    for doc in tree.iter(f"{{{XS}}}documentation"):
        out[key_of(doc.getparent().getparent())] = ("xs", doc.text)
    for doc in tree.iter(f"{{{WSDL}}}documentation"):
        out[key_of(doc.getparent())] = ("wsdl", doc.text)
    return out


def indent_of(node):
    prev = node.getprevious()
    ws = prev.tail if prev is not None else node.getparent().text
    ws = ws or "\n"
    return "\n" + ws.rsplit("\n", 1)[-1]


def insert(node, kind, text):
    # A documentation the target already has is given the carried text.
    for child in node:
        if child.tag == f"{{{WSDL}}}documentation":
            child.text = text
            return
        if child.tag == f"{{{XS}}}annotation":
            for doc in child.iter(f"{{{XS}}}documentation"):
                doc.text = text
                return
    ind = indent_of(node)
    step = "  "
    if kind == "wsdl":
        doc = etree.Element(f"{{{WSDL}}}documentation", nsmap=None)
        doc.text = text
        first = doc
    else:
        first = etree.Element(f"{{{XS}}}annotation")
        doc = etree.SubElement(first, f"{{{XS}}}documentation")
        doc.text = text
        first.text = ind + step * 2
        doc.tail = ind + step
    if len(node) == 0 and not (node.text or "").strip():
        node.text = ind + step
        first.tail = ind
    else:
        first.tail = node.text if node.text is not None else ind + step
        node.text = ind + step
    node.insert(0, first)


def main():
    src, dst, out = sys.argv[1:4]
    parser = etree.XMLParser(remove_blank_text=False)
    docs = docs_of(etree.parse(src, parser))
    tree = etree.parse(dst, parser)
    used = set()
    targets = []
    for node in tree.iter():
        if not isinstance(node.tag, str):
            continue
        k = key_of(node)
        if not k or k in used or k not in docs:
            continue
        is_target = (
            node.tag in NAMED
            or node.tag in (f"{{{WSDL}}}service", f"{{{WSDL}}}definitions")
            or (node.tag == f"{{{WSDL}}}operation" and node.getparent().tag == f"{{{WSDL}}}portType")
        )
        if is_target:
            targets.append((node, k))
            used.add(k)
    for node, k in targets:
        insert(node, *docs[k])
    for k in docs:
        if k not in used:
            print("unmatched:", "/".join(f"{a} {b}" for a, b in k), file=sys.stderr)
    # Keep INTO's prolog and root start tag as written (lxml would re-wrap them).
    original = open(dst, encoding="utf-8").read()
    head = original[: original.index("<wsdl:definitions")]
    root_tag = original[original.index("<wsdl:definitions") :]
    root_tag = root_tag[: root_tag.index(">") + 1]
    text = etree.tostring(tree.getroot(), encoding="unicode")
    text = head + root_tag + text[text.index(">") + 1 :] + "\n"
    open(out, "w", encoding="utf-8").write(text)


main()
