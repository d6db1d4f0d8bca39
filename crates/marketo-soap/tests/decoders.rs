//! The generated decoders (`FromXml`, used by `decode_response`) against
//! the `yaserde` reference (`decode_response_with_yaserde`): the same value
//! from every response fixture and from the benchmark's body; and clear
//! errors, never panics, on malformed or unexpected XML.

use std::fmt::Debug;

use marketo_soap::SoapError;
use marketo_soap::decode::FromXml;
use marketo_soap::envelope::{Operation, decode_response, decode_response_with_yaserde};
use marketo_soap::operations;
use marketo_soap::types::*;
use yaserde::YaDeserialize;

#[allow(dead_code)]
#[path = "../benches/support/mod.rs"]
mod support;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Decodes `body` both ways, asserts they agree, returns the value.
fn both_ways<T>(op: &Operation, body: &str) -> T
where
    T: FromXml + YaDeserialize + PartialEq + Debug,
{
    let fast: T = decode_response(op, body).expect("the generated decoder reads it");
    let reference: T = decode_response_with_yaserde(op, body).expect("yaserde reads it");
    assert_eq!(fast, reference, "the two decoders disagree on\n{body}");
    fast
}

/// The problem text of a decode error (panics on any other error).
fn decode_problem<T: FromXml + Debug>(op: &Operation, body: &str) -> String {
    match decode_response::<T>(op, body) {
        Err(SoapError::Decode { problem, .. }) => problem,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn every_response_fixture_reads_the_same_both_ways() {
    let get_lead: SuccessGetLead =
        both_ways(&operations::GET_LEAD, &fixture("get_lead_response.xml"));
    let leads = get_lead.result.lead_record_list.expect("leads");
    // A nil attrType inside a list item reads as absent both ways.
    assert_eq!(leads[0].lead_attribute_list.as_ref().map(Vec::len), Some(3));
    let _: SuccessGetMultipleLeads = both_ways(
        &operations::GET_MULTIPLE_LEADS,
        &fixture("get_multiple_leads_response.xml"),
    );
    let _: SuccessListOperation = both_ways(
        &operations::LIST_OPERATION,
        &fixture("list_operation_response.xml"),
    );
    let _: SuccessRequestCampaign = both_ways(
        &operations::REQUEST_CAMPAIGN,
        &fixture("request_campaign_response.xml"),
    );
    for name in [
        "schedule_campaign_response.xml",
        "seed_schedule_campaign_response.xml",
    ] {
        let _: SuccessScheduleCampaign = both_ways(&operations::SCHEDULE_CAMPAIGN, &fixture(name));
    }
    let _: SuccessSyncLead = both_ways(&operations::SYNC_LEAD, &fixture("sync_lead_response.xml"));
    // An enum value Marketo adds later is kept both ways.
    let added = fixture("sync_lead_response.xml").replace("CREATED", "TELEPORTED");
    let _: SuccessSyncLead = both_ways(&operations::SYNC_LEAD, &added);
}

#[test]
fn the_benchmark_body_reads_the_same_both_ways() {
    let body = support::multiple_leads(40, 7);
    let got: SuccessGetMultipleLeads = both_ways(&operations::GET_MULTIPLE_LEADS, &body);
    let leads = got.result.lead_record_list.expect("leads");
    assert_eq!(leads.len(), 40);
    assert_eq!(leads[39].id, Some(39));
    assert_eq!(leads[39].foreign_sys_type, None);
    let attributes = leads[39].lead_attribute_list.as_ref().expect("attributes");
    assert_eq!(attributes[6].attr_value, "value 39-6");
}

#[test]
fn unknown_elements_are_skipped_and_whitespace_trimmed_both_ways() {
    let body = fixture("get_lead_response.xml")
        .replace(
            "<count>1</count>",
            "<count> 1 </count><addedLater><x>1</x></addedLater>",
        )
        .replace(
            "<Email>casey@example.net</Email>",
            "<Email><![CDATA[casey@example.net]]></Email>",
        );
    let got: SuccessGetLead = both_ways(&operations::GET_LEAD, &body);
    assert_eq!(got.result.count, 1);
    let leads = got.result.lead_record_list.expect("leads");
    assert_eq!(leads[0].email.as_deref(), Some("casey@example.net"));
}

#[test]
fn bad_values_name_the_element_path_line_and_expectation() {
    let body = fixture("get_lead_response.xml").replace("<Id>552301</Id>", "<Id>55x</Id>");
    let problem = decode_problem::<SuccessGetLead>(&operations::GET_LEAD, &body);
    assert_eq!(
        problem,
        "expected an xs:int, found \"55x\" at successGetLead/result/leadRecordList/leadRecord[0]/Id (line 10, column 13)"
    );
    let body = fixture("get_lead_response.xml").replace("<count>1</count>", "");
    let problem = decode_problem::<SuccessGetLead>(&operations::GET_LEAD, &body);
    assert!(
        problem.starts_with("<result> has no <count>, which is required at successGetLead/result"),
        "{problem}"
    );
    let body = fixture("get_lead_response.xml")
        .replace("<count>1</count>", "<count>1</count><count>2</count>");
    let problem = decode_problem::<SuccessGetLead>(&operations::GET_LEAD, &body);
    assert!(
        problem.contains("<count> occurs more than once"),
        "{problem}"
    );
    let body = fixture("get_lead_response.xml").replace(
        "<attrValue>Casey</attrValue>",
        "<attrValue>Ca<b>sey</b></attrValue>",
    );
    let problem = decode_problem::<SuccessGetLead>(&operations::GET_LEAD, &body);
    assert!(
        problem.contains("<attrValue> must hold text only, found child element <b>")
            && problem.contains("leadAttributeList/attribute[0]/attrValue"),
        "{problem}"
    );
    // A nil element that is required and not nillable is missing.
    let body =
        fixture("get_lead_response.xml").replace("<count>1</count>", "<count xsi:nil=\"true\"/>");
    let problem = decode_problem::<SuccessGetLead>(&operations::GET_LEAD, &body);
    assert!(problem.contains("has no <count>"), "{problem}");
}

#[test]
fn unknown_subtypes_and_wrong_bodies_are_errors() {
    let xml = fixture("get_multiple_leads_request.xml")
        .replace("ns1:LeadKeySelector", "ns1:MysterySelector");
    let as_body = Operation {
        response_element: "paramsGetMultipleLeads",
        ..operations::GET_MULTIPLE_LEADS
    };
    let problem = decode_problem::<ParamsGetMultipleLeads>(&as_body, &xml);
    assert!(
        problem.contains("unknown xsi:type \"MysterySelector\"")
            && problem.contains("paramsGetMultipleLeads/leadSelector"),
        "{problem}"
    );
    let problem =
        decode_problem::<SuccessGetLead>(&operations::GET_LEAD, &fixture("sync_lead_response.xml"));
    assert!(problem.contains("expected <successGetLead>"), "{problem}");
    let problem = decode_problem::<SuccessGetLead>(&operations::GET_LEAD, "<a><b/></a>");
    assert!(
        problem.contains("expected a SOAP 1.1 Envelope"),
        "{problem}"
    );
}

#[test]
fn every_truncation_or_damage_is_an_error_not_a_panic() {
    let body = fixture("get_lead_response.xml");
    let end = body.trim_end().len();
    for cut in (0..end).filter(|&i| body.is_char_boundary(i)) {
        let err = decode_response::<SuccessGetLead>(&operations::GET_LEAD, &body[..cut]);
        assert!(
            matches!(err, Err(SoapError::Decode { .. })),
            "cut at {cut}: {err:?}"
        );
    }
    // Dropping any one character either still reads (whitespace, text) or
    // is a decode error; never a panic or another kind of error.
    for at in (0..body.len())
        .filter(|&i| body.is_char_boundary(i))
        .step_by(3)
    {
        let mut damaged = body.clone();
        damaged.remove(at);
        match decode_response::<SuccessGetLead>(&operations::GET_LEAD, &damaged) {
            Ok(_) | Err(SoapError::Decode { .. }) => {}
            Err(other) => panic!("dropping byte {at}: {other:?}"),
        }
    }
}
