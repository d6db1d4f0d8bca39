//! Streams of items across pages.
//!
//! * [`OffsetStream`]: Asset API browse calls, paged by `offset` and
//!   `maxReturn`. The next page starts at the previous offset plus the
//!   number of items received. The stream ends on an empty page — including
//!   Marketo's "No assets found for the given search criteria." warning
//!   without `result`, which is a success, not an error.
//! * [`CursorStream`]: Lead Database calls, paged by `nextPageToken`. The
//!   stream follows the token while `moreResult` is true — an empty page
//!   with `moreResult: true` and a new token (activities do that) is skipped
//!   over, not the end. It ends when `moreResult` is false, when no
//!   `nextPageToken` comes back, when the token does not change on an empty
//!   page, and — for calls that do not send `moreResult` — on an empty page.
//!
//! Both fetch one page at a time (never more than one in flight), yield its
//! items, and expose their position so that a caller can stop and resume
//! later. Errors are yielded once, then the stream ends.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;

use crate::{Response, RestError};

/// One page being fetched.
pub type PageFuture<T> =
    Pin<Box<dyn Future<Output = Result<Response<Vec<T>>, RestError>> + Send + 'static>>;

type OffsetFetch<T> = Box<dyn FnMut(i64) -> PageFuture<T> + Send + 'static>;
type CursorFetch<T> = Box<dyn FnMut(Option<String>) -> PageFuture<T> + Send + 'static>;

/// Items of an offset-paged operation (see the [module docs](self)).
pub struct OffsetStream<T> {
    fetch: OffsetFetch<T>,
    next_page_offset: i64,
    buffer: VecDeque<T>,
    in_flight: Option<PageFuture<T>>,
    done: bool,
    warnings: Vec<String>,
}

impl<T> Unpin for OffsetStream<T> {}

impl<T> OffsetStream<T> {
    /// A stream starting at `offset`; `fetch(offset)` fetches one page.
    pub fn new(offset: i64, fetch: impl FnMut(i64) -> PageFuture<T> + Send + 'static) -> Self {
        Self {
            fetch: Box::new(fetch),
            next_page_offset: offset,
            buffer: VecDeque::new(),
            in_flight: None,
            done: false,
            warnings: Vec::new(),
        }
    }

    /// The offset of the next item this stream will yield: pass it as
    /// `offset` to resume where this stream stopped.
    pub fn offset(&self) -> i64 {
        self.next_page_offset - i64::try_from(self.buffer.len()).unwrap_or(i64::MAX)
    }

    /// Warnings of the last page fetched.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

impl<T> Stream for OffsetStream<T> {
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
            let offset = this.next_page_offset;
            let fetch = &mut this.fetch;
            let page = this.in_flight.get_or_insert_with(|| fetch(offset));
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
                    if response.value.is_empty() {
                        this.done = true;
                    }
                    let received = i64::try_from(response.value.len()).unwrap_or(i64::MAX);
                    this.next_page_offset = this.next_page_offset.saturating_add(received);
                    this.buffer.extend(response.value);
                }
            }
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
}
