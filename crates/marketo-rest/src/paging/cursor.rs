//! [`CursorStream`]: pages by `nextPageToken`.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;

use super::queue::Queue;
use super::{LazyPageFuture, Page, PageFuture, lazy};
use crate::RestError;

type CursorFetch<T> = Box<dyn FnMut(Option<String>) -> LazyPageFuture<T> + Send + 'static>;

/// Items of a `nextPageToken`-paged operation (see the [module docs](super)).
pub struct CursorStream<T> {
    fetch: CursorFetch<T>,
    /// The token of the page after the last one received.
    token: Option<String>,
    /// Items and pages taken in, not yet yielded (each page with the
    /// token that fetched it).
    queue: Queue<Option<String>, T>,
    in_flight: Option<LazyPageFuture<T>>,
    /// Whether the last page (or an error) was received.
    done: bool,
    warnings: Vec<String>,
}

impl<T> Unpin for CursorStream<T> {}

impl<T: 'static> CursorStream<T> {
    /// A stream starting at `token` (`None`: the first page);
    /// `fetch(token)` fetches one page and decodes it.
    pub fn new(
        token: Option<String>,
        fetch: impl FnMut(Option<String>) -> PageFuture<T> + Send + 'static,
    ) -> Self {
        Self::of_pages(token, lazy(fetch))
    }
}

impl<T> CursorStream<T> {
    /// A stream starting at `token` whose `fetch(token)` hands pages over
    /// undecoded ([`Page`]): the next page is requested, with the token
    /// read from the current page's head, before the current page is
    /// decoded. Otherwise as [`new`](Self::new).
    pub fn of_pages(
        token: Option<String>,
        fetch: impl FnMut(Option<String>) -> LazyPageFuture<T> + Send + 'static,
    ) -> Self {
        Self {
            fetch: Box::new(fetch),
            token,
            queue: Queue::new(),
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

    /// How many items of the pages received are still to be yielded.
    pub fn pending_items(&self) -> usize {
        self.queue.len()
    }

    /// Whether no further page will be fetched.
    pub fn is_last_page(&self) -> bool {
        self.done
    }

    /// Warnings of the last page fetched.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Requests the next page while at most one received page waits to be
    /// yielded (so one page is fetched while the previous is decoded), and
    /// takes it in when it arrives.
    fn take_arrivals(&mut self, cx: &mut Context<'_>) {
        loop {
            if self.done || (self.in_flight.is_none() && self.queue.pages_waiting() > 1) {
                return;
            }
            let token = self.token.clone();
            let fetch = &mut self.fetch;
            let page = self.in_flight.get_or_insert_with(|| fetch(token));
            let result = match page.as_mut().poll(cx) {
                Poll::Pending => return,
                Poll::Ready(result) => result,
            };
            self.in_flight = None;
            match result {
                Err(e) => {
                    self.done = true;
                    self.queue.push_error(self.token.clone(), e);
                }
                Ok(page) => self.receive(page),
            }
        }
    }

    /// Takes in a page: its token, and whether it is the last.
    fn receive(&mut self, page: Page<T>) {
        self.warnings = page.warnings().to_vec();
        let token = page.next_page_token().map(str::to_owned);
        let fetched_with = self.token.clone();
        let new_token = token.is_some() && token != self.token;
        let more = match page.more_result() {
            Some(false) => false,
            // A page can be empty while more follow; only a token that
            // does not move ends the walk then.
            Some(true) => token.is_some() && (!page.is_empty() || new_token),
            None => token.is_some() && !page.is_empty(),
        };
        self.done = !more;
        self.token = if more { token } else { None };
        self.queue.push_page(fetched_with, page);
    }
}

impl<T> Stream for CursorStream<T> {
    type Item = Result<T, RestError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        this.take_arrivals(cx);
        match this.queue.next() {
            Some(Ok(item)) => Poll::Ready(Some(Ok(item))),
            Some(Err((token, e))) => Poll::Ready(Some(Err(this.fail(token, e)))),
            None if this.done => Poll::Ready(None),
            None => Poll::Pending,
        }
    }
}

impl<T> CursorStream<T> {
    /// Ends the stream on `e`, the failure of the page fetched with `token`
    /// (yielded once): drops everything after it, so that
    /// [`next_page_token`](CursorStream::next_page_token) resumes at that
    /// page.
    fn fail(&mut self, token: Option<String>, e: RestError) -> RestError {
        self.done = true;
        self.token = token;
        self.in_flight = None;
        self.queue.clear();
        e
    }
}
