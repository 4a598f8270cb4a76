use time::Date;
use yew::prelude::*;

use super::missing::{CollectionSync, DayGap, gap_summary, refusal_notice};
use crate::charts::{Frame, Series, deviation_range, line_path, rolling_mean, score_range};
use crate::format::decimal;
use crate::hooks::use_chart_width;

/// What a chart's values are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scale {
    /// Oura's scores, 1-100, with the 90-day baseline.
    #[default]
    Score,
    /// A deviation from the person's own baseline, in °C (0 is the baseline).
    Celsius,
}

impl Scale {
    fn range(self, values: &[Option<f64>]) -> (f64, f64) {
        match self {
            Self::Score => score_range(values),
            Self::Celsius => deviation_range(values),
        }
    }

    fn grid_step(self, min: f64, max: f64) -> f64 {
        match self {
            Self::Score if max - min > 50.0 => 25.0,
            Self::Score => 10.0,
            Self::Celsius => 0.5,
        }
    }

    fn value(self, value: f64) -> String {
        match self {
            Self::Score => decimal(value, 0),
            Self::Celsius => {
                let value = decimal(value, 1);
                let sign = if value.starts_with('-') { "" } else { "+" };
                format!("{sign}{value} °C")
            }
        }
    }

    /// A grid line's label: whole scores, degrees in halves.
    fn grid_label(self, value: f64) -> String {
        match self {
            Self::Score => decimal(value, 0),
            Self::Celsius => decimal(value, 1),
        }
    }

    fn series_name(self) -> &'static str {
        match self {
            Self::Score => "daily score",
            Self::Celsius => "nightly deviation",
        }
    }
}

/// Something that happened on a day, drawn under the line: a tag or a workout.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub day: Date,
    pub kind: MarkerKind,
    /// What hovering or focusing it says (`Alcohol 20:30: Two glasses of wine`).
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    Tag,
    Workout,
}

impl MarkerKind {
    /// Its name, in the legend and as the `data-kind` its marks are styled by.
    fn name(self) -> &'static str {
        match self {
            Self::Tag => "tag",
            Self::Workout => "workout",
        }
    }
}

/// Ranges longer than this draw lines only: hundreds of focusable points would drown the page.
const MAX_POINTS: usize = 92;

#[derive(Properties, PartialEq)]
pub struct TrendChartProps {
    pub title: AttrValue,
    /// The day of each value.
    pub days: Vec<Date>,
    pub values: Series,
    /// Oura's own trend of the values, aligned with them, drawn instead of the chart's 7-day
    /// average (body temperature's three-day trend deviation).
    #[prop_or_default]
    pub trend: Option<Series>,
    /// The baseline, drawn as a dashed line (scores: the 90-day mean; a deviation: 0).
    pub baseline: Option<f64>,
    /// What the values are.
    #[prop_or_default]
    pub scale: Scale,
    /// Tags or workouts, marked under the line.
    #[prop_or_default]
    pub markers: Vec<Marker>,
    /// Days in rest mode, shaded (and left out of the baseline).
    #[prop_or_default]
    pub rest_days: Vec<Date>,
    /// Called with the day of a point that is clicked (or chosen with Enter).
    #[prop_or_default]
    pub on_select: Option<Callback<Date>>,
    /// How far the chart's collection is synced, and whether Oura refused it: says why each
    /// day without a value has none. `None` while that is not known.
    #[prop_or_default]
    pub sync: Option<CollectionSync>,
    /// Today, as the API counts days: a day without a value today is not in Oura yet, not
    /// a day the ring was not worn.
    pub today: Date,
}

/// A score over time, drawn as SVG: gaps where there is no data, a 7-day rolling average,
/// the baseline, and each day's value on hover or keyboard focus.
#[function_component(TrendChart)]
pub fn trend_chart(props: &TrendChartProps) -> Html {
    let figure = use_node_ref();
    let width = use_chart_width(figure.clone());
    let scale = props.scale;
    let (min, max) = scale.range(&props.values);
    let frame = Frame {
        width,
        height: if width < 480.0 { 180.0 } else { 200.0 },
        left: 34.0,
        right: 8.0,
        top: 10.0,
        bottom: 24.0,
        min,
        max,
    };
    let count = props.values.len();
    let present: Vec<f64> = props.values.iter().flatten().copied().collect();
    let mean = (!present.is_empty()).then(|| present.iter().sum::<f64>() / present.len() as f64);
    let gaps: Vec<(usize, Date, Option<DayGap>)> = props
        .values
        .iter()
        .zip(&props.days)
        .enumerate()
        .filter(|(_, (value, _))| value.is_none())
        .map(|(index, (_, day))| {
            let rest = props.rest_days.binary_search(day).is_ok();
            (
                index,
                *day,
                props
                    .sync
                    .map(|sync| DayGap::of(*day, sync, rest, props.today)),
            )
        })
        .collect();
    let missing = gaps.len();
    let refused = props.sync.and_then(|sync| sync.refused);
    let gap_words = gap_summary(
        count,
        &gaps.iter().map(|(_, _, gap)| *gap).collect::<Vec<_>>(),
    );
    let first_day = props
        .days
        .first()
        .map(ToString::to_string)
        .unwrap_or_default();
    let last_day = props
        .days
        .last()
        .map(ToString::to_string)
        .unwrap_or_default();
    let description = format!(
        "{} from {} to {}: {}{} days without data.",
        props.title,
        first_day,
        last_day,
        mean.map(|m| format!("average {}; ", scale.value(m)))
            .unwrap_or_default(),
        missing,
    );
    let (trend_path, trend_name) = match &props.trend {
        Some(trend) => (line_path(trend, &frame), "Oura's 3-day trend"),
        None => (
            line_path(&rolling_mean(&props.values, 7), &frame),
            "7-day average",
        ),
    };
    let step = scale.grid_step(min, max);
    let grid = std::iter::successors(Some(max), |v| Some(v - step)).take_while(|v| *v >= min).map(|v| {
        let y = frame.y(v);
        html! {
            <g class="grid">
                <line x1={decimal(frame.left, 1)} x2={decimal(frame.width - frame.right, 1)} y1={decimal(y, 1)} y2={decimal(y, 1)} />
                <text x={decimal(frame.left - 6.0, 1)} y={decimal(y + 4.0, 1)} text-anchor="end">{ scale.grid_label(v) }</text>
            </g>
        }
    });
    let points = (count <= MAX_POINTS).then(|| {
        props.values.iter().enumerate().filter_map(|(index, value)| {
            let value = (*value)?;
            let day = *props.days.get(index)?;
            let select = props.on_select.clone();
            let (onclick, onkeydown) = match select {
                Some(select) => {
                    let (on_click, on_key) = (select.clone(), select);
                    (
                        Some(Callback::from(move |_: MouseEvent| on_click.emit(day))),
                        Some(Callback::from(move |event: KeyboardEvent| {
                            if event.key() == "Enter" || event.key() == " " {
                                event.prevent_default();
                                on_key.emit(day);
                            }
                        })),
                    )
                }
                None => (None, None),
            };
            Some(html! {
                <circle class="point" cx={decimal(frame.x(index, count), 1)} cy={decimal(frame.y(value), 1)}
                    r="3.5" tabindex="0" aria-label={format!("{day}: {}", scale.value(value))} {onclick} {onkeydown}>
                    <title>{ format!("{day}: {}", scale.value(value)) }</title>
                </circle>
            })
        }).collect::<Html>()
    });
    let focusable = count <= MAX_POINTS;
    let index_of = |day: &Date| props.days.binary_search(day).ok();
    let slot = (frame.width - frame.left - frame.right) / count.max(1) as f64;
    let rest = props.rest_days.iter().filter_map(index_of).map(|index| {
        let x = frame.x(index, count) - slot / 2.0;
        html! {
            <rect class="rest" x={decimal(x, 1)} y={decimal(frame.top, 1)} width={decimal(slot, 1)}
                height={decimal(frame.height - frame.top - frame.bottom, 1)}>
                <title>{ "Rest mode" }</title>
            </rect>
        }
    });
    let markers = props.markers.iter().filter_map(|marker| {
        let index = index_of(&marker.day)?;
        let x = frame.x(index, count);
        let y = frame.height - frame.bottom - 5.0;
        let label = format!("{}: {}", marker.day, marker.label);
        Some(html! {
            <circle class="marker" data-kind={marker.kind.name()} cx={decimal(x, 1)} cy={decimal(y, 1)} r="3"
                tabindex={focusable.then_some("0")} aria-label={focusable.then(|| label.clone())}>
                <title>{ label }</title>
            </circle>
        })
    });
    // Each day without a value is marked along the axis, with why on hover.
    let gap_marks = gaps
        .iter()
        .filter(|_| focusable && refused.is_none())
        .map(|(index, day, gap)| {
            let x = frame.x(*index, count) - slot / 2.0;
            let why = gap.map_or("no data".to_owned(), |gap| format!("no data ({})", gap.words()));
            html! {
                <rect class="gap" x={decimal(x, 1)} y={decimal(frame.height - frame.bottom - 2.0, 1)}
                    width={decimal(slot, 1)} height="2">
                    <title>{ format!("{day}: {why}") }</title>
                </rect>
            }
        });
    let marker_kinds: Vec<MarkerKind> = [MarkerKind::Tag, MarkerKind::Workout]
        .into_iter()
        .filter(|kind| props.markers.iter().any(|m| m.kind == *kind))
        .collect();
    html! {
        <figure class="chart" ref={figure}>
            <figcaption>{ props.title.clone() }</figcaption>
            <svg viewBox={format!("0 0 {} {}", decimal(frame.width, 1), decimal(frame.height, 1))} role="img" aria-label={description}>
                { for rest }
                { for grid }
                if let Some(baseline) = props.baseline {
                    <line class="baseline" x1={decimal(frame.left, 1)} x2={decimal(frame.width - frame.right, 1)}
                        y1={decimal(frame.y(baseline), 1)} y2={decimal(frame.y(baseline), 1)}>
                        <title>{ baseline_name(scale, baseline) }</title>
                    </line>
                }
                if props.trend.is_some() {
                    <path class="mean trend" d={trend_path} />
                } else {
                    <path class="mean" d={trend_path} />
                }
                <path class="score" d={line_path(&props.values, &frame)} />
                { points.unwrap_or_default() }
                { for gap_marks }
                { for markers }
                <text class="axis" x={decimal(frame.left, 1)} y={decimal(frame.height - 6.0, 1)}>
                    { first_day }
                </text>
                <text class="axis" x={decimal(frame.width - frame.right, 1)} y={decimal(frame.height - 6.0, 1)} text-anchor="end">
                    { last_day }
                </text>
            </svg>
            <p class="legend muted">
                <span class="key score">{ scale.series_name() }</span>
                <span class="key mean">{ trend_name }</span>
                if let Some(baseline) = props.baseline { <span class="key baseline">{ baseline_name(scale, baseline) }</span> }
                { for marker_kinds.iter().map(|kind| html! { <span class="key marker" data-kind={kind.name()}>{ kind.name() }</span> }) }
                if !props.rest_days.is_empty() { <span class="key rest">{ "rest mode" }</span> }
                <span class="gaps">{ gap_words }</span>
            </p>
            if let Some(refusal) = refused.filter(|_| present.is_empty()) {
                { refusal_notice(refusal) }
            }
        </figure>
    }
}

fn baseline_name(scale: Scale, baseline: f64) -> String {
    match scale {
        Scale::Score => format!("90-day baseline {}", decimal(baseline, 0)),
        Scale::Celsius => "your baseline".to_owned(),
    }
}
