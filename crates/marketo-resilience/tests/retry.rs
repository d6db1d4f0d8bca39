//! The retry runner: attempts, classification and time bounds.

use std::cell::Cell;
use std::time::{Duration, Instant};

use marketo_resilience::RetryPolicy;

fn quick(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        min_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_elapsed: Duration::from_secs(5),
        jitter: true,
    }
}

#[tokio::test]
async fn retries_until_success() {
    let calls = Cell::new(0);
    let result: Result<u32, String> = quick(5)
        .run(
            |n| {
                calls.set(calls.get() + 1);
                async move {
                    if n < 3 {
                        Err(format!("606 on attempt {n}"))
                    } else {
                        Ok(n)
                    }
                }
            },
            |_| true,
        )
        .await;
    assert_eq!(result, Ok(3));
    assert_eq!(calls.get(), 3);
}

#[tokio::test]
async fn a_non_retryable_error_is_returned_at_once() {
    let calls = Cell::new(0);
    let result: Result<(), String> = quick(5)
        .run(
            |_| {
                calls.set(calls.get() + 1);
                async { Err("607".to_owned()) }
            },
            |e| e != "607",
        )
        .await;
    assert_eq!(result, Err("607".to_owned()));
    assert_eq!(calls.get(), 1);
}

#[tokio::test]
async fn attempts_are_bounded() {
    let calls = Cell::new(0);
    let result: Result<(), &str> = quick(4)
        .run(
            |_| {
                calls.set(calls.get() + 1);
                async { Err("611") }
            },
            |_| true,
        )
        .await;
    assert_eq!(result, Err("611"));
    assert_eq!(calls.get(), 4);
    let never = RetryPolicy::never();
    assert_eq!(never.delays().count(), 0);
}

#[tokio::test]
async fn elapsed_time_is_bounded() {
    let policy = RetryPolicy {
        max_attempts: 100,
        min_delay: Duration::from_millis(50),
        max_delay: Duration::from_millis(50),
        max_elapsed: Duration::from_millis(300),
        jitter: false,
    };
    let started = Instant::now();
    let calls = Cell::new(0);
    let _: Result<(), &str> = policy
        .run(
            |_| {
                calls.set(calls.get() + 1);
                async { Err("713") }
            },
            |_| true,
        )
        .await;
    assert!(started.elapsed() < Duration::from_millis(600));
    assert!((5..=8).contains(&calls.get()), "{} calls", calls.get());
}

#[test]
fn delays_grow_and_stay_bounded() {
    let policy = RetryPolicy {
        jitter: false,
        ..RetryPolicy::default()
    };
    let delays: Vec<_> = policy.delays().collect();
    assert_eq!(delays.len(), 5);
    assert_eq!(delays[0], Duration::from_millis(500));
    assert!(delays.windows(2).all(|w| w[0] <= w[1]));
    assert!(delays.iter().all(|d| *d <= Duration::from_secs(20)));
}
