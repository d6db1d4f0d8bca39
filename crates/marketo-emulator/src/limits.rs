//! Rate, concurrency and quota accounting, and the counters tests read.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use time::OffsetDateTime;

use crate::config::ApiLimits;

/// Counters of one API (REST without the identity endpoint, or SOAP).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiStats {
    /// Calls received (whatever their outcome).
    pub calls: u64,
    /// Calls that passed the limits and were executed.
    pub executed: u64,
    /// Largest number of calls in flight at once, counting each arriving call.
    pub max_concurrent: u32,
    /// Largest number of calls received in any sliding window of the configured
    /// length (20 s by default), rejected ones included.
    pub max_calls_in_window: u32,
}

/// A snapshot of the emulator's counters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Calls of any kind served (REST, identity, SOAP, WSDL).
    pub calls_served: u64,
    /// Requests to the identity (token) endpoint.
    pub token_requests: u64,
    /// Tokens newly issued (a still-valid token handed out again is not counted).
    pub tokens_issued: u64,
    /// REST counters.
    pub rest: ApiStats,
    /// SOAP counters.
    pub soap: ApiStats,
    /// Number of times each Marketo error or fault code was returned
    /// (REST codes like "606", SOAP codes like "20016"; record-level codes not included).
    pub error_counts: BTreeMap<String, u64>,
    /// Number of times each non-200 HTTP status was returned (SOAP faults: 500).
    pub http_statuses: BTreeMap<u16, u64>,
    /// Connections closed without a response (injected).
    pub dropped_connections: u64,
}

impl Stats {
    /// How many times `code` was returned.
    pub fn errors(&self, code: &str) -> u64 {
        self.error_counts.get(code).copied().unwrap_or(0)
    }
}

/// Outcome of the admission check of one call.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Admission {
    Ok,
    Concurrency,
    Rate,
    Quota,
}

/// Accounting for one API.
#[derive(Debug, Default)]
pub(crate) struct ApiCounter {
    pub(crate) stats: ApiStats,
    in_flight: u32,
    /// Arrival times of all calls within the window (for `max_calls_in_window`).
    arrivals: VecDeque<OffsetDateTime>,
    /// Times of executed calls within the window (for the rate limit).
    executed_times: VecDeque<OffsetDateTime>,
    /// (day number, calls executed that day).
    quota_day: (i64, u64),
}

fn prune(q: &mut VecDeque<OffsetDateTime>, now: OffsetDateTime, window: Duration) {
    while let Some(front) = q.front() {
        if now - *front >= window {
            q.pop_front();
        } else {
            break;
        }
    }
}

/// Day number used for the daily quota: Marketo resets at midnight US Central (UTC-6 here).
pub(crate) fn quota_day(now: OffsetDateTime) -> i64 {
    let shifted = now - time::Duration::hours(6);
    i64::from(shifted.date().to_julian_day())
}

impl ApiCounter {
    /// Registers an arriving call; returns the in-flight count including it.
    pub(crate) fn arrive(&mut self, now: OffsetDateTime, limits: &ApiLimits) -> u32 {
        self.stats.calls += 1;
        self.in_flight += 1;
        self.stats.max_concurrent = self.stats.max_concurrent.max(self.in_flight);
        prune(&mut self.arrivals, now, limits.window);
        self.arrivals.push_back(now);
        let n = u32::try_from(self.arrivals.len()).unwrap_or(u32::MAX);
        self.stats.max_calls_in_window = self.stats.max_calls_in_window.max(n);
        self.in_flight
    }

    pub(crate) fn depart(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// Decides whether a call that arrived with `in_flight` calls running may run.
    pub(crate) fn admit(
        &mut self,
        now: OffsetDateTime,
        in_flight: u32,
        limits: &ApiLimits,
    ) -> Admission {
        if let Some(max) = limits.concurrency
            && in_flight > max
        {
            return Admission::Concurrency;
        }
        prune(&mut self.executed_times, now, limits.window);
        if let Some(rate) = limits.rate
            && self.executed_times.len() >= rate as usize
        {
            return Admission::Rate;
        }
        let day = quota_day(now);
        if self.quota_day.0 != day {
            self.quota_day = (day, 0);
        }
        if let Some(q) = limits.daily_quota
            && self.quota_day.1 >= q
        {
            return Admission::Quota;
        }
        self.quota_day.1 += 1;
        self.executed_times.push_back(now);
        self.stats.executed += 1;
        Admission::Ok
    }

    /// Forgets the calls of the current windows (for a fresh window), not
    /// the calls in flight nor the daily quota.
    pub(crate) fn reset_windows(&mut self) {
        self.arrivals.clear();
        self.executed_times.clear();
    }

    /// Calls executed today (emulator clock).
    pub(crate) fn used_today(&self, now: OffsetDateTime) -> u64 {
        if self.quota_day.0 == quota_day(now) {
            self.quota_day.1
        } else {
            0
        }
    }
}
