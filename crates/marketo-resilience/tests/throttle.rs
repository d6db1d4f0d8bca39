//! The throttle's guarantees, measured with real time on small windows.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use marketo_resilience::{DailyBudget, Limits, Throttle, ThrottleError};

/// The most admissions in any interval of length `window`.
fn max_in_window(mut times: Vec<Instant>, window: Duration) -> usize {
    times.sort();
    let mut best = 0;
    let mut start = 0;
    for end in 0..times.len() {
        while times[end].duration_since(times[start]) >= window {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_sliding_window_holds_more_than_the_limit() {
    let window = Duration::from_millis(1000);
    let throttle = Throttle::new(Limits {
        calls: 20,
        window,
        margin: 0,
        window_margin: Duration::ZERO,
        max_in_flight: 10,
        daily_budget: None,
    })
    .unwrap();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..60 {
        let throttle = throttle.clone();
        tasks.push(tokio::spawn(async move {
            let _permit = throttle.acquire().await.unwrap();
            Instant::now()
        }));
    }
    let mut times = Vec::new();
    for t in tasks {
        times.push(t.await.unwrap());
    }
    let elapsed = started.elapsed();
    let worst = max_in_window(times, window);
    assert!(worst <= 20, "{worst} calls in one window");
    // Exactly as fast as the limit allows: 20 at once, 20 more as each
    // window frees, so the last 20 start after two windows.
    assert!(
        elapsed >= Duration::from_millis(1990),
        "too fast: {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_millis(2600),
        "too slow: {elapsed:?}"
    );
    assert_eq!(throttle.stats().admitted, 60);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn at_most_max_in_flight_calls_at_once() {
    let throttle = Throttle::new(Limits {
        max_in_flight: 3,
        ..Limits::unlimited()
    })
    .unwrap();
    let current = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (throttle, current, peak) = (throttle.clone(), current.clone(), peak.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = throttle.acquire().await.unwrap();
            let now = current.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            current.fetch_sub(1, Ordering::SeqCst);
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(peak.load(Ordering::SeqCst), 3);
    assert_eq!(throttle.stats().max_in_flight, 3);
}

#[tokio::test]
async fn daily_budget_fails_fast_and_clones_share_it() {
    let throttle = Throttle::new(Limits {
        daily_budget: Some(DailyBudget::new(5)),
        ..Limits::unlimited()
    })
    .unwrap();
    let clone = throttle.clone();
    for i in 0..5 {
        let t = if i % 2 == 0 { &throttle } else { &clone };
        drop(t.acquire().await.unwrap());
    }
    let err = clone.acquire().await.unwrap_err();
    assert!(
        matches!(err, ThrottleError::DailyBudgetExhausted { limit: 5, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("daily call budget of 5"), "{err}");
    assert_eq!(throttle.budget_used(), 5);
    assert_eq!(throttle.stats().admitted, 5);
}

#[tokio::test(start_paused = true)]
async fn a_fresh_throttle_admits_a_full_window_at_once_then_waits() {
    let throttle = Throttle::new(Limits {
        max_in_flight: 10,
        ..Limits::default()
    })
    .unwrap();
    let started = tokio::time::Instant::now();
    for _ in 0..98 {
        drop(throttle.acquire().await.unwrap());
    }
    assert_eq!(started.elapsed(), Duration::ZERO);
    drop(throttle.acquire().await.unwrap());
    // The 99th call waits for the first to leave the 20 s window (plus
    // the 1 s window margin).
    assert_eq!(started.elapsed(), Duration::from_secs(21));
}

#[test]
fn default_limits_are_marketos() {
    let limits = Limits::default();
    assert_eq!(limits.calls, 100);
    assert_eq!(limits.window, Duration::from_secs(20));
    assert_eq!(limits.window_margin, Duration::from_secs(1));
    assert_eq!(limits.max_in_flight, 5);
    assert!(
        Throttle::new(Limits {
            max_in_flight: 10,
            ..Limits::default()
        })
        .is_ok()
    );
}
