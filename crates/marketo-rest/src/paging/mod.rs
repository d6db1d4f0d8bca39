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
//! permit).
//!
//! **Decoding stays off the network's path.** The generated streams fetch
//! [`Page`]s: a page's body is taken in as soon as it arrives, with only
//! the envelope members paging needs read (item count, `moreResult`,
//! `nextPageToken`, warnings), and its slot is refilled at once — the next
//! request leaves before the page is decoded. Pages are decoded into items
//! when the consumer reaches them, while the next requests are on the
//! network. A [`CursorStream`] likewise requests the next page (its token
//! is in the head) before decoding the current one.
//! [`OffsetStream::with_page_tasks`] moves each page's request to a Tokio
//! task of its own instead of the stream's task — measured slower on a
//! busy 2-core machine (docs/BENCHMARKS.md), so it is off by default.
//!
//! Both streams keep items in order, expose their position so that a
//! caller can stop and resume later, and yield an error once (after the
//! items of the pages before it), then end.

use std::future::Future;
use std::pin::Pin;

use crate::client::RawResponse;
use crate::{Response, RestError};

mod cursor;
mod offset;
mod queue;

pub use cursor::CursorStream;
pub use offset::OffsetStream;

/// One page being fetched, decoded by the future itself (the fetch of
/// [`OffsetStream::new`] and [`CursorStream::new`]).
pub type PageFuture<T> =
    Pin<Box<dyn Future<Output = Result<Response<Vec<T>>, RestError>> + Send + 'static>>;

/// One page being fetched, handed over undecoded (the fetch of
/// [`OffsetStream::of_pages`] and [`CursorStream::of_pages`], as the
/// generated streams use).
pub type LazyPageFuture<T> =
    Pin<Box<dyn Future<Output = Result<Page<T>, RestError>> + Send + 'static>>;

/// How a raw body becomes a page's items (a generic function of the item type).
pub type DecodePage<T> = fn(RawResponse) -> Result<Response<Vec<T>>, RestError>;

/// One page of a paged call as it arrived: the envelope members paging
/// needs, read without decoding the items, and the items themselves —
/// decoded already, or still a body that [`Page::decode`] turns into them.
///
/// A stream takes a page in (counts it, learns the next token or offset,
/// refills its slot) before decoding it; see the [module docs](self).
pub struct Page<T> {
    items: usize,
    warnings: Vec<String>,
    more_result: Option<bool>,
    next_page_token: Option<String>,
    content: Content<T>,
}

enum Content<T> {
    Decoded(Response<Vec<T>>),
    Body {
        raw: RawResponse,
        decode: DecodePage<T>,
    },
}

impl<T> Page<T> {
    /// A page whose body is decoded later by `decode`. If the envelope
    /// head could not count `result`'s items (not an array, or a body the
    /// head reader did not understand), the body is decoded now instead,
    /// so that a malformed answer is an error here.
    pub fn from_raw(mut raw: RawResponse, decode: DecodePage<T>) -> Result<Self, RestError> {
        let Some(items) = raw.head.result_items else {
            return decode(raw).map(Self::from);
        };
        // Moved out of the head: decoding reads them from the body again.
        Ok(Self {
            items,
            warnings: std::mem::take(&mut raw.head.warnings),
            more_result: raw.head.more_result,
            next_page_token: raw.head.next_page_token.take(),
            content: Content::Body { raw, decode },
        })
    }

    /// The number of items on the page.
    pub fn len(&self) -> usize {
        self.items
    }

    /// Whether the page holds no item.
    pub fn is_empty(&self) -> bool {
        self.items == 0
    }

    /// The page's warnings.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The envelope's `moreResult`.
    pub fn more_result(&self) -> Option<bool> {
        self.more_result
    }

    /// The envelope's `nextPageToken`.
    pub fn next_page_token(&self) -> Option<&str> {
        self.next_page_token.as_deref()
    }

    /// The page's items with the envelope's metadata (decoding the body if
    /// that was left for later).
    pub fn decode(self) -> Result<Response<Vec<T>>, RestError> {
        match self.content {
            Content::Decoded(response) => Ok(response),
            Content::Body { raw, decode } => decode(raw),
        }
    }
}

impl<T> From<Response<Vec<T>>> for Page<T> {
    fn from(response: Response<Vec<T>>) -> Self {
        Self {
            items: response.value.len(),
            warnings: response.warnings.clone(),
            more_result: response.more_result,
            next_page_token: response.next_page_token.clone(),
            content: Content::Decoded(response),
        }
    }
}

impl<T> std::fmt::Debug for Page<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page")
            .field("items", &self.items)
            .field("warnings", &self.warnings)
            .field("more_result", &self.more_result)
            .field("next_page_token", &self.next_page_token)
            .field("decoded", &matches!(self.content, Content::Decoded(_)))
            .finish()
    }
}

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

/// Wraps a fetch of decoded pages into one of [`Page`]s.
fn lazy<T: 'static, A>(
    mut fetch: impl FnMut(A) -> PageFuture<T> + Send + 'static,
) -> impl FnMut(A) -> LazyPageFuture<T> + Send + 'static {
    move |position| {
        let page = fetch(position);
        Box::pin(async move { page.await.map(Page::from) })
    }
}

#[cfg(test)]
mod tests;
