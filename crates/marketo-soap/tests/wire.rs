//! Wire format: requests read from and written back to envelopes shaped as
//! Marketo's, responses read into the generated types.

use marketo_auth::SignedAuthenticationHeader;
use marketo_soap::decode::FromXml;
use marketo_soap::envelope::{
    Operation, RequestHeaders, decode_response, decode_response_with_yaserde, encode_request,
};
use marketo_soap::operations;
use marketo_soap::types::*;
use marketo_soap::{DateTime, SoapError};
use time::macros::datetime;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// An element tree: qualified name, attributes, trimmed text, children.
#[derive(Debug, PartialEq)]
struct Tree {
    name: (Option<String>, String),
    attributes: Vec<(Option<String>, String, String)>,
    text: String,
    children: Vec<Tree>,
}

fn tree(node: roxmltree::Node<'_, '_>) -> Tree {
    let mut attributes: Vec<_> = node
        .attributes()
        .map(|a| {
            (
                a.namespace().map(str::to_owned),
                a.name().to_owned(),
                a.value().to_owned(),
            )
        })
        .collect();
    attributes.sort();
    Tree {
        name: (
            node.tag_name().namespace().map(str::to_owned),
            node.tag_name().name().to_owned(),
        ),
        attributes,
        text: node
            .children()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect::<String>()
            .trim()
            .to_owned(),
        children: node
            .children()
            .filter(|n| n.is_element())
            .map(tree)
            .collect(),
    }
}

fn assert_same_xml(expected: &str, actual: &str) {
    let e = roxmltree::Document::parse(expected).expect("expected XML parses");
    let a = roxmltree::Document::parse(actual).expect("actual XML parses");
    assert_eq!(
        tree(e.root_element()),
        tree(a.root_element()),
        "\nexpected:\n{expected}\nactual:\n{actual}"
    );
}

/// The authentication header written in a fixture.
fn fixture_auth(xml: &str) -> SignedAuthenticationHeader {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let text = |name: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text())
            .unwrap()
            .to_owned()
    };
    SignedAuthenticationHeader {
        mktows_user_id: text("mktowsUserId"),
        request_signature: text("requestSignature"),
        request_timestamp: text("requestTimestamp"),
    }
}

/// Reads the request body of `fixture` as `T` (through the same decoder as
/// responses, told to expect the request element; the yaserde reference
/// reads the same value), and writes it back.
fn request_round_trip<T>(op: &Operation, name: &str, workspace: Option<&str>) -> T
where
    T: yaserde::YaSerialize + yaserde::YaDeserialize + FromXml + PartialEq + std::fmt::Debug,
{
    let xml = fixture(name);
    let as_body = Operation {
        response_element: request_element(op),
        ..*op
    };
    let params: T = decode_response(&as_body, &xml).expect("request reads");
    let reference: T = decode_response_with_yaserde(&as_body, &xml).expect("yaserde reads");
    assert_eq!(params, reference);
    let auth = fixture_auth(&xml);
    let headers = RequestHeaders {
        authentication: Some(&auth),
        target_workspace: workspace,
    };
    let written = encode_request(op, &headers, &params).expect("request writes");
    assert_same_xml(&xml, &written);
    params
}

fn request_element(op: &Operation) -> &'static str {
    match op.name {
        "scheduleCampaign" => "paramsScheduleCampaign",
        "requestCampaign" => "paramsRequestCampaign",
        "getLead" => "paramsGetLead",
        "syncLead" => "paramsSyncLead",
        "getMultipleLeads" => "paramsGetMultipleLeads",
        "listOperation" => "paramsListOperation",
        other => panic!("no request element for {other}"),
    }
}

#[test]
fn schedule_campaign_request_reads_and_writes_back() {
    let params: ParamsScheduleCampaign = request_round_trip(
        &operations::SCHEDULE_CAMPAIGN,
        "schedule_campaign_request.xml",
        None,
    );
    assert_eq!(params.program_name, "Spring-Webinar-Program");
    assert_eq!(
        params.clone_to_program_name.as_deref(),
        Some("Spring-Webinar-Copy")
    );
    assert_eq!(params.campaign_name, "Send Invitations");
    assert_eq!(
        params.campaign_run_at.map(DateTime::get),
        Some(datetime!(2024-03-06 10:00:00 -08:00))
    );
    let tokens = params.program_token_list.expect("tokens");
    assert_eq!(tokens.len(), 2);
    assert_eq!(tokens[0].name, "{{my.headline}}");
    assert_eq!(tokens[0].value, "Join us & learn");
    assert_eq!(tokens[1].name, "{{my.speaker name}}");
}

#[test]
fn the_seed_request_reads_writes_back_and_its_response_reads() {
    let params: ParamsScheduleCampaign = request_round_trip(
        &operations::SCHEDULE_CAMPAIGN,
        "seed_schedule_campaign_request.xml",
        None,
    );
    assert_eq!(params.program_name, "Trav-Demo-Program");
    assert_eq!(
        params.clone_to_program_name.as_deref(),
        Some("TestProgramCloneFromSOAP")
    );
    assert_eq!(params.campaign_name, "Batch Campaign Example");
    assert_eq!(
        params.campaign_run_at.map(DateTime::get),
        Some(datetime!(2013-08-03 21:39:34 -07:00))
    );
    let tokens = params.program_token_list.expect("tokens");
    assert_eq!(tokens.len(), 2);
    assert_eq!(tokens[1].name, "{{my.other token}}");
    assert_eq!(tokens[1].value, "Value for other token");
    let done: SuccessScheduleCampaign = decode_response(
        &operations::SCHEDULE_CAMPAIGN,
        &fixture("seed_schedule_campaign_response.xml"),
    )
    .unwrap();
    assert!(done.result.success);
}

#[test]
fn schedule_campaign_built_in_code_matches_the_fixture() {
    let params = ParamsScheduleCampaign::new("Spring-Webinar-Program", "Send Invitations")
        .clone_to_program_name("Spring-Webinar-Copy")
        .campaign_run_at(datetime!(2024-03-06 10:00:00 -08:00))
        .program_token_list([
            Attrib::new("{{my.headline}}", "Join us & learn"),
            Attrib::new("{{my.speaker name}}", "Dana Example"),
        ]);
    let xml = fixture("schedule_campaign_request.xml");
    let auth = fixture_auth(&xml);
    let headers = RequestHeaders {
        authentication: Some(&auth),
        target_workspace: None,
    };
    let written = encode_request(&operations::SCHEDULE_CAMPAIGN, &headers, &params).unwrap();
    assert_same_xml(&xml, &written);
    // Children are unqualified, the body element is qualified.
    assert!(written.contains("<ns1:paramsScheduleCampaign"), "{written}");
    assert!(written.contains("<programName>"), "{written}");
}

#[test]
fn list_wrappers_are_built_and_read_as_lists() {
    let names = ["a", "b"].map(String::from);
    let from_array = ArrayOfString::from(names.clone());
    let from_vec = ArrayOfString::from(names.to_vec());
    let collected: ArrayOfString = names.iter().cloned().collect();
    assert_eq!(from_array, from_vec);
    assert_eq!(from_vec, collected);
    // Read as a slice, iterated, and turned back into a `Vec`.
    assert_eq!(from_array.len(), 2);
    assert_eq!(from_array[1], "b");
    assert_eq!((&from_array).into_iter().count(), 2);
    assert_eq!(Vec::from(collected), names);
    // The wire keeps the wrapper element and its repeated children.
    let selector = LeadKeySelector::new(LeadKeyRef::Idnum, ["1", "2"].map(String::from));
    let xml = marketo_soap::xml::to_string(&selector).unwrap();
    assert!(
        xml.contains("<keyValues><stringItem>1</stringItem><stringItem>2</stringItem></keyValues>"),
        "{xml}"
    );
}

#[test]
fn schedule_campaign_response_reads() {
    let done: SuccessScheduleCampaign = decode_response(
        &operations::SCHEDULE_CAMPAIGN,
        &fixture("schedule_campaign_response.xml"),
    )
    .unwrap();
    assert!(done.result.success);
}

#[test]
fn request_campaign_round_trips_and_response_reads() {
    let params: ParamsRequestCampaign = request_round_trip(
        &operations::REQUEST_CAMPAIGN,
        "request_campaign_request.xml",
        None,
    );
    assert_eq!(params.source, ReqCampSourceType::Mktows);
    assert_eq!(params.campaign_id, Some(7021));
    let keys = params.lead_list.as_deref().expect("lead list");
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0].key_type, LeadKeyRef::Email);
    assert_eq!(keys[1].key_type, LeadKeyRef::Idnum);
    assert_eq!(keys[1].key_value, "40417");
    let done: SuccessRequestCampaign = decode_response(
        &operations::REQUEST_CAMPAIGN,
        &fixture("request_campaign_response.xml"),
    )
    .unwrap();
    assert!(done.result.success);
}

#[test]
fn get_lead_round_trips_and_response_reads_nil_as_none() {
    let params: ParamsGetLead =
        request_round_trip(&operations::GET_LEAD, "get_lead_request.xml", None);
    assert_eq!(params.lead_key.key_value, "casey@example.net");
    let got: SuccessGetLead =
        decode_response(&operations::GET_LEAD, &fixture("get_lead_response.xml")).unwrap();
    assert_eq!(got.result.count, 1);
    let leads = got.result.lead_record_list.expect("leads");
    assert_eq!(leads.len(), 1);
    let lead = &leads[0];
    assert_eq!(lead.id, Some(552301));
    assert_eq!(lead.email.as_deref(), Some("casey@example.net"));
    assert_eq!(lead.foreign_sys_person_id, None);
    assert_eq!(lead.foreign_sys_type, None);
    let attributes = lead.lead_attribute_list.as_ref().expect("attributes");
    assert_eq!(attributes.len(), 3);
    assert_eq!(attributes[1].attr_name, "LeadScore");
    assert_eq!(attributes[1].attr_type.as_deref(), Some("integer"));
    assert_eq!(attributes[1].attr_value, "37");
    assert_eq!(attributes[2].attr_type, None);
}

#[test]
fn sync_lead_sends_the_context_header_and_reads_its_response() {
    let params: ParamsSyncLead = request_round_trip(
        &operations::SYNC_LEAD,
        "sync_lead_request.xml",
        Some("EMEA"),
    );
    assert_eq!(
        params.lead_record.email.as_deref(),
        Some("robin@example.com")
    );
    assert!(!params.return_lead);
    let got: SuccessSyncLead =
        decode_response(&operations::SYNC_LEAD, &fixture("sync_lead_response.xml")).unwrap();
    assert_eq!(got.result.lead_id, 880042);
    assert_eq!(got.result.sync_status.status, LeadSyncStatus::Created);
    assert_eq!(got.result.sync_status.error, None);
    assert_eq!(got.result.lead_record, None);
}

#[test]
fn get_multiple_leads_sends_xsi_type_and_reads_leads() {
    let params: ParamsGetMultipleLeads = request_round_trip(
        &operations::GET_MULTIPLE_LEADS,
        "get_multiple_leads_request.xml",
        None,
    );
    match &params.lead_selector {
        Some(LeadSelector::LeadKeySelector(s)) => {
            assert_eq!(s.key_type, LeadKeyRef::Email);
            assert_eq!(s.key_values, ["alex@example.com", "sam@example.com"]);
        }
        other => panic!("wrong selector {other:?}"),
    }
    assert_eq!(params.batch_size, Some(50));
    let got: SuccessGetMultipleLeads = decode_response(
        &operations::GET_MULTIPLE_LEADS,
        &fixture("get_multiple_leads_response.xml"),
    )
    .unwrap();
    assert_eq!(got.result.return_count, 2);
    assert_eq!(got.result.new_stream_position, "");
    let leads = got.result.lead_record_list.expect("leads");
    assert_eq!(leads[1].foreign_sys_type, Some(ForeignSysType::Sfdc));
    assert_eq!(leads[1].foreign_sys_person_id.as_deref(), Some("CRM-88"));
}

#[test]
fn other_lead_selectors_round_trip() {
    for selector in [
        LeadSelector::from(StaticListSelector::new().static_list_name("VIPs")),
        LeadSelector::from(
            LastUpdateAtSelector::new(datetime!(2024-01-01 00:00:00 UTC))
                .latest_updated_at(datetime!(2024-02-01 12:30:00 +01:00)),
        ),
    ] {
        let params = ParamsGetMultipleLeads::new()
            .lead_selector(selector)
            .batch_size(10);
        let xml = marketo_soap::xml::to_string(&params).unwrap();
        let back: ParamsGetMultipleLeads = marketo_soap::xml::from_str(&xml).unwrap();
        assert_eq!(back, params, "{xml}");
    }
}

#[test]
fn list_operation_round_trips_and_response_reads() {
    let params: ParamsListOperation = request_round_trip(
        &operations::LIST_OPERATION,
        "list_operation_request.xml",
        None,
    );
    assert_eq!(params.list_operation, ListOperationType::Ismemberoflist);
    assert_eq!(params.list_key.key_type, ListKeyType::Mktolistname);
    assert_eq!(params.strict, Some(false));
    let got: SuccessListOperation = decode_response(
        &operations::LIST_OPERATION,
        &fixture("list_operation_response.xml"),
    )
    .unwrap();
    assert!(!got.result.success);
    let statuses = got.result.status_list.expect("statuses");
    assert_eq!(statuses.len(), 2);
    assert!(statuses[0].status);
    assert_eq!(statuses[1].lead_key.key_value, "3002");
}

#[test]
fn unknown_enum_values_are_kept_and_unknown_subtypes_are_errors() {
    // A status Marketo adds later decodes into the catch-all variant.
    let xml = fixture("sync_lead_response.xml").replace("CREATED", "TELEPORTED");
    let got = decode_response::<SuccessSyncLead>(&operations::SYNC_LEAD, &xml)
        .expect("an unknown enum value decodes");
    assert_eq!(
        got.result.sync_status.status,
        LeadSyncStatus::Unknown("TELEPORTED".to_owned())
    );
    assert_eq!(got.result.sync_status.status.as_str(), "TELEPORTED");
    assert_eq!("CREATED".parse(), Ok(LeadSyncStatus::Created));
    let xml = fixture("get_multiple_leads_request.xml")
        .replace("ns1:LeadKeySelector", "ns1:MysterySelector");
    let as_body = Operation {
        response_element: "paramsGetMultipleLeads",
        ..operations::GET_MULTIPLE_LEADS
    };
    let err = decode_response::<ParamsGetMultipleLeads>(&as_body, &xml).unwrap_err();
    assert!(err.to_string().contains("MysterySelector"), "{err}");
}

#[test]
fn faults_and_bad_bodies_are_told_apart() {
    let err = decode_response::<SuccessGetLead>(&operations::GET_LEAD, &fixture("fault_20016.xml"))
        .unwrap_err();
    assert_eq!(err.code(), Some("20016"));
    match err {
        SoapError::Fault {
            fault_code,
            fault_string,
            service_exception: Some(e),
        } => {
            assert_eq!(fault_code, "SOAP-ENV:Client");
            assert!(fault_string.contains("expired"));
            assert_eq!(e.name, "mktServiceException");
        }
        other => panic!("not a fault: {other:?}"),
    }
    let err = decode_response::<SuccessGetLead>(&operations::GET_LEAD, "<oops").unwrap_err();
    assert!(matches!(err, SoapError::Decode { .. }), "{err:?}");
    let wrong = fixture("list_operation_response.xml");
    let err = decode_response::<SuccessGetLead>(&operations::GET_LEAD, &wrong).unwrap_err();
    assert!(
        err.to_string().contains("expected <successGetLead>"),
        "{err}"
    );
}
