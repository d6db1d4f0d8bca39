//! Streams of items across pages.
//!
//! * [`OffsetStream`]: Asset API browse calls, paged by `offset` and
//!   `maxReturn`. The next page starts at the previous offset plus the
//!   number of items received. The stream ends on a page shorter than the
//!   page size (the last page: no call is made past it) or on an empty page
//!   — including Marketo's "No assets found for the given search
//!   criteria." warning without `result`, which is a success, not an error.
//! * [`CursorStream`]: Lead Database calls, paged by `nextPageToken`. The
//!   stream follows the token while `moreResult` is true — an empty page
//!   with `moreResult: true` and a new token (activities do that) is skipped
//!   over, not the end. It ends when `moreResult` is false, when no
//!   `nextPageToken` comes back, when the token does not change on an empty
//!   page, and — for calls that do not send `moreResult` — on an empty page.
//!
//! **Fast by default.** The generated `*_stream` methods of offset-paged
//! calls give their [`OffsetStream`] the page size (`maxReturn`, or the
//! spec's default, capped at the spec's maximum) and fetch up to
//! [`default_prefetch`] pages concurrently — the client throttle's
//! `max_in_flight` (5 by default), so a browse uses the concurrency the
//! throttle allows and never more (every page still takes a throttle
//! permit). The pages in flight are polled concurrently, each decoded in
//! its own page future as soon as its body is in, while the others stay on
//! the network; [`OffsetStream::with_page_tasks`] moves each page (request
//! and decoding) to a Tokio task of its own instead — measured slower on a
//! busy 2-core machine (docs/BENCHMARKS.md), so it is off by default. A
//! [`CursorStream`] fetches one page at a time: each token comes with the
//! previous page.
//!
//! Both streams keep items in order, expose their position so that a
//! caller can stop and resume later, and yield an error once, then end.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;
use futures::stream::FuturesOrdered;
use tracing::Instrument;

use crate::{Response, RestError};

/// One page being fetched.
pub type PageFuture<T> =
    Pin<Box<dyn Future<Output = Result<Response<Vec<T>>, RestError>> + Send + 'static>>;

type OffsetFetch<T> = Box<dyn FnMut(i64) -> PageFuture<T> + Send + 'static>;
type CursorFetch<T> = Box<dyn FnMut(Option<String>) -> PageFuture<T> + Send + 'static>;

/// The number of pages an offset stream of a client with this throttle
/// fetches ahead by default: the throttle's
/// [`max_in_flight`](marketo_resilience::Limits::max_in_flight) (5 with
/// [`Limits::default()`](marketo_resilience::Limits)), at least 1.
///
/// More would gain nothing (the throttle holds the extra pages back);
/// fewer leaves allowed concurrency unused. Streams and other calls that
/// share the throttle share its in-flight permits, so the limit holds
/// whatever the number of streams.
pub fn default_prefetch(throttle: &marketo_resilience::Throttle) -> usize {
    throttle.limits().max_in_flight.max(1)
}

/// Items of an offset-paged operation (see the [module docs](self)).
pub struct OffsetStream<T> {
    fetch: OffsetFetch<T>,
    /// The offset just after the last page received (items buffered included).
    next_page_offset: i64,
    buffer: VecDeque<T>,
    /// Pages requested, in offset order, with the offset each starts at.
    in_flight: FuturesOrdered<OffsetPage<T>>,
    /// The offset the next page to request starts at.
    next_fetch_offset: i64,
    /// Pages fetched ahead at most (1: one page at a time).
    prefetch: usize,
    /// Items per page (given, or learnt from the first page).
    page_size: Option<i64>,
    /// Whether a page of `page_size` items came back since the size was
    /// set: until then pages are fetched one at a time.
    confirmed: bool,
    /// Whether a page shorter than `page_size` ends the stream.
    end_on_short_page: bool,
    /// Whether pages are fetched on tasks of their own.
    spawn: bool,
    done: bool,
    warnings: Vec<String>,
}

/// A page request tagged with its offset.
type OffsetPage<T> =
    Pin<Box<dyn Future<Output = (i64, Result<Response<Vec<T>>, RestError>)> + Send + 'static>>;

impl<T> Unpin for OffsetStream<T> {}

impl<T: Send + 'static> OffsetStream<T> {
    /// A stream starting at `offset`; `fetch(offset)` fetches one page.
    ///
    /// Built this way it fetches one page at a time and, not knowing the
    /// page size, ends on an empty page; the generated `*_stream` methods
    /// add [`with_page_size`](Self::with_page_size) and
    /// [`with_prefetch`](Self::with_prefetch) (see the
    /// [module docs](self)).
    pub fn new(offset: i64, fetch: impl FnMut(i64) -> PageFuture<T> + Send + 'static) -> Self {
        Self {
            fetch: Box::new(fetch),
            next_page_offset: offset,
            buffer: VecDeque::new(),
            in_flight: FuturesOrdered::new(),
            next_fetch_offset: offset,
            prefetch: 1,
            page_size: None,
            confirmed: false,
            end_on_short_page: true,
            spawn: false,
            done: false,
            warnings: Vec::new(),
        }
    }

    /// Fetches up to `pages` pages ahead concurrently (1: one page at a
    /// time; the generated streams start with [`default_prefetch`]). The
    /// pages go through the client's throttle, so more than its
    /// `max_in_flight` gains nothing. Items keep their order; memory is
    /// bounded by `pages + 1` pages.
    ///
    /// The first page is fetched alone (a collection of one page costs one
    /// call); once a page of the expected size came back, `pages` are kept
    /// in flight. The stream stops at the first short or empty page: the
    /// pages requested beyond it are dropped, so a browse costs at most
    /// `pages − 1` calls more than its number of pages (Marketo's browse
    /// calls give no total from which to know the last page in advance).
    ///
    /// The offsets of pages ahead need the page size: the one given with
    /// [`with_page_size`](Self::with_page_size) (the generated streams pass
    /// `maxReturn`), or else the size of the first page. A page longer than
    /// expected makes the stream drop the pages ahead and continue from the
    /// right offset, so no item is skipped or repeated.
    ///
    /// ```no_run
    /// # use marketo_rest::{Client, params::BrowseProgramsParams};
    /// # use marketo_rest::futures::TryStreamExt;
    /// # async fn run(client: Client) -> Result<(), marketo_rest::RestError> {
    /// // Two pages at a time instead of the throttle's in-flight limit.
    /// let all: Vec<_> = client
    ///     .browse_programs_stream(BrowseProgramsParams::default().max_return(200))
    ///     .with_prefetch(2)
    ///     .try_collect()
    ///     .await?;
    /// # let _ = all; Ok(()) }
    /// ```
    pub fn with_prefetch(mut self, pages: usize) -> Self {
        self.prefetch = pages.max(1);
        self
    }

    /// The number of items per page (`maxReturn`), used to compute the
    /// offsets of pages fetched ahead and to recognise the last page.
    /// Values below 1 are ignored.
    pub fn with_page_size(mut self, items: i64) -> Self {
        if items > 0 {
            self.page_size = Some(items);
            self.confirmed = false;
        }
        self
    }

    /// Ends the stream only on an empty page, not on a short one: for an
    /// operation that may return fewer items than the page size before its
    /// end. A short page then costs one call more (the pages ahead are
    /// dropped and the stream continues one page at a time from where the
    /// short page ended, until a full page comes again).
    pub fn until_empty_page(mut self) -> Self {
        self.end_on_short_page = false;
        self
    }

    /// Whether each page is fetched and decoded on a Tokio task of its own
    /// (default `false`: the pages in flight are polled, and decoded, by
    /// the task that polls the stream; without a running Tokio runtime they
    /// always are). Tasks let pages decode in parallel on a multi-threaded
    /// runtime with idle cores, at the cost of a cross-thread hand-off per
    /// page; see docs/BENCHMARKS.md for both measured. Pages dropped with
    /// the stream, or past its end, are cancelled either way.
    pub fn with_page_tasks(mut self, spawn: bool) -> Self {
        self.spawn = spawn;
        self
    }

    /// The offset of the next item this stream will yield: pass it as
    /// `offset` to resume where this stream stopped.
    pub fn offset(&self) -> i64 {
        self.next_page_offset - i64::try_from(self.buffer.len()).unwrap_or(i64::MAX)
    }

    /// Pages requested and not yet received.
    pub fn pages_in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// Warnings of the last page received.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Requests pages until `prefetch` are in flight (one while the page
    /// size is not confirmed).
    fn fill(&mut self) {
        if self.done {
            return;
        }
        let ahead = match self.page_size {
            Some(_) if self.confirmed => self.prefetch,
            _ => 1,
        };
        while self.in_flight.len() < ahead {
            let offset = self.next_fetch_offset;
            let page = (self.fetch)(offset);
            let page = match (self.spawn, tokio::runtime::Handle::try_current()) {
                (true, Ok(runtime)) => {
                    let task = runtime.spawn(page.instrument(tracing::Span::current()));
                    Box::pin(PageTask(task)) as PageFuture<T>
                }
                _ => page,
            };
            self.in_flight
                .push_back(Box::pin(async move { (offset, page.await) }));
            self.next_fetch_offset = offset.saturating_add(self.page_size.unwrap_or(0));
        }
    }

    /// Takes in a page received at `offset`: its items, and whether the
    /// stream ends or the pages ahead must be fetched again.
    fn receive(&mut self, offset: i64, response: Response<Vec<T>>) {
        self.warnings = response.warnings;
        let received = i64::try_from(response.value.len()).unwrap_or(i64::MAX);
        let next = offset.saturating_add(received);
        self.next_page_offset = next;
        self.buffer.extend(response.value);
        let restart = match self.page_size {
            _ if received == 0 => {
                self.done = true;
                false
            }
            None => {
                // Learnt from this page: confirmed by the next full one.
                self.page_size = Some(received);
                true
            }
            Some(size) if received == size => {
                self.confirmed = true;
                false
            }
            Some(size) if received < size && self.end_on_short_page => {
                self.done = true;
                false
            }
            Some(size) => {
                // Longer than expected (the size given was wrong), or short
                // while more may follow: the pages ahead start at the wrong
                // offsets.
                self.page_size = Some(size.max(received));
                self.confirmed = false;
                true
            }
        };
        if self.done {
            self.in_flight = FuturesOrdered::new();
        } else if restart {
            self.in_flight = FuturesOrdered::new();
            self.next_fetch_offset = next;
        }
        // Reuse the slot this page freed while its items are consumed.
        self.fill();
    }
}

impl<T: Send + 'static> Stream for OffsetStream<T> {
    type Item = Result<T, RestError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            this.fill();
            let (offset, result) = match Pin::new(&mut this.in_flight).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => continue,
                Poll::Ready(Some(page)) => page,
            };
            match result {
                Err(e) => {
                    this.done = true;
                    this.in_flight = FuturesOrdered::new();
                    return Poll::Ready(Some(Err(e)));
                }
                Ok(response) => this.receive(offset, response),
            }
        }
    }
}

/// A page fetched on a task of its own; dropping it cancels the task.
struct PageTask<T>(tokio::task::JoinHandle<Result<Response<Vec<T>>, RestError>>);

impl<T> Drop for PageTask<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T> Future for PageTask<T> {
    type Output = Result<Response<Vec<T>>, RestError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match Pin::new(&mut self.0).poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(result)) => Poll::Ready(result),
            // A panic in the page (a bug) goes on in the caller, as it
            // would without the task.
            Poll::Ready(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Poll::Ready(Err(_)) => Poll::Ready(Err(RestError::Cancelled)),
        }
    }
}

/// Items of a `nextPageToken`-paged operation (see the [module docs](self)).
pub struct CursorStream<T> {
    fetch: CursorFetch<T>,
    token: Option<String>,
    buffer: VecDeque<T>,
    in_flight: Option<PageFuture<T>>,
    done: bool,
    warnings: Vec<String>,
}

impl<T> Unpin for CursorStream<T> {}

impl<T> CursorStream<T> {
    /// A stream starting at `token` (`None`: the first page);
    /// `fetch(token)` fetches one page.
    pub fn new(
        token: Option<String>,
        fetch: impl FnMut(Option<String>) -> PageFuture<T> + Send + 'static,
    ) -> Self {
        Self {
            fetch: Box::new(fetch),
            token,
            buffer: VecDeque::new(),
            in_flight: None,
            done: false,
            warnings: Vec::new(),
        }
    }

    /// The token of the next page to fetch (`None` before the first page
    /// of a stream started without one, and after the last page). Resuming
    /// with it skips the [`CursorStream::pending_items`] items not yet yielded,
    /// so save it when `pending_items()` is 0.
    pub fn next_page_token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// How many items of the current page are still to be yielded.
    pub fn pending_items(&self) -> usize {
        self.buffer.len()
    }

    /// Whether no further page will be fetched.
    pub fn is_last_page(&self) -> bool {
        self.done
    }

    /// Warnings of the last page fetched.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

impl<T> Stream for CursorStream<T> {
    type Item = Result<T, RestError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let token = this.token.clone();
            let fetch = &mut this.fetch;
            let page = this.in_flight.get_or_insert_with(|| fetch(token));
            let result = match page.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(result) => result,
            };
            this.in_flight = None;
            match result {
                Err(e) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Ok(response) => {
                    this.warnings = response.warnings;
                    let new_token = response.next_page_token.is_some()
                        && response.next_page_token != this.token;
                    let more = match response.more_result {
                        Some(false) => false,
                        // A page can be empty while more follow; only a
                        // token that does not move ends the walk then.
                        Some(true) => {
                            response.next_page_token.is_some()
                                && (!response.value.is_empty() || new_token)
                        }
                        None => response.next_page_token.is_some() && !response.value.is_empty(),
                    };
                    this.done = !more;
                    this.token = if more { response.next_page_token } else { None };
                    this.buffer.extend(response.value);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
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
        let got: Vec<i32> =
            futures::executor::block_on(stream.map(|r| r.unwrap()).collect::<Vec<_>>());
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
        let got: Vec<i32> =
            futures::executor::block_on(stream.map(|r| r.unwrap()).collect::<Vec<_>>());
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
}
