//! [`RateLimit`]: the `X-RateLimit-*` headers of the last response, readable from the client.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName};

const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");
/// `X-RateLimit-Reset` values above this are read as a Unix time, below as seconds to wait.
const UNIX_TIME_THRESHOLD: u64 = 1_000_000_000;

/// The server's rate-limit state as reported by the last response that carried it.
///
/// Each field is `None` when the response did not carry the header (or carried a value
/// that is not a whole number).
///
/// ```
/// let limit = destiny_api::RateLimit { limit: Some(60), remaining: Some(59), reset: None };
/// assert!(!limit.is_exhausted());
/// assert_eq!(limit.to_string(), "59 of 60 requests left in this window");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// `X-RateLimit-Limit`: requests allowed per window.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: requests left in the current window.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset`: time until the window resets (the server may send seconds or,
    /// for a value above 10⁹, the Unix time of the reset).
    pub reset: Option<Duration>,
}

impl std::fmt::Display for RateLimit {
    /// `59 of 60 requests left in this window, resets in 42 s`; `?` for a missing header.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = |value: Option<u64>| value.map_or_else(|| "?".to_owned(), |v| v.to_string());
        write!(
            f,
            "{} of {} requests left in this window",
            count(self.remaining),
            count(self.limit)
        )?;
        match self.reset {
            Some(reset) => write!(f, ", resets in {} s", reset.as_secs()),
            None => Ok(()),
        }
    }
}

impl RateLimit {
    /// Reads the three headers; `None` when none of them is present.
    pub(crate) fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let limit = header_number(headers, &LIMIT);
        let remaining = header_number(headers, &REMAINING);
        let reset =
            header_number(headers, &RESET).and_then(|reset| time_left(reset, SystemTime::now));
        (limit.is_some() || remaining.is_some() || reset.is_some()).then_some(Self {
            limit,
            remaining,
            reset,
        })
    }

    /// Whether the server said no request is left in this window.
    pub fn is_exhausted(&self) -> bool {
        self.remaining == Some(0)
    }
}

/// Reads a header holding a whole number of seconds or requests.
pub(crate) fn header_number(headers: &HeaderMap, name: &HeaderName) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// The time until the rate-limit window resets, from `X-RateLimit-Reset`: seconds to wait,
/// or a Unix time when the value is that large.
pub(crate) fn reset_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    time_left(header_number(headers, &RESET)?, || now)
}

/// An `X-RateLimit-Reset` value as the time left; the clock is read only for a Unix time.
fn time_left(reset: u64, now: impl FnOnce() -> SystemTime) -> Option<Duration> {
    if reset > UNIX_TIME_THRESHOLD {
        let now = now().duration_since(UNIX_EPOCH).ok()?.as_secs();
        Some(Duration::from_secs(reset.saturating_sub(now)))
    } else {
        Some(Duration::from_secs(reset))
    }
}

/// The last [`RateLimit`] seen. A plain mutex: it is held for a copy of three numbers, and
/// only by responses that carry the headers.
#[derive(Debug, Default)]
pub(crate) struct RateLimitTracker {
    last: Mutex<Option<RateLimit>>,
}

impl RateLimitTracker {
    pub(crate) fn observe(&self, headers: &HeaderMap) {
        if let Some(seen) = RateLimit::from_headers(headers) {
            *self.last.lock().unwrap_or_else(PoisonError::into_inner) = Some(seen);
        }
    }

    pub(crate) fn last(&self) -> Option<RateLimit> {
        *self.last.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn reads_the_three_headers() {
        let mut headers = HeaderMap::new();
        headers.insert(LIMIT, HeaderValue::from_static("60"));
        headers.insert(REMAINING, HeaderValue::from_static("59"));
        headers.insert(RESET, HeaderValue::from_static(" 60 "));
        let seen = RateLimit::from_headers(&headers).unwrap();
        assert_eq!(
            seen,
            RateLimit {
                limit: Some(60),
                remaining: Some(59),
                reset: Some(Duration::from_secs(60)),
            }
        );
    }

    #[test]
    fn a_reset_given_as_a_unix_time_is_the_time_left() {
        let mut headers = HeaderMap::new();
        headers.insert(RESET, HeaderValue::from_static("1700000004"));
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(reset_wait(&headers, now), Some(Duration::from_secs(4)));
        let seen = RateLimit::from_headers(&headers).unwrap();
        assert!(
            seen.reset.unwrap() < Duration::from_secs(1_000_000_000),
            "{seen:?}"
        );
    }

    #[test]
    fn absent_or_garbled_headers_give_nothing() {
        assert_eq!(RateLimit::from_headers(&HeaderMap::new()), None);
        let mut headers = HeaderMap::new();
        headers.insert(LIMIT, HeaderValue::from_static("sixty"));
        assert_eq!(RateLimit::from_headers(&headers), None);
    }

    #[test]
    fn the_tracker_keeps_the_last_response_that_had_headers() {
        let tracker = RateLimitTracker::default();
        let mut headers = HeaderMap::new();
        headers.insert(REMAINING, HeaderValue::from_static("3"));
        tracker.observe(&headers);
        tracker.observe(&HeaderMap::new());
        assert_eq!(tracker.last().unwrap().remaining, Some(3));
    }
}
