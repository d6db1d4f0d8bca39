//! Benchmarks of the SOAP wire path: serializing and signing a
//! `scheduleCampaign` request, and parsing a `getMultipleLeads` response of
//! 1,000 leads × 20 attributes.
//!
//! Run: `cargo bench -p marketo-soap --bench soap`.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use marketo_auth::SoapCredentials;
use marketo_soap::envelope::{RequestHeaders, decode_response, encode_request};
use marketo_soap::operations;
use marketo_soap::types::{ArrayOfAttrib, Attrib, ParamsScheduleCampaign, SuccessGetMultipleLeads};

fn schedule_campaign() -> ParamsScheduleCampaign {
    ParamsScheduleCampaign::new("Spring-Webinar-Program", "Send Invitations")
        .clone_to_program_name("Spring-Webinar-Copy")
        .campaign_run_at(time::macros::datetime!(2024-03-06 10:00:00 -08:00))
        .program_token_list(
            (0..5)
                .map(|i| Attrib::new(format!("{{{{my.token{i}}}}}"), format!("value number {i}")))
                .collect::<ArrayOfAttrib>(),
        )
}

/// A `successGetMultipleLeads` envelope with `leads` leads of `attributes`
/// attributes each.
fn multiple_leads(leads: usize, attributes: usize) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="http://www.marketo.com/mktows/"><SOAP-ENV:Body><ns1:successGetMultipleLeads><result>"#,
    );
    let _ = write!(
        xml,
        "<returnCount>{leads}</returnCount><remainingCount>0</remainingCount><newStreamPosition>pos-1</newStreamPosition><leadRecordList>"
    );
    for l in 0..leads {
        let _ = write!(
            xml,
            "<leadRecord><Id>{l}</Id><Email>lead{l}@example.com</Email><ForeignSysPersonId xsi:nil=\"true\"/><ForeignSysType xsi:nil=\"true\"/><leadAttributeList>"
        );
        for a in 0..attributes {
            let _ = write!(
                xml,
                "<attribute><attrName>Field{a}</attrName><attrType>string</attrType><attrValue>value {l}-{a}</attrValue></attribute>"
            );
        }
        xml.push_str("</leadAttributeList></leadRecord>");
    }
    xml.push_str("</leadRecordList></result></ns1:successGetMultipleLeads></SOAP-ENV:Body></SOAP-ENV:Envelope>");
    xml
}

fn bench(c: &mut Criterion) {
    let credentials = SoapCredentials::new("bench_user_01", "bench-encryption-key");
    let params = schedule_campaign();
    c.bench_function("schedule_campaign: sign + serialize", |b| {
        b.iter(|| {
            let auth = credentials.sign_now();
            let headers = RequestHeaders {
                authentication: Some(&auth),
                target_workspace: None,
            };
            black_box(
                encode_request(&operations::SCHEDULE_CAMPAIGN, &headers, black_box(&params))
                    .expect("encodes"),
            )
        })
    });

    let body = multiple_leads(1000, 20);
    let parsed: SuccessGetMultipleLeads =
        decode_response(&operations::GET_MULTIPLE_LEADS, &body).expect("decodes");
    assert_eq!(parsed.result.lead_record_list.map(|l| l.len()), Some(1000));
    let mut group = c.benchmark_group("get_multiple_leads");
    group.sample_size(10);
    group.bench_function("parse 1000 leads x 20 attributes", |b| {
        b.iter(|| {
            let got: SuccessGetMultipleLeads =
                decode_response(&operations::GET_MULTIPLE_LEADS, black_box(&body))
                    .expect("decodes");
            black_box(got)
        })
    });
    group.finish();
    eprintln!("getMultipleLeads body: {} bytes", body.len());
}

criterion_group!(benches, bench);
criterion_main!(benches);
