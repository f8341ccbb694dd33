//! Per-server behaviour that tests choose: [`RotationPolicy`] and [`RateLimit`].

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// When the server replaces a session's token with a new one.
///
/// A rotated token comes back in the `Authorization` header of whatever response is being
/// sent for an authenticated request, error responses included. Superseded tokens stay
/// valid until they expire (7 days after they were issued, by default).
///
/// It also parses from the command-line forms `never`, `every-response`, `requests:N` and
/// `seconds:N`:
///
/// ```
/// use std::time::Duration;
/// use destiny_mock::RotationPolicy;
///
/// assert_eq!("requests:3".parse::<RotationPolicy>().unwrap(), RotationPolicy::EveryRequests(3));
/// assert_eq!(
///     "seconds:300".parse::<RotationPolicy>().unwrap(),
///     RotationPolicy::Every(Duration::from_secs(300)),
/// );
/// assert_eq!(RotationPolicy::default().to_string(), "seconds:300");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RotationPolicy {
    /// Never rotate: a session keeps its login token until it expires or is revoked.
    Never,
    /// Rotate on every authenticated response.
    EveryResponse,
    /// Rotate on every N-th authenticated request of a session (`0` and `1` mean every one).
    EveryRequests(u32),
    /// Rotate on the first authenticated request made at least this long after the session's
    /// last rotation (or login), as measured by the server's [`Clock`](crate::Clock).
    Every(Duration),
}

impl RotationPolicy {
    /// What the real service does: a new token every few minutes (here: five).
    pub const REAL_SERVICE: Self = Self::Every(Duration::from_secs(5 * 60));
}

impl Default for RotationPolicy {
    /// [`RotationPolicy::REAL_SERVICE`].
    fn default() -> Self {
        Self::REAL_SERVICE
    }
}

impl fmt::Display for RotationPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Never => f.write_str("never"),
            Self::EveryResponse => f.write_str("every-response"),
            Self::EveryRequests(n) => write!(f, "requests:{n}"),
            Self::Every(period) => write!(f, "seconds:{}", period.as_secs()),
        }
    }
}

/// A rotation policy that could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown rotation policy `{0}`: use `never`, `every-response`, `requests:N` (every N-th \
     request) or `seconds:N` (every N seconds)"
)]
pub struct ParseRotationPolicyError(String);

impl FromStr for RotationPolicy {
    type Err = ParseRotationPolicyError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || ParseRotationPolicyError(text.to_owned());
        match text.split_once(':') {
            None if text == "never" => Ok(Self::Never),
            None if text == "every-response" => Ok(Self::EveryResponse),
            Some(("requests", n)) => n.parse().map(Self::EveryRequests).map_err(|_| invalid()),
            Some(("seconds", n)) => n
                .parse()
                .map(|secs| Self::Every(Duration::from_secs(secs)))
                .map_err(|_| invalid()),
            _ => Err(invalid()),
        }
    }
}

/// How many requests the server accepts per window before it answers 429.
///
/// The window is fixed and shared by all callers of one server; it starts with the first
/// request and restarts after `window` has passed on the server's clock.
///
/// ```
/// use std::time::Duration;
/// use destiny_mock::RateLimit;
///
/// let strict = RateLimit::new(60, Duration::from_secs(60));
/// assert_eq!(strict, RateLimit::REAL_SERVICE);
/// assert!(RateLimit::default().limit >= 10_000, "high enough for property-based testing");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub limit: u32,
    /// The window's length.
    pub window: Duration,
}

impl RateLimit {
    /// What the real service announces: 60 requests per 60 seconds.
    pub const REAL_SERVICE: Self = Self::new(60, Duration::from_secs(60));

    /// `limit` requests per `window`.
    pub const fn new(limit: u32, window: Duration) -> Self {
        Self { limit, window }
    }
}

impl Default for RateLimit {
    /// 10 000 requests per minute: high, so that test suites and contract checks are not
    /// throttled unless they ask to be.
    fn default() -> Self {
        Self::new(10_000, Duration::from_secs(60))
    }
}

/// How long a token is accepted after it was issued (the real service: 7 days).
pub const DEFAULT_TOKEN_VALIDITY: Duration = Duration::from_secs(7 * 24 * 60 * 60);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_policy_survives_a_display_and_parse_round_trip() {
        for policy in [
            RotationPolicy::Never,
            RotationPolicy::EveryResponse,
            RotationPolicy::EveryRequests(7),
            RotationPolicy::Every(Duration::from_secs(42)),
        ] {
            assert_eq!(policy.to_string().parse::<RotationPolicy>(), Ok(policy));
        }
    }

    #[test]
    fn unknown_policy_text_is_rejected_with_the_accepted_forms() {
        let err = "hourly".parse::<RotationPolicy>().unwrap_err();
        assert!(err.to_string().contains("requests:N"), "{err}");
        assert!("requests:many".parse::<RotationPolicy>().is_err());
    }
}
