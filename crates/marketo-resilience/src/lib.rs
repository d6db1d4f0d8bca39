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
//! Decided in one place, [`outcome`]: every Marketo REST code, SOAP fault
//! code, HTTP status and transport failure maps to an [`Action`] (refresh
//! the credential, back off and retry, fail with the quota spent, fail),
//! with a table of the decisions and their reasons. Both clients' retry
//! loops (in `marketo-transport`) and their errors' helpers
//! (`is_retryable`, `is_rate_limited`, …) ask it; [`RetryPolicy`] only
//! schedules the attempts the classification allows. A [`ThrottleError`]
//! (the optional daily budget is spent) is returned at once, before any
//! request is sent.
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

pub mod outcome;
#[cfg(feature = "redis")]
mod redis;
mod retry;
mod throttle;

pub use outcome::{Action, Outcome};
#[cfg(feature = "redis")]
pub use redis::{RedisConfig, Unavailable};
pub use retry::RetryPolicy;
pub use throttle::{
    DailyBudget, Limits, MARKETO_MAX_CONCURRENT, Permit, Throttle, ThrottleError, ThrottleStats,
};
