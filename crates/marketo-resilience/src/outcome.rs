//! What the clients do after each outcome of a Marketo call: the one
//! classification of REST codes, SOAP fault codes, HTTP statuses and
//! transport failures.
//!
//! Every decision of both clients' retry loops (`marketo-rest`,
//! `marketo-soap`, through `marketo-transport`) and every public helper of
//! their errors (`RestError::is_retryable`, `is_rate_limited`,
//! `SoapError::is_retryable`, …) is [`Outcome::action`] or one of the
//! functions it calls. This module is pure: no I/O, no HTTP library.
//!
//! # Actions
//!
//! * [`Action::RefreshToken`]: the credentials of the request were refused
//!   in a way a fresh credential cures. REST: the cached access token is
//!   dropped (once, even when N concurrent calls are refused) and the call
//!   sent again at once with a new one. SOAP: the request is signed afresh
//!   and sent again at once. Once per call: refused again, the call fails.
//! * [`Action::Retry`]: the call is sent again after the
//!   [`RetryPolicy`](crate::RetryPolicy)'s jittered backoff, until it
//!   succeeds or the policy's attempts or time are spent.
//! * [`Action::QuotaExhausted`]: a daily quota is spent; retrying before it
//!   resets (Marketo: midnight CST) cannot succeed. The call fails.
//! * [`Action::Fail`]: the call fails at once.
//!
//! # REST response-level codes ([`RestCode`])
//!
//! Marketo's error-code page: "a 6xx code indicates that the entire request
//! failed and was not executed", so retrying a 6xx is safe for every method.
//! An envelope with several errors is classified by [`rest_action`]: a
//! token error first, then a spent quota, then [`Action::Retry`] only when
//! every code is retried, otherwise [`Action::Fail`].
//!
//! | code | name | action | why |
//! |---|---|---|---|
//! | 500 | Internal Server error | Retry | as HTTP 5xx: the server could not fulfil the request |
//! | 502 | Bad Gateway | Retry | the page: "should be retried with exponential backoff" |
//! | 600 | Access token not specified | Fail | the client always sends one; not a stale token |
//! | 601 | Access token invalid | RefreshToken | the page: re-authenticate |
//! | 602 | Access token expired | RefreshToken | the page: re-authenticate |
//! | 603 | Access denied | Fail | permissions do not change by retrying |
//! | 604 | Request time-out | Retry | contention; 6xx: not executed |
//! | 605 | HTTP Method not supported | Fail | a wrong request |
//! | 606 | Max rate limit exceeded | Retry | 100 calls / 20 s: back off |
//! | 607 | Daily quota reached | QuotaExhausted | resets daily |
//! | 608 | API Temporarily Unavailable | Retry | temporary |
//! | 609 | Invalid JSON | Fail | a wrong request |
//! | 610 | Requested resource not found | Fail | a wrong URI (get-by-id: not found) |
//! | 611 | System error | Retry | unhandled exception; 6xx: not executed |
//! | 612 | Invalid Content Type | Fail | a wrong request |
//! | 613 | Invalid Multipart Request | Fail | a wrong request |
//! | 614 | Invalid Subscription | Retry | the page: "usually indicates temporary inaccessibility" |
//! | 615 | Concurrent access limit reached | Retry | 10 calls at a time: back off |
//! | 616 | Invalid subscription type | Fail | a subscription feature |
//! | 701 | cannot be blank | Fail | a wrong request |
//! | 702 | No data found | Fail | nothing to find (get-by-id: not found) |
//! | 703 | Feature not enabled | Fail | a subscription feature |
//! | 704 | Invalid date format | Fail | a wrong request |
//! | 709 | Business Rule Violation | Fail | a wrong request |
//! | 710 | Parent Folder Not Found | Fail | a wrong request |
//! | 711 | Incompatible Folder Type | Fail | a wrong request |
//! | 712 | Merge to person Account invalid | Fail | a wrong request |
//! | 713 | Transient Error | Retry | the page: "wait for time and then retry" |
//! | 714 | Default record type not found | Fail | configuration |
//! | 718 | ExternalSalesPersonID not found | Fail | a wrong request |
//! | 719 | Lock wait timeout exception | Retry | a lock timeout rolls the call back; the lock is released later |
//! | 1001–1079 | record-level reasons | Fail | the request was valid; the record's data is not |
//! | 1020 | Too many clones to program | QuotaExhausted | "allotted use … for the day" |
//! | 1029 | Too many jobs / export daily quota / job already queued | Fail | three causes under one code, none cured within a retry policy's seconds |
//! | other | unknown code | Fail | unknown: never guessed |
//!
//! # SOAP fault codes ([`SoapCode`])
//!
//! | code | name | action | why |
//! |---|---|---|---|
//! | 10001 | Internal Error (severe system failure) | Retry | as HTTP 5xx |
//! | 20011 | Internal Error (API service failure) | Retry | as HTTP 5xx and REST 611 |
//! | 20012 | Request Not Understood | Fail | a wrong request |
//! | 20013 | Access Denied | Fail | the client is blocked |
//! | 20014 | Authentication failed | Fail | wrong user id or key: signing again gives the same signature |
//! | 20015 | Request Limit Exceeded | QuotaExhausted | the daily quota |
//! | 20016 | Request Expired | RefreshToken | the page: "can be retried with a newly generated timestamp and signature" |
//! | 20017 | Invalid Request | Fail | a wrong request |
//! | 20019 | Unsupported Operation | Fail | a wrong request |
//! | 20022 | Time range exceeded limit | Fail | a wrong request (over 30 days) |
//! | 20023 | Rate Limit Exceeded | Retry | 100 calls / 20 s: back off |
//! | 20024 | Concurrency Limit Exceeded | Retry | 10 calls at a time: back off |
//! | 20101–20123 | lead, list, campaign and stream errors | Fail | a wrong request or missing data |
//! | other | unknown code | Fail | unknown: never guessed |
//!
//! # HTTP statuses ([`http_action`]) — both clients
//!
//! | status | action | why |
//! |---|---|---|
//! | 429 | Retry | too many requests: back off |
//! | 500–599 | Retry | server or gateway failure (502, 503, 504…) |
//! | 413, 414 | Fail | the request must be changed (REST sends long GETs as `POST ?_method=GET` beforehand) |
//! | other 4xx (401 from the identity endpoint, …) | Fail | a wrong request or credentials |
//!
//! A SOAP fault arrives with HTTP 500: its code, not the status, decides.
//!
//! # Transport failures ([`TransportFailure`])
//!
//! | failure | idempotent call | non-idempotent call | why |
//! |---|---|---|---|
//! | [`Connect`](TransportFailure::Connect) | Retry | Retry | the request provably never reached Marketo |
//! | [`TimedOut`](TransportFailure::TimedOut) | Retry | Fail | the call may have been executed |
//! | [`Other`](TransportFailure::Other) (connection dropped, body cut) | Retry | Fail | the call may have been executed |
//!
//! Whether a call is idempotent comes from the spec (REST: the HTTP method,
//! overridden per operation by `x-marketo-idempotent`; SOAP: the
//! operation's annotation), never from its name. Token requests are reads.
//!
//! # Everything else ([`Outcome::Invalid`])
//!
//! An answer whose body cannot be decoded (the call was answered and may
//! have been executed), a request that cannot be encoded, a configuration
//! error: [`Action::Fail`].
//!
//! # Limits ([`Limit`])
//!
//! `is_rate_limited` is true for the codes and statuses with a [`Limit`]:
//! REST 606, 615, 607, 1020, SOAP 20023, 20024, 20015, HTTP 429.

use std::fmt;
use std::str::FromStr;

/// What the client does after an outcome (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// Refresh the credential (REST token; SOAP signature) and send again
    /// at once, once per call.
    RefreshToken,
    /// Send again after a backoff delay.
    Retry,
    /// Fail: a daily quota is spent.
    QuotaExhausted,
    /// Fail.
    Fail,
}

impl Action {
    /// The lower-case name (`retry`, …), as logged.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RefreshToken => "refresh_token",
            Self::Retry => "retry",
            Self::QuotaExhausted => "quota_exhausted",
            Self::Fail => "fail",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which of Marketo's limits an outcome reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// Calls per time window (REST 606, SOAP 20023, HTTP 429).
    Rate,
    /// Calls in flight (REST 615, SOAP 20024).
    Concurrency,
    /// Calls (or clones) per day (REST 607, 1020, SOAP 20015).
    DailyQuota,
}

/// Why a request got no HTTP answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportFailure {
    /// The connection could not be established (DNS, refused, connect
    /// timeout): the request never reached the server.
    Connect,
    /// The exchange took longer than the request timeout.
    TimedOut,
    /// Anything else: connection dropped, body cut, TLS error after connect.
    Other,
}

impl TransportFailure {
    /// The failure from an HTTP library's flags (`reqwest::Error::is_connect`,
    /// `is_timeout`); a connect timeout is [`Connect`](Self::Connect).
    pub fn from_flags(is_connect: bool, is_timeout: bool) -> Self {
        if is_connect {
            Self::Connect
        } else if is_timeout {
            Self::TimedOut
        } else {
            Self::Other
        }
    }

    /// What to do after it (see the [module docs](self)).
    pub fn action(self, idempotent: bool) -> Action {
        match self {
            Self::Connect => Action::Retry,
            Self::TimedOut | Self::Other if idempotent => Action::Retry,
            Self::TimedOut | Self::Other => Action::Fail,
        }
    }
}

/// What to do after an HTTP status without a Marketo code (see the
/// [module docs](self)).
pub fn http_action(status: u16) -> Action {
    match status {
        429 | 500..=599 => Action::Retry,
        _ => Action::Fail,
    }
}

/// The limit an HTTP status reports (429: the rate).
pub fn http_limit(status: u16) -> Option<Limit> {
    (status == 429).then_some(Limit::Rate)
}

/// What to do after an envelope with these response-level codes: a token
/// error first, then a spent quota, then [`Action::Retry`] when every code
/// is retried; otherwise (no codes included) [`Action::Fail`].
pub fn rest_action<'a>(codes: impl IntoIterator<Item = &'a RestCode>) -> Action {
    let actions: Vec<Action> = codes.into_iter().map(RestCode::action).collect();
    if actions.contains(&Action::RefreshToken) {
        Action::RefreshToken
    } else if actions.contains(&Action::QuotaExhausted) {
        Action::QuotaExhausted
    } else if !actions.is_empty() && actions.iter().all(|a| *a == Action::Retry) {
        Action::Retry
    } else {
        Action::Fail
    }
}

/// One outcome of a failed exchange, as the clients classify it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// A REST envelope with `success: false` and these codes.
    Rest(Vec<RestCode>),
    /// A SOAP fault with this code (`None`: a fault without Marketo's
    /// `serviceException` code).
    Soap(Option<SoapCode>),
    /// An HTTP status without a Marketo code.
    Http(u16),
    /// No HTTP answer.
    Transport {
        /// Why.
        failure: TransportFailure,
        /// Whether the call may be repeated without changing the outcome.
        idempotent: bool,
    },
    /// An undecodable answer, an unencodable request, a configuration error:
    /// never retried.
    Invalid,
}

impl Outcome {
    /// What the client does (see the [module docs](self)).
    pub fn action(&self) -> Action {
        match self {
            Self::Rest(codes) => rest_action(codes),
            Self::Soap(Some(code)) => code.action(),
            Self::Soap(None) | Self::Invalid => Action::Fail,
            Self::Http(status) => http_action(*status),
            Self::Transport {
                failure,
                idempotent,
            } => failure.action(*idempotent),
        }
    }

    /// The first of Marketo's limits the outcome reports.
    pub fn limit(&self) -> Option<Limit> {
        match self {
            Self::Rest(codes) => codes.iter().find_map(RestCode::limit),
            Self::Soap(code) => code.as_ref().and_then(SoapCode::limit),
            Self::Http(status) => http_limit(*status),
            Self::Transport { .. } | Self::Invalid => None,
        }
    }

    /// Whether the client sends the call again after a backoff.
    pub fn is_retryable(&self) -> bool {
        self.action() == Action::Retry
    }
}

/// The error returned when a text is not a number (codes are numeric).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a Marketo error code: {0:?}")]
pub struct ParseCodeError(pub String);

macro_rules! codes {
    (
        $(#[$meta:meta])*
        $name:ident, $all:ident {
            $( $variant:ident = $code:literal, $text:literal, $action:ident, $limit:expr; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(
                #[doc = concat!("`", stringify!($code), "`: ", $text, ".")]
                $variant,
            )*
            /// A code this crate does not know (kept as sent).
            Other(String),
        }

        /// Every known code, in numeric order.
        pub const $all: &[$name] = &[$($name::$variant),*];

        impl $name {
            /// The numeric code (`None` for an unknown non-numeric one).
            pub fn code(&self) -> Option<u32> {
                match self {
                    $(Self::$variant => Some($code),)*
                    Self::Other(text) => text.parse().ok(),
                }
            }

            /// The code as Marketo sends it (`"601"`).
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => stringify!($code),)*
                    Self::Other(text) => text,
                }
            }

            /// Marketo's description of the code (empty for unknown codes).
            pub fn description(&self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)*
                    Self::Other(_) => "",
                }
            }

            /// What the client does after it (see the [module docs](self)).
            pub fn action(&self) -> Action {
                match self {
                    $(Self::$variant => Action::$action,)*
                    Self::Other(_) => Action::Fail,
                }
            }

            /// The limit it reports, if any.
            pub fn limit(&self) -> Option<Limit> {
                match self {
                    $(Self::$variant => $limit,)*
                    Self::Other(_) => None,
                }
            }

            /// The code of a number (unknown numbers are [`Self::Other`]).
            pub fn from_number(code: u32) -> Self {
                match code {
                    $($code => Self::$variant,)*
                    other => Self::Other(other.to_string()),
                }
            }

            /// The code of a text as Marketo sends it (`"601"`, ` 601 `);
            /// unknown or non-numeric texts are [`Self::Other`] and kept.
            pub fn parse(text: &str) -> Self {
                match text.trim().parse::<u32>() {
                    Ok(code) => Self::from_number(code),
                    Err(_) => Self::Other(text.to_owned()),
                }
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                Self::parse(text)
            }
        }

        impl From<u32> for $name {
            fn from(code: u32) -> Self {
                Self::from_number(code)
            }
        }

        impl FromStr for $name {
            type Err = ParseCodeError;

            /// Like [`Self::parse`], but a text that is not a number is an error.
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.trim()
                    .parse::<u32>()
                    .map(Self::from_number)
                    .map_err(|_| ParseCodeError(text.to_owned()))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

const RATE: Option<Limit> = Some(Limit::Rate);
const CONCURRENCY: Option<Limit> = Some(Limit::Concurrency);
const DAILY: Option<Limit> = Some(Limit::DailyQuota);

codes! {
    /// A Marketo REST code: response-level (`errors[].code`, 5xx–7xx) or
    /// record-level (`reasons[].code`, 1xxx), from Marketo's error-code page.
    RestCode, REST_CODES {
        InternalServerError = 500, "Internal Server error", Retry, None;
        BadGateway = 502, "Bad Gateway", Retry, None;
        AccessTokenNotSpecified = 600, "Access token not specified", Fail, None;
        AccessTokenInvalid = 601, "Access token invalid", RefreshToken, None;
        AccessTokenExpired = 602, "Access token expired", RefreshToken, None;
        AccessDenied = 603, "Access denied", Fail, None;
        RequestTimeOut = 604, "Request time-out", Retry, None;
        MethodNotSupported = 605, "HTTP Method not supported", Fail, None;
        RateLimitExceeded = 606, "Max rate limit exceeded", Retry, RATE;
        DailyQuotaReached = 607, "Daily quota reached", QuotaExhausted, DAILY;
        TemporarilyUnavailable = 608, "API Temporarily Unavailable", Retry, None;
        InvalidJson = 609, "Invalid JSON", Fail, None;
        ResourceNotFound = 610, "Requested resource not found", Fail, None;
        SystemError = 611, "System error", Retry, None;
        InvalidContentType = 612, "Invalid Content Type", Fail, None;
        InvalidMultipartRequest = 613, "Invalid Multipart Request", Fail, None;
        InvalidSubscription = 614, "Invalid Subscription", Retry, None;
        ConcurrentAccessLimitReached = 615, "Concurrent access limit reached", Retry, CONCURRENCY;
        InvalidSubscriptionType = 616, "Invalid subscription type", Fail, None;
        CannotBeBlank = 701, "A field cannot be blank", Fail, None;
        NoDataFound = 702, "No data found for a given search scenario", Fail, None;
        FeatureNotEnabled = 703, "The feature is not enabled for the subscription", Fail, None;
        InvalidDateFormat = 704, "Invalid date format", Fail, None;
        BusinessRuleViolation = 709, "Business Rule Violation", Fail, None;
        ParentFolderNotFound = 710, "Parent Folder Not Found", Fail, None;
        IncompatibleFolderType = 711, "Incompatible Folder Type", Fail, None;
        MergeToPersonAccountInvalid = 712, "Merge to person Account operation is invalid", Fail, None;
        TransientError = 713, "Transient Error", Retry, None;
        DefaultRecordTypeNotFound = 714, "Unable to find the default record type", Fail, None;
        ExternalSalesPersonIdNotFound = 718, "ExternalSalesPersonID not found", Fail, None;
        LockWaitTimeout = 719, "Lock wait timeout exception", Retry, None;
        InvalidValue = 1001, "Invalid value: type mismatch", Fail, None;
        MissingRequiredValue = 1002, "Missing value for the required parameter", Fail, None;
        InvalidData = 1003, "Invalid data", Fail, None;
        LeadNotFound = 1004, "Lead not found", Fail, None;
        LeadAlreadyExists = 1005, "Lead already exists", Fail, None;
        FieldNotFound = 1006, "Field not found", Fail, None;
        MultipleLeadsMatch = 1007, "Multiple leads match the lookup criteria", Fail, None;
        PartitionAccessDenied = 1008, "Access denied to partition", Fail, None;
        PartitionNameRequired = 1009, "Partition name must be specified", Fail, None;
        PartitionUpdateNotAllowed = 1010, "Partition update not allowed", Fail, None;
        FieldNotSupported = 1011, "Field not supported", Fail, None;
        InvalidCookieValue = 1012, "Invalid cookie value", Fail, None;
        ObjectNotFound = 1013, "Object not found", Fail, None;
        ObjectCreationFailed = 1014, "Failed to create Object", Fail, None;
        LeadNotInList = 1015, "Lead not in list", Fail, None;
        TooManyImports = 1016, "Too many imports", Fail, None;
        ObjectAlreadyExists = 1017, "Object already exists", Fail, None;
        CrmEnabled = 1018, "CRM Enabled", Fail, None;
        ImportInProgress = 1019, "Import in progress", Fail, None;
        TooManyClonesToProgram = 1020, "Too many clones to program", QuotaExhausted, DAILY;
        CompanyUpdateNotAllowed = 1021, "Company update not allowed", Fail, None;
        ObjectInUse = 1022, "Object in use", Fail, None;
        ProgramStatusNotFound = 1025, "Program status not found", Fail, None;
        CustomObjectNotEnabled = 1026, "Custom object not enabled", Fail, None;
        MaxActivityTypeLimitReached = 1027, "Max Activity Type Limit Reached", Fail, None;
        MaxFieldLimitReached = 1028, "Max field limit reached", Fail, None;
        ExportJobRefused = 1029, "Too many jobs in queue, export daily quota exceeded, or job already queued", Fail, None;
        UnsupportedFilterType = 1035, "Unsupported filter type", Fail, None;
        DuplicateObjectInInput = 1036, "Duplicate object found in input", Fail, None;
        LeadSkipped = 1037, "Lead was skipped", Fail, None;
        InvalidRunAtDate = 1042, "Invalid runAt date", Fail, None;
        DiscardDraftFailed = 1048, "Custom Object Discard Draft Failed", Fail, None;
        ActivityCreationFailed = 1049, "Failed to Create Activity", Fail, None;
        MergeCreatesDuplicate = 1076, "Merge Leads call with mergeInCRM creates a duplicate record", Fail, None;
        MergeFieldTooLong = 1077, "Merge Leads call failed due to SFDC Field length", Fail, None;
        MergeFailedInCrm = 1078, "Merge Leads call failed in the natively synced CRM", Fail, None;
        MergePersonalizedUrlConflict = 1079, "Merge Leads call failed due to Personalized URL conflict", Fail, None;
    }
}

codes! {
    /// A Marketo SOAP fault code (`serviceException.code`), from Marketo's
    /// SOAP error code table.
    SoapCode, SOAP_CODES {
        SystemFailure = 10001, "Internal Error: severe system failure", Retry, None;
        ServiceFailure = 20011, "Internal Error: API service failure", Retry, None;
        RequestNotUnderstood = 20012, "Request Not Understood", Fail, None;
        AccessDenied = 20013, "Access Denied", Fail, None;
        AuthenticationFailed = 20014, "Authentication failed", Fail, None;
        RequestLimitExceeded = 20015, "Request Limit Exceeded (daily quota)", QuotaExhausted, DAILY;
        RequestExpired = 20016, "Request Expired", RefreshToken, None;
        InvalidRequest = 20017, "Invalid Request", Fail, None;
        UnsupportedOperation = 20019, "Unsupported Operation", Fail, None;
        TimeRangeExceeded = 20022, "Time range specified in query filter exceeded limit", Fail, None;
        RateLimitExceeded = 20023, "Rate Limit Exceeded", Retry, RATE;
        ConcurrencyLimitExceeded = 20024, "Concurrency Limit Exceeded", Retry, CONCURRENCY;
        LeadKeyRequired = 20101, "Lead Key Required", Fail, None;
        LeadKeyBad = 20102, "Lead Key Bad", Fail, None;
        LeadNotFound = 20103, "Lead Not Found", Fail, None;
        LeadDetailRequired = 20104, "Lead Detail Required", Fail, None;
        LeadAttributeBad = 20105, "Lead Attribute Bad", Fail, None;
        LeadSyncFailed = 20106, "Lead Sync Failed", Fail, None;
        ActivityKeyBad = 20107, "Activity Key Bad", Fail, None;
        LeadOwnerNotFound = 20108, "Lead Owner Not Found", Fail, None;
        ParameterRequired = 20109, "Parameter Required", Fail, None;
        BadParameter = 20110, "Bad Parameter", Fail, None;
        ListNotFound = 20111, "List Not Found", Fail, None;
        CampaignNotFound = 20113, "Campaign Not Found", Fail, None;
        BadParameterValue = 20114, "Bad Parameter Value", Fail, None;
        BadStreamPosition = 20122, "Bad Stream Position", Fail, None;
        StreamAtEnd = 20123, "Stream at End", Fail, None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_keep_unknown_ones() {
        for code in REST_CODES {
            assert_eq!(RestCode::parse(code.as_str()), *code);
            assert_eq!(RestCode::from_number(code.code().unwrap()), *code);
        }
        for code in SOAP_CODES {
            assert_eq!(code.as_str().parse::<SoapCode>().unwrap(), *code);
        }
        assert_eq!(RestCode::parse("799"), RestCode::Other("799".into()));
        assert_eq!(RestCode::parse("x"), RestCode::Other("x".into()));
        assert!("x".parse::<RestCode>().is_err());
        assert_eq!(RestCode::parse(" 601 "), RestCode::AccessTokenInvalid);
        assert_eq!(RestCode::AccessTokenInvalid, "601");
        assert_eq!(RestCode::Other("799".into()).code(), Some(799));
    }

    #[test]
    fn several_codes() {
        use RestCode::*;
        assert_eq!(rest_action(&[]), Action::Fail);
        assert_eq!(rest_action(&[RequestTimeOut, SystemError]), Action::Retry);
        assert_eq!(rest_action(&[RequestTimeOut, NoDataFound]), Action::Fail);
        assert_eq!(
            rest_action(&[DailyQuotaReached, RequestTimeOut]),
            Action::QuotaExhausted
        );
        assert_eq!(
            rest_action(&[DailyQuotaReached, AccessTokenExpired]),
            Action::RefreshToken
        );
    }

    #[test]
    fn transport_failures_depend_on_idempotency() {
        use TransportFailure::*;
        assert_eq!(Connect.action(false), Action::Retry);
        assert_eq!(TimedOut.action(false), Action::Fail);
        assert_eq!(Other.action(false), Action::Fail);
        assert_eq!(TimedOut.action(true), Action::Retry);
        assert_eq!(Other.action(true), Action::Retry);
        assert_eq!(TransportFailure::from_flags(true, true), Connect);
        assert_eq!(TransportFailure::from_flags(false, true), TimedOut);
    }
}
