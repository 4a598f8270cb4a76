use yew::prelude::*;

use crate::charts::{Frame, line_path};
use crate::format;

#[derive(Properties, PartialEq)]
pub struct SeriesChartProps {
    pub title: AttrValue,
    /// One value per 5 minutes; `None` where there is no reading.
    pub values: Vec<Option<f64>>,
    /// Minutes after midnight of the first value.
    pub start_minute: u32,
}

/// A 5-minute series (heart rate, HRV) scaled to its own range, with clock times on its
/// axis; nothing at all when there are no values.
#[function_component(SeriesChart)]
pub fn series_chart(props: &SeriesChartProps) -> Html {
    let present: Vec<f64> = props.values.iter().flatten().copied().collect();
    if present.is_empty() {
        return Html::default();
    }
    let low = present.iter().copied().fold(f64::INFINITY, f64::min);
    let high = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let frame = Frame {
        width: 640.0,
        height: 140.0,
        left: 40.0,
        right: 8.0,
        top: 10.0,
        bottom: 22.0,
        min: (low - 5.0).floor(),
        max: (high + 5.0).ceil(),
    };
    let title = &props.title;
    let end_minute = props.start_minute + 5 * props.values.len() as u32;
    html! {
        <figure class="chart">
            <figcaption>{ title.clone() }</figcaption>
            <svg viewBox={format!("0 0 {} {}", frame.width, frame.height)} role="img"
                aria-label={format!("{title}: from {low:.0} to {high:.0}")}>
                <text class="axis" x={(frame.left - 6.0).to_string()} y={(frame.y(frame.max) + 4.0).to_string()} text-anchor="end">{ frame.max }</text>
                <text class="axis" x={(frame.left - 6.0).to_string()} y={(frame.y(frame.min)).to_string()} text-anchor="end">{ frame.min }</text>
                <path class="score" d={line_path(&props.values, &frame)} />
                <text class="axis" x={frame.left.to_string()} y={(frame.height - 4.0).to_string()}>{ format::clock(props.start_minute) }</text>
                <text class="axis" x={(frame.width - frame.right).to_string()} y={(frame.height - 4.0).to_string()} text-anchor="end">{ format::clock(end_minute) }</text>
            </svg>
        </figure>
    }
}
