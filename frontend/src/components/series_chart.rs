use yew::prelude::*;

use crate::charts::{Frame, line_path};
use crate::format::{self, decimal};

/// A 5-minute series (heart rate, HRV: one value per 5 minutes, `None` where there is no
/// reading, the first at `start_minute` after midnight) scaled to its own range, with clock
/// times on its axis, `width` CSS pixels wide; nothing at all when there are no values.
pub fn series_chart(title: &str, values: &[Option<f64>], start_minute: u32, width: f64) -> Html {
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    if present.is_empty() {
        return Html::default();
    }
    let low = present.iter().copied().fold(f64::INFINITY, f64::min);
    let high = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let frame = Frame {
        width,
        height: 140.0,
        left: 40.0,
        right: 8.0,
        top: 10.0,
        bottom: 22.0,
        min: (low - 5.0).floor(),
        max: (high + 5.0).ceil(),
    };
    let end_minute = start_minute + 5 * values.len() as u32;
    html! {
        <figure class="chart">
            <figcaption>{ title.to_owned() }</figcaption>
            <svg viewBox={format!("0 0 {} {}", decimal(frame.width, 1), decimal(frame.height, 1))} role="img"
                aria-label={format!("{title}: from {} to {}", decimal(low, 0), decimal(high, 0))}>
                <text class="axis" x={decimal(frame.left - 6.0, 1)} y={decimal(frame.y(frame.max) + 4.0, 1)} text-anchor="end">{ decimal(frame.max, 0) }</text>
                <text class="axis" x={decimal(frame.left - 6.0, 1)} y={decimal(frame.y(frame.min), 1)} text-anchor="end">{ decimal(frame.min, 0) }</text>
                <path class="score" d={line_path(values, &frame)} />
                <text class="axis" x={decimal(frame.left, 1)} y={decimal(frame.height - 4.0, 1)}>{ format::clock(start_minute) }</text>
                <text class="axis" x={decimal(frame.width - frame.right, 1)} y={decimal(frame.height - 4.0, 1)} text-anchor="end">{ format::clock(end_minute) }</text>
            </svg>
        </figure>
    }
}
