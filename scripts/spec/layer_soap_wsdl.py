#!/usr/bin/env python3
"""Layer the documented later changes on Marketo's 2_3 WSDL.

Usage: layer_soap_wsdl.py IN.wsdl OUT.wsdl

IN is Marketo's published 2_3 WSDL with our documentation carried over
(scripts/spec/wsdl_carry_docs.py). Each change below is one the reference
pages (../shared/reference/soap/*.md) document for API versions after 2_3;
each is written with an XML comment naming its source. Every change is
looser than (or absent from) Marketo's schema: an added optional element,
an added enumeration value, a required element made optional. Each of them
is also an entry of specs/marketo-soap.allowlist.

This script was used once to build specs/marketo-soap.wsdl; the WSDL is the
source of truth afterwards.
"""
import sys

HEADER = """<!--
  Marketo SOAP API (namespace http://www.marketo.com/mktows/), the input of
  the SOAP code generator (`cargo xtask codegen`).

  This document IS Marketo's published WSDL for API version 2_3
  (specs/reference/marketo-mktows-2_3.wsdl, kept verbatim) with:
  - our xs:annotation/xs:documentation and wsdl:documentation (they carry no
    schema meaning; they become the generated doc comments);
  - each later change the reference pages document, layered on it with a
    comment "Layered (source): ..." naming its source page
    (../shared/reference/soap/*.md). Each one is looser than Marketo's
    schema (an optional element or an enumeration value added, a required
    element made optional), never stricter;
  - the service address of the newest API version, 2_9 (see the service).
  The test wsdl_diff (package xtask) diffs this file against the
  reference semantically and fails on any difference that is not listed in
  specs/marketo-soap.allowlist. See specs/README.md.

  Adobe retired the Marketo SOAP API on 2026-07-31; the REST API replaces it.
-->
"""


def once(text, old, new):
    assert text.count(old) == 1, f"expected once: {old!r} ({text.count(old)})"
    return text.replace(old, new)


def after_element(text, type_name, anchor_element, added):
    """Inserts `added` after the element `anchor_element` of complex type
    `type_name` (self-closing or with an annotation)."""
    start = text.index(f'<xs:complexType name="{type_name}">')
    end = text.index("</xs:complexType>", start)
    at = text.index(f'<xs:element name="{anchor_element}"', start)
    assert at < end, (type_name, anchor_element)
    close_self = text.index("/>", at)
    close_open = text.index(">", at)
    if close_self + 1 == close_open:
        stop = close_self + 2
    else:
        stop = text.index("</xs:element>", at) + len("</xs:element>")
    return text[:stop] + added + text[stop:]


def element(indent, decl, doc):
    pad = " " * indent
    return (
        f"\n{pad}{decl}>\n{pad}  <xs:annotation>\n{pad}    <xs:documentation>{doc}"
        f"</xs:documentation>\n{pad}  </xs:annotation>\n{pad}</xs:element>"
    )


def comment(indent, text):
    return f"\n{' ' * indent}<!-- {text} -->"


def main():
    src, out = sys.argv[1:3]
    t = open(src, encoding="utf-8").read()
    t = once(t, "<!-- Marketo API Version 2_3 -->\n", "<!-- Marketo API Version 2_3 -->\n" + HEADER)

    t = after_element(
        t, "AuthenticationHeaderInfo", "mode",
        comment(10, "Layered (authentication-signature.md): the optional partnerId header "
                "element of LaunchPoint technology partners.")
        + element(10, '<xs:element name="partnerId" type="xs:string" minOccurs="0" maxOccurs="1"',
                  "Optional LaunchPoint technology partner API key."),
    )

    # SyncStatusEnum: UNCHANGED and SKIPPED.
    start = t.index('<xs:simpleType name="SyncStatusEnum">')
    at = t.index('<xs:enumeration value="FAILED"/>', start) + len('<xs:enumeration value="FAILED"/>')
    t = (
        t[:at]
        + comment(10, "Layered (synccustomobjects.md, syncmobjects.md): the outcomes UNCHANGED and "
                  "SKIPPED of later versions.")
        + '\n          <xs:enumeration value="UNCHANGED"/>\n          <xs:enumeration value="SKIPPED"/>'
        + t[at:]
    )

    for record in ("ActivityRecord", "LeadChangeRecord"):
        start = t.index(f'<xs:complexType name="{record}">')
        old = '<xs:element name="id" type="xs:int" minOccurs="1" maxOccurs="1" nillable="false">'
        at = t.index(old, start)
        note = (
            "Layered (getleadactivity.md, note under the response): id is being replaced by "
            "marketoGUID as the record's unique identifier, so id is optional (minOccurs 0, "
            "Marketo's 2_3: 1) and marketoGUID is added."
        )
        if record == "LeadChangeRecord":
            note += " leadChangeRecord is the same activity record, read by getLeadChanges (getleadchanges.md)."
        t = (
            t[:at]
            + f"<!-- {note} -->\n          "
            + '<xs:element name="id" type="xs:int" minOccurs="0" maxOccurs="1" nillable="false">'
            + t[at + len(old):]
        )
        t = after_element(
            t, record, "id",
            element(10, '<xs:element name="marketoGUID" type="xs:string" minOccurs="0" maxOccurs="1"',
                    "Unique id of the activity."),
        )

    t = after_element(
        t, "ParamsListOperation", "strict",
        comment(10, "Layered (Marketo's published 2_2 WSDL, marketo-mktows-2_2.wsdl): "
                "skipActivityLog, dropped from the 2_3 file but accepted by the service.")
        + element(10, '<xs:element name="skipActivityLog" type="xs:boolean" minOccurs="0" maxOccurs="1" nillable="true"',
                  "Do not log the list change as lead activities."),
    )
    t = after_element(
        t, "ParamsScheduleCampaign", "programName",
        comment(10, "Layered (schedulecampaign.md): the optional cloneToProgramName.")
        + element(10, '<xs:element name="cloneToProgramName" type="xs:string" minOccurs="0" maxOccurs="1"',
                  "Clone the program under this name and schedule the clone's campaign; limited to 10 calls a day."),
    )
    t = after_element(
        t, "ParamsMergeLeads", "losingLeadKeyLists",
        comment(10, "Layered (mergeleads.md): the optional mergeInSales.")
        + element(10, '<xs:element name="mergeInSales" type="xs:boolean" minOccurs="0" maxOccurs="1" nillable="true"',
                  "Also merge the leads in the connected CRM."),
    )
    t = once(
        t,
        '<soap:address location="http://localhost/soap/mktows/2_4"/>',
        "<!-- Layered (soap-api.md: each instance has its own endpoint, Admin > Web Services):\n"
        "               the address form of the newest version, 2_9; the 2_3 file's address was\n"
        "               edited by whoever published it (http://localhost/soap/mktows/2_4). -->\n"
        '          <soap:address location="https://123-ABC-456.mktoapi.com/soap/mktows/2_9"/>',
    )
    open(out, "w", encoding="utf-8").write(t)


main()
