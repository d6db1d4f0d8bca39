//! Retry policy and client-side throttling for the Marketo clients.
//!
//! Marketo enforces, per instance and shared by every integration: 100
//! calls in any 20 s (606), 10 concurrent calls (615) and a daily quota
//! (607). Both `marketo-rest` and `marketo-soap` send every call through a
//! [`Throttle`] (to stay inside those limits) and a [`RetryPolicy`] (to ride
//! out transient failures).
//!
//! # What is retried
//!
//! The clients classify each failure; this crate only schedules the
//! attempts. Their rules:
//!
//! * Marketo codes 604, 606, 608, 611, 615, 713 (SOAP: 20023, 20024) and
//!   HTTP 429 and 5xx (502, 503, 504…) are retried. 6xx codes mean the
//!   request was not executed, so retrying them is safe for POSTs too. (An
//!   envelope with several errors is retried only when all are of these.)
//! * 607 (daily quota; SOAP 20015) and every other API error (4xx-style:
//!   1003, 702, 709…) are never retried, nor are answers whose body cannot
//!   be decoded (garbage or truncated: the call was answered and may have
//!   been executed).
//! * Transport errors: an idempotent call (GET, and the SOAP read
//!   operations) is retried after any transport error; a non-idempotent
//!   call only when the request provably never reached the server (the
//!   connection could not be established). A timeout or a connection
//!   dropped after sending may have executed the call, so it is not retried.
//! * 601/602 (token invalid/expired) are handled apart: the REST client
//!   refreshes the token once and retries immediately.
//! * A [`ThrottleError`] (the optional daily budget is spent) is returned at
//!   once, before any request is sent.
//!
//! Each attempt takes its own [`Permit`] from the throttle and holds it for
//! the HTTP exchange, so retries are throttled like first attempts.
//!
//! ```
//! use marketo_resilience::{Limits, RetryPolicy, Throttle};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! // One throttle per Marketo instance; clone it into every client.
//! let throttle = Throttle::new(Limits { max_in_flight: 5, ..Limits::default() })?;
//! let permit = throttle.acquire().await?;
//! // … send the call while holding `permit` …
//! drop(permit);
//! let policy = RetryPolicy::default();
//! let n: u32 = policy
//!     .run(|attempt| async move { if attempt < 2 { Err("busy") } else { Ok(attempt) } },
//!          |_e| true)
//!     .await?;
//! assert_eq!(n, 2);
//! # Ok(()) }
//! ```

mod retry;
mod throttle;

pub use retry::RetryPolicy;
pub use throttle::{
    DailyBudget, Limits, MARKETO_MAX_CONCURRENT, Permit, Throttle, ThrottleError, ThrottleStats,
};
