//! The Redis engine of [`Throttle`]: the same three gates, held in Redis so
//! that every process (and machine) using the same key prefix shares them.
//!
//! Each admission is one Lua script run atomically by Redis, on Redis's own
//! clock (`TIME`), so the processes' clocks do not matter. The script:
//!
//! 1. drops expired in-flight leases and refuses when
//!    [`Limits::max_in_flight`] slots are leased (the caller polls again);
//! 2. drops window entries older than `window + window_margin` and refuses
//!    when `calls − margin` remain (the caller sleeps until the oldest one
//!    leaves the window);
//! 3. charges the daily budget (one counter for the fleet, reset at the
//!    budget's midnight) or answers that it is spent;
//! 4. records the call's start in the window and leases an in-flight slot
//!    for [`RedisConfig::lease`].
//!
//! While a [`Permit`] is held, a task renews its lease every third of the
//! lease; dropping the permit releases the slot. A process that dies
//! mid-call stops renewing, and its slots come back when their leases run
//! out.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use redis::Script;
use redis::aio::ConnectionManager;
use tokio::sync::oneshot;

use crate::throttle::{Counters, Guard};
use crate::{Limits, Permit, Throttle, ThrottleError};

const ACQUIRE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local max_flight = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
local token = ARGV[5]
local budget = tonumber(ARGV[6])
local offset = tonumber(ARGV[7])
local hold = tonumber(ARGV[8])
local poll = tonumber(ARGV[9])
local hold_until = tonumber(redis.call('GET', KEYS[4]) or '-1')
if hold_until < 0 then
  hold_until = now + hold * window
  redis.call('SET', KEYS[4], string.format('%.0f', hold_until))
end
if now < hold_until then return {1, hold_until - now, 0} end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= max_flight then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {1, math.max(1, math.min(poll, tonumber(first[2]) - now)), 0}
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {1, math.max(1, tonumber(oldest[2]) + window - now), 0}
end
local used = 0
if budget > 0 then
  local day = math.floor((math.floor(now / 1000000) + offset) / 86400)
  if tonumber(redis.call('HGET', KEYS[3], 'day') or '-1') ~= day then
    redis.call('HSET', KEYS[3], 'day', day, 'used', 0)
  end
  used = tonumber(redis.call('HGET', KEYS[3], 'used'))
  if used >= budget then
    return {2, (day + 1) * 86400 - offset, used}
  end
  used = redis.call('HINCRBY', KEYS[3], 'used', 1)
end
redis.call('ZADD', KEYS[2], string.format('%.0f', now + lease), token)
redis.call('ZADD', KEYS[1], string.format('%.0f', now), token)
local keep = math.floor(math.max(window, lease) / 1000) + 1000
redis.call('PEXPIRE', KEYS[1], keep)
redis.call('PEXPIRE', KEYS[2], keep)
return {0, now, used}
";

const RENEW: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
return redis.call('ZADD', KEYS[1], string.format('%.0f', now + tonumber(ARGV[1])), ARGV[2])
";

const RELEASE: &str = "return redis.call('ZREM', KEYS[1], ARGV[1])";

/// What a Redis-backed throttle does when Redis cannot be reached (a
/// connection or a script that fails or takes longer than
/// [`RedisConfig::op_timeout`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unavailable {
    /// Fail closed: keep trying Redis for up to this long, then return
    /// [`ThrottleError::Unavailable`] without making the call. No call is
    /// ever admitted without Redis.
    Wait(Duration),
    /// Fall back to a conservative local share: while Redis is unreachable,
    /// admit calls through an in-process throttle with `1/processes` of the
    /// limits (calls per window, in-flight slots and daily budget, each
    /// rounded down, at least one). The fleet stays within the limits as
    /// long as at most `processes` processes share them. Redis is tried
    /// again at most once per [`RedisConfig::retry_after`].
    LocalShare {
        /// The most processes expected to share the limits.
        processes: u32,
    },
}

/// How a Redis-backed throttle reaches Redis and behaves around it.
#[derive(Clone)]
#[non_exhaustive]
pub struct RedisConfig {
    url: String,
    /// The prefix of the keys holding the gates; processes share limits
    /// exactly when they use the same prefix (one per Marketo instance).
    pub key_prefix: String,
    /// How long an in-flight slot stays leased without renewal (default
    /// 30 s); a holder renews it every third of this while the call runs.
    pub lease: Duration,
    /// The most one Redis round trip may take before Redis counts as
    /// unreachable (default 1 s).
    pub op_timeout: Duration,
    /// The longest sleep between two tries when every in-flight slot is
    /// taken (default 20 ms; a released slot is seen within it).
    pub poll: Duration,
    /// What to do when Redis is unreachable (default: fail closed after
    /// waiting 30 s).
    pub on_unavailable: Unavailable,
    /// How long the local share serves calls before Redis is tried again
    /// (default 1 s).
    pub retry_after: Duration,
    /// Whether to admit nothing for one window after the gates' state is
    /// found missing (default `true`): the first admission after a Redis
    /// restart that lost the state (or the first ever for this prefix)
    /// waits `window + window_margin`, so calls admitted before the restart
    /// cannot share a window with calls admitted after it.
    pub hold_after_reset: bool,
}

impl std::fmt::Debug for RedisConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may carry a password: never printed.
        f.debug_struct("RedisConfig")
            .field("url", &"[redacted]")
            .field("key_prefix", &self.key_prefix)
            .field("lease", &self.lease)
            .field("op_timeout", &self.op_timeout)
            .field("poll", &self.poll)
            .field("on_unavailable", &self.on_unavailable)
            .field("retry_after", &self.retry_after)
            .field("hold_after_reset", &self.hold_after_reset)
            .finish()
    }
}

impl RedisConfig {
    /// Defaults for the Redis server at `url` (`redis://host:port/db`,
    /// `rediss://…` is not enabled) and the key prefix `marketo:throttle`.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            key_prefix: "marketo:throttle".to_owned(),
            lease: Duration::from_secs(30),
            op_timeout: Duration::from_secs(1),
            poll: Duration::from_millis(20),
            on_unavailable: Unavailable::Wait(Duration::from_secs(30)),
            retry_after: Duration::from_secs(1),
            hold_after_reset: true,
        }
    }

    /// Sets [`key_prefix`](Self::key_prefix).
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.key_prefix = prefix.into();
        self
    }

    /// Sets [`lease`](Self::lease).
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// Sets [`op_timeout`](Self::op_timeout).
    pub fn op_timeout(mut self, timeout: Duration) -> Self {
        self.op_timeout = timeout;
        self
    }

    /// Sets [`poll`](Self::poll).
    pub fn poll(mut self, poll: Duration) -> Self {
        self.poll = poll;
        self
    }

    /// Sets [`on_unavailable`](Self::on_unavailable).
    pub fn on_unavailable(mut self, rule: Unavailable) -> Self {
        self.on_unavailable = rule;
        self
    }

    /// Sets [`retry_after`](Self::retry_after).
    pub fn retry_after(mut self, after: Duration) -> Self {
        self.retry_after = after;
        self
    }

    /// Sets [`hold_after_reset`](Self::hold_after_reset).
    pub fn hold_after_reset(mut self, hold: bool) -> Self {
        self.hold_after_reset = hold;
        self
    }
}

impl Throttle {
    /// A throttle whose gates live in Redis, shared by every process using
    /// the same [`RedisConfig::key_prefix`]. Connects lazily: an unreachable
    /// Redis is handled per call, as [`RedisConfig::on_unavailable`] says.
    /// Must be called inside a Tokio runtime (else
    /// [`ThrottleError::Unavailable`]).
    pub fn redis(limits: Limits, config: RedisConfig) -> Result<Self, ThrottleError> {
        let usable = limits.validate()?;
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(ThrottleError::Unavailable(
                "Throttle::redis must be called inside a Tokio runtime".to_owned(),
            ));
        }
        let invalid = |m: String| ThrottleError::InvalidLimits(m);
        if config.lease < Duration::from_millis(30) || config.poll.is_zero() {
            return Err(invalid("the lease must be ≥ 30 ms and the poll > 0".into()));
        }
        let client = redis::Client::open(config.url.as_str())
            .map_err(|e| invalid(format!("bad Redis URL: {:?}", e.kind())))?;
        let conn_config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(config.op_timeout))
            .set_response_timeout(Some(config.op_timeout))
            .set_number_of_retries(1);
        let conn = ConnectionManager::new_lazy_with_config(client, conn_config)
            .map_err(|e| ThrottleError::Unavailable(format!("{:?}", e.kind())))?;
        let fallback = match config.on_unavailable {
            Unavailable::LocalShare { processes } => {
                Some(Throttle::new(share(&limits, processes))?)
            }
            Unavailable::Wait(_) => None,
        };
        let p = &config.key_prefix;
        let keys = [
            format!("{{{p}}}:window"),
            format!("{{{p}}}:flight"),
            format!("{{{p}}}:budget"),
            format!("{{{p}}}:epoch"),
        ];
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Ok(Throttle::from_redis(Arc::new(Shared {
            usable,
            window_us: micros(limits.window.saturating_add(limits.window_margin)),
            limits,
            conn,
            keys,
            token_prefix: format!("{}-{nanos:x}", std::process::id()),
            next_token: AtomicU64::new(0),
            config,
            fallback,
            down_since: std::sync::Mutex::new(None),
            budget_used: AtomicU64::new(0),
            counters: Counters::default(),
            scripts: [
                Script::new(ACQUIRE),
                Script::new(RENEW),
                Script::new(RELEASE),
            ],
        })))
    }
}

/// `1/processes` of `limits`, each part rounded down and at least one.
fn share(limits: &Limits, processes: u32) -> Limits {
    let n = processes.max(1);
    let usable = limits.calls.saturating_sub(limits.margin);
    Limits {
        calls: (usable / n).max(1) + limits.margin,
        max_in_flight: (limits.max_in_flight / n as usize).max(1),
        daily_budget: limits.daily_budget.clone().map(|mut b| {
            b.calls = (b.calls / u64::from(n)).max(1);
            b
        }),
        ..limits.clone()
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// The state of one Redis-backed throttle (shared by its clones).
pub(crate) struct Shared {
    limits: Limits,
    usable: usize,
    window_us: u64,
    conn: ConnectionManager,
    keys: [String; 4],
    token_prefix: String,
    next_token: AtomicU64,
    config: RedisConfig,
    fallback: Option<Throttle>,
    /// The current outage: when it started, when Redis last failed.
    down_since: std::sync::Mutex<Option<(Instant, Instant)>>,
    budget_used: AtomicU64,
    counters: Counters,
    scripts: [Script; 3],
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisThrottle")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// The script's answer.
enum Reply {
    Granted,
    Wait(Duration),
    Spent { resets_at_unix: i64 },
}

impl Shared {
    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }

    pub(crate) fn counters(&self) -> &Counters {
        &self.counters
    }

    pub(crate) fn budget_used(&self) -> u64 {
        self.budget_used.load(Ordering::Relaxed)
    }

    pub(crate) async fn acquire(&self) -> Result<Permit, ThrottleError> {
        let started = Instant::now();
        loop {
            if let Some(permit) = self.fallback_if_down().await? {
                let waited = started.elapsed();
                return Ok(self
                    .counters
                    .admit(Guard::Fallback(Box::new(permit)), waited));
            }
            let token = format!(
                "{}-{}",
                self.token_prefix,
                self.next_token.fetch_add(1, Ordering::Relaxed)
            );
            match self.try_acquire(&token).await {
                Ok(Reply::Granted) => {
                    self.mark_up();
                    let lease = Lease::start(self, token);
                    return Ok(self.counters.admit(Guard::Redis(lease), started.elapsed()));
                }
                Ok(Reply::Wait(wait)) => {
                    self.mark_up();
                    tokio::time::sleep(wait).await;
                }
                Ok(Reply::Spent { resets_at_unix }) => {
                    self.mark_up();
                    let resets_at = time::OffsetDateTime::from_unix_timestamp(resets_at_unix)
                        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
                    return Err(ThrottleError::DailyBudgetExhausted {
                        limit: self.limits.daily_budget.as_ref().map_or(0, |b| b.calls),
                        resets_at,
                    });
                }
                Err(reason) => self.on_error(&reason).await?,
            }
        }
    }

    /// With a local share and Redis recently found down: a permit from the
    /// share, without trying Redis.
    async fn fallback_if_down(&self) -> Result<Option<Permit>, ThrottleError> {
        let Some(fallback) = &self.fallback else {
            return Ok(None);
        };
        let down = *self.down_since.lock().unwrap_or_else(|p| p.into_inner());
        match down {
            Some((_, last)) if last.elapsed() < self.config.retry_after => {
                Box::pin(fallback.acquire()).await.map(Some)
            }
            _ => Ok(None),
        }
    }

    fn mark_up(&self) {
        let mut down = self.down_since.lock().unwrap_or_else(|p| p.into_inner());
        if down.take().is_some() {
            tracing::info!(prefix = %self.config.key_prefix, "Redis throttle reachable again");
        }
    }

    /// Redis failed: wait and retry (fail closed) or switch to the local
    /// share for [`RedisConfig::retry_after`].
    async fn on_error(&self, reason: &str) -> Result<(), ThrottleError> {
        let since = {
            let mut down = self.down_since.lock().unwrap_or_else(|p| p.into_inner());
            if down.is_none() {
                tracing::warn!(prefix = %self.config.key_prefix, reason, "Redis throttle unreachable");
            }
            let now = Instant::now();
            let since = down.map_or(now, |(since, _)| since);
            *down = Some((since, now));
            since
        };
        match &self.config.on_unavailable {
            Unavailable::Wait(max) => {
                if since.elapsed() >= *max {
                    return Err(ThrottleError::Unavailable(format!(
                        "Redis unreachable for {:?} ({reason})",
                        since.elapsed()
                    )));
                }
                tokio::time::sleep(self.config.retry_after.min(Duration::from_millis(200))).await;
                Ok(())
            }
            // `fallback_if_down` serves the calls of the next `retry_after`.
            Unavailable::LocalShare { .. } => Ok(()),
        }
    }

    async fn try_acquire(&self, token: &str) -> Result<Reply, String> {
        let budget = self.limits.daily_budget.as_ref();
        let mut inv = self.scripts[0].prepare_invoke();
        for key in &self.keys {
            inv.key(key);
        }
        inv.arg(self.usable)
            .arg(self.window_us)
            .arg(self.limits.max_in_flight)
            .arg(micros(self.config.lease))
            .arg(token)
            .arg(budget.map_or(0, |b| b.calls))
            .arg(budget.map_or(0, |b| b.reset_offset.whole_seconds()))
            .arg(u8::from(self.config.hold_after_reset))
            .arg(micros(self.config.poll));
        let mut conn = self.conn.clone();
        let call = inv.invoke_async::<(i64, i64, i64)>(&mut conn);
        let (status, value, used) = match tokio::time::timeout(self.config.op_timeout, call).await {
            Ok(Ok(reply)) => reply,
            Ok(Err(e)) => return Err(format!("{:?}", e.kind())),
            Err(_) => return Err("timed out".to_owned()),
        };
        self.budget_used
            .store(u64::try_from(used).unwrap_or(0), Ordering::Relaxed);
        Ok(match status {
            0 => Reply::Granted,
            2 => Reply::Spent {
                resets_at_unix: value,
            },
            _ => Reply::Wait(Duration::from_micros(u64::try_from(value).unwrap_or(1))),
        })
    }
}

/// A leased in-flight slot in Redis: renewed while held, released on drop.
#[derive(Debug)]
pub(crate) struct Lease {
    _stop: oneshot::Sender<()>,
}

impl Lease {
    fn start(shared: &Shared, token: String) -> Self {
        let (stop, mut stopped) = oneshot::channel::<()>();
        let conn = shared.conn.clone();
        let key = shared.keys[1].clone();
        let [_, renew, release] = shared.scripts.clone();
        let lease = shared.config.lease;
        let op_timeout = shared.config.op_timeout;
        tokio::spawn(async move {
            let mut conn = conn;
            loop {
                match tokio::time::timeout(lease / 3, &mut stopped).await {
                    Err(_) => {
                        let mut inv = renew.key(&key);
                        inv.arg(micros(lease)).arg(&token);
                        let call = inv.invoke_async::<i64>(&mut conn);
                        if !matches!(tokio::time::timeout(op_timeout, call).await, Ok(Ok(_))) {
                            tracing::warn!("could not renew a Redis throttle lease");
                        }
                    }
                    Ok(_) => {
                        let mut inv = release.key(&key);
                        inv.arg(&token);
                        let call = inv.invoke_async::<i64>(&mut conn);
                        if !matches!(tokio::time::timeout(op_timeout, call).await, Ok(Ok(_))) {
                            tracing::warn!(
                                "could not release a Redis throttle slot; it frees when its lease ends"
                            );
                        }
                        return;
                    }
                }
            }
        });
        Self { _stop: stop }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DailyBudget;

    #[test]
    fn the_local_share_divides_each_limit_rounding_down() {
        let limits = Limits {
            max_in_flight: 10,
            daily_budget: Some(DailyBudget::new(50_000)),
            ..Limits::default()
        };
        let share = share(&limits, 4);
        // 98 usable calls / 4 = 24, plus the unchanged margin of 2.
        assert_eq!((share.calls, share.margin), (26, 2));
        assert_eq!(share.max_in_flight, 2);
        assert_eq!(share.daily_budget.map(|b| b.calls), Some(12_500));
        assert_eq!(share.window, limits.window);
        let tiny = super::share(&Limits::default(), 1000);
        assert_eq!((tiny.calls - tiny.margin, tiny.max_in_flight), (1, 1));
        assert!(Throttle::new(tiny).is_ok());
    }

    #[test]
    fn outside_a_runtime_it_is_an_error_not_a_panic() {
        assert!(matches!(
            Throttle::redis(Limits::default(), RedisConfig::new("redis://127.0.0.1/")),
            Err(ThrottleError::Unavailable(_))
        ));
    }

    #[test]
    fn the_redis_url_never_appears_in_debug() {
        let config = RedisConfig::new("redis://:hunter2@redis.internal:6379/");
        assert!(!format!("{config:?}").contains("hunter2"));
    }

    #[tokio::test]
    async fn bad_settings_are_refused() {
        let short_lease = RedisConfig::new("redis://127.0.0.1/").lease(Duration::from_millis(1));
        assert!(matches!(
            Throttle::redis(Limits::default(), short_lease),
            Err(ThrottleError::InvalidLimits(_))
        ));
        assert!(matches!(
            Throttle::redis(Limits::default(), RedisConfig::new("not a url")),
            Err(ThrottleError::InvalidLimits(_))
        ));
    }
}
