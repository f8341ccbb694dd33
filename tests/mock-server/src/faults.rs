//! Faults that tests switch on: added latency, a chosen status, dropped connections and a
//! malformed `Authorization` response header.

use std::time::Duration;

use axum::http::StatusCode;

/// The faults armed on one server. Counters count down one per request.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    pub(crate) latency: Duration,
    status: Option<(StatusCode, u32)>,
    drops: u32,
    malformed_authorization: u32,
}

impl Faults {
    pub(crate) fn fail_next(&mut self, count: u32, status: StatusCode) {
        self.status = (count > 0).then_some((status, count));
    }

    pub(crate) fn drop_next(&mut self, count: u32) {
        self.drops = count;
    }

    pub(crate) fn malform_next(&mut self, count: u32) {
        self.malformed_authorization = count;
    }

    /// The status to answer instead of the real one, if a status fault is armed.
    pub(crate) fn take_status(&mut self) -> Option<StatusCode> {
        let (status, left) = self.status?;
        self.status = (left > 1).then_some((status, left - 1));
        Some(status)
    }

    /// Whether to close this request's connection without answering.
    pub(crate) fn take_drop(&mut self) -> bool {
        take(&mut self.drops)
    }

    /// Whether to replace this response's `Authorization` header with a malformed one.
    pub(crate) fn take_malformed_authorization(&mut self) -> bool {
        take(&mut self.malformed_authorization)
    }
}

fn take(counter: &mut u32) -> bool {
    if *counter == 0 {
        return false;
    }
    *counter -= 1;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_fault_applies_to_exactly_the_next_n_requests() {
        let mut faults = Faults::default();
        faults.fail_next(2, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(faults.take_status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        assert_eq!(faults.take_status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        assert_eq!(faults.take_status(), None);
    }
}
