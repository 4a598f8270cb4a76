//! Insights: a few honest observations computed from the warehouse, each with its numbers and
//! the sample it rests on. Nothing here claims a cause; too little data says so.

use std::collections::BTreeMap;

use shared::{DailyScores, Insight, Tag};
use time::{Date, Duration, OffsetDateTime, Weekday};

use crate::store::MainSleep;

/// Below this many pairs of days a finding is not worth stating.
pub const MIN_SAMPLE: usize = 14;

/// Pearson's correlation coefficient; `None` for fewer than two pairs or no variation.
pub fn correlation(pairs: &[(f64, f64)]) -> Option<f64> {
    let n = pairs.len() as f64;
    if pairs.len() < 2 {
        return None;
    }
    let (mean_x, mean_y) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let covariance: f64 = pairs.iter().map(|(x, y)| (x - mean_x) * (y - mean_y)).sum();
    let spread_x: f64 = pairs.iter().map(|(x, _)| (x - mean_x).powi(2)).sum();
    let spread_y: f64 = pairs.iter().map(|(_, y)| (y - mean_y).powi(2)).sum();
    let denominator = (spread_x * spread_y).sqrt();
    (denominator > 0.0).then(|| covariance / denominator)
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

fn strength(r: f64) -> &'static str {
    match r.abs() {
        r if r < 0.1 => "no real",
        r if r < 0.3 => "a weak",
        r if r < 0.5 => "a moderate",
        _ => "a strong",
    }
}

fn not_enough(id: &str, title: &str, have: usize) -> Insight {
    Insight {
        id: id.into(),
        title: title.into(),
        finding: format!("Not enough data yet: {have} days, and this needs at least {MIN_SAMPLE}."),
        sample_size: u32::try_from(have).unwrap_or(u32::MAX),
        conclusive: false,
    }
}

/// How the day's activity score goes with the sleep score of the night that follows it.
pub fn activity_and_sleep(days: &[DailyScores]) -> Insight {
    let (id, title) = ("activity_and_sleep", "Activity and the next night's sleep");
    let sleep_by_day: BTreeMap<Date, f64> = days
        .iter()
        .filter_map(|d| Some((d.day, d.sleep.as_ref()?.score? as f64)))
        .collect();
    let pairs: Vec<(f64, f64)> = days
        .iter()
        .filter_map(|d| {
            let activity = d.activity.as_ref()?.score? as f64;
            // The night after a day is filed under the next morning.
            let next_night = sleep_by_day.get(&(d.day + Duration::days(1)))?;
            Some((activity, *next_night))
        })
        .collect();
    if pairs.len() < MIN_SAMPLE {
        return not_enough(id, title, pairs.len());
    }
    let Some(r) = correlation(&pairs) else {
        return not_enough(id, title, pairs.len());
    };
    let mut sorted = pairs.clone();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let third = sorted.len() / 3;
    let after_low =
        mean(&sorted[..third].iter().map(|p| p.1).collect::<Vec<_>>()).unwrap_or_default();
    let after_high = mean(
        &sorted[sorted.len() - third..]
            .iter()
            .map(|p| p.1)
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    Insight {
        id: id.into(),
        title: title.into(),
        finding: format!(
            "There is {} link (r = {r:.2}) between a day's activity score and the next night's sleep score. \
             After your most active third of days you slept {after_high:.0} on average, after the least active third {after_low:.0}.",
            strength(r)
        ),
        sample_size: u32::try_from(pairs.len()).unwrap_or(u32::MAX),
        conclusive: true,
    }
}

/// Which weekday nights score best and worst.
pub fn weekday_sleep(days: &[DailyScores]) -> Insight {
    let (id, title) = ("weekday_sleep", "Sleep by weekday");
    let mut by_weekday: BTreeMap<u8, Vec<f64>> = BTreeMap::new();
    for day in days {
        if let Some(score) = day.sleep.as_ref().and_then(|s| s.score) {
            by_weekday
                .entry(day.day.weekday().number_from_monday())
                .or_default()
                .push(score as f64);
        }
    }
    let total: usize = by_weekday.values().map(Vec::len).sum();
    if total < MIN_SAMPLE || by_weekday.len() < 7 {
        return not_enough(id, title, total);
    }
    let means: Vec<(u8, f64, usize)> = by_weekday
        .iter()
        .filter_map(|(weekday, scores)| Some((*weekday, mean(scores)?, scores.len())))
        .collect();
    let best = means.iter().max_by(|a, b| a.1.total_cmp(&b.1));
    let worst = means.iter().min_by(|a, b| a.1.total_cmp(&b.1));
    let (Some(best), Some(worst)) = (best, worst) else {
        return not_enough(id, title, total);
    };
    let name = |n: u8| weekday_name(n);
    Insight {
        id: id.into(),
        title: title.into(),
        finding: format!(
            "Nights ending on a {} score best ({:.0} on average over {} nights); nights ending on a {} score worst ({:.0} over {}).",
            name(best.0),
            best.1,
            best.2,
            name(worst.0),
            worst.1,
            worst.2
        ),
        sample_size: u32::try_from(total).unwrap_or(u32::MAX),
        conclusive: true,
    }
}

fn weekday_name(number_from_monday: u8) -> &'static str {
    match Weekday::Monday.nth_next(number_from_monday.saturating_sub(1)) {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// Tagged evenings a tag needs before its nights are compared with the others.
pub const MIN_TAGGED: usize = 8;
/// Tags compared at most: the most often used ones.
const MAX_TAG_INSIGHTS: usize = 3;

/// For each tag used on at least [`MIN_TAGGED`] evenings (the most used first): the nights
/// after it against the other nights, by sleep score and HRV, with both sample sizes. A tag
/// set during the day counts for the night that follows it (filed under the next morning).
pub fn nights_after_tags(days: &[DailyScores], nights: &[MainSleep], tags: &[Tag]) -> Vec<Insight> {
    let sleep: BTreeMap<Date, f64> = days
        .iter()
        .filter_map(|d| Some((d.day, d.sleep.as_ref()?.score? as f64)))
        .collect();
    let hrv: BTreeMap<Date, f64> = nights
        .iter()
        .filter_map(|n| Some((n.day, n.average_hrv? as f64)))
        .collect();
    let mut mornings: BTreeMap<&str, std::collections::BTreeSet<Date>> = BTreeMap::new();
    for tag in tags {
        if let Some(morning) = tag.day.next_day() {
            mornings
                .entry(tag.name.as_str())
                .or_default()
                .insert(morning);
        }
    }
    let mut compared: Vec<(usize, Insight)> = mornings
        .into_iter()
        .filter_map(|(name, after)| {
            let split = |values: &BTreeMap<Date, f64>| {
                let (tagged, other): (Vec<_>, Vec<_>) =
                    values.iter().partition(|(day, _)| after.contains(day));
                let values = |pairs: Vec<(&Date, &f64)>| -> Vec<f64> {
                    pairs.into_iter().map(|(_, v)| *v).collect()
                };
                (values(tagged), values(other))
            };
            let (sleep_after, sleep_other) = split(&sleep);
            if sleep_after.len() < MIN_TAGGED || sleep_other.len() < MIN_SAMPLE {
                return None;
            }
            let (hrv_after, hrv_other) = split(&hrv);
            let hrv_part = match (mean(&hrv_after), mean(&hrv_other)) {
                (Some(after), Some(other)) if hrv_after.len() >= MIN_TAGGED => {
                    format!(", HRV {after:.0} against {other:.0} ms")
                }
                _ => String::new(),
            };
            let finding = format!(
                "Nights after a tag {name} against your other nights: sleep score {:.0} against {:.0}{hrv_part} \
                 (n = {} against {}).",
                mean(&sleep_after)?,
                mean(&sleep_other)?,
                sleep_after.len(),
                sleep_other.len(),
            );
            let insight = Insight {
                id: format!("tag:{name}"),
                title: format!("Nights after {name}"),
                finding,
                sample_size: u32::try_from(sleep_after.len() + sleep_other.len())
                    .unwrap_or(u32::MAX),
                conclusive: true,
            };
            Some((sleep_after.len(), insight))
        })
        .collect();
    compared.sort_by_key(|(tagged, _)| std::cmp::Reverse(*tagged));
    compared
        .into_iter()
        .take(MAX_TAG_INSIGHTS)
        .map(|(_, insight)| insight)
        .collect()
}

/// Minutes after noon of a local time, so that 23:30 and 00:30 are an hour apart.
fn minutes_after_noon(at: OffsetDateTime) -> u32 {
    let minutes = u32::from(at.hour()) * 60 + u32::from(at.minute());
    (minutes + 12 * 60) % (24 * 60)
}

/// Readiness after nights near the usual bedtime, against nights far from it, in the
/// person's local time.
pub fn bedtime_and_readiness(days: &[DailyScores], bedtimes: &[MainSleep]) -> Insight {
    let (id, title) = ("bedtime_and_readiness", "Bedtime regularity and readiness");
    let readiness: BTreeMap<Date, f64> = days
        .iter()
        .filter_map(|d| Some((d.day, d.readiness.as_ref()?.score? as f64)))
        .collect();
    let nights: Vec<(u32, f64)> = bedtimes
        .iter()
        .filter_map(|night| Some((minutes_after_noon(night.start), *readiness.get(&night.day)?)))
        .collect();
    if nights.len() < MIN_SAMPLE {
        return not_enough(id, title, nights.len());
    }
    let mut minutes: Vec<u32> = nights.iter().map(|n| n.0).collect();
    minutes.sort_unstable();
    let usual = minutes[minutes.len() / 2];
    let near: Vec<f64> = nights
        .iter()
        .filter(|n| n.0.abs_diff(usual) <= 30)
        .map(|n| n.1)
        .collect();
    let far: Vec<f64> = nights
        .iter()
        .filter(|n| n.0.abs_diff(usual) > 60)
        .map(|n| n.1)
        .collect();
    let usual_clock = (usual + 12 * 60) % (24 * 60);
    let finding = match (mean(&near), mean(&far)) {
        (Some(near_mean), Some(far_mean)) => format!(
            "Your usual bedtime is {:02}:{:02}. After nights within half an hour of it your readiness averaged {near_mean:.0} \
             ({} nights); after nights more than an hour off, {far_mean:.0} ({} nights).",
            usual_clock / 60,
            usual_clock % 60,
            near.len(),
            far.len()
        ),
        _ => format!(
            "Your usual bedtime is {:02}:{:02}, and you keep to it closely: too few nights stray from it to compare.",
            usual_clock / 60,
            usual_clock % 60
        ),
    };
    Insight {
        id: id.into(),
        title: title.into(),
        finding: finding + &optimal_window(days),
        sample_size: u32::try_from(nights.len()).unwrap_or(u32::MAX),
        conclusive: !near.is_empty() && !far.is_empty(),
    }
}

/// Oura's latest optimal bedtime window, to set beside the usual bedtime.
fn optimal_window(days: &[DailyScores]) -> String {
    let clock = shared::clock_of_offset;
    days.iter()
        .rev()
        .find_map(|d| {
            let bedtime = d.bedtime.as_ref()?;
            Some(format!(
                " Oura's optimal bedtime window, as of {}: {} to {}.",
                d.day,
                clock(bedtime.window_start_seconds?),
                clock(bedtime.window_end_seconds?)
            ))
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use shared::Score;

    use super::*;

    fn score(value: Option<i64>) -> Option<Score> {
        Some(Score {
            score: value,
            contributors: BTreeMap::new(),
        })
    }

    fn day(date: Date, sleep: i64, activity: i64) -> DailyScores {
        DailyScores {
            sleep: score(Some(sleep)),
            readiness: score(Some(sleep)),
            activity: score(Some(activity)),
            ..DailyScores::empty(date)
        }
    }

    #[test]
    fn correlation_is_pearsons_r() {
        assert!((correlation(&[(1.0, 2.0), (2.0, 4.0), (3.0, 6.0)]).unwrap() - 1.0).abs() < 1e-12);
        assert!((correlation(&[(1.0, 3.0), (2.0, 2.0), (3.0, 1.0)]).unwrap() + 1.0).abs() < 1e-12);
        assert_eq!(
            correlation(&[(1.0, 1.0), (1.0, 2.0)]),
            None,
            "no variation in x"
        );
        assert_eq!(correlation(&[(1.0, 1.0)]), None);
    }

    #[test]
    fn activity_is_paired_with_the_following_night() {
        let start = time::macros::date!(2026 - 01 - 05);
        // Each day's activity equals the next night's sleep: a perfect link.
        let days: Vec<DailyScores> = (0..30)
            .map(|n| {
                day(
                    start + Duration::days(n),
                    60 + (n % 7) * 3,
                    60 + ((n + 1) % 7) * 3,
                )
            })
            .collect();

        let insight = activity_and_sleep(&days);

        assert!(insight.conclusive);
        assert_eq!(insight.sample_size, 29);
        assert!(insight.finding.contains("r = 1.00"), "{}", insight.finding);
    }

    #[test]
    fn too_little_data_says_so() {
        let start = time::macros::date!(2026 - 01 - 05);
        let days: Vec<DailyScores> = (0..5)
            .map(|n| day(start + Duration::days(n), 70, 70))
            .collect();

        for insight in [
            activity_and_sleep(&days),
            weekday_sleep(&days),
            bedtime_and_readiness(&days, &[]),
        ] {
            assert!(!insight.conclusive, "{insight:?}");
            assert!(
                insight.finding.starts_with("Not enough data yet"),
                "{insight:?}"
            );
        }
    }

    #[test]
    fn the_weekday_finding_names_the_best_and_worst_nights() {
        let monday = time::macros::date!(2026 - 01 - 05);
        let days: Vec<DailyScores> = (0..28)
            .map(|n| {
                let date = monday + Duration::days(n);
                let sleep = if date.weekday() == Weekday::Sunday {
                    90
                } else if date.weekday() == Weekday::Wednesday {
                    50
                } else {
                    70
                };
                day(date, sleep, 70)
            })
            .collect();

        let insight = weekday_sleep(&days);

        assert!(
            insight.finding.contains("Sunday score best (90"),
            "{}",
            insight.finding
        );
        assert!(
            insight.finding.contains("Wednesday score worst (50"),
            "{}",
            insight.finding
        );
        assert_eq!(insight.sample_size, 28);
    }

    #[test]
    fn bedtimes_far_from_the_usual_one_are_compared() {
        let start = time::macros::date!(2026 - 01 - 05);
        let days: Vec<DailyScores> = (0..20)
            .map(|n| {
                day(
                    start + Duration::days(n),
                    if n % 4 == 0 { 60 } else { 80 },
                    70,
                )
            })
            .collect();
        // 23:00 local time (UTC+2); every fourth night two hours later.
        let bedtimes: Vec<MainSleep> = (0..20)
            .map(|n| {
                let day = start + Duration::days(n);
                let evening = (day - Duration::days(1))
                    .with_hms(if n % 4 == 0 { 1 } else { 23 }, 0, 0)
                    .unwrap()
                    .assume_offset(time::macros::offset!(+2));
                MainSleep {
                    day,
                    start: if n % 4 == 0 {
                        evening + Duration::days(1)
                    } else {
                        evening
                    },
                    ..night(day, None)
                }
            })
            .collect();

        let insight = bedtime_and_readiness(&days, &bedtimes);

        assert!(insight.conclusive);
        assert!(
            insight.finding.contains("usual bedtime is 23:00"),
            "{}",
            insight.finding
        );
        assert!(
            insight.finding.contains("averaged 80 (15 nights)"),
            "{}",
            insight.finding
        );
        assert!(
            insight.finding.contains("60 (5 nights)"),
            "{}",
            insight.finding
        );
    }

    fn night(day: Date, average_hrv: Option<i64>) -> MainSleep {
        let start = day.midnight().assume_utc();
        MainSleep {
            day,
            start,
            end: start + Duration::hours(8),
            average_hrv,
            total_sleep_seconds: None,
            efficiency: None,
            lowest_heart_rate: None,
            stages: None,
        }
    }

    fn tag(day: Date, name: &str) -> Tag {
        Tag {
            id: format!("{name}-{day}"),
            day,
            end_day: None,
            start: None,
            end: None,
            code: None,
            name: name.into(),
            comment: None,
        }
    }

    #[test]
    fn nights_after_a_tag_are_compared_with_the_others_with_both_sample_sizes() {
        let start = time::macros::date!(2026 - 01 - 01);
        // Every fifth evening tagged; the night after it scores 70, the others 80.
        let days: Vec<DailyScores> = (0..60)
            .map(|n| {
                day(
                    start + Duration::days(n),
                    if n % 5 == 1 { 70 } else { 80 },
                    60,
                )
            })
            .collect();
        let nights: Vec<MainSleep> = (0..60)
            .map(|n| {
                night(
                    start + Duration::days(n),
                    Some(if n % 5 == 1 { 30 } else { 45 }),
                )
            })
            .collect();
        let tags: Vec<Tag> = (0..60)
            .filter(|n| n % 5 == 0)
            .map(|n| tag(start + Duration::days(n), "Alcohol"))
            .chain([tag(start, "Sauna")])
            .collect();

        let insights = nights_after_tags(&days, &nights, &tags);

        assert_eq!(insights.len(), 1, "Sauna is too rare to say anything");
        assert_eq!(insights[0].id, "tag:Alcohol");
        assert_eq!(
            insights[0].finding,
            "Nights after a tag Alcohol against your other nights: sleep score 70 against 80, \
             HRV 30 against 45 ms (n = 12 against 48)."
        );
        assert_eq!(insights[0].sample_size, 60);
    }
}
