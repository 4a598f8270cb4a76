//! Chart geometry, kept apart from rendering so it can be tested: scales, lines that break
//! at missing days, and rolling averages.

use crate::format::decimal;

/// One value per day; `None` where there is no data (drawn as a gap).
pub type Series = Vec<Option<f64>>;

/// The plotting area, in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    /// The value range drawn, bottom to top.
    pub min: f64,
    pub max: f64,
}

impl Frame {
    /// x of the `index`th of `count` days.
    pub fn x(&self, index: usize, count: usize) -> f64 {
        let span = self.width - self.left - self.right;
        if count <= 1 {
            return self.left + span / 2.0;
        }
        self.left + span * index as f64 / (count - 1) as f64
    }

    pub fn y(&self, value: f64) -> f64 {
        let span = self.height - self.top - self.bottom;
        let clamped = within(value, self.min, self.max);
        self.top + span * (1.0 - (clamped - self.min) / (self.max - self.min))
    }
}

/// `value` brought within `low..=high`. Not `f64::clamp`, whose check of its bounds panics
/// with a message that formats floats, and so keeps Rust's float formatting in the wasm.
pub fn within(value: f64, low: f64, high: f64) -> f64 {
    value.max(low).min(high)
}

/// The value range to draw scores (1-100) in: from a round number below the lowest value
/// (never under 0) to 100, so the lines use the height instead of hugging the top.
pub fn score_range(series: &[Option<f64>]) -> (f64, f64) {
    let lowest = series
        .iter()
        .flatten()
        .copied()
        .fold(f64::INFINITY, f64::min);
    if !lowest.is_finite() {
        return (0.0, 100.0);
    }
    (
        within(((lowest - 5.0) / 10.0).floor(), 0.0, 9.0) * 10.0,
        100.0,
    )
}

/// The value range to draw a deviation from a baseline of 0 in (body temperature, °C): the
/// same distance above and below, in half degrees, at least one degree each way.
pub fn deviation_range(series: &[Option<f64>]) -> (f64, f64) {
    let widest = series
        .iter()
        .flatten()
        .map(|v| v.abs())
        .filter(|v| v.is_finite())
        .fold(1.0, f64::max);
    let reach = (widest * 2.0).ceil() / 2.0;
    (-reach, reach)
}

/// SVG path data for `series`: one sub-path per run of days with values, so a missing day
/// shows as a gap, never as a line drawn across it.
pub fn line_path(series: &[Option<f64>], frame: &Frame) -> String {
    let mut path = String::new();
    let mut pen_down = false;
    for (index, value) in series.iter().enumerate() {
        match value {
            Some(value) => {
                let command = if pen_down { 'L' } else { 'M' };
                path.push_str(&format!(
                    "{command}{} {} ",
                    decimal(frame.x(index, series.len()), 1),
                    decimal(frame.y(*value), 1)
                ));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    path.trim_end().to_owned()
}

/// The mean of each day and the `window - 1` days before it that have values; `None` until
/// at least half the window has values.
pub fn rolling_mean(series: &[Option<f64>], window: usize) -> Series {
    (0..series.len())
        .map(|end| {
            let start = (end + 1).saturating_sub(window);
            let values: Vec<f64> = series[start..=end].iter().flatten().copied().collect();
            (values.len() * 2 >= window.min(end + 1))
                .then(|| values.iter().sum::<f64>() / values.len() as f64)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: Frame = Frame {
        width: 110.0,
        height: 110.0,
        left: 10.0,
        right: 0.0,
        top: 0.0,
        bottom: 10.0,
        min: 0.0,
        max: 100.0,
    };

    #[test]
    fn values_map_onto_the_frame() {
        assert_eq!(FRAME.x(0, 11), 10.0);
        assert_eq!(FRAME.x(10, 11), 110.0);
        assert_eq!(FRAME.y(0.0), 100.0);
        assert_eq!(FRAME.y(100.0), 0.0);
        assert_eq!(FRAME.y(150.0), 0.0, "clamped");
        assert_eq!(FRAME.y(-20.0), 100.0, "clamped");
    }

    #[test]
    fn a_missing_day_breaks_the_line() {
        let path = line_path(&[Some(50.0), Some(60.0), None, Some(70.0)], &FRAME);

        assert_eq!(path, "M10.0 50.0 L43.3 40.0 M110.0 30.0");
        assert_eq!(path.matches('M').count(), 2, "{path}");
        assert_eq!(path.matches('L').count(), 1, "{path}");
    }

    #[test]
    fn the_score_range_starts_below_the_lowest_value() {
        assert_eq!(score_range(&[Some(62.0), None, Some(90.0)]), (50.0, 100.0));
        assert_eq!(score_range(&[Some(3.0)]), (0.0, 100.0));
        assert_eq!(score_range(&[None]), (0.0, 100.0));
    }

    #[test]
    fn the_deviation_range_is_even_around_zero_in_half_degrees() {
        assert_eq!(deviation_range(&[Some(0.2), Some(-0.4)]), (-1.0, 1.0));
        assert_eq!(deviation_range(&[Some(1.2), None]), (-1.5, 1.5));
        assert_eq!(deviation_range(&[Some(-2.0)]), (-2.0, 2.0));
        assert_eq!(deviation_range(&[None]), (-1.0, 1.0));
    }

    #[test]
    fn an_empty_series_draws_nothing() {
        assert_eq!(line_path(&[None, None], &FRAME), "");
    }

    #[test]
    fn the_rolling_mean_skips_gaps_and_waits_for_enough_days() {
        let series = [Some(70.0), None, Some(80.0), Some(90.0), None, None, None];

        let mean = rolling_mean(&series, 3);

        assert_eq!(mean[0], Some(70.0));
        assert_eq!(mean[2], Some(75.0));
        assert_eq!(mean[3], Some(85.0));
        assert_eq!(mean[5], None, "one value in three is not enough");
    }
}
