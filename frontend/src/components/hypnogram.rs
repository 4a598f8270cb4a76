use yew::prelude::*;

use crate::format::{self, decimal};

/// The stages as Oura codes them in `sleep_phase_5_min`, drawn top to bottom.
const STAGES: [(char, &str, &str); 4] = [
    ('4', "Awake", "awake"),
    ('3', "REM", "rem"),
    ('2', "Light", "light"),
    ('1', "Deep", "deep"),
];

/// The night's sleep stages over time, as SVG: one band per stage, with the time and
/// length of each stretch on hover. `stages` has one character per 5 minutes (1 deep,
/// 2 light, 3 REM, 4 awake), the first at `start_minute` after midnight. Drawn `width` CSS
/// pixels wide.
pub fn hypnogram(stages: &str, start_minute: u32, width: f64) -> Html {
    let slots: Vec<char> = stages.chars().collect();
    let (row, left) = (26.0, 56.0);
    let slot_width = (width - left) / slots.len().max(1) as f64;
    // Consecutive slots of one stage become one bar.
    let mut runs: Vec<(char, usize, usize)> = Vec::new();
    for (index, stage) in slots.iter().enumerate() {
        match runs.last_mut() {
            Some((last, _, length)) if last == stage => *length += 1,
            _ => runs.push((*stage, index, 1)),
        }
    }
    let minutes = |stage: char| slots.iter().filter(|s| **s == stage).count() * 5;
    let description = STAGES
        .iter()
        .map(|(code, name, _)| format!("{name} {}", format::duration_minutes(minutes(*code))))
        .collect::<Vec<_>>()
        .join(", ");
    let bars = runs.iter().map(|(stage, start, length)| {
        let Some(position) = STAGES.iter().position(|(code, _, _)| code == stage) else {
            return Html::default();
        };
        let (_, name, class) = STAGES[position];
        let from = format::clock(start_minute + 5 * *start as u32);
        let to = format::clock(start_minute + 5 * (*start + *length) as u32);
        html! {
            <rect class="stage" data-stage={class} x={decimal(left + slot_width * *start as f64, 1)}
                y={decimal(position as f64 * row + 2.0, 1)} width={decimal(slot_width * *length as f64, 1)}
                height={decimal(row - 4.0, 1)} rx="2">
                <title>{ format!("{name} {from}\u{2013}{to} ({})", format::duration_minutes(length * 5)) }</title>
            </rect>
        }
    });
    let labels = STAGES.iter().enumerate().map(|(index, (_, name, _))| html! {
        <text class="axis" x={decimal(left - 8.0, 1)} y={decimal(index as f64 * row + row / 2.0 + 4.0, 1)} text-anchor="end">{ *name }</text>
    });
    let height = row * 4.0 + 18.0;
    html! {
        <figure class="chart hypnogram">
            <figcaption>{ "Sleep stages" }</figcaption>
            <svg viewBox={format!("0 0 {} {}", decimal(width, 1), decimal(height, 1))} role="img" aria-label={format!("Sleep stages: {description}")}>
                { for labels }
                { for bars }
                <text class="axis" x={decimal(left, 1)} y={decimal(height - 4.0, 1)}>{ format::clock(start_minute) }</text>
                <text class="axis" x={decimal(width, 1)} y={decimal(height - 4.0, 1)} text-anchor="end">
                    { format::clock(start_minute + 5 * slots.len() as u32) }
                </text>
            </svg>
            <p class="legend muted">{ description }</p>
        </figure>
    }
}
