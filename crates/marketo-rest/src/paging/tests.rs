use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;

use super::*;
use futures::StreamExt;

fn page<T>(items: Vec<T>, token: Option<&str>, more: Option<bool>) -> Response<Vec<T>> {
    Response {
        value: items,
        request_id: "r".into(),
        warnings: Vec::new(),
        more_result: more,
        next_page_token: token.map(str::to_owned),
    }
}

#[test]
fn offset_pages_until_empty_and_resumes() {
    let mut stream = OffsetStream::new(0, |offset| {
        let items: Vec<i64> = if offset < 5 {
            (offset..(offset + 2).min(5)).collect()
        } else {
            Vec::new()
        };
        Box::pin(async move { Ok(page(items, None, None)) })
    });
    let got = futures::executor::block_on(async {
        let first = stream.next().await.unwrap().unwrap();
        assert_eq!(stream.offset(), 1);
        let mut rest = vec![first];
        while let Some(item) = stream.next().await {
            rest.push(item.unwrap());
        }
        rest
    });
    assert_eq!(got, vec![0, 1, 2, 3, 4]);
    assert_eq!(stream.offset(), 5);
}

#[test]
fn cursor_passes_empty_pages_while_more_result_is_true() {
    let stream = CursorStream::new(Some("t0".to_owned()), |token| {
        let response = match token.as_deref() {
            Some("t0") => page(vec![], Some("t1"), Some(true)),
            Some("t1") => page(vec![5], Some("t2"), Some(true)),
            // A token that does not move on an empty page ends the walk.
            Some("t2") => page(vec![], Some("t2"), Some(true)),
            _ => page(vec![99], None, None),
        };
        Box::pin(async move { Ok(response) })
    });
    let got: Vec<i32> = futures::executor::block_on(stream.map(|r| r.unwrap()).collect::<Vec<_>>());
    assert_eq!(got, vec![5]);
}

#[test]
fn cursor_stops_when_more_result_is_false() {
    let stream = CursorStream::new(None, |token| {
        let response = match token.as_deref() {
            None => page(vec![1, 2], Some("t1"), Some(true)),
            Some("t1") => page(vec![3], Some("t2"), Some(false)),
            Some(_) => page(vec![99], None, None),
        };
        Box::pin(async move { Ok(response) })
    });
    let got: Vec<i32> = futures::executor::block_on(stream.map(|r| r.unwrap()).collect::<Vec<_>>());
    assert_eq!(got, vec![1, 2, 3]);
}

/// A fake browse over `total` items whose pages are `size` long (or
/// `short_at`'s page is one item shorter), counting concurrent fetches.
fn browse(
    total: i64,
    size: i64,
    short_at: Option<i64>,
    log: std::sync::Arc<std::sync::Mutex<Vec<i64>>>,
    live: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    peak: std::sync::Arc<std::sync::atomic::AtomicUsize>,
) -> impl FnMut(i64) -> PageFuture<i64> + Send + 'static {
    use std::sync::atomic::Ordering;
    move |offset| {
        log.lock().unwrap().push(offset);
        let live = live.clone();
        let peak = peak.clone();
        Box::pin(async move {
            let now = live.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            // Counts the page out when it completes or is dropped.
            struct Out(std::sync::Arc<std::sync::atomic::AtomicUsize>);
            impl Drop for Out {
                fn drop(&mut self) {
                    self.0.fetch_sub(1, Ordering::SeqCst);
                }
            }
            let _out = Out(live);
            // Let the other pages in flight start: yield (waking
            // ourselves) a few times.
            let mut yields = 0;
            futures::future::poll_fn(|cx| {
                if yields == 3 {
                    return Poll::Ready(());
                }
                yields += 1;
                cx.waker().wake_by_ref();
                Poll::Pending
            })
            .await;
            let len = if Some(offset) == short_at {
                size - 1
            } else {
                size
            };
            let items: Vec<i64> = (offset..(offset + len).min(total)).collect();
            Ok(page(items, None, None))
        })
    }
}

/// Polls the stream to its end (the fake pages wake themselves).
fn run<S: Stream<Item = Result<i64, RestError>> + Unpin>(mut stream: S) -> Vec<i64> {
    let waker = futures::task::noop_waker();
    let mut cx = Context::from_waker(&waker);
    let mut out = Vec::new();
    loop {
        match Pin::new(&mut stream).poll_next(&mut cx) {
            Poll::Ready(Some(item)) => out.push(item.unwrap()),
            Poll::Ready(None) => return out,
            Poll::Pending => {}
        }
    }
}

#[test]
fn prefetch_keeps_order_and_stops_at_the_first_empty_page() {
    let log = std::sync::Arc::default();
    let live = std::sync::Arc::default();
    let peak = std::sync::Arc::<std::sync::atomic::AtomicUsize>::default();
    let stream = OffsetStream::new(
        0,
        browse(
            1000,
            100,
            None,
            std::sync::Arc::clone(&log),
            live,
            peak.clone(),
        ),
    )
    .with_prefetch(4)
    .with_page_size(100);
    let got = run(stream);
    assert_eq!(got, (0..1000).collect::<Vec<_>>());
    assert_eq!(peak.load(std::sync::atomic::Ordering::SeqCst), 4);
    let offsets = log.lock().unwrap().clone();
    // Pages 0..=1000 (the last one empty), plus at most 3 beyond it.
    assert!(
        offsets.starts_with(&(0..=10).map(|p| p * 100).collect::<Vec<_>>()),
        "{offsets:?}"
    );
    assert!(offsets.len() <= 11 + 3, "{offsets:?}");
}

#[test]
fn a_short_page_ends_the_stream_without_a_call_past_it() {
    let log = std::sync::Arc::default();
    let peak = std::sync::Arc::<std::sync::atomic::AtomicUsize>::default();
    // 1,050 items in pages of 100: the eleventh page (50 items) is the last.
    let stream = OffsetStream::new(
        0,
        browse(
            1050,
            100,
            None,
            std::sync::Arc::clone(&log),
            std::sync::Arc::default(),
            peak.clone(),
        ),
    )
    .with_prefetch(4)
    .with_page_size(100);
    assert_eq!(run(stream), (0..1050).collect::<Vec<_>>());
    assert_eq!(peak.load(std::sync::atomic::Ordering::SeqCst), 4);
    let offsets = log.lock().unwrap().clone();
    assert!(
        offsets.starts_with(&(0..=10).map(|p| p * 100).collect::<Vec<_>>()),
        "{offsets:?}"
    );
    // Pages ahead of the last one may have been requested (at most
    // prefetch − 1), never one after it was received (at 1050).
    assert!(offsets.len() <= 11 + 3, "{offsets:?}");
    assert!(!offsets.contains(&1050), "{offsets:?}");
}

#[test]
fn one_short_first_page_costs_one_call() {
    let log = std::sync::Arc::default();
    let peak = std::sync::Arc::<std::sync::atomic::AtomicUsize>::default();
    let stream = OffsetStream::new(
        0,
        browse(
            7,
            20,
            None,
            std::sync::Arc::clone(&log),
            std::sync::Arc::default(),
            peak.clone(),
        ),
    )
    .with_prefetch(5)
    .with_page_size(20);
    assert_eq!(run(stream), (0..7).collect::<Vec<_>>());
    assert_eq!(*log.lock().unwrap(), vec![0], "the first page goes alone");
    assert_eq!(peak.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[test]
fn an_error_is_yielded_once_and_ends_the_stream() {
    let mut stream = OffsetStream::new(0, |offset| {
        Box::pin(async move {
            match offset {
                0 => Ok(page(vec![1, 2], None, None)),
                _ => Err(RestError::Encode("boom".into())),
            }
        }) as PageFuture<i32>
    })
    .with_page_size(2)
    .with_prefetch(3);
    let got = futures::executor::block_on(async {
        let mut got = Vec::new();
        while let Some(item) = stream.next().await {
            got.push(item.map_err(|e| e.to_string()));
        }
        got
    });
    assert_eq!(
        got,
        vec![
            Ok(1),
            Ok(2),
            Err("cannot encode the request: boom".to_owned())
        ]
    );
    assert_eq!(stream.offset(), 2, "resumes at the failed page");
}

#[test]
fn prefetch_learns_the_page_size_and_recovers_from_a_short_page() {
    let log = std::sync::Arc::default();
    let peak = std::sync::Arc::<std::sync::atomic::AtomicUsize>::default();
    // No page size given; the page at 300 is one item short.
    let stream = OffsetStream::new(
        0,
        browse(
            1000,
            100,
            Some(300),
            std::sync::Arc::clone(&log),
            std::sync::Arc::default(),
            peak.clone(),
        ),
    )
    .with_prefetch(3)
    .until_empty_page();
    let got = run(stream);
    assert_eq!(
        got,
        (0..1000).collect::<Vec<_>>(),
        "no item skipped or repeated"
    );
    assert_eq!(peak.load(std::sync::atomic::Ordering::SeqCst), 3);
    let offsets = log.lock().unwrap().clone();
    assert_eq!(offsets[0], 0);
    assert!(
        offsets.contains(&399),
        "continued after the short page: {offsets:?}"
    );
}

#[test]
fn without_prefetch_one_page_is_in_flight() {
    let peak = std::sync::Arc::<std::sync::atomic::AtomicUsize>::default();
    let stream = OffsetStream::new(
        50,
        browse(
            500,
            100,
            None,
            std::sync::Arc::default(),
            std::sync::Arc::default(),
            peak.clone(),
        ),
    )
    .with_page_size(100);
    assert_eq!(run(stream), (50..500).collect::<Vec<_>>());
    assert_eq!(peak.load(std::sync::atomic::Ordering::SeqCst), 1);
}

/// What the lazy-page tests saw, in order ("fetch 200", "decode 0", …).
static EVENTS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

fn event(e: String) {
    EVENTS.lock().unwrap_or_else(|p| p.into_inner()).push(e);
}

/// A raw page answer holding `items` numbers from `start`, with `extra`
/// envelope members.
fn raw_page(start: i64, items: i64, extra: &str) -> crate::client::RawResponse {
    let result: Vec<i64> = (start..start + items).collect();
    let body = format!(
        r#"{{"requestId":"r","success":true,"result":{}{extra}}}"#,
        serde_json::to_string(&result).unwrap()
    );
    let head = serde_json::from_str(&body).unwrap();
    crate::client::RawResponse {
        status: 200,
        body: body.into_bytes(),
        head,
    }
}

/// Decodes a page of numbers, logging the first one.
fn decode_logged(raw: crate::client::RawResponse) -> Result<Response<Vec<i64>>, RestError> {
    let envelope: crate::Envelope<i64> = serde_json::from_slice(&raw.body).unwrap();
    let response = envelope.into_response()?;
    event(format!(
        "decode {}",
        response.value.first().copied().unwrap_or(-1)
    ));
    Ok(response)
}

/// A decoder that always fails (a body that does not fit the item type).
fn decode_failing(_: crate::client::RawResponse) -> Result<Response<Vec<i64>>, RestError> {
    Err(RestError::Decode {
        status: 200,
        problem: "bad item".to_owned(),
        excerpt: String::new(),
    })
}

#[test]
fn the_head_counts_result_items_without_decoding_them() {
    let head = |body: &str| serde_json::from_str::<crate::client::Head>(body).unwrap();
    let counted = head(
        r#"{"success":true,"result":[{"a":[1,2]},{"b":{}},3],"moreResult":true,"nextPageToken":"T","warnings":["w"]}"#,
    );
    assert_eq!(counted.result_items, Some(3));
    assert_eq!(counted.more_result, Some(true));
    assert_eq!(counted.next_page_token.as_deref(), Some("T"));
    assert_eq!(counted.warnings, vec!["w".to_owned()]);
    assert_eq!(head(r#"{"success":true}"#).result_items, Some(0));
    assert_eq!(
        head(r#"{"success":true,"result":null}"#).result_items,
        Some(0)
    );
    assert_eq!(
        head(r#"{"success":true,"result":{"x":1}}"#).result_items,
        None
    );
    assert_eq!(head(r#"{"success":true,"result":"x"}"#).result_items, None);
}

#[test]
fn lazy_offset_pages_are_requested_before_earlier_pages_are_decoded() {
    EVENTS
        .lock()
        .unwrap()
        .retain(|e| !e.contains("offset-lazy"));
    let stream = OffsetStream::of_pages(0, |offset| {
        event(format!("offset-lazy fetch {offset}"));
        Box::pin(async move {
            let items = if offset < 600 { 200 } else { 0 };
            Page::from_raw(raw_page(offset, items, ""), decode_logged)
        }) as LazyPageFuture<i64>
    })
    .with_page_size(200)
    .with_prefetch(2);
    let got = run(stream);
    assert_eq!(got, (0..600).collect::<Vec<_>>());
    let events: Vec<String> = EVENTS.lock().unwrap().clone();
    let at = |e: &str| {
        events
            .iter()
            .position(|x| x.ends_with(e))
            .unwrap_or(usize::MAX)
    };
    // Page 0 came alone; once it was taken in, pages 200 and 400 went out,
    // and page 400's request left before page 200 was decoded.
    assert!(at("fetch 400") < at("decode 200"), "{events:?}");
    assert!(at("fetch 600") < at("decode 400"), "{events:?}");
}

#[test]
fn a_page_that_fails_to_decode_comes_after_the_items_before_it() {
    let mut stream = OffsetStream::of_pages(0, |offset| {
        Box::pin(async move {
            let decode = if offset == 4 {
                decode_failing
            } else {
                decode_logged
            };
            Page::from_raw(raw_page(offset, 2, ""), decode)
        }) as LazyPageFuture<i64>
    })
    .with_page_size(2)
    .with_prefetch(3);
    let got = futures::executor::block_on(async {
        let mut got = Vec::new();
        while let Some(item) = stream.next().await {
            got.push(item.map_err(|e| e.to_string()));
        }
        got
    });
    assert_eq!(got.len(), 5, "{got:?}");
    assert_eq!(got[..4], [Ok(0), Ok(1), Ok(2), Ok(3)]);
    assert!(got[4].as_ref().is_err_and(|e| e.contains("bad item")));
    assert_eq!(stream.offset(), 4, "resumes at the page that failed");
}

#[test]
fn a_lazy_cursor_requests_the_next_page_before_decoding_the_current_one() {
    let mut stream = CursorStream::of_pages(None, |token| {
        let page = token
            .as_deref()
            .map_or(0, |t| t.parse::<i64>().unwrap_or(99));
        event(format!("cursor-lazy fetch {page}"));
        Box::pin(async move {
            let extra = match page {
                2 => r#","moreResult":false"#.to_owned(),
                n => format!(r#","moreResult":true,"nextPageToken":"{}""#, n + 1),
            };
            Page::from_raw(raw_page(1000 + page * 10, 3, &extra), decode_logged)
        }) as LazyPageFuture<i64>
    });
    let got = futures::executor::block_on(async {
        let mut got = Vec::new();
        while let Some(item) = stream.next().await {
            got.push(item.unwrap());
        }
        got
    });
    assert_eq!(
        got,
        vec![1000, 1001, 1002, 1010, 1011, 1012, 1020, 1021, 1022]
    );
    assert!(stream.is_last_page());
    assert_eq!(stream.next_page_token(), None);
    let events: Vec<String> = EVENTS.lock().unwrap().clone();
    let at = |e: &str| events.iter().position(|x| x == e).unwrap_or(usize::MAX);
    assert!(at("cursor-lazy fetch 1") < at("decode 1000"), "{events:?}");
    assert!(at("cursor-lazy fetch 2") < at("decode 1010"), "{events:?}");
}
