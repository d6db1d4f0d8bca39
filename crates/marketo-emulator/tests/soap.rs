//! SOAP: signatures, operations, faults and the WSDL. The XML is written by hand here.

use std::time::Duration;

use marketo_emulator::{Api, Emulator, Fault, FaultError};

mod soap_common;
use soap_common::*;

const SCHEDULE: &str = r#"<ns1:paramsScheduleCampaign>
  <programName>Demo Default Program</programName>
  <campaignName>Demo Batch Campaign</campaignName>
  <campaignRunAt>RUN_AT</campaignRunAt>
  <programTokenList>
    <attrib><name>{{my.message}}</name><value>Updated message</value></attrib>
    <attrib><name>{{my.other token}}</name><value>Other &amp; more</value></attrib>
  </programTokenList>
</ns1:paramsScheduleCampaign>"#;

/// The schedule request, run 30 days from the emulator clock (returned too).
fn schedule_body(emu: &Emulator) -> (String, String) {
    let run_at = timestamp(emu, 30 * 24 * 3600);
    (SCHEDULE.replace("RUN_AT", &run_at), run_at)
}

#[tokio::test]
async fn signed_schedule_campaign_is_recorded() {
    let emu = Emulator::start().await.expect("start");
    let (body, run_at) = schedule_body(&emu);
    let (status, xml) = post(&emu, envelope(&emu, &body)).await;
    assert_eq!(status, 200, "{xml}");
    let (name, ns) = body_element(&xml);
    assert_eq!(name, "successScheduleCampaign");
    assert_eq!(ns.as_deref(), Some(NS));
    assert_eq!(child_text(&xml, "success").as_deref(), Some("true"));
    // The child `result` is unqualified.
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let result = doc
        .descendants()
        .find(|n| n.tag_name().name() == "result")
        .unwrap();
    assert_eq!(result.tag_name().namespace(), None);

    let s = emu.schedules();
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].api, Api::Soap);
    assert_eq!(s[0].campaign_id, 2001);
    assert_eq!(s[0].program_name.as_deref(), Some("Demo Default Program"));
    assert_eq!(
        s[0].tokens,
        vec![
            ("{{my.message}}".to_owned(), "Updated message".to_owned()),
            ("{{my.other token}}".to_owned(), "Other & more".to_owned())
        ]
    );
    let expected = marketo_emulator::parse_datetime(&run_at).unwrap();
    assert_eq!(s[0].run_at, expected);
}

#[tokio::test]
async fn schedule_campaign_clone_limit_and_unknown_campaign() {
    let emu = Emulator::start().await.expect("start");
    for i in 0..10 {
        let body = format!(
            "<ns1:paramsScheduleCampaign><programName>Demo Default Program</programName><cloneToProgramName>SOAP Clone {i}</cloneToProgramName><campaignName>Demo Batch Campaign</campaignName></ns1:paramsScheduleCampaign>"
        );
        let (status, xml) = post(&emu, envelope(&emu, &body)).await;
        assert_eq!(status, 200, "call {i}: {xml}");
    }
    let clone = emu.program_by_name("SOAP Clone 3").expect("clone exists");
    let last = emu.schedules().pop().unwrap();
    assert_eq!(last.clone_to_program_name.as_deref(), Some("SOAP Clone 9"));
    assert_ne!(last.scheduled_campaign_id, 2001);
    assert!(clone.id > 1005);
    let body = "<ns1:paramsScheduleCampaign><programName>Demo Default Program</programName><cloneToProgramName>SOAP Clone 10</cloneToProgramName><campaignName>Demo Batch Campaign</campaignName></ns1:paramsScheduleCampaign>";
    let (status, xml) = post(&emu, envelope(&emu, body)).await;
    assert_eq!(status, 500);
    assert_eq!(fault_code(&xml), "20110");
    // Unknown campaign.
    let body = "<ns1:paramsScheduleCampaign><programName>Demo Default Program</programName><campaignName>Nope</campaignName></ns1:paramsScheduleCampaign>";
    let (status, xml) = post(&emu, envelope(&emu, body)).await;
    assert_eq!(status, 500);
    assert_eq!(fault_code(&xml), "20113");
}

#[tokio::test]
async fn get_lead_by_email_and_not_found() {
    let emu = Emulator::start().await.expect("start");
    let body = "<ns1:paramsGetLead><leadKey><keyType>EMAIL</keyType><keyValue>ada@example.com</keyValue></leadKey></ns1:paramsGetLead>";
    let (status, xml) = post(&emu, envelope(&emu, body)).await;
    assert_eq!(status, 200, "{xml}");
    assert_eq!(body_element(&xml).0, "successGetLead");
    assert_eq!(child_text(&xml, "count").as_deref(), Some("1"));
    assert_eq!(child_text(&xml, "Id").as_deref(), Some("3001"));
    let body = "<ns1:paramsGetLead><leadKey><keyType>EMAIL</keyType><keyValue>nobody@example.com</keyValue></leadKey></ns1:paramsGetLead>";
    let (status, xml) = post(&emu, envelope(&emu, body)).await;
    assert_eq!(status, 500);
    assert_eq!(fault_code(&xml), "20103");
}

/// The Authentication Signature and Error Codes pages: a wrong signature (wrong encryption
/// key) is 20014 "Authentication failed"; a stale timestamp is 20016 "Request Expired".
#[tokio::test]
async fn wrong_key_is_20014_and_stale_timestamp_is_20016() {
    let emu = Emulator::start().await.expect("start");
    let (schedule, _) = schedule_body(&emu);
    let (status, xml) = post(&emu, envelope_with(&emu, "not-the-key", 0, &schedule)).await;
    assert_eq!(status, 500);
    assert_eq!(body_element(&xml).0, "Fault");
    assert_eq!(fault_code(&xml), "20014");
    assert_eq!(
        child_text(&xml, "faultstring").as_deref(),
        Some("20014 - Authentication failed")
    );
    assert!(!xml.contains(&emu.credentials().encryption_key));
    let key = emu.credentials().encryption_key;
    for shift in [-3600, 3600] {
        let (status, xml) = post(&emu, envelope_with(&emu, &key, shift, &schedule)).await;
        assert_eq!(status, 500);
        assert_eq!(fault_code(&xml), "20016");
        assert_eq!(
            child_text(&xml, "faultstring").as_deref(),
            Some("20016 - Request Expired")
        );
    }
    // A stale timestamp signed with the wrong key: the signature is checked first.
    let (_, xml) = post(&emu, envelope_with(&emu, "not-the-key", -3600, &schedule)).await;
    assert_eq!(fault_code(&xml), "20014");
    // Within the window either way: fine.
    let (status, _) = post(&emu, envelope_with(&emu, &key, 600, &schedule)).await;
    assert_eq!(status, 200);
    let (status, _) = post(&emu, envelope_with(&emu, &key, -600, &schedule)).await;
    assert_eq!(status, 200);
    assert_eq!(emu.schedules().len(), 2);
    assert_eq!(emu.stats().errors("20014"), 2);
    assert_eq!(emu.stats().errors("20016"), 2);
}

/// A signature that is not hex, and a correctly signed timestamp that is no date: 20014.
#[tokio::test]
async fn malformed_signature_or_timestamp_is_20014() {
    let emu = Emulator::start().await.expect("start");
    let good = envelope(&emu, "<ns1:paramsGetTags/>");
    let doc = roxmltree::Document::parse(&good).unwrap();
    let sig = doc
        .descendants()
        .find(|n| n.tag_name().name() == "requestSignature")
        .and_then(|n| n.text())
        .unwrap()
        .to_owned();
    let (_, xml) = post(&emu, good.replace(&sig, "zz-not-hex")).await;
    assert_eq!(fault_code(&xml), "20014");
    let user = emu.credentials().user_id;
    let key = emu.credentials().encryption_key;
    let ts = "yesterday";
    let signed = format!(
        r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="{NS}"><SOAP-ENV:Header><ns1:AuthenticationHeader><mktowsUserId>{user}</mktowsUserId><requestSignature>{}</requestSignature><requestTimestamp>{ts}</requestTimestamp></ns1:AuthenticationHeader></SOAP-ENV:Header><SOAP-ENV:Body><ns1:paramsGetTags/></SOAP-ENV:Body></SOAP-ENV:Envelope>"#,
        sign(&key, ts, &user)
    );
    let (_, xml) = post(&emu, signed).await;
    assert_eq!(fault_code(&xml), "20014");
}

#[tokio::test]
async fn unknown_user_or_missing_header_is_20014() {
    let emu = Emulator::start().await.expect("start");
    let xml = envelope(&emu, SCHEDULE).replace(&emu.credentials().user_id, "someone_else");
    let (status, resp) = post(&emu, xml).await;
    assert_eq!(status, 500);
    assert_eq!(fault_code(&resp), "20014");
    let no_header = format!(
        r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="{NS}"><SOAP-ENV:Body>{SCHEDULE}</SOAP-ENV:Body></SOAP-ENV:Envelope>"#
    );
    let (status, resp) = post(&emu, no_header).await;
    assert_eq!(status, 500);
    assert_eq!(fault_code(&resp), "20014");
}

#[tokio::test]
async fn bad_input_gets_faults_not_panics() {
    let emu = Emulator::start().await.expect("start");
    let (status, xml) = post(&emu, "<SOAP-ENV:Envelope><unclosed".into()).await;
    assert_eq!(status, 500);
    assert_eq!(fault_code(&xml), "20012");
    let (status, xml) = post(&emu, envelope(&emu, "<ns1:paramsNoSuchThing/>")).await;
    assert_eq!(status, 500);
    assert_eq!(fault_code(&xml), "20019");
    let (status, xml) = post_ct(&emu, envelope(&emu, SCHEDULE), "application/json").await;
    assert_eq!(status, 500);
    assert_eq!(fault_code(&xml), "20012");
    let huge = envelope(
        &emu,
        &format!(
            "<ns1:paramsGetTags><!-- {} --></ns1:paramsGetTags>",
            "x".repeat(2 * 1024 * 1024)
        ),
    );
    let (status, xml) = post(&emu, huge).await;
    assert_eq!(status, 500);
    assert_eq!(fault_code(&xml), "20012");
    // A DOCTYPE (entity expansion) is refused too.
    let dtd = r#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxx">]><a>&x;</a>"#;
    let (status, xml) = post(&emu, dtd.into()).await;
    assert_eq!(status, 500);
    assert_eq!(fault_code(&xml), "20012");
    // Still serving.
    let (status, _) = post(&emu, envelope(&emu, "<ns1:paramsGetTags/>")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn wsdl_is_served() {
    let emu = Emulator::start().await.expect("start");
    let r = reqwest::get(emu.wsdl_url()).await.expect("get");
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    let doc = roxmltree::Document::parse(&text).expect("WSDL is XML");
    assert_eq!(doc.root_element().tag_name().name(), "definitions");
    assert!(text.contains("paramsScheduleCampaign"));
}

#[tokio::test]
async fn soap_limits_and_injected_faults() {
    let emu = Emulator::start().await.expect("start");
    emu.inject(Fault::SoapFault("20023".into()), 1);
    let (status, xml) = post(&emu, envelope(&emu, "<ns1:paramsGetTags/>")).await;
    assert_eq!(status, 500);
    assert_eq!(fault_code(&xml), "20023");
    emu.inject(Fault::HttpStatus(503), 1);
    let (status, _) = post(&emu, envelope(&emu, "<ns1:paramsGetTags/>")).await;
    assert_eq!(status, 503);
    emu.inject(Fault::TruncatedBody, 1);
    let (status, xml) = post(&emu, envelope(&emu, "<ns1:paramsGetTags/>")).await;
    assert_eq!(status, 200);
    assert!(roxmltree::Document::parse(&xml).is_err());
    // Rate: 100 executed calls per 20 s → 20023 on the next (injected faults were not executed,
    // the truncated answer was).
    for _ in 0..99 {
        let (status, _) = post(&emu, envelope(&emu, "<ns1:paramsListMObjects/>")).await;
        assert_eq!(status, 200);
    }
    let (status, xml) = post(&emu, envelope(&emu, "<ns1:paramsListMObjects/>")).await;
    assert_eq!(status, 500);
    assert_eq!(fault_code(&xml), "20023");
    emu.advance(Duration::from_secs(21));
    let (status, _) = post(&emu, envelope(&emu, "<ns1:paramsListMObjects/>")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn lead_list_and_campaign_operations() {
    let emu = Emulator::start().await.expect("start");
    // syncLead creates, then updates by email.
    let sync = |first: &str| {
        format!(
            "<ns1:paramsSyncLead><leadRecord><Email>new@example.com</Email><leadAttributeList><attribute><attrName>FirstName</attrName><attrValue>{first}</attrValue></attribute></leadAttributeList></leadRecord><returnLead>true</returnLead></ns1:paramsSyncLead>"
        )
    };
    let (status, xml) = post(&emu, envelope(&emu, &sync("Nina"))).await;
    assert_eq!(status, 200, "{xml}");
    assert_eq!(child_text(&xml, "status").as_deref(), Some("CREATED"));
    let id: i64 = child_text(&xml, "leadId").unwrap().parse().unwrap();
    let (_, xml) = post(&emu, envelope(&emu, &sync("Nora"))).await;
    assert_eq!(child_text(&xml, "status").as_deref(), Some("UPDATED"));
    assert_eq!(
        emu.lead(id).unwrap().field_text("firstName").as_deref(),
        Some("Nora")
    );
    // Unknown attribute → 20105.
    let bad = "<ns1:paramsSyncLead><leadRecord><Email>x@example.com</Email><leadAttributeList><attribute><attrName>NoSuchField</attrName><attrValue>1</attrValue></attribute></leadAttributeList></leadRecord><returnLead>false</returnLead></ns1:paramsSyncLead>";
    let (status, xml) = post(&emu, envelope(&emu, bad)).await;
    assert_eq!(status, 500);
    assert_eq!(fault_code(&xml), "20105");

    // listOperation.
    let list_op = |op: &str| {
        format!(
            "<ns1:paramsListOperation><listOperation>{op}</listOperation><listKey><keyType>MKTOLISTNAME</keyType><keyValue>Demo Static List</keyValue></listKey><listMemberList><leadKey><keyType>IDNUM</keyType><keyValue>{id}</keyValue></leadKey></listMemberList></ns1:paramsListOperation>"
        )
    };
    let (_, xml) = post(&emu, envelope(&emu, &list_op("ISMEMBEROFLIST"))).await;
    assert_eq!(child_text(&xml, "status").as_deref(), Some("false"));
    let (_, xml) = post(&emu, envelope(&emu, &list_op("ADDTOLIST"))).await;
    assert_eq!(child_text(&xml, "status").as_deref(), Some("true"), "{xml}");
    assert!(emu.list_members(4001).unwrap().contains(&id));
    let (_, xml) = post(&emu, envelope(&emu, &list_op("ISMEMBEROFLIST"))).await;
    assert_eq!(child_text(&xml, "status").as_deref(), Some("true"));

    // getMultipleLeads by static list.
    let body = r#"<ns1:paramsGetMultipleLeads><leadSelector xsi:type="ns1:StaticListSelector"><staticListName>Demo Static List</staticListName></leadSelector><batchSize>2</batchSize></ns1:paramsGetMultipleLeads>"#;
    let (status, xml) = post(&emu, envelope(&emu, body)).await;
    assert_eq!(status, 200, "{xml}");
    assert_eq!(child_text(&xml, "returnCount").as_deref(), Some("2"));
    assert_eq!(child_text(&xml, "remainingCount").as_deref(), Some("2"));

    // getCampaignsForSource lists requestable campaigns; requestCampaign records a trigger.
    let (_, xml) = post(&emu, envelope(&emu, "<ns1:paramsGetCampaignsForSource><source>MKTOWS</source></ns1:paramsGetCampaignsForSource>")).await;
    assert_eq!(child_text(&xml, "returnCount").as_deref(), Some("2"));
    let body = format!(
        "<ns1:paramsRequestCampaign><source>MKTOWS</source><campaignId>2002</campaignId><leadList><leadKey><keyType>IDNUM</keyType><keyValue>{id}</keyValue></leadKey></leadList><programTokenList><attrib><name>{{{{my.x}}}}</name><value>1</value></attrib></programTokenList></ns1:paramsRequestCampaign>"
    );
    let (status, xml) = post(&emu, envelope(&emu, &body)).await;
    assert_eq!(status, 200, "{xml}");
    let t = emu.triggers();
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].lead_ids, vec![id]);
    assert_eq!(t[0].tokens, vec![("{{my.x}}".to_owned(), "1".to_owned())]);
}

#[tokio::test]
async fn injected_soap_codes_are_kept_and_unknown_ones_refused() {
    let emu = Emulator::start().await.expect("start");
    for code in ["10001", "20016", "20123"] {
        emu.try_inject(Fault::SoapFault(code.into()), 1).unwrap();
        let (status, xml) = post(&emu, envelope(&emu, "<ns1:paramsGetTags/>")).await;
        assert_eq!(status, 500);
        assert_eq!(fault_code(&xml), code);
    }
    let err = emu
        .try_inject(Fault::SoapFault("20099".into()), 1)
        .unwrap_err();
    assert_eq!(err, FaultError::UnknownSoapCode("20099".into()));
    assert_eq!(emu.pending_faults(), 0);
    let (status, _) = post(&emu, envelope(&emu, "<ns1:paramsGetTags/>")).await;
    assert_eq!(status, 200);
}
