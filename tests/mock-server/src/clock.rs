//! [`Clock`]: where the server reads the time, so token expiry, rotation by age and the
//! rate-limit window can be tested by moving a [`MockClock`] instead of sleeping.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The server's source of the current time.
///
/// The server reads it for token `iat`/`exp`, the 7-day validity check, duration-based
/// rotation and the rate-limit window. Use [`SystemClock`] (the default) for real time and
/// [`MockClock`] to move time by hand in tests.
pub trait Clock: fmt::Debug + Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The real wall clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that stands still until a test moves it.
///
/// Clones share the same time, so keep one clone in the test and give another to
/// [`MockServerBuilder::clock`](crate::MockServerBuilder::clock).
///
/// ```
/// use std::time::Duration;
/// use destiny_mock::{Clock, MockClock};
///
/// let clock = MockClock::new();
/// let before = clock.now();
/// clock.advance(Duration::from_secs(7 * 24 * 60 * 60));
/// assert_eq!(clock.now().duration_since(before).unwrap().as_secs(), 604_800);
/// ```
#[derive(Clone, Debug)]
pub struct MockClock {
    now: Arc<Mutex<SystemTime>>,
}

impl MockClock {
    /// A clock frozen at the moment it is created.
    pub fn new() -> Self {
        Self::starting_at(SystemTime::now())
    }

    /// A clock frozen at `start`.
    pub fn starting_at(start: SystemTime) -> Self {
        Self {
            now: Arc::new(Mutex::new(start)),
        }
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
    }

    /// Sets the clock to `to` (it may move backwards).
    pub fn set(&self, to: SystemTime) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = to;
    }
}

impl Default for MockClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for MockClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Whole seconds since the Unix epoch (negative before it), as JWT claims count time.
pub(crate) fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_of_a_mock_clock_share_one_time() {
        let clock = MockClock::starting_at(UNIX_EPOCH);
        let other = clock.clone();
        clock.advance(Duration::from_secs(90));
        assert_eq!(unix_seconds(other.now()), 90);
    }

    #[test]
    fn unix_seconds_counts_before_the_epoch_as_negative() {
        let before = UNIX_EPOCH - Duration::from_secs(5);
        assert_eq!(unix_seconds(before), -5);
    }
}
