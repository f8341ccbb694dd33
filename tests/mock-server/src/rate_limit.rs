//! The fixed-window rate limiter behind the `X-RateLimit-*` headers and 429 answers.

use std::time::{Duration, SystemTime};

use crate::config::RateLimit;

/// The limiter's verdict on one request, with the values for the response headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RateDecision {
    pub(crate) allowed: bool,
    pub(crate) limit: u32,
    pub(crate) remaining: u32,
    /// Whole seconds until the window restarts (at least 1).
    pub(crate) reset_secs: u64,
}

#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: RateLimit,
    window_start: Option<SystemTime>,
    used: u32,
}

impl RateLimiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            window_start: None,
            used: 0,
        }
    }

    /// Replaces the limit and starts a fresh window.
    pub(crate) fn set_limit(&mut self, limit: RateLimit) {
        *self = Self::new(limit);
    }

    /// Counts one request arriving at `now`.
    pub(crate) fn hit(&mut self, now: SystemTime) -> RateDecision {
        let window = self.limit.window;
        let start = match self.window_start {
            Some(start) if now >= start && now < start + window => start,
            _ => {
                self.used = 0;
                self.window_start = Some(now);
                now
            }
        };
        let allowed = self.used < self.limit.limit;
        if allowed {
            self.used += 1;
        }
        let left = (start + window)
            .duration_since(now)
            .unwrap_or(Duration::ZERO);
        RateDecision {
            allowed,
            limit: self.limit.limit,
            remaining: self.limit.limit - self.used,
            reset_secs: (left.as_secs() + u64::from(left.subsec_nanos() > 0)).max(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_after_the_limit_is_refused_until_the_window_restarts() {
        let mut limiter = RateLimiter::new(RateLimit::new(2, Duration::from_secs(60)));
        let t0 = SystemTime::now();
        assert!(limiter.hit(t0).allowed);
        let second = limiter.hit(t0 + Duration::from_secs(1));
        assert_eq!(
            (second.allowed, second.remaining, second.reset_secs),
            (true, 0, 59)
        );
        assert!(!limiter.hit(t0 + Duration::from_secs(2)).allowed);
        let fresh = limiter.hit(t0 + Duration::from_secs(60));
        assert_eq!(
            (fresh.allowed, fresh.remaining, fresh.reset_secs),
            (true, 1, 60)
        );
    }
}
