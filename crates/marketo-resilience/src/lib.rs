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
//! A [`Throttle`] is in-process by default; with the `redis` cargo feature,
//! `Throttle::redis` shares its limits across processes through Redis (see
//! below).
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
//!
//! # Across processes: Redis (cargo feature `redis`)
//!
//! Marketo's limits are per instance, shared by every process calling it;
//! an in-process throttle per worker cannot see the others. With the `redis`
//! feature, `Throttle::redis(limits, RedisConfig::new(url))` keeps the same
//! three gates in Redis, shared by every process (on any machine) using the
//! same `RedisConfig::key_prefix`; it is the same [`Throttle`] type, so both
//! clients take it unchanged (`.throttle(t)`).
//!
//! * **Atomic**: each admission is one Lua script, run on Redis's clock
//!   (`TIME`): expired leases dropped, the in-flight count, the sliding
//!   window (a sorted set of start times: the in-process throttle's exact
//!   sliding-window rule) and
//!   the daily budget checked, then the start recorded and a slot leased.
//! * **Leases**: an in-flight slot is leased for `RedisConfig::lease`
//!   (default 30 s) and renewed every third of it while the permit is held;
//!   dropping the permit releases it. A process that dies mid-call stops
//!   renewing: its slots come back within one lease.
//! * **Redis unreachable** (`RedisConfig::on_unavailable`): fail closed
//!   (default, `Unavailable::Wait(30 s)`: keep trying Redis, then return
//!   [`ThrottleError::Unavailable`] without calling Marketo), or a
//!   conservative local share (`Unavailable::LocalShare { processes }`:
//!   `1/processes` of each limit in every process, Redis tried again every
//!   `RedisConfig::retry_after`) — safe as long as at most `processes`
//!   processes share the instance. The share's calls are not recorded in
//!   Redis: if Redis comes back *with* its state (a network partition, not
//!   a restart), a window may hold them on top of Redis's own count until
//!   it slides past; failing closed has no such gap.
//! * **Redis restarted** (state lost): the first admission that finds the
//!   state missing holds every admission for one window
//!   (`RedisConfig::hold_after_reset`, default on; also the first time a
//!   prefix is used), so calls from before the restart never share a window
//!   with calls after it. Slots leased before the restart are no longer
//!   counted; a holder's next renewal records its slot again.
//! * **Lost replies**: a grant whose reply never reaches the process is
//!   charged (window and budget) without a call being made, and its slot
//!   frees when its lease ends — the error is always on the safe side.
//! * **Budget**: one counter per prefix, reset at the budget's midnight on
//!   Redis's clock; [`Throttle::budget_used`] is the fleet's count.
//! * **Stats** ([`Throttle::stats`]) stay per process.
//! * **Server**: Redis ≥ 5 (scripts calling `TIME`); one key prefix maps to
//!   one hash slot (`{prefix}:…`), so Redis Cluster works too. Tested in
//!   `.ci/run` against Debian's `redis-server`.

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
