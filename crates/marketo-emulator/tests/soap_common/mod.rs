//! Helpers of the SOAP tests: signing, envelopes written by hand, posting, reading faults.
// Each test binary uses a different subset.
#![allow(dead_code)]

use hmac::{Hmac, KeyInit, Mac};
use marketo_emulator::Emulator;
use sha1::Sha1;

pub const NS: &str = "http://www.marketo.com/mktows/";

pub fn sign(key: &str, ts: &str, user: &str) -> String {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key.as_bytes()).expect("key");
    mac.update(ts.as_bytes());
    mac.update(user.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub fn timestamp(emu: &Emulator, shift_secs: i64) -> String {
    let t = emu.now() + time::Duration::seconds(shift_secs);
    let t = t.to_offset(time::UtcOffset::from_hms(-7, 0, 0).expect("offset"));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}-07:00",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

pub fn envelope_with(emu: &Emulator, key: &str, shift: i64, body: &str) -> String {
    let user = emu.credentials().user_id;
    let ts = timestamp(emu, shift);
    let sig = sign(key, &ts, &user);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <SOAP-ENV:Header>
    <ns1:AuthenticationHeader>
      <mktowsUserId>{user}</mktowsUserId>
      <requestSignature>{sig}</requestSignature>
      <requestTimestamp>{ts}</requestTimestamp>
    </ns1:AuthenticationHeader>
  </SOAP-ENV:Header>
  <SOAP-ENV:Body>{body}</SOAP-ENV:Body>
</SOAP-ENV:Envelope>"#
    )
}

pub fn envelope(emu: &Emulator, body: &str) -> String {
    envelope_with(emu, &emu.credentials().encryption_key, 0, body)
}

pub async fn post(emu: &Emulator, xml: String) -> (u16, String) {
    post_ct(emu, xml, "text/xml; charset=utf-8").await
}

pub async fn post_ct(emu: &Emulator, xml: String, ct: &str) -> (u16, String) {
    let r = reqwest::Client::new()
        .post(emu.soap_endpoint())
        .header("Content-Type", ct)
        .header("SOAPAction", "http://www.marketo.com/mktows/x")
        .body(xml)
        .send()
        .await
        .expect("send");
    let status = r.status().as_u16();
    (status, r.text().await.expect("text"))
}

/// Parses a response and returns (top-level body element local name, its namespace, document text).
pub fn body_element(xml: &str) -> (String, Option<String>) {
    let doc = roxmltree::Document::parse(xml).expect("response is XML");
    let body = doc
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "Body")
        .expect("Body");
    let first = body
        .children()
        .find(|n| n.is_element())
        .expect("body child");
    (
        first.tag_name().name().to_owned(),
        first.tag_name().namespace().map(str::to_owned),
    )
}

pub fn fault_code(xml: &str) -> String {
    let doc = roxmltree::Document::parse(xml).expect("fault is XML");
    let se = doc
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "serviceException")
        .expect("serviceException");
    assert_eq!(se.tag_name().namespace(), Some(NS));
    se.children()
        .find(|n| n.tag_name().name() == "code")
        .and_then(|n| n.text())
        .expect("code")
        .to_owned()
}

pub fn child_text(xml: &str, name: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(xml).ok()?;
    doc.descendants()
        .find(|n| n.is_element() && n.tag_name().name() == name)
        .and_then(|n| n.text().map(str::to_owned))
}

/// POSTs an envelope to any URL.
pub async fn post_to(url: &str, xml: String) -> (u16, String) {
    let r = reqwest::Client::new()
        .post(url)
        .header("Content-Type", "text/xml; charset=utf-8")
        .body(xml)
        .send()
        .await
        .expect("send");
    let status = r.status().as_u16();
    (status, r.text().await.expect("text"))
}

/// Calls an operation with a correctly signed header and expects success: the answer.
pub async fn ok(emu: &Emulator, body: &str) -> String {
    let (status, xml) = post(emu, envelope(emu, body)).await;
    assert_eq!(status, 200, "{body}\n{xml}");
    xml
}

/// Calls an operation with a correctly signed header and expects a fault: its code.
pub async fn fault(emu: &Emulator, body: &str) -> String {
    let (status, xml) = post(emu, envelope(emu, body)).await;
    assert_eq!(status, 500, "{body}\n{xml}");
    fault_code(&xml)
}

/// Every text of elements with this local name, in document order.
pub fn texts(xml: &str, name: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("XML");
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == name)
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect()
}
