//! SOAP signing through the public API: RFC 2202 HMAC-SHA1 vectors and
//! vectors computed by an independent tool (OpenSSL).

use marketo_auth::{EncryptionKey, SoapCredentials};
use time::macros::datetime;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// RFC 2202 section 3 (HMAC-SHA-1): (key, data, digest).
fn rfc2202() -> Vec<(Vec<u8>, Vec<u8>, &'static str)> {
    vec![
        (
            vec![0x0b; 20],
            b"Hi There".to_vec(),
            "b617318655057264e28bc0b6fb378c8ef146be00",
        ),
        (
            b"Jefe".to_vec(),
            b"what do ya want for nothing?".to_vec(),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
        ),
        (
            vec![0xaa; 20],
            vec![0xdd; 50],
            "125d7342b9ac11cd91a39af48aa17b4f63f175d3",
        ),
        (
            hex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
            vec![0xcd; 50],
            "4c9007f4026250c6bc8414f9bf50c86c2d7235da",
        ),
        (
            vec![0x0c; 20],
            b"Test With Truncation".to_vec(),
            "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04",
        ),
        (
            vec![0xaa; 80],
            b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112",
        ),
        (
            vec![0xaa; 80],
            b"Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data".to_vec(),
            "e8e99d0f45237d786d6bbaa7965c7808bbff1a91",
        ),
    ]
}

#[test]
fn rfc2202_vectors_through_the_key() {
    for (i, (key, data, digest)) in rfc2202().into_iter().enumerate() {
        let key = EncryptionKey::from_bytes(key);
        assert_eq!(
            key.hmac_sha1_hex(&data),
            digest,
            "RFC 2202 test case {}",
            i + 1
        );
    }
}

#[test]
fn rfc2202_text_vectors_through_request_signing() {
    // Where key and data are text, the signature of "timestamp + user id"
    // must equal the vector's digest, however the data is split.
    for (key, data, digest) in rfc2202() {
        let (Ok(key), Ok(data)) = (String::from_utf8(key), String::from_utf8(data)) else {
            continue;
        };
        let (timestamp, user_id) = data.split_at(data.len() / 2);
        let signed = SoapCredentials::new(user_id, key).sign_timestamp(timestamp);
        assert_eq!(signed.request_signature, digest, "data {data:?}");
        assert_eq!(signed.request_timestamp, timestamp);
        assert_eq!(signed.mktows_user_id, user_id);
    }
}

#[test]
fn matches_openssl() {
    // printf '%s' '2013-08-03T21:39:34-07:00demo17_1_809224544BFABAE58E5D27' \
    //   | openssl dgst -sha1 -hmac '8YhM5oy0U4UyOsQpBnrd4Rt9BF1Hhw1Y3JkD'
    // SHA1(stdin)= d48b062b8302c1750f5603a77ef6e91f8373db8e
    let credentials = SoapCredentials::new(
        "demo17_1_809224544BFABAE58E5D27",
        "8YhM5oy0U4UyOsQpBnrd4Rt9BF1Hhw1Y3JkD",
    );
    let signed = credentials.sign_at(datetime!(2013-08-03 21:39:34 -07:00));
    assert_eq!(signed.request_timestamp, "2013-08-03T21:39:34-07:00");
    assert_eq!(
        signed.request_signature,
        "d48b062b8302c1750f5603a77ef6e91f8373db8e"
    );

    // A non-ASCII key is signed over its UTF-8 bytes:
    // printf '%s' '2026-11-23T10:51:00+00:00user_a' | openssl dgst -sha1 -hmac 'k€y with ünïcode'
    // SHA1(stdin)= 05bec688ae36641cc4b7e76ab3cb944f423434af
    let signed = SoapCredentials::new("user_a", "k€y with ünïcode")
        .sign_at(datetime!(2026-11-23 10:51:00 UTC));
    assert_eq!(signed.request_timestamp, "2026-11-23T10:51:00+00:00");
    assert_eq!(
        signed.request_signature,
        "05bec688ae36641cc4b7e76ab3cb944f423434af"
    );
}

#[test]
fn sign_now_uses_the_current_time_and_signs_what_it_sends() {
    let credentials = SoapCredentials::new("user", "key");
    let before = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap();
    let signed = credentials.sign_now();
    let after = time::OffsetDateTime::now_utc();
    let sent = time::OffsetDateTime::parse(
        &signed.request_timestamp,
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert!(
        before <= sent && sent <= after,
        "{sent} not in [{before}, {after}]"
    );
    assert!(signed.request_timestamp.ends_with("+00:00"));
    // The signature is over exactly the string that is sent.
    assert_eq!(
        signed.request_signature,
        credentials
            .sign_timestamp(signed.request_timestamp.clone())
            .request_signature
    );
    assert_eq!(signed.request_signature.len(), 40);
    assert!(
        signed
            .request_signature
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
}
