//! The messages the SOAP benchmarks measure, shared by the criterion bench
//! (`benches/soap.rs`) and the side-by-side script's example
//! (`examples/soap_decode_bench.rs`, run by `scripts/bench-soap.sh`).

use std::fmt::Write as _;

use marketo_soap::types::{ArrayOfAttrib, Attrib, ParamsScheduleCampaign};

/// The `scheduleCampaign` request that is signed and serialized: a program
/// clone with five tokens.
pub fn schedule_campaign() -> ParamsScheduleCampaign {
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
/// attributes each (1,000 × 20 is about 2.4 MB).
pub fn multiple_leads(leads: usize, attributes: usize) -> String {
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
