//! How often the benchmark server hands out a new token.

use std::fmt;
use std::str::FromStr;

/// Which responses carry a fresh token in their `Authorization` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rotation {
    /// No response does: the token never changes.
    None,
    /// Every 100th response does, like a server that refreshes every few minutes under load.
    Realistic,
    /// Every response does: the worst case for a client that tracks the token.
    Storm,
}

impl Rotation {
    /// Every mode, in the order the benchmark runs them.
    pub const ALL: [Rotation; 3] = [Rotation::None, Rotation::Realistic, Rotation::Storm];

    /// Whether the response numbered `served` (from 0) carries a new token.
    ///
    /// ```
    /// use destiny_bench::rotation::Rotation;
    /// assert!(!Rotation::Realistic.rotates(0));
    /// assert!(Rotation::Realistic.rotates(99));
    /// assert!(Rotation::Storm.rotates(0));
    /// ```
    pub fn rotates(self, served: u64) -> bool {
        match self {
            Rotation::None => false,
            Rotation::Realistic => served % 100 == 99,
            Rotation::Storm => true,
        }
    }

    /// The mode's name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Rotation::None => "none",
            Rotation::Realistic => "realistic",
            Rotation::Storm => "storm",
        }
    }
}

impl fmt::Display for Rotation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A rotation name that is none of `none`, `realistic`, `storm`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRotation(pub String);

impl fmt::Display for UnknownRotation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown rotation {:?}: use none, realistic or storm",
            self.0
        )
    }
}

impl std::error::Error for UnknownRotation {}

impl FromStr for Rotation {
    type Err = UnknownRotation;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rotation::ALL
            .into_iter()
            .find(|rotation| rotation.name() == s)
            .ok_or_else(|| UnknownRotation(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn realistic_rotates_one_response_in_a_hundred() {
        let rotated = (0..10_000)
            .filter(|&n| Rotation::Realistic.rotates(n))
            .count();
        assert_eq!(rotated, 100);
    }

    #[test]
    fn none_never_rotates_and_storm_always_does() {
        assert!((0..1000).all(|n| !Rotation::None.rotates(n)));
        assert!((0..1000).all(|n| Rotation::Storm.rotates(n)));
    }

    #[test]
    fn names_parse_back_to_their_mode() {
        for rotation in Rotation::ALL {
            assert_eq!(rotation.name().parse::<Rotation>(), Ok(rotation));
        }
        assert!("sometimes".parse::<Rotation>().is_err());
    }
}
