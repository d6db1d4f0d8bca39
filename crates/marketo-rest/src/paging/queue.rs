//! Pages taken in and not yet yielded, shared by both streams.

use std::collections::VecDeque;

use super::Page;
use crate::RestError;

/// The items still to yield: decoded ones, then pages received but not
/// yet decoded (each with the position `P` it was fetched at, to resume
/// there if it fails), an error last if one came.
pub(super) struct Queue<P, T> {
    /// Decoded items, to yield.
    items: VecDeque<T>,
    /// Pages received and not yet decoded, in order.
    pages: VecDeque<(P, Result<Page<T>, RestError>)>,
    /// The items of `pages`.
    page_items: usize,
}

impl<P, T> Queue<P, T> {
    pub(super) fn new() -> Self {
        Self {
            items: VecDeque::new(),
            pages: VecDeque::new(),
            page_items: 0,
        }
    }

    /// Queues a page fetched at `at` (an empty one holds nothing to yield).
    pub(super) fn push_page(&mut self, at: P, page: Page<T>) {
        if !page.is_empty() {
            self.page_items += page.len();
            self.pages.push_back((at, Ok(page)));
        }
    }

    /// Queues the failure of the page fetched at `at`, after the pages
    /// before it.
    pub(super) fn push_error(&mut self, at: P, e: RestError) {
        self.pages.push_back((at, Err(e)));
    }

    /// Items taken in and not yet yielded (decoded or not).
    pub(super) fn len(&self) -> usize {
        self.items.len() + self.page_items
    }

    /// Pages waiting to be yielded: those not decoded, and the one being
    /// yielded.
    pub(super) fn pages_waiting(&self) -> usize {
        self.pages.len() + usize::from(!self.items.is_empty())
    }

    /// The next item (decoding the next page when the decoded items ran
    /// out), the failure of the page at a position, or `None` when nothing
    /// is queued.
    pub(super) fn next(&mut self) -> Option<Result<T, (P, RestError)>> {
        loop {
            if let Some(item) = self.items.pop_front() {
                return Some(Ok(item));
            }
            let (at, page) = self.pages.pop_front()?;
            let decoded = page.and_then(|page| {
                self.page_items -= page.len();
                page.decode()
            });
            match decoded {
                Ok(response) => self.items.extend(response.value),
                Err(e) => return Some(Err((at, e))),
            }
        }
    }

    /// Drops everything queued.
    pub(super) fn clear(&mut self) {
        self.items.clear();
        self.pages.clear();
        self.page_items = 0;
    }
}
