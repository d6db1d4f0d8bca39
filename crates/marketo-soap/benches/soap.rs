//! Benchmarks of the SOAP wire path: serializing and signing a
//! `scheduleCampaign` request, and parsing a `getMultipleLeads` response of
//! 1,000 leads × 20 attributes.
//!
//! Run: `cargo bench -p marketo-soap --bench soap`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use marketo_auth::SoapCredentials;
use marketo_soap::envelope::{
    RequestHeaders, decode_response, decode_response_with_yaserde, encode_request,
};
use marketo_soap::operations;
use marketo_soap::types::SuccessGetMultipleLeads;

mod support;
use support::{multiple_leads, schedule_campaign};

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
    group.bench_function("parse 1000 leads x 20 attributes (yaserde)", |b| {
        b.iter(|| {
            let got: SuccessGetMultipleLeads =
                decode_response_with_yaserde(&operations::GET_MULTIPLE_LEADS, black_box(&body))
                    .expect("decodes");
            black_box(got)
        })
    });
    group.finish();
    eprintln!("getMultipleLeads body: {} bytes", body.len());
}

criterion_group!(benches, bench);
criterion_main!(benches);
