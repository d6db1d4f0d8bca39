//! The binary starts, prints its URLs and credentials, and honours flags and variables.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

#[tokio::test]
async fn binary_prints_urls_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_marketo-emulator"))
        .args([
            "--port",
            "0",
            "--client-id",
            "flag-client",
            "--programs",
            "250",
        ])
        .env("MARKETO_EMULATOR_CLIENT_SECRET", "env-secret")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn the emulator binary");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut rest = None;
    let mut soap = None;
    let read = async {
        while let Some(line) = lines.next_line().await.expect("read line") {
            if let Some(v) = line.strip_prefix("REST base URL:") {
                rest = Some(v.trim().to_owned());
            }
            if let Some(v) = line.strip_prefix("SOAP endpoint:") {
                soap = Some(v.trim().to_owned());
            }
            if line.starts_with("Press Ctrl-C") {
                break;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(30), read)
        .await
        .expect("binary printed its URLs in time");
    let rest = rest.expect("REST base URL printed");
    let soap = soap.expect("SOAP endpoint printed");
    assert!(rest.starts_with("http://127.0.0.1:"), "{rest}");
    assert!(!rest.ends_with(":0"));
    assert_eq!(soap, format!("{rest}/soap/mktows/2_9"));

    let http = reqwest::Client::new();
    let ok = http
        .get(format!("{rest}/identity/oauth/token"))
        .query(&[
            ("grant_type", "client_credentials"),
            ("client_id", "flag-client"),
            ("client_secret", "env-secret"),
        ])
        .send()
        .await
        .expect("token call");
    assert_eq!(ok.status(), 200);
    let bad = http
        .get(format!("{rest}/identity/oauth/token"))
        .query(&[
            ("grant_type", "client_credentials"),
            ("client_id", marketo_emulator::DEFAULT_CLIENT_ID),
            ("client_secret", marketo_emulator::DEFAULT_CLIENT_SECRET),
        ])
        .send()
        .await
        .expect("token call");
    assert_eq!(bad.status(), 401);
    let token: serde_json::Value = ok.json().await.expect("token json");
    let token = token["access_token"].as_str().expect("token").to_owned();
    let page: serde_json::Value = http
        .get(format!("{rest}/rest/asset/v1/programs.json"))
        .bearer_auth(&token)
        .query(&[("maxReturn", "200"), ("offset", "200")])
        .send()
        .await
        .expect("browse")
        .json()
        .await
        .expect("browse json");
    // 5 demo programs + 250 seeded ones: the second page of 200 holds 55.
    assert_eq!(page["result"].as_array().map(Vec::len), Some(55), "{page}");
    let wsdl = http.get(format!("{soap}?WSDL")).send().await.expect("wsdl");
    assert_eq!(wsdl.status(), 200);
    child.kill().await.expect("stop the binary");
}
