//! Fault injection: faults queued by tests and consumed by the next matching calls.

use std::collections::VecDeque;
use std::time::Duration;

/// A fault the emulator can be told to produce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// REST API calls answer HTTP 200 with this Marketo error code
    /// (e.g. "604", "606", "608", "611", "615", "713", "601", "602", "607").
    RestError(String),
    /// SOAP calls answer HTTP 500 with a fault of this code (e.g. "20023", "20024").
    SoapFault(String),
    /// REST and SOAP calls answer with this HTTP status (e.g. 502, 503) and a short text body.
    HttpStatus(u16),
    /// REST and SOAP calls get their connection closed without any response.
    DropConnection,
    /// REST and SOAP calls get a correct status but a body cut in half.
    TruncatedBody,
    /// REST and SOAP calls get a correct status but a body that is not JSON / XML.
    MalformedBody,
}

/// Which kind of call a fault applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CallKind {
    /// A REST call other than the identity endpoint.
    Rest,
    /// A SOAP call.
    Soap,
}

impl Fault {
    fn applies_to(&self, kind: CallKind) -> bool {
        match self {
            Fault::RestError(_) => kind == CallKind::Rest,
            Fault::SoapFault(_) => kind == CallKind::Soap,
            _ => true,
        }
    }
}

/// Queue of pending faults plus the fixed latency.
#[derive(Debug, Default)]
pub(crate) struct FaultState {
    queue: VecDeque<(Fault, u32)>,
    pub(crate) latency: Option<Duration>,
}

impl FaultState {
    pub(crate) fn push(&mut self, fault: Fault, times: u32) {
        if times > 0 {
            self.queue.push_back((fault, times));
        }
    }

    pub(crate) fn clear(&mut self) {
        self.queue.clear();
        self.latency = None;
    }

    /// Takes the first queued fault that applies to this kind of call.
    pub(crate) fn take(&mut self, kind: CallKind) -> Option<Fault> {
        let idx = self.queue.iter().position(|(f, _)| f.applies_to(kind))?;
        let entry = self.queue.get_mut(idx)?;
        let fault = entry.0.clone();
        entry.1 -= 1;
        if entry.1 == 0 {
            self.queue.remove(idx);
        }
        Some(fault)
    }

    pub(crate) fn pending(&self) -> u32 {
        self.queue.iter().map(|(_, n)| *n).sum()
    }
}
