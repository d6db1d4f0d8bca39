//! Client-side throttling: stay inside Marketo's limits instead of
//! discovering them through 606/615 errors.
//!
//! A [`Throttle`] combines three gates, taken in this order for every call:
//!
//! 1. a **concurrency** gate (`tokio` semaphore): at most
//!    [`Limits::max_in_flight`] calls at once (Marketo refuses the 11th
//!    concurrent call with 615; Adobe advises ≤ 5 per integration);
//! 2. a **daily budget** (optional): fails fast with
//!    [`ThrottleError::DailyBudgetExhausted`] instead of spending the last
//!    calls of the instance's quota and meeting 607;
//! 3. a **rate** gate: at most [`Limits::calls`] − [`Limits::margin`] calls
//!    in any sliding window of [`Limits::window`] + [`Limits::window_margin`]
//!    (Marketo: 100 per 20 s, 606 beyond; by default 98 per 21 s).
//!
//! The concurrency permit is taken *before* the rate slot, so that a call is
//! sent as soon as its rate slot is granted; taking them the other way round
//! would let calls admitted early pile up behind the semaphore and reach the
//! server in a burst.
//!
//! ## Why a sliding-window log and not a token bucket
//!
//! Marketo counts calls in a *sliding* 20 s window. A token bucket or GCRA
//! (e.g. `governor`) with burst `b` and one token every `T` admits up to
//! `b + W/T` calls in a window `W`, so it can only guarantee the limit by
//! trading burst against rate: `b = 10, T = 20 s / 90` keeps the limit but
//! makes a fresh client wait after 10 calls, `b = 50` halves the sustained
//! rate. The exact rule — "the k-th call may start once call k − N started
//! at least W ago" — needs the start times of the last N calls, which is
//! what this gate keeps (a ring of at most N instants, waits with
//! `tokio::time::sleep_until`). It is both exact and as fast as the limit
//! allows: a fresh client may send N calls at once, then one per freed
//! slot. The `margin` (default 2 calls) and the `window_margin` (default
//! 1 s) absorb the difference between when a call leaves the client and
//! when Marketo counts it: a call admitted exactly one window after another
//! could otherwise arrive less than a window after it, if the earlier one
//! was slower on the way (tests against the emulator with equal windows
//! saw 606s for that reason).
//!
//! [`Throttle`] is cheap to clone; clones share the same gates, so every
//! clone of a client — and, when handed the same throttle, the REST and SOAP
//! clients of one instance — draw from one budget.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use std::collections::VecDeque;

use time::{OffsetDateTime, UtcOffset};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Marketo's documented concurrency limit; [`Limits::max_in_flight`] may not
/// exceed it.
pub const MARKETO_MAX_CONCURRENT: usize = 10;

/// The limits a [`Throttle`] enforces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Calls allowed in any sliding [`window`](Self::window) (Marketo: 100).
    pub calls: u32,
    /// The sliding window (Marketo: 20 s).
    pub window: Duration,
    /// Calls kept below [`calls`](Self::calls) per window as a safety margin
    /// (default 2).
    pub margin: u32,
    /// Time added to [`window`](Self::window) for network timing (default
    /// 1 s): Marketo counts a call when it arrives, and two calls sent
    /// `window` apart can arrive closer together when the first was slower
    /// on the way. In a burst the call margin does not cover that (the calls
    /// it leaves out were sent at nearly the same moment); a time margin
    /// does, as long as the delays differ by less than it.
    pub window_margin: Duration,
    /// Calls in flight at once (default 5; at most
    /// [`MARKETO_MAX_CONCURRENT`]).
    pub max_in_flight: usize,
    /// An optional daily call budget, checked before each call.
    pub daily_budget: Option<DailyBudget>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            calls: 100,
            window: Duration::from_secs(20),
            margin: 2,
            window_margin: Duration::from_secs(1),
            max_in_flight: 5,
            daily_budget: None,
        }
    }
}

impl Limits {
    /// No practical rate limit (a million calls a second) and Marketo's
    /// maximum concurrency: for tests and for
    /// callers who throttle elsewhere.
    pub fn unlimited() -> Self {
        Self {
            calls: 1_000_000,
            window: Duration::from_secs(1),
            margin: 0,
            window_margin: Duration::ZERO,
            max_in_flight: MARKETO_MAX_CONCURRENT,
            daily_budget: None,
        }
    }
}

/// A daily call budget: at most `calls` calls between two resets, the
/// reset being at midnight at `reset_offset` (Marketo resets quotas at
/// midnight US Central; the default offset is UTC−06:00, CST — one hour
/// early during daylight saving time, which errs on the safe side).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyBudget {
    /// Calls allowed per day.
    pub calls: u64,
    /// The UTC offset of the midnight that starts a new day.
    pub reset_offset: UtcOffset,
}

impl DailyBudget {
    /// A budget of `calls` per day resetting at midnight UTC−06:00.
    pub fn new(calls: u64) -> Self {
        Self {
            calls,
            reset_offset: UtcOffset::from_hms(-6, 0, 0).unwrap_or(UtcOffset::UTC),
        }
    }
}

/// Why a [`Throttle`] cannot be built or refused a call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThrottleError {
    /// The limits make no sense (zero calls, zero window, too many in
    /// flight…).
    #[error("invalid throttle limits: {0}")]
    InvalidLimits(String),
    /// The daily budget is spent; no call was made.
    #[error("the daily call budget of {limit} calls is spent; it resets at {resets_at}")]
    DailyBudgetExhausted {
        /// The configured budget.
        limit: u64,
        /// When the next day starts.
        resets_at: OffsetDateTime,
    },
    /// The shared store of a Redis-backed throttle stayed unreachable for
    /// longer than its configured wait (fail-closed mode); no call was made.
    #[error("the shared throttle's store is unreachable: {0}")]
    Unavailable(String),
}

/// Counters of what a [`Throttle`] did (for tests, benchmarks, metrics).
///
/// For a Redis-backed throttle the counters are this process's own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThrottleStats {
    /// Calls admitted.
    pub admitted: u64,
    /// The most calls in flight at once.
    pub max_in_flight: usize,
    /// Total time callers spent waiting for the gates.
    pub waited: Duration,
    /// Calls admitted by the local fallback share while Redis was
    /// unreachable (Redis-backed throttle with
    /// `Unavailable::LocalShare` only; included in `admitted`).
    pub fallback: u64,
}

/// Shared rate, concurrency and daily-budget gates. See the module docs.
///
/// In-process by default ([`Throttle::new`]); with the `redis` cargo
/// feature, `Throttle::redis` builds one whose gates live in Redis and are
/// shared by every process using the same key prefix. Both kinds are taken
/// the same way ([`Throttle::acquire`]), so both clients accept either.
#[derive(Clone)]
pub struct Throttle {
    engine: Engine,
}

#[derive(Clone)]
enum Engine {
    Local(Arc<Inner>),
    #[cfg(feature = "redis")]
    Redis(Arc<crate::redis::Shared>),
}

struct Inner {
    limits: Limits,
    rate: SlidingWindow,
    in_flight: Arc<Semaphore>,
    budget: Option<Mutex<BudgetState>>,
    counters: Counters,
}

/// The counters behind [`ThrottleStats`], common to both engines.
#[derive(Default)]
pub(crate) struct Counters {
    admitted: AtomicU64,
    fallback: AtomicU64,
    waited_us: AtomicU64,
    current: Arc<AtomicUsize>,
    max_seen: AtomicUsize,
}

impl Counters {
    /// Records one admission after `waited` and wraps `guard` in a permit.
    pub(crate) fn admit(&self, guard: Guard, waited: Duration) -> Permit {
        self.admitted.fetch_add(1, Ordering::Relaxed);
        if matches!(guard, Guard::Fallback(_)) {
            self.fallback.fetch_add(1, Ordering::Relaxed);
        }
        self.waited_us.fetch_add(
            u64::try_from(waited.as_micros()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        let now = self.current.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_seen.fetch_max(now, Ordering::SeqCst);
        Permit {
            _guard: guard,
            current: Arc::clone(&self.current),
            waited,
        }
    }

    pub(crate) fn stats(&self) -> ThrottleStats {
        ThrottleStats {
            admitted: self.admitted.load(Ordering::Relaxed),
            max_in_flight: self.max_seen.load(Ordering::SeqCst),
            waited: Duration::from_micros(self.waited_us.load(Ordering::Relaxed)),
            fallback: self.fallback.load(Ordering::Relaxed),
        }
    }
}

struct BudgetState {
    day_start: OffsetDateTime,
    used: u64,
}

impl std::fmt::Debug for Throttle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Throttle");
        match &self.engine {
            Engine::Local(_) => d.field("engine", &"local"),
            #[cfg(feature = "redis")]
            Engine::Redis(shared) => d.field("engine", shared),
        };
        d.field("limits", self.limits())
            .field("stats", &self.stats())
            .finish()
    }
}

impl Default for Throttle {
    /// Marketo's limits with the defaults of [`Limits::default`].
    fn default() -> Self {
        Self::new(Limits::default()).expect("the default limits are valid")
    }
}

impl Limits {
    /// Checks the limits and returns the calls usable per window
    /// (`calls − margin`).
    pub(crate) fn validate(&self) -> Result<usize, ThrottleError> {
        let invalid = |m: &str| Err(ThrottleError::InvalidLimits(m.to_owned()));
        if self.window.is_zero() {
            return invalid("the window must be longer than zero");
        }
        if self.max_in_flight == 0 || self.max_in_flight > MARKETO_MAX_CONCURRENT {
            return invalid("max_in_flight must be between 1 and 10 (Marketo's limit)");
        }
        if self.calls <= self.margin {
            return invalid("calls per window must exceed the margin");
        }
        match usize::try_from(self.calls - self.margin) {
            Ok(usable) => Ok(usable),
            Err(_) => invalid("too many calls per window"),
        }
    }
}

impl Throttle {
    /// A throttle enforcing `limits` inside this process.
    pub fn new(limits: Limits) -> Result<Self, ThrottleError> {
        let usable = limits.validate()?;
        let budget = limits.daily_budget.as_ref().map(|b| {
            Mutex::new(BudgetState {
                day_start: day_start(OffsetDateTime::now_utc(), b.reset_offset),
                used: 0,
            })
        });
        Ok(Self {
            engine: Engine::Local(Arc::new(Inner {
                rate: SlidingWindow::new(
                    usable,
                    limits.window.saturating_add(limits.window_margin),
                ),
                in_flight: Arc::new(Semaphore::new(limits.max_in_flight)),
                budget,
                limits,
                counters: Counters::default(),
            })),
        })
    }

    #[cfg(feature = "redis")]
    pub(crate) fn from_redis(shared: Arc<crate::redis::Shared>) -> Self {
        Self {
            engine: Engine::Redis(shared),
        }
    }

    /// The limits this throttle enforces.
    pub fn limits(&self) -> &Limits {
        match &self.engine {
            Engine::Local(inner) => &inner.limits,
            #[cfg(feature = "redis")]
            Engine::Redis(shared) => shared.limits(),
        }
    }

    /// Waits until a call may be made and returns a permit to hold while the
    /// call is in flight. Fails fast when the daily budget is spent, and —
    /// for a Redis-backed throttle configured to fail closed — when Redis
    /// stays unreachable ([`ThrottleError::Unavailable`]).
    pub async fn acquire(&self) -> Result<Permit, ThrottleError> {
        match &self.engine {
            Engine::Local(inner) => inner.acquire().await,
            #[cfg(feature = "redis")]
            Engine::Redis(shared) => shared.acquire().await,
        }
    }

    /// Calls counted against the daily budget today (0 without a budget).
    /// For a Redis-backed throttle: the fleet-wide count Redis returned with
    /// this process's last admission.
    pub fn budget_used(&self) -> u64 {
        match &self.engine {
            Engine::Local(inner) => inner.budget.as_ref().map_or(0, |b| {
                b.lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .used
            }),
            #[cfg(feature = "redis")]
            Engine::Redis(shared) => shared.budget_used(),
        }
    }

    /// What the throttle has done so far (in this process).
    pub fn stats(&self) -> ThrottleStats {
        match &self.engine {
            Engine::Local(inner) => inner.counters.stats(),
            #[cfg(feature = "redis")]
            Engine::Redis(shared) => shared.counters().stats(),
        }
    }
}

impl Inner {
    async fn acquire(&self) -> Result<Permit, ThrottleError> {
        let started = Instant::now();
        let permit = Arc::clone(&self.in_flight)
            .acquire_owned()
            .await
            .expect("the throttle never closes its semaphore");
        self.charge_budget()?;
        self.rate.admit().await;
        Ok(self.counters.admit(Guard::Local(permit), started.elapsed()))
    }

    fn charge_budget(&self) -> Result<(), ThrottleError> {
        let (Some(budget), Some(cfg)) = (&self.budget, &self.limits.daily_budget) else {
            return Ok(());
        };
        let mut state = budget
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let today = day_start(OffsetDateTime::now_utc(), cfg.reset_offset);
        if today != state.day_start {
            state.day_start = today;
            state.used = 0;
        }
        if state.used >= cfg.calls {
            return Err(ThrottleError::DailyBudgetExhausted {
                limit: cfg.calls,
                resets_at: state.day_start + time::Duration::days(1),
            });
        }
        state.used += 1;
        Ok(())
    }
}

/// The exact sliding-window rule: at most `limit` starts in any `window`.
struct SlidingWindow {
    limit: usize,
    window: Duration,
    starts: Mutex<VecDeque<tokio::time::Instant>>,
}

impl SlidingWindow {
    fn new(limit: usize, window: Duration) -> Self {
        Self {
            limit,
            window,
            starts: Mutex::new(VecDeque::with_capacity(limit.min(1024))),
        }
    }

    /// Waits until one more call fits and records its start.
    async fn admit(&self) {
        loop {
            let wake = {
                let mut starts = self.starts.lock().unwrap_or_else(|p| p.into_inner());
                let now = tokio::time::Instant::now();
                while starts
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= self.window)
                {
                    starts.pop_front();
                }
                if starts.len() < self.limit {
                    starts.push_back(now);
                    return;
                }
                // Full: the oldest start leaves the window first.
                match starts.front() {
                    Some(oldest) => *oldest + self.window,
                    None => continue,
                }
            };
            tokio::time::sleep_until(wake).await;
        }
    }
}

fn day_start(now: OffsetDateTime, offset: UtcOffset) -> OffsetDateTime {
    let local = now.to_offset(offset);
    local.replace_time(time::Time::MIDNIGHT)
}

/// Held while a call is in flight; dropping it frees the concurrency slot
/// (for a Redis-backed throttle: releases the slot in Redis, and until then
/// keeps renewing its lease).
#[derive(Debug)]
pub struct Permit {
    _guard: Guard,
    current: Arc<AtomicUsize>,
    waited: Duration,
}

/// What a [`Permit`] holds, per engine.
#[derive(Debug)]
pub(crate) enum Guard {
    /// A slot of the in-process semaphore.
    Local(#[allow(dead_code)] OwnedSemaphorePermit),
    /// A permit of the local fallback share of a Redis-backed throttle.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    Fallback(#[allow(dead_code)] Box<Permit>),
    /// A leased slot in Redis.
    #[cfg(feature = "redis")]
    Redis(#[allow(dead_code)] crate::redis::Lease),
}

impl Permit {
    /// How long the caller waited for this permit (for tracing).
    pub fn waited(&self) -> Duration {
        self.waited
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.current.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_limits_are_refused() {
        for limits in [
            Limits {
                max_in_flight: 11,
                ..Limits::default()
            },
            Limits {
                max_in_flight: 0,
                ..Limits::default()
            },
            Limits {
                window: Duration::ZERO,
                ..Limits::default()
            },
            Limits {
                calls: 2,
                margin: 2,
                ..Limits::default()
            },
        ] {
            assert!(matches!(
                Throttle::new(limits),
                Err(ThrottleError::InvalidLimits(_))
            ));
        }
    }

    #[test]
    fn day_start_is_local_midnight() {
        let cst = UtcOffset::from_hms(-6, 0, 0).unwrap();
        let now = time::macros::datetime!(2026-11-23 03:00 UTC);
        // 03:00 UTC is 21:00 CST on the 22nd.
        assert_eq!(
            day_start(now, cst),
            time::macros::datetime!(2026-11-22 00:00 -06:00)
        );
    }
}
