//! The arithmetic of the report: percentiles of one run, the median and range over rounds, and
//! ratios paired within a round (so a slow round slows both sides of its ratio alike).

use serde::Serialize;

/// The `p`-th percentile (0 < p ≤ 100) by nearest rank: a value that was actually observed, never
/// an interpolation between two samples. `None` without samples.
pub fn percentile(samples: &[f64], p: f64) -> Option<f64> {
    if samples.is_empty() {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

/// The median of per-round figures: the middle one, or the mean of the two middle ones.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 1 { sorted[mid] } else { (sorted[mid - 1] + sorted[mid]) / 2.0 })
}

/// A figure over rounds: its median and its range, with every round's value kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub rounds: Vec<f64>,
}

impl Summary {
    /// `None` when no round produced the figure.
    pub fn of(rounds: &[f64]) -> Option<Summary> {
        let finite: Vec<f64> = rounds.iter().copied().filter(|v| v.is_finite()).collect();
        let median = median(&finite)?;
        let min = finite.iter().copied().fold(f64::INFINITY, f64::min);
        let max = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Some(Summary { median, min, max, rounds: rounds.to_vec() })
    }
}

/// `a[i] / b[i]` for each round `i` measured on both sides; rounds missing a side, or with a zero
/// denominator, are left out rather than turned into infinities.
pub fn paired_ratios(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).filter(|(_, d)| **d != 0.0 && d.is_finite()).map(|(n, d)| n / d).filter(|r| r.is_finite()).collect()
}

/// `a[i] − b[i]` for each round measured on both sides (the BFF's added latency, round by round).
pub fn paired_differences(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x - y).filter(|d| d.is_finite()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank_observed_values() {
        let samples: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&samples, 50.0), Some(50.0));
        assert_eq!(percentile(&samples, 99.0), Some(99.0));
        assert_eq!(percentile(&samples, 100.0), Some(100.0));
        // Ten samples: p99 is the largest, p50 the fifth; never a value between two samples.
        let ten = [7.0, 1.0, 3.0, 9.0, 5.0, 2.0, 8.0, 4.0, 10.0, 6.0];
        assert_eq!(percentile(&ten, 99.0), Some(10.0));
        assert_eq!(percentile(&ten, 50.0), Some(5.0));
        assert_eq!(percentile(&[4.2], 1.0), Some(4.2));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn median_takes_the_middle_or_the_mean_of_the_two_middles() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn summary_keeps_the_range_and_every_round() {
        let s = Summary::of(&[5.0, 1.0, 9.0]).unwrap();
        assert_eq!((s.median, s.min, s.max), (5.0, 1.0, 9.0));
        assert_eq!(s.rounds, vec![5.0, 1.0, 9.0]);
        assert!(Summary::of(&[]).is_none());
        // A round without the figure does not poison the others.
        let s = Summary::of(&[2.0, f64::NAN, 4.0]).unwrap();
        assert_eq!((s.median, s.min, s.max), (3.0, 2.0, 4.0));
    }

    #[test]
    fn ratios_pair_rounds_rather_than_medians() {
        // Round by round the BFF costs 2× the direct side, although the medians' quotient is not 2.
        let bff = [2.0, 20.0, 4.0];
        let direct = [1.0, 10.0, 2.0];
        assert_eq!(paired_ratios(&bff, &direct), vec![2.0, 2.0, 2.0]);
        assert_eq!(median(&paired_ratios(&bff, &direct)), Some(2.0));
        assert_eq!(paired_differences(&bff, &direct), vec![1.0, 10.0, 2.0]);
    }

    #[test]
    fn ratios_skip_rounds_without_a_usable_denominator() {
        assert_eq!(paired_ratios(&[1.0, 2.0, 3.0], &[0.0, 1.0]), vec![2.0]);
        assert_eq!(paired_ratios(&[1.0], &[f64::NAN]), Vec::<f64>::new());
    }
}
