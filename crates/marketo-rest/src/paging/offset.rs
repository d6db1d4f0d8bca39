//! [`OffsetStream`]: pages by `offset` and `maxReturn`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;
use futures::stream::FuturesOrdered;
use tracing::Instrument;

use super::queue::Queue;
use super::{LazyPageFuture, Page, PageFuture, lazy};
use crate::RestError;

type OffsetFetch<T> = Box<dyn FnMut(i64) -> LazyPageFuture<T> + Send + 'static>;

/// A page request tagged with its offset.
type OffsetPage<T> =
    Pin<Box<dyn Future<Output = (i64, Result<Page<T>, RestError>)> + Send + 'static>>;

/// Items of an offset-paged operation (see the [module docs](super)).
pub struct OffsetStream<T> {
    fetch: OffsetFetch<T>,
    /// The offset just after the last page received (items not yet
    /// yielded included).
    next_page_offset: i64,
    /// Items and pages taken in, not yet yielded (with their offsets).
    queue: Queue<i64, T>,
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
    /// Whether the last page (or an error) was received: nothing more is
    /// requested.
    done: bool,
    warnings: Vec<String>,
}

impl<T> Unpin for OffsetStream<T> {}

impl<T: Send + 'static> OffsetStream<T> {
    /// A stream starting at `offset`; `fetch(offset)` fetches one page and
    /// decodes it.
    ///
    /// Built this way it fetches one page at a time and, not knowing the
    /// page size, ends on an empty page; the generated `*_stream` methods
    /// use [`of_pages`](Self::of_pages) and add
    /// [`with_page_size`](Self::with_page_size) and
    /// [`with_prefetch`](Self::with_prefetch) (see the
    /// [module docs](super)).
    pub fn new(offset: i64, fetch: impl FnMut(i64) -> PageFuture<T> + Send + 'static) -> Self {
        Self::of_pages(offset, lazy(fetch))
    }

    /// A stream starting at `offset` whose `fetch(offset)` hands pages
    /// over undecoded ([`Page`]): each page's slot is refilled before the
    /// page is decoded. Otherwise as [`new`](Self::new).
    pub fn of_pages(
        offset: i64,
        fetch: impl FnMut(i64) -> LazyPageFuture<T> + Send + 'static,
    ) -> Self {
        Self {
            fetch: Box::new(fetch),
            next_page_offset: offset,
            queue: Queue::new(),
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
    /// time; the generated streams start with [`default_prefetch`](super::default_prefetch)). The
    /// pages go through the client's throttle, so more than its
    /// `max_in_flight` gains nothing. Items keep their order. Memory is
    /// bounded: at most `pages` pages on the network, `pages + 1` received
    /// and not yet decoded, and the page being yielded.
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

    /// Whether each page's request runs on a Tokio task of its own
    /// (default `false`: the pages in flight are polled by the task that
    /// polls the stream; without a running Tokio runtime they always are).
    /// Pages are decoded by the stream either way. Tasks cost a
    /// cross-thread hand-off per page; see docs/BENCHMARKS.md for both
    /// measured. Pages dropped with the stream, or past its end, are
    /// cancelled either way.
    pub fn with_page_tasks(mut self, spawn: bool) -> Self {
        self.spawn = spawn;
        self
    }

    /// The offset of the next item this stream will yield: pass it as
    /// `offset` to resume where this stream stopped.
    pub fn offset(&self) -> i64 {
        self.next_page_offset - i64::try_from(self.queue.len()).unwrap_or(i64::MAX)
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
    /// size is not confirmed), unless `prefetch + 1` received pages are
    /// waiting to be decoded already.
    fn fill(&mut self) {
        if self.done {
            return;
        }
        let ahead = match self.page_size {
            Some(_) if self.confirmed => self.prefetch,
            _ => 1,
        };
        while self.in_flight.len() < ahead && self.queue.pages_waiting() <= ahead {
            let offset = self.next_fetch_offset;
            let page = (self.fetch)(offset);
            let page = match (self.spawn, tokio::runtime::Handle::try_current()) {
                (true, Ok(runtime)) => {
                    let task = runtime.spawn(page.instrument(tracing::Span::current()));
                    Box::pin(PageTask(task)) as LazyPageFuture<T>
                }
                _ => page,
            };
            self.in_flight
                .push_back(Box::pin(async move { (offset, page.await) }));
            self.next_fetch_offset = offset.saturating_add(self.page_size.unwrap_or(0));
        }
    }

    /// Takes in every page that has arrived, in order, refilling the slot
    /// of each before the next (and before any is decoded).
    fn take_arrivals(&mut self, cx: &mut Context<'_>) {
        loop {
            self.fill();
            if self.done {
                return;
            }
            match Pin::new(&mut self.in_flight).poll_next(cx) {
                Poll::Ready(Some((offset, Ok(page)))) => self.receive(offset, page),
                Poll::Ready(Some((offset, Err(e)))) => {
                    self.queue.push_error(offset, e);
                    self.stop();
                }
                Poll::Ready(None) | Poll::Pending => return,
            }
        }
    }

    /// Takes in a page received at `offset`: queues it for decoding, and
    /// decides whether the stream ends or the pages ahead must be fetched
    /// again.
    fn receive(&mut self, offset: i64, page: Page<T>) {
        self.warnings = page.warnings().to_vec();
        let count = page.len();
        let received = i64::try_from(count).unwrap_or(i64::MAX);
        let next = offset.saturating_add(received);
        self.next_page_offset = next;
        self.queue.push_page(offset, page);
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
            self.stop();
        } else if restart {
            self.in_flight = FuturesOrdered::new();
            self.next_fetch_offset = next;
        }
    }
}

impl<T: Send + 'static> Stream for OffsetStream<T> {
    type Item = Result<T, RestError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        this.take_arrivals(cx);
        match this.queue.next() {
            Some(Ok(item)) => Poll::Ready(Some(Ok(item))),
            Some(Err((offset, e))) => Poll::Ready(Some(Err(this.fail(offset, e)))),
            None if this.done => Poll::Ready(None),
            None if this.in_flight.is_empty() => {
                // Unreachable: `fill` requests a page whenever nothing
                // is waiting; end rather than spin.
                Poll::Ready(None)
            }
            None => Poll::Pending,
        }
    }
}

impl<T> OffsetStream<T> {
    /// Ends the stream on `e`, the failure of the page at `offset`
    /// (yielded once): drops everything after it, so that
    /// [`offset`](OffsetStream::offset) resumes at that page.
    fn fail(&mut self, offset: i64, e: RestError) -> RestError {
        self.stop();
        self.next_page_offset = offset;
        self.queue.clear();
        e
    }

    /// Requests nothing more; drops the pages in flight.
    fn stop(&mut self) {
        self.done = true;
        self.in_flight = FuturesOrdered::new();
    }
}

/// A page fetched on a task of its own; dropping it cancels the task.
struct PageTask<T>(tokio::task::JoinHandle<Result<Page<T>, RestError>>);

impl<T> Drop for PageTask<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T> Future for PageTask<T> {
    type Output = Result<Page<T>, RestError>;

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
