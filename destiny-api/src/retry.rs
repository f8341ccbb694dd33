//! When a failed attempt is sent again, and after how long.
//!
//! Only idempotent requests (`GET`, `HEAD`, `OPTIONS`: ping, current token, permission
//! check) are retried, and only after a transient failure: a connection error or timeout,
//! `502`/`503`/`504`, or `429`. The wait grows exponentially with jitter; a `Retry-After`
//! from the server replaces it (for a `429` also `X-RateLimit-Reset`, which the server sends
//! on every response and which matters only when the rate limit was the failure). `POST`
//! requests are never retried here (the one replay after a re-login lives in
//! [`crate::reauth`]).

use std::time::{Duration, SystemTime};

use rand::Rng;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

use crate::rate_limit::{header_number, reset_wait};

/// Default number of retries after the first attempt.
pub(crate) const DEFAULT_MAX_RETRIES: u32 = 3;
/// Default wait before the first retry; doubled for each further one.
pub(crate) const DEFAULT_BASE_DELAY: Duration = Duration::from_millis(200);
/// Default longest wait; a server asking for longer is not retried (the caller gets
/// [`crate::Error::RateLimited`] with the server's wait).
pub(crate) const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(30);

/// How many times, and how patiently, transient failures are retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) base_delay: Duration,
    pub(crate) max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: DEFAULT_MAX_RETRIES,
            base_delay: DEFAULT_BASE_DELAY,
            max_delay: DEFAULT_MAX_DELAY,
        }
    }
}

impl RetryPolicy {
    /// Whether requests with this method are ever retried.
    pub(crate) fn covers(&self, method: &Method) -> bool {
        self.max_retries > 0 && is_idempotent(method)
    }

    /// The wait before retrying a response with `status`, or `None` to hand it to the caller.
    /// `retries_done` counts the retries already made for this request.
    pub(crate) fn after_status(
        &self,
        retries_done: u32,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Option<Duration> {
        if retries_done >= self.max_retries || !is_transient(status) {
            return None;
        }
        // `X-RateLimit-Reset` is on every response; it says when the rate-limit window
        // resets, which is a reason to wait only when the rate limit was the failure.
        let asked = if status == StatusCode::TOO_MANY_REQUESTS {
            server_wait(headers, SystemTime::now())
        } else {
            retry_after(headers)
        };
        match asked {
            Some(wait) if wait > self.max_delay => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(retries_done)),
        }
    }

    /// The wait before retrying after a transport error, or `None` to give up.
    pub(crate) fn after_transport_error(
        &self,
        retries_done: u32,
        error: &reqwest::Error,
    ) -> Option<Duration> {
        let transient = error.is_connect() || error.is_timeout() || error.is_request();
        (transient && retries_done < self.max_retries).then(|| self.backoff(retries_done))
    }

    /// Exponential backoff with "equal jitter": half the step fixed, half random.
    fn backoff(&self, retries_done: u32) -> Duration {
        let factor = 1u32.checked_shl(retries_done).unwrap_or(u32::MAX);
        let step = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let half = step / 2;
        let half_nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        let jitter_nanos = rand::rng().random_range(0..=half_nanos);
        half + Duration::from_nanos(jitter_nanos)
    }
}

/// `GET`, `HEAD` and `OPTIONS` can be sent twice without changing anything.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Statuses worth another try: rate limited, bad gateway, unavailable, gateway timeout.
pub(crate) fn is_transient(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// The `Retry-After` header, in seconds (the HTTP-date form is not read).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    header_number(headers, &RETRY_AFTER).map(Duration::from_secs)
}

/// How long the server asked us to wait: `Retry-After` in seconds, else `X-RateLimit-Reset`
/// (seconds to wait, or a Unix time when it is that large).
pub(crate) fn server_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    retry_after(headers).or_else(|| reset_wait(headers, now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};
    use std::time::UNIX_EPOCH;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
        }
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        map
    }

    #[test]
    fn rate_limit_reset_sets_the_wait_of_a_429_but_not_of_a_503() {
        let reset = headers(&[("x-ratelimit-reset", "60")]);
        let too_many = StatusCode::TOO_MANY_REQUESTS;
        // 60 s is over the 5 s cap: the 429 is not retried, the caller gets RateLimited.
        assert_eq!(policy().after_status(0, too_many, &reset), None);
        let unavailable = StatusCode::SERVICE_UNAVAILABLE;
        let wait = policy().after_status(0, unavailable, &reset).unwrap();
        assert!(wait <= Duration::from_secs(1), "{wait:?}");
    }

    #[test]
    fn only_idempotent_methods_are_covered_and_zero_disables() {
        assert!(policy().covers(&Method::GET));
        assert!(!policy().covers(&Method::POST));
        let off = RetryPolicy {
            max_retries: 0,
            ..policy()
        };
        assert!(!off.covers(&Method::GET));
    }

    #[test]
    fn transient_statuses_are_retried_until_the_budget_is_spent() {
        let none = HeaderMap::new();
        for status in [429, 502, 503, 504] {
            let status = StatusCode::from_u16(status).unwrap();
            assert!(policy().after_status(0, status, &none).is_some());
            assert!(policy().after_status(3, status, &none).is_none());
        }
        for status in [400, 401, 404, 422, 500, 501] {
            let status = StatusCode::from_u16(status).unwrap();
            assert!(policy().after_status(0, status, &none).is_none());
        }
    }

    #[test]
    fn backoff_grows_exponentially_with_bounded_jitter() {
        let policy = policy();
        for retries_done in 0..6 {
            let step = (Duration::from_millis(100) * 2u32.pow(retries_done)).min(policy.max_delay);
            for _ in 0..50 {
                let wait = policy.backoff(retries_done);
                assert!(
                    wait >= step / 2 && wait <= step,
                    "{wait:?} outside {step:?}"
                );
            }
        }
        assert!(policy.backoff(200) <= policy.max_delay);
    }

    #[test]
    fn retry_after_wins_over_rate_limit_reset() {
        let map = headers(&[("retry-after", "2"), ("x-ratelimit-reset", "50")]);
        assert_eq!(
            server_wait(&map, SystemTime::now()),
            Some(Duration::from_secs(2))
        );
    }

    #[test]
    fn rate_limit_reset_is_seconds_or_a_unix_time() {
        let relative = headers(&[("x-ratelimit-reset", "7")]);
        assert_eq!(
            server_wait(&relative, SystemTime::now()),
            Some(Duration::from_secs(7))
        );
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let absolute = headers(&[("x-ratelimit-reset", "1700000004")]);
        assert_eq!(server_wait(&absolute, now), Some(Duration::from_secs(4)));
    }

    #[test]
    fn a_server_wait_longer_than_the_cap_is_not_retried() {
        let map = headers(&[("retry-after", "60")]);
        assert_eq!(
            policy().after_status(0, StatusCode::TOO_MANY_REQUESTS, &map),
            None
        );
        let short = headers(&[("retry-after", "1")]);
        assert_eq!(
            policy().after_status(0, StatusCode::TOO_MANY_REQUESTS, &short),
            Some(Duration::from_secs(1))
        );
    }
}
