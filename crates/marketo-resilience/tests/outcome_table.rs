//! Every code of Marketo's error-code pages, with the action expected from
//! what the page says (written from the pages, not from the code):
//! `reference/rest/error-codes.md` and `reference/soap/error-codes.md`.

use std::collections::BTreeSet;

use marketo_resilience::outcome::{
    Action, Limit, Outcome, REST_CODES, RestCode, SOAP_CODES, SoapCode, TransportFailure,
    http_action,
};

use Action::{Fail, QuotaExhausted as Quota, RefreshToken as Refresh, Retry};

/// The REST page: response-level codes (HTTP 200, `errors`) and
/// record-level codes (`reasons`), plus 600 that Marketo sends without a
/// token. "A 6xx code indicates that the entire request failed and was not
/// executed."
const REST_PAGE: &[(u32, Action)] = &[
    (500, Retry),   // Internal Server error: like HTTP 5xx
    (502, Retry),   // "should be retried with exponential backoff"
    (600, Fail),    // token not specified: the client always sends one
    (601, Refresh), // "re-authenticating"
    (602, Refresh), // expired
    (603, Fail),    // permissions
    (604, Retry),   // request time-out, not executed
    (605, Fail),    // method not supported
    (606, Retry),   // rate limit 100 / 20 s
    (607, Quota),   // daily quota, resets at midnight CST
    (608, Retry),   // temporarily unavailable
    (609, Fail),    // invalid JSON
    (610, Fail),    // resource not found
    (611, Retry),   // system error, not executed
    (612, Fail),    // content type
    (613, Fail),    // multipart
    (614, Retry),   // "usually indicates temporary inaccessibility"
    (615, Retry),   // 10 concurrent calls
    (616, Fail),    // subscription type
    (701, Fail),
    (702, Fail),
    (703, Fail),
    (704, Fail),
    (709, Fail),
    (710, Fail),
    (711, Fail),
    (712, Fail),
    (713, Retry), // "wait for time and then retry the request"
    (714, Fail),
    (718, Fail),
    (719, Retry), // lock wait timeout
    (1001, Fail),
    (1002, Fail),
    (1003, Fail),
    (1004, Fail),
    (1005, Fail),
    (1006, Fail),
    (1007, Fail),
    (1008, Fail),
    (1009, Fail),
    (1010, Fail),
    (1011, Fail),
    (1012, Fail),
    (1013, Fail),
    (1014, Fail),
    (1015, Fail),
    (1016, Fail),
    (1017, Fail),
    (1018, Fail),
    (1019, Fail),
    (1020, Quota), // "allotted use … for the day"
    (1021, Fail),
    (1022, Fail),
    (1025, Fail),
    (1026, Fail),
    (1027, Fail),
    (1028, Fail),
    (1029, Fail), // queue full / export quota / already queued
    (1035, Fail),
    (1036, Fail),
    (1037, Fail),
    (1042, Fail),
    (1048, Fail),
    (1049, Fail),
    (1076, Fail),
    (1077, Fail),
    (1078, Fail),
    (1079, Fail),
];

/// The SOAP page (and MARKETO-FACTS: 20014, 20015, 20016, 20022, 20023, 20024).
const SOAP_PAGE: &[(u32, Action)] = &[
    (10001, Retry),   // internal error
    (20011, Retry),   // internal error
    (20012, Fail),    // request not understood
    (20013, Fail),    // access denied
    (20014, Fail),    // wrong signature or user: signing again does not help
    (20015, Quota),   // daily quota
    (20016, Refresh), // "retried with a newly generated timestamp and signature"
    (20017, Fail),
    (20019, Fail),
    (20022, Fail), // over 30 days
    (20023, Retry),
    (20024, Retry),
    (20101, Fail),
    (20102, Fail),
    (20103, Fail),
    (20104, Fail),
    (20105, Fail),
    (20106, Fail),
    (20107, Fail),
    (20108, Fail),
    (20109, Fail),
    (20110, Fail),
    (20111, Fail),
    (20113, Fail),
    (20114, Fail),
    (20122, Fail),
    (20123, Fail),
];

#[test]
fn every_rest_code_of_the_page_is_known_and_classified() {
    for (code, expected) in REST_PAGE {
        let parsed = RestCode::parse(&code.to_string());
        assert!(!matches!(parsed, RestCode::Other(_)), "{code} is unknown");
        assert_eq!(parsed.action(), *expected, "REST {code}");
        assert_eq!(
            Outcome::Rest(vec![parsed]).action(),
            *expected,
            "REST {code}"
        );
    }
    let page: BTreeSet<u32> = REST_PAGE.iter().map(|(c, _)| *c).collect();
    let known: BTreeSet<u32> = REST_CODES.iter().filter_map(RestCode::code).collect();
    assert_eq!(page, known, "the enum has exactly the page's codes");
}

#[test]
fn every_soap_code_of_the_page_is_known_and_classified() {
    for (code, expected) in SOAP_PAGE {
        let parsed = SoapCode::parse(&code.to_string());
        assert!(!matches!(parsed, SoapCode::Other(_)), "{code} is unknown");
        assert_eq!(parsed.action(), *expected, "SOAP {code}");
        assert_eq!(Outcome::Soap(Some(parsed)).action(), *expected);
    }
    let page: BTreeSet<u32> = SOAP_PAGE.iter().map(|(c, _)| *c).collect();
    let known: BTreeSet<u32> = SOAP_CODES.iter().filter_map(SoapCode::code).collect();
    assert_eq!(page, known, "the enum has exactly the page's codes");
}

#[test]
fn unknown_codes_fail() {
    assert_eq!(RestCode::parse("799").action(), Fail);
    assert_eq!(SoapCode::parse("29999").action(), Fail);
    assert_eq!(Outcome::Soap(None).action(), Fail);
    assert_eq!(Outcome::Invalid.action(), Fail);
}

#[test]
fn http_statuses() {
    for status in [429, 500, 502, 503, 504, 599] {
        assert_eq!(http_action(status), Retry, "{status}");
    }
    for status in [400, 401, 403, 404, 405, 409, 413, 414, 422] {
        assert_eq!(http_action(status), Fail, "{status}");
    }
    assert_eq!(Outcome::Http(429).limit(), Some(Limit::Rate));
}

#[test]
fn transport_failures() {
    let t = |failure, idempotent| Outcome::Transport {
        failure,
        idempotent,
    };
    assert_eq!(t(TransportFailure::Connect, false).action(), Retry);
    assert_eq!(t(TransportFailure::TimedOut, false).action(), Fail);
    assert_eq!(t(TransportFailure::Other, false).action(), Fail);
    assert_eq!(t(TransportFailure::TimedOut, true).action(), Retry);
    assert_eq!(t(TransportFailure::Other, true).action(), Retry);
}

#[test]
fn limits() {
    let rest = |c: u32| RestCode::from_number(c).limit();
    assert_eq!(rest(606), Some(Limit::Rate));
    assert_eq!(rest(615), Some(Limit::Concurrency));
    assert_eq!(rest(607), Some(Limit::DailyQuota));
    assert_eq!(rest(604), None);
    let soap = |c: u32| SoapCode::from_number(c).limit();
    assert_eq!(soap(20023), Some(Limit::Rate));
    assert_eq!(soap(20024), Some(Limit::Concurrency));
    assert_eq!(soap(20015), Some(Limit::DailyQuota));
}
