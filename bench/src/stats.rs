//! Medians, ranges and percentiles.

/// The median and the range of a set of samples.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// The middle sample (the mean of the two middle ones for an even count).
    pub median: f64,
    /// The smallest sample.
    pub min: f64,
    /// The largest sample.
    pub max: f64,
}

impl Spread {
    /// The spread of `samples`; `None` when there are none or one is NaN.
    ///
    /// ```
    /// use destiny_bench::stats::Spread;
    /// let spread = Spread::of(&[3.0, 1.0, 2.0, 10.0]).unwrap();
    /// assert_eq!((spread.median, spread.min, spread.max), (2.5, 1.0, 10.0));
    /// ```
    pub fn of(samples: &[f64]) -> Option<Spread> {
        if samples.is_empty() || samples.iter().any(|x| x.is_nan()) {
            return None;
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let middle = sorted.len() / 2;
        let median = if sorted.len().is_multiple_of(2) {
            (sorted[middle - 1] + sorted[middle]) / 2.0
        } else {
            sorted[middle]
        };
        Some(Spread {
            median,
            min: sorted[0],
            max: sorted[sorted.len() - 1],
        })
    }
}

/// The `p`-th percentile (0–100) of `sorted` by the nearest-rank method; `None` when empty.
///
/// ```
/// use destiny_bench::stats::percentile;
/// let sorted: Vec<u64> = (1..=100).collect();
/// assert_eq!(percentile(&sorted, 50.0), Some(50));
/// assert_eq!(percentile(&sorted, 99.0), Some(99));
/// ```
pub fn percentile(sorted: &[u64], p: f64) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_count_median_is_the_middle_sample() {
        let spread = Spread::of(&[5.0, 1.0, 3.0]).unwrap();
        assert_eq!(spread.median, 3.0);
        assert_eq!((spread.min, spread.max), (1.0, 5.0));
    }

    #[test]
    fn no_samples_or_nan_give_no_spread() {
        assert_eq!(Spread::of(&[]), None);
        assert_eq!(Spread::of(&[1.0, f64::NAN]), None);
    }

    #[test]
    fn percentiles_of_one_sample_are_that_sample() {
        assert_eq!(percentile(&[7], 1.0), Some(7));
        assert_eq!(percentile(&[7], 100.0), Some(7));
        assert_eq!(percentile(&[], 50.0), None);
    }
}
