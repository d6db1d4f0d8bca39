//! Retrying failed calls with jittered exponential backoff.
//!
//! The delays come from `backon`'s exponential backoff; [`RetryPolicy::run`]
//! drives the attempts so that the caller decides, per error, whether a
//! retry is safe (see the crate docs for Marketo's rules).

use std::fmt::Display;
use std::future::Future;
use std::time::{Duration, Instant};

use backon::{BackoffBuilder, ExponentialBuilder};

/// How often and how long to retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry).
    pub max_attempts: u32,
    /// The first delay.
    pub min_delay: Duration,
    /// The longest single delay.
    pub max_delay: Duration,
    /// No retry starts once this much time has passed since the first
    /// attempt, or if its delay would cross it.
    pub max_elapsed: Duration,
    /// Randomise each delay (recommended: clients sharing an instance
    /// otherwise retry in lock-step).
    pub jitter: bool,
}

impl Default for RetryPolicy {
    /// Six attempts, delays from 500 ms doubling up to 20 s (one Marketo
    /// rate window), jittered, within 90 s in all.
    fn default() -> Self {
        Self {
            max_attempts: 6,
            min_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            max_elapsed: Duration::from_secs(90),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The delays between attempts, at most `max_attempts − 1` of them.
    pub fn delays(&self) -> impl Iterator<Item = Duration> + use<> {
        let mut builder = ExponentialBuilder::new()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_attempts.saturating_sub(1) as usize);
        if self.jitter {
            builder = builder.with_jitter();
        }
        builder.build()
    }

    /// Runs `attempt(1)`, `attempt(2)`, … until one succeeds, an error is
    /// not retryable by `should_retry`, the attempts are spent, or the next
    /// delay would cross `max_elapsed`. Returns the last result.
    pub async fn run<T, E, F, Fut, R>(&self, mut attempt: F, should_retry: R) -> Result<T, E>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        R: Fn(&E) -> bool,
        E: Display,
    {
        let started = Instant::now();
        let mut delays = self.delays();
        let mut n = 1;
        loop {
            let error = match attempt(n).await {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            if !should_retry(&error) {
                return Err(error);
            }
            let Some(delay) = delays.next() else {
                tracing::warn!(attempt = n, %error, "giving up: attempts spent");
                return Err(error);
            };
            if started.elapsed() + delay > self.max_elapsed {
                tracing::warn!(attempt = n, %error, "giving up: retry time spent");
                return Err(error);
            }
            tracing::info!(attempt = n, ?delay, %error, "retrying");
            tokio::time::sleep(delay).await;
            n += 1;
        }
    }
}
