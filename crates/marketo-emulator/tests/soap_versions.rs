//! SOAP: every API version path 2_0 to 2_9, its WSDL, its activity record shape, and paths
//! that name no version (SOAP faults, never REST JSON).

use marketo_emulator::Emulator;

mod soap_common;
use soap_common::*;

fn versions() -> impl Iterator<Item = String> {
    (0..=9).map(|m| format!("2_{m}"))
}

#[tokio::test]
async fn every_version_path_answers_operations() {
    let emu = Emulator::start().await.expect("start");
    for v in versions() {
        let url = emu.soap_endpoint_for(&v).expect("known version");
        assert!(url.ends_with(&format!("/soap/mktows/{v}")), "{url}");
        let (status, xml) = post_to(&url, envelope(&emu, "<ns1:paramsGetTags/>")).await;
        assert_eq!(status, 200, "{v}: {xml}");
        assert_eq!(body_element(&xml).0, "successGetTags", "{v}");
        // Authentication is the same on every version.
        let bad = envelope_with(&emu, "not-the-key", 0, "<ns1:paramsGetTags/>");
        let (status, xml) = post_to(&url, bad).await;
        assert_eq!(status, 500, "{v}");
        assert_eq!(fault_code(&xml), "20014", "{v}");
    }
    assert_eq!(emu.soap_endpoint_for("2_10"), None);
    assert_eq!(emu.soap_endpoint_for("3_0"), None);
    assert_eq!(emu.soap_endpoint_for("2_9"), Some(emu.soap_endpoint()));
}

#[tokio::test]
async fn wsdl_and_wsdl_equals_on_every_version() {
    let emu = Emulator::start().await.expect("start");
    let http = reqwest::Client::new();
    for v in versions() {
        let url = emu.soap_endpoint_for(&v).unwrap();
        for query in ["?WSDL", "?WSDL=", "?wsdl", "?wsdl=1"] {
            let r = http.get(format!("{url}{query}")).send().await.unwrap();
            assert_eq!(r.status(), 200, "{v}{query}");
            let ct = r.headers()["content-type"].to_str().unwrap().to_owned();
            assert!(ct.starts_with("text/xml"), "{ct}");
            let text = r.text().await.unwrap();
            let doc = roxmltree::Document::parse(&text).expect("WSDL is XML");
            assert_eq!(doc.root_element().tag_name().name(), "definitions");
            let address = doc
                .descendants()
                .find(|n| n.tag_name().name() == "address")
                .and_then(|n| n.attribute("location"))
                .expect("soap:address");
            // The service address is the path asked for, so a tool that loads the WSDL
            // from the URL calls the same version.
            assert_eq!(address, url, "{v}{query}");
        }
    }
    // A GET without ?WSDL is a fault.
    let r = http.get(emu.soap_endpoint()).send().await.unwrap();
    assert_eq!(r.status(), 500);
    assert_eq!(fault_code(&r.text().await.unwrap()), "20012");
}

#[tokio::test]
async fn unknown_version_paths_are_soap_faults_not_rest_json() {
    let emu = Emulator::start().await.expect("start");
    let base = emu.rest_base_url();
    let http = reqwest::Client::new();
    for path in [
        "/soap/mktows/2_10",
        "/soap/mktows/3_0",
        "/soap/mktows/1_9",
        "/soap/mktows/latest",
        "/soap/mktows",
        "/soap/mktows/",
        "/soap/mktows/2_9/extra",
        "/soap",
        "/soap/",
        "/soap/other/2_9",
        "/soap/mktows/2_%FF",
    ] {
        let url = format!("{base}{path}");
        let (status, xml) = post_to(&url, envelope(&emu, "<ns1:paramsGetTags/>")).await;
        assert_eq!(status, 500, "{path}: {xml}");
        assert_eq!(body_element(&xml).0, "Fault", "{path}");
        assert_eq!(fault_code(&xml), "20012", "{path}");
        let r = http.get(format!("{url}?WSDL")).send().await.unwrap();
        assert_eq!(r.status(), 500, "{path}?WSDL");
        let text = r.text().await.unwrap();
        assert_eq!(fault_code(&text), "20012", "{path}?WSDL");
    }
    // Nothing was executed.
    assert_eq!(emu.stats().soap.executed, 0);
}

/// An activity of lead 3001 (the demo data has none of its own for every lead): add it to
/// the demo static list.
async fn add_activity(emu: &Emulator) {
    let body = "<ns1:paramsListOperation><listOperation>ADDTOLIST</listOperation><listKey><keyType>MKTOLISTNAME</keyType><keyValue>Demo Static List</keyValue></listKey><listMemberList><leadKey><keyType>IDNUM</keyType><keyValue>3005</keyValue></leadKey></listMemberList></ns1:paramsListOperation>";
    let xml = ok(emu, body).await;
    assert_eq!(texts(&xml, "status"), vec!["true"], "{xml}");
}

#[tokio::test]
async fn activity_records_have_id_up_to_2_3_and_marketo_guid_after() {
    let emu = Emulator::start().await.expect("start");
    add_activity(&emu).await;
    let activity = "<ns1:paramsGetLeadActivity><leadKey><keyType>IDNUM</keyType><keyValue>3005</keyValue></leadKey></ns1:paramsGetLeadActivity>";
    let changes = "<ns1:paramsGetLeadChanges><startPosition><oldestCreatedAt>2000-01-01T00:00:00Z</oldestCreatedAt></startPosition></ns1:paramsGetLeadChanges>";
    for v in versions() {
        let url = emu.soap_endpoint_for(&v).unwrap();
        for (body, record) in [(activity, "activityRecord"), (changes, "leadChangeRecord")] {
            let (status, xml) = post_to(&url, envelope(&emu, body)).await;
            assert_eq!(status, 200, "{v}: {xml}");
            let doc = roxmltree::Document::parse(&xml).unwrap();
            let records: Vec<_> = doc
                .descendants()
                .filter(|n| n.tag_name().name() == record)
                .collect();
            assert!(!records.is_empty(), "{v} {record}: {xml}");
            for r in records {
                let names: Vec<&str> = r
                    .children()
                    .filter(|c| c.is_element())
                    .map(|c| c.tag_name().name())
                    .collect();
                assert_eq!(names.first(), Some(&"id"), "{v}: {names:?}");
                let old = matches!(v.as_str(), "2_0" | "2_1" | "2_2" | "2_3");
                assert_eq!(
                    names.contains(&"marketoGUID"),
                    !old,
                    "{v} {record}: {names:?}"
                );
            }
        }
    }
}
