//! Deterministic daily data for a simulated person: the same person and day always give the
//! same numbers. Scores follow a slow seasonal trend and a weekly rhythm, with noise, days
//! without the ring, and readiness that follows the night's sleep.

use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use sha2::{Digest, Sha256};
use time::macros::format_description;
use time::{Date, Duration};

use crate::users::SimulatedUser;

/// `YYYY-MM-DD`, or the date part of an RFC 3339 date-time, as Oura's `start_date` accepts.
pub fn parse_day(text: &str) -> Option<Date> {
    let date = text.get(..10)?;
    if !(text.len() == 10 || text[10..].starts_with('T')) {
        return None;
    }
    Date::parse(date, format_description!("[year]-[month]-[day]")).ok()
}

/// A stream of numbers in [0, 1) for one person, day and purpose: a ChaCha generator seeded
/// from their hash, so the same inputs always give the same stream.
struct Noise(StdRng);

impl Noise {
    fn new(user: &SimulatedUser, day: Date, purpose: &str) -> Self {
        let digest = Sha256::digest(format!("{}/{day}/{purpose}", user.id).as_bytes());
        Self(StdRng::from_seed(digest.into()))
    }

    fn uniform(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    /// Roughly normal, mean 0 and standard deviation `sd` (sum of three uniforms).
    fn normal(&mut self, sd: f64) -> f64 {
        (self.uniform() + self.uniform() + self.uniform() - 1.5) * 2.0 * sd
    }
}

fn clamp_score(value: f64) -> i64 {
    value.round().clamp(1.0, 100.0) as i64
}

/// What the ring measured on one day (`None` scores: not worn that night or day).
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub day: Date,
    pub worn: bool,
    pub sleep_score: i64,
    pub sleep_contributors: [(&'static str, i64); 7],
    pub readiness_score: i64,
    pub readiness_contributors: [(&'static str, i64); 9],
    pub temperature_deviation: f64,
    pub activity_score: i64,
    pub activity_contributors: [(&'static str, i64); 6],
    pub steps: i64,
    pub active_calories: i64,
}

/// The dates a traveller spends in Tokyo (UTC+9), by local date: the flight east is on the
/// first, and the nights filed under these days are slept there.
pub const TRIP: (Date, Date) = (
    time::macros::date!(2026 - 10 - 05),
    time::macros::date!(2026 - 10 - 14),
);

/// The UTC offset a person lives in at a local time. Everyone lives on UTC except people whose
/// username begins with `traveller`: they live in Berlin (UTC+1, summer time UTC+2 from the
/// last Sunday of March to the last Sunday of October) and spend [`TRIP`] in Tokyo.
pub fn utc_offset(user: &SimulatedUser, at: time::PrimitiveDateTime) -> time::UtcOffset {
    use time::macros::offset;
    if !user.username.starts_with("traveller") {
        return time::UtcOffset::UTC;
    }
    if (TRIP.0..=TRIP.1).contains(&at.date()) {
        return offset!(+9);
    }
    let last_sunday = |month: time::Month| {
        let mut day = Date::from_calendar_date(at.year(), month, month.length(at.year()))
            .unwrap_or(Date::MIN);
        while day.weekday() != time::Weekday::Sunday {
            day = day.previous_day().unwrap_or(Date::MIN);
        }
        day
    };
    // Clocks go forward at 02:00 and back at 03:00, local time.
    let summer_from = last_sunday(time::Month::March)
        .with_hms(2, 0, 0)
        .unwrap_or(at);
    let summer_until = last_sunday(time::Month::October)
        .with_hms(3, 0, 0)
        .unwrap_or(at);
    if (summer_from..summer_until).contains(&at) {
        offset!(+2)
    } else {
        offset!(+1)
    }
}

/// The person's local time at the instant `now`.
pub fn local_now(user: &SimulatedUser, now: time::OffsetDateTime) -> time::PrimitiveDateTime {
    let utc = time::PrimitiveDateTime::new(now.date(), now.time());
    let guess = utc + Duration::seconds(i64::from(utc_offset(user, utc).whole_seconds()));
    let offset = utc_offset(user, guess);
    let local = now.to_offset(offset);
    time::PrimitiveDateTime::new(local.date(), local.time())
}

/// A local time of the person's as UTC.
pub fn to_utc(user: &SimulatedUser, at: time::PrimitiveDateTime) -> time::PrimitiveDateTime {
    at - Duration::seconds(i64::from(utc_offset(user, at).whole_seconds()))
}

/// The first day a person's ring recorded anything: two to six years before 2026-11-01.
pub fn first_day(user: &SimulatedUser) -> Date {
    let mut noise = Noise::new(user, Date::MIN, "first-day");
    let reference = time::macros::date!(2026 - 11 - 01);
    reference - Duration::days(730 + (noise.uniform() * 1461.0) as i64)
}

/// A day as a number, for the slow rhythms.
fn number(day: Date) -> f64 {
    f64::from(day.to_julian_day())
}

pub fn day(user: &SimulatedUser, day: Date) -> Day {
    let mut noise = Noise::new(user, day, "day");
    let weekend = day.weekday().number_days_from_monday() >= 5;
    let season = (number(day) * std::f64::consts::TAU / 120.0).sin();
    let trend = (number(day) * std::f64::consts::TAU / 900.0).sin();
    let worn = noise.uniform() > 0.04;

    // A tagged evening of alcohol costs the night after it some sleep.
    let after_alcohol = day.previous_day().is_some_and(|d| alcohol_evening(user, d));
    let sleep = 74.0
        + 5.0 * season
        + 3.0 * trend
        + if weekend { 4.0 } else { -1.0 }
        + if after_alcohol { -8.0 } else { 0.0 }
        + noise.normal(6.0);
    let sleep_score = clamp_score(sleep);
    let around = |noise: &mut Noise, base: f64, sd: f64| clamp_score(base + noise.normal(sd));
    let sleep_contributors = [
        ("deep_sleep", around(&mut noise, sleep + 2.0, 12.0)),
        ("efficiency", around(&mut noise, sleep + 8.0, 6.0)),
        ("latency", around(&mut noise, sleep, 15.0)),
        ("rem_sleep", around(&mut noise, sleep, 12.0)),
        ("restfulness", around(&mut noise, sleep - 6.0, 10.0)),
        (
            "timing",
            around(&mut noise, if weekend { 70.0 } else { 88.0 }, 10.0),
        ),
        ("total_sleep", around(&mut noise, sleep + 4.0, 10.0)),
    ];

    // Readiness follows the night before (today's sleep document is the night that ended
    // this morning) and yesterday's activity.
    let yesterday_activity = activity_level(user, day.previous_day().unwrap_or(day));
    // Rest mode is for days of feeling unwell: readiness down, temperature up.
    let unwell = in_rest_mode(user, day);
    let readiness = 0.55 * sleep
        + 0.15 * (100.0 - (yesterday_activity - 60.0).abs())
        + 22.0
        + if unwell { -12.0 } else { 0.0 }
        + noise.normal(4.0);
    let readiness_score = clamp_score(readiness);
    let readiness_contributors = [
        ("activity_balance", around(&mut noise, readiness, 10.0)),
        ("body_temperature", around(&mut noise, 92.0, 6.0)),
        ("hrv_balance", around(&mut noise, readiness - 4.0, 14.0)),
        (
            "previous_day_activity",
            around(&mut noise, 100.0 - (yesterday_activity - 60.0).abs(), 8.0),
        ),
        ("previous_night", around(&mut noise, sleep, 6.0)),
        ("recovery_index", around(&mut noise, readiness + 5.0, 12.0)),
        ("resting_heart_rate", around(&mut noise, readiness, 12.0)),
        ("sleep_balance", around(&mut noise, readiness + 2.0, 8.0)),
        (
            "sleep_regularity",
            around(&mut noise, if weekend { 72.0 } else { 85.0 }, 10.0),
        ),
    ];

    let activity = activity_level(user, day);
    let activity_score = clamp_score(activity + 10.0);
    let steps = (activity * 140.0 + noise.normal(900.0)).max(300.0).round() as i64;
    let activity_contributors = [
        ("meet_daily_targets", around(&mut noise, activity, 15.0)),
        ("move_every_hour", around(&mut noise, 85.0, 10.0)),
        ("recovery_time", around(&mut noise, 95.0, 5.0)),
        ("stay_active", around(&mut noise, activity, 12.0)),
        (
            "training_frequency",
            around(&mut noise, activity + 10.0, 12.0),
        ),
        ("training_volume", around(&mut noise, activity + 5.0, 12.0)),
    ];
    Day {
        day,
        worn,
        sleep_score,
        sleep_contributors,
        readiness_score,
        readiness_contributors,
        temperature_deviation: ((noise.normal(0.25) + if unwell { 0.8 } else { 0.0 }) * 100.0)
            .round()
            / 100.0,
        activity_score,
        activity_contributors,
        steps,
        active_calories: (steps as f64 * 0.045).round() as i64,
    }
}

/// The day's stress, blood oxygen and resilience (`daily_stress`, `daily_spo2`,
/// `daily_resilience`), from their own noise so that the scores above stay as they were.
pub struct Wellbeing {
    /// Seconds in the high-stress zone.
    pub stress_high: i64,
    /// Seconds in the high-recovery zone.
    pub recovery_high: i64,
    /// `restored`, `normal` or `stressful`.
    pub day_summary: &'static str,
    /// Average SpO2 through the night, percent.
    pub spo2_average: f64,
    /// Breathing disturbance index, 0-100.
    pub breathing_disturbance_index: i64,
    /// Resilience contributors, 0-100 (floats, as Oura sends them).
    pub resilience_contributors: [(&'static str, f64); 3],
    /// `limited` to `exceptional`.
    pub resilience_level: &'static str,
}

/// Resilience, cardiovascular age and the optimal bedtime need two weeks of data before Oura
/// reports them (the baseline is forming).
pub const BASELINE_DAYS: i64 = 14;

/// Whether `day` is still within the first two weeks, when the baselines are forming.
pub fn baseline_forming(user: &SimulatedUser, day: Date) -> bool {
    day - first_day(user) < Duration::days(BASELINE_DAYS)
}

pub fn wellbeing(user: &SimulatedUser, day: &Day) -> Wellbeing {
    let mut noise = Noise::new(user, day.day, "wellbeing");
    let quarter_hours = |seconds: f64| ((seconds / 900.0).round() * 900.0).max(0.0) as i64;
    let readiness = day.readiness_score as f64;
    let stress_high = quarter_hours((100.0 - readiness) * 180.0 + noise.normal(1800.0));
    let recovery_high = quarter_hours(readiness * 110.0 + noise.normal(1800.0));
    let day_summary = if stress_high as f64 > recovery_high as f64 * 1.5 {
        "stressful"
    } else if recovery_high as f64 > stress_high as f64 * 1.5 {
        "restored"
    } else {
        "normal"
    };
    let hundredths = |value: f64| (value.clamp(0.0, 100.0) * 100.0).round() / 100.0;
    let resilience_contributors = [
        (
            "sleep_recovery",
            hundredths(day.sleep_score as f64 + noise.normal(8.0)),
        ),
        (
            "daytime_recovery",
            hundredths(55.0 + recovery_high as f64 / 360.0 + noise.normal(8.0)),
        ),
        (
            "stress",
            hundredths(90.0 - stress_high as f64 / 400.0 + noise.normal(6.0)),
        ),
    ];
    let mean = resilience_contributors.iter().map(|(_, v)| v).sum::<f64>() / 3.0;
    let resilience_level = match mean {
        m if m < 50.0 => "limited",
        m if m < 62.0 => "adequate",
        m if m < 74.0 => "solid",
        m if m < 86.0 => "strong",
        _ => "exceptional",
    };
    Wellbeing {
        stress_high,
        recovery_high,
        day_summary,
        spo2_average: ((96.0 + noise.normal(1.0)).clamp(88.0, 100.0) * 10.0).round() / 10.0,
        breathing_disturbance_index: (noise.uniform() * 12.0) as i64,
        resilience_contributors,
        resilience_level,
    }
}

/// The day's heart-health estimates (`vO2_max`, `daily_cardiovascular_age`).
pub struct HeartHealth {
    /// VO2 max, ml/kg/min: estimated only on some days (after a walk long enough to measure).
    pub vo2_max: Option<i64>,
    /// Vascular age, years, around the person's own age.
    pub vascular_age: i64,
    /// Pulse wave velocity, m/s, rising with vascular age.
    pub pulse_wave_velocity: f64,
}

pub fn heart_health(user: &SimulatedUser, day: Date) -> HeartHealth {
    let mut noise = Noise::new(user, day, "heart-health");
    let fitness = (number(day) * std::f64::consts::TAU / 400.0).sin();
    let age = f64::from(user.age);
    let vascular_age = (age - 2.0 * fitness + noise.normal(1.5))
        .round()
        .clamp(18.0, 100.0);
    HeartHealth {
        vo2_max: (noise.uniform() < 0.25)
            .then(|| (52.0 - age * 0.3 + 3.0 * fitness + noise.normal(1.0)).round() as i64),
        vascular_age: vascular_age as i64,
        pulse_wave_velocity: ((4.0 + vascular_age * 0.08 + noise.normal(0.2)) * 100.0).round()
            / 100.0,
    }
}

/// The optimal bedtime window Oura suggests for the evening of a day (`sleep_time`).
pub struct SleepTime {
    /// Seconds from midnight the window starts (negative: the evening before midnight).
    pub start_offset: i64,
    /// Seconds from midnight the window ends.
    pub end_offset: i64,
    /// One of Oura's recommendations.
    pub recommendation: &'static str,
}

/// The window, from the person's usual bedtime (22:00 to 00:40): a 45-minute window around
/// its middle, in quarter hours.
pub fn sleep_time(user: &SimulatedUser, day: Date) -> SleepTime {
    let mut noise = Noise::new(user, day, "sleep-time");
    let middle = -3600 + ((noise.normal(0.4) * 4.0).round() as i64) * 900;
    let recommendation = match noise.uniform() {
        u if u < 0.6 => "follow_optimal_bedtime",
        u if u < 0.8 => "earlier_bedtime",
        _ => "improve_efficiency",
    };
    SleepTime {
        start_offset: middle - 1800,
        end_offset: middle + 900,
        recommendation,
    }
}

/// Whether the person tagged alcohol on the evening of `day`: about one Friday or Saturday in
/// three, and now and then on other days.
pub fn alcohol_evening(user: &SimulatedUser, day: Date) -> bool {
    let mut noise = Noise::new(user, day, "alcohol");
    let weekend = matches!(
        day.weekday(),
        time::Weekday::Friday | time::Weekday::Saturday
    );
    noise.uniform() < if weekend { 0.35 } else { 0.06 }
}

/// How many days of rest mode begin on `day`, if any: about once in 200 days, for 3 to 6 days.
pub fn rest_mode_starting(user: &SimulatedUser, day: Date) -> Option<i64> {
    let mut noise = Noise::new(user, day, "rest-mode");
    (noise.uniform() < 1.0 / 200.0).then(|| 3 + (noise.uniform() * 4.0) as i64)
}

/// Whether rest mode is on during `day`.
pub fn in_rest_mode(user: &SimulatedUser, day: Date) -> bool {
    (0..7).any(|back| {
        rest_mode_starting(user, day - Duration::days(back)).is_some_and(|days| back < days)
    })
}

/// A workout as the ring detected it or the person entered it.
pub struct Workout {
    pub activity: &'static str,
    pub intensity: &'static str,
    pub source: &'static str,
    pub label: Option<&'static str>,
    pub start: time::PrimitiveDateTime,
    pub minutes: i64,
    pub calories: f64,
    /// Meters; none for workouts that go nowhere.
    pub distance: Option<f64>,
}

/// The workouts of `day`: one on a bit under half the days, more likely on active ones.
pub fn workouts(user: &SimulatedUser, day: Date) -> Vec<Workout> {
    let mut noise = Noise::new(user, day, "workouts");
    if !self::day(user, day).worn
        || in_rest_mode(user, day)
        || noise.uniform() > activity_level(user, day) / 140.0
    {
        return Vec::new();
    }
    // (activity, meters a minute, kilocalories a minute)
    let (activity, speed, burn) = match (noise.uniform() * 4.0) as u32 {
        0 => ("walking", Some(85.0), 4.5),
        1 => ("running", Some(170.0), 11.0),
        2 => ("cycling", Some(330.0), 8.0),
        _ => ("strength_training", None, 6.0),
    };
    let minutes = 25 + (noise.uniform() * 50.0) as i64;
    let effort = 0.8 + noise.uniform() * 0.5;
    let evening = noise.uniform() < 0.6;
    let start = day.midnight()
        + Duration::minutes(
            if evening { 18 * 60 } else { 7 * 60 } + (noise.uniform() * 60.0) as i64,
        );
    let source = match noise.uniform() {
        u if u < 0.6 => "autodetected",
        u if u < 0.8 => "confirmed",
        _ => "manual",
    };
    vec![Workout {
        activity,
        intensity: match burn * effort {
            b if b < 6.0 => "easy",
            b if b < 10.0 => "moderate",
            _ => "hard",
        },
        source,
        label: (source == "manual").then_some(if evening { "After work" } else { "Morning" }),
        start,
        minutes,
        calories: (burn * effort * minutes as f64).round(),
        distance: speed.map(|s: f64| (s * effort * minutes as f64).round()),
    }]
}

impl Workout {
    pub fn end(&self) -> time::PrimitiveDateTime {
        self.start + Duration::minutes(self.minutes)
    }
}

/// A guided or unguided session in the Oura app.
pub struct Session {
    pub kind: &'static str,
    pub mood: Option<&'static str>,
    pub start: time::PrimitiveDateTime,
    /// One reading every 5 seconds.
    pub heart_rate: Vec<Option<f64>>,
    pub hrv: Vec<Option<f64>>,
}

impl Session {
    pub fn end(&self) -> time::PrimitiveDateTime {
        self.start + Duration::seconds(5 * self.heart_rate.len() as i64)
    }
}

/// The sessions of `day`: a short one on about one day in eight.
pub fn sessions(user: &SimulatedUser, day: Date) -> Vec<Session> {
    let mut noise = Noise::new(user, day, "sessions");
    if noise.uniform() > 0.12 {
        return Vec::new();
    }
    let kind = ["meditation", "breathing", "relaxation"][(noise.uniform() * 3.0) as usize % 3];
    let readings = 60 + (noise.uniform() * 120.0) as usize;
    let start = day.midnight() + Duration::minutes(12 * 60 + (noise.uniform() * 540.0) as i64);
    let heart_rate = (0..readings)
        .map(|n| Some((68.0 - 6.0 * n as f64 / readings as f64 + noise.normal(1.5)).round()))
        .collect();
    let hrv = (0..readings)
        .map(|n| Some((35.0 + 12.0 * n as f64 / readings as f64 + noise.normal(4.0)).round()))
        .collect();
    let mood = match noise.uniform() {
        u if u < 0.2 => None,
        u if u < 0.5 => Some("good"),
        u if u < 0.7 => Some("great"),
        u if u < 0.9 => Some("same"),
        _ => Some("bad"),
    };
    vec![Session {
        kind,
        mood,
        start,
        heart_rate,
        hrv,
    }]
}

/// A tag the person set in the Oura app.
pub struct Tag {
    /// Oura's code; `custom` for a tag type the person named.
    pub code: &'static str,
    pub custom_name: Option<&'static str>,
    pub comment: Option<&'static str>,
    pub start: time::PrimitiveDateTime,
    /// Tags with a duration have an end.
    pub end: Option<time::PrimitiveDateTime>,
}

/// The tags of `day`: alcohol on the evenings it was had, and now and then late caffeine, a
/// sauna (with a duration) or a custom "Late dinner" with a comment.
pub fn tags(user: &SimulatedUser, day: Date) -> Vec<Tag> {
    let mut noise = Noise::new(user, day, "tags");
    let at = |hour: i64, minute: i64| day.midnight() + Duration::minutes(hour * 60 + minute);
    let mut tags = Vec::new();
    if noise.uniform() < 0.08 {
        tags.push(Tag {
            code: "tag_generic_caffeine",
            custom_name: None,
            comment: None,
            start: at(16, 15),
            end: None,
        });
    }
    if noise.uniform() < 0.03 {
        tags.push(Tag {
            code: "tag_generic_sauna",
            custom_name: None,
            comment: None,
            start: at(19, 0),
            end: Some(at(19, 40)),
        });
    }
    if alcohol_evening(user, day) {
        tags.push(Tag {
            code: "tag_generic_alcohol",
            custom_name: None,
            comment: (noise.uniform() < 0.3).then_some("Two glasses of wine"),
            start: at(20, 30),
            end: None,
        });
    }
    if noise.uniform() < 0.04 {
        tags.push(Tag {
            code: "custom",
            custom_name: Some("Late dinner"),
            comment: Some("Ate after 22:00"),
            start: at(22, 10),
            end: None,
        });
    }
    tags
}

/// How active the person was on `day`, about 40 to 90: more on Saturdays, less on Sundays.
fn activity_level(user: &SimulatedUser, day: Date) -> f64 {
    let mut noise = Noise::new(user, day, "activity");
    let rhythm = match day.weekday() {
        time::Weekday::Saturday => 12.0,
        time::Weekday::Sunday => -8.0,
        _ => 0.0,
    };
    let season = (number(day) * std::f64::consts::TAU / 365.0).sin() * 6.0;
    (62.0 + rhythm + season + noise.normal(10.0)).clamp(20.0, 100.0)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn demo() -> SimulatedUser {
        SimulatedUser::from_username("demo").unwrap()
    }

    fn days(from: Date, count: i64) -> impl Iterator<Item = Date> {
        (0..count).map(move |n| from + Duration::days(n))
    }

    #[test]
    fn dates_and_date_times_parse_as_oura_accepts_them() {
        assert_eq!(parse_day("2024-02-29"), Some(date!(2024 - 02 - 29)));
        assert_eq!(
            parse_day("2024-01-06T10:00:00+02:00"),
            Some(date!(2024 - 01 - 06))
        );
    }

    #[test]
    fn impossible_dates_do_not_parse() {
        for text in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "24-01-01",
            "2024-01-01x",
            "",
            "../etc/pass",
        ] {
            assert_eq!(parse_day(text), None, "{text}");
        }
    }

    #[test]
    fn the_same_person_and_day_give_the_same_numbers() {
        assert_eq!(
            day(&demo(), date!(2024 - 05 - 01)),
            day(&demo(), date!(2024 - 05 - 01))
        );
    }

    #[test]
    fn scores_are_plausible_over_years() {
        let user = demo();
        let all: Vec<Day> = days(date!(2022 - 01 - 01), 3 * 365)
            .map(|d| day(&user, d))
            .collect();
        let mean =
            |f: &dyn Fn(&Day) -> i64| all.iter().map(f).sum::<i64>() as f64 / all.len() as f64;
        let sleep = mean(&|d| d.sleep_score);
        let steps = mean(&|d| d.steps);
        let unworn = all.iter().filter(|d| !d.worn).count();
        assert!((65.0..85.0).contains(&sleep), "mean sleep score {sleep}");
        assert!((6_000.0..11_000.0).contains(&steps), "mean steps {steps}");
        assert!(
            (10..100).contains(&unworn),
            "{unworn} days without the ring"
        );
        assert!(all.iter().all(|d| (1..=100).contains(&d.readiness_score)));
    }

    #[test]
    fn a_nap_late_in_the_evening_is_filed_with_the_night_after_it() {
        let user = demo();
        let evening_naps: Vec<(Date, Vec<SleepPeriod>)> = days(date!(2025 - 01 - 01), 365)
            .map(|d| (d, sleep_periods(&user, d)))
            .filter(|(d, periods)| {
                periods
                    .iter()
                    .any(|p| p.kind == "late_nap" && p.start.date() < *d)
            })
            .collect();

        assert!(
            (5..60).contains(&evening_naps.len()),
            "{} evening naps in a year",
            evening_naps.len()
        );
        for (day, periods) in evening_naps {
            let (nap, night) = (&periods[0], &periods[1]);
            assert_eq!(nap.kind, "late_nap", "{day}: the nap comes first");
            assert_eq!(night.kind, "long_sleep", "{day}");
            let nap_end = nap.start + Duration::minutes(5 * nap.phases.len() as i64);
            assert!(nap.start.hour() >= 19, "{day}: an evening nap");
            assert!(nap_end <= night.start, "{day}: over before bedtime");
        }
    }

    #[test]
    fn a_traveller_lives_in_berlin_time_with_summer_time_and_flies_to_tokyo() {
        use time::macros::{datetime, offset};
        let traveller = SimulatedUser::from_username("traveller-1").unwrap();
        let at = |local| utc_offset(&traveller, local);

        assert_eq!(at(datetime!(2026-01-15 23:00)), offset!(+1));
        assert_eq!(at(datetime!(2026-10-24 23:10)), offset!(+2), "summer time");
        assert_eq!(at(datetime!(2026-10-25 02:30)), offset!(+2));
        assert_eq!(
            at(datetime!(2026-10-25 07:00)),
            offset!(+1),
            "clocks went back"
        );
        assert_eq!(at(datetime!(2026-10-08 23:30)), offset!(+9), "in Tokyo");
        assert_eq!(
            utc_offset(&demo(), datetime!(2026-07-01 12:00)),
            time::UtcOffset::UTC
        );
        assert_eq!(
            to_utc(&traveller, datetime!(2026-10-08 23:30)),
            datetime!(2026-10-08 14:30)
        );
    }

    #[test]
    fn saturdays_are_more_active_than_sundays() {
        let user = demo();
        let average = |weekday: time::Weekday| {
            let picked: Vec<Date> = days(date!(2023 - 01 - 01), 700)
                .filter(|d| d.weekday() == weekday)
                .collect();
            picked.iter().map(|d| day(&user, *d).steps).sum::<i64>() / picked.len() as i64
        };
        assert!(average(time::Weekday::Saturday) > average(time::Weekday::Sunday) + 1000);
    }
}

/// One sleep period, as the ring recorded it.
#[derive(Debug, Clone, PartialEq)]
pub struct SleepPeriod {
    /// `long_sleep` for the night, `sleep` for an afternoon nap, `late_nap` for an evening one.
    pub kind: &'static str,
    pub start: time::PrimitiveDateTime,
    /// One character per 5 minutes: 1 deep, 2 light, 3 REM, 4 awake.
    pub phases: String,
    /// Heart rate per 5 minutes (bpm), `None` where the signal was lost.
    pub heart_rate: Vec<Option<f64>>,
    /// HRV (RMSSD, ms) per 5 minutes.
    pub hrv: Vec<Option<f64>>,
}

impl SleepPeriod {
    pub fn end(&self) -> time::PrimitiveDateTime {
        self.start + Duration::minutes(5 * self.phases.len() as i64)
    }

    pub fn seconds_in(&self, phase: char) -> i64 {
        self.phases.chars().filter(|c| *c == phase).count() as i64 * 300
    }
}

/// The sleep periods filed under `day` (the morning one wakes up): the night that ended that
/// morning, if the ring was worn, now and then an afternoon nap, and now and then a nap late
/// the evening before (Oura files it with the night after it, under the next day).
pub fn sleep_periods(user: &SimulatedUser, day: Date) -> Vec<SleepPeriod> {
    let measured = self::day(user, day);
    let mut noise = Noise::new(user, day, "sleep");
    let mut periods = Vec::new();
    if measured.worn {
        // Bedtime between 22:00 and 00:40 the evening before; 6 to 9 hours, longer when the
        // score is higher.
        let evening = day.previous_day().unwrap_or(day).midnight();
        let start = evening + Duration::minutes(22 * 60 + (noise.uniform() * 160.0) as i64);
        let slots = (72.0 + (measured.sleep_score as f64 - 60.0) * 0.8 + noise.normal(8.0))
            .clamp(66.0, 112.0) as usize;
        periods.push(period(
            &mut noise,
            "long_sleep",
            start,
            slots,
            measured.sleep_score,
        ));
    }
    if noise.uniform() < 0.12 {
        let start = day.midnight() + Duration::minutes(14 * 60 + (noise.uniform() * 120.0) as i64);
        let slots = 4 + (noise.uniform() * 6.0) as usize;
        // Oura calls a nap that ends before 6 pm `sleep`, and one that ends later `late_nap`.
        periods.push(period(&mut noise, "sleep", start, slots, 70));
    }
    // Drawn after the others, so that adding it changed none of the periods before it.
    if measured.worn && noise.uniform() < 0.06 {
        // 19:00 to 20:00 the evening before, 20 to 40 minutes: over before bedtime.
        let evening = day.previous_day().unwrap_or(day).midnight();
        let start = evening + Duration::minutes(19 * 60 + (noise.uniform() * 60.0) as i64);
        let slots = 4 + (noise.uniform() * 5.0) as usize;
        periods.insert(0, period(&mut noise, "late_nap", start, slots, 70));
    }
    periods
}

fn period(
    noise: &mut Noise,
    kind: &'static str,
    start: time::PrimitiveDateTime,
    slots: usize,
    score: i64,
) -> SleepPeriod {
    let quality = score as f64 / 100.0;
    let mut phases = String::with_capacity(slots);
    let mut heart_rate = Vec::with_capacity(slots);
    let mut hrv = Vec::with_capacity(slots);
    for slot in 0..slots {
        // 90-minute cycles: deep sleep early in the night, REM later, a little waking.
        let progress = slot as f64 / slots as f64;
        let in_cycle = (slot % 18) as f64 / 18.0;
        let phase = if slot < 2 || noise.uniform() < 0.04 + (1.0 - quality) * 0.05 {
            '4'
        } else if in_cycle < 0.35 && progress < 0.6 && noise.uniform() < 0.55 + quality * 0.3 {
            '1'
        } else if in_cycle > 0.7 && noise.uniform() < 0.45 + progress * 0.4 {
            '3'
        } else {
            '2'
        };
        phases.push(phase);
        let dip = (progress * std::f64::consts::PI).sin();
        let base_hr = 62.0 - 9.0 * dip + if phase == '4' { 6.0 } else { 0.0 };
        let lost = noise.uniform() < 0.03;
        heart_rate.push((!lost).then(|| (base_hr + noise.normal(1.5)).round()));
        hrv.push((!lost).then(|| {
            (28.0 + 30.0 * dip * quality + noise.normal(5.0))
                .max(8.0)
                .round()
        }));
    }
    SleepPeriod {
        kind,
        start,
        phases,
        heart_rate,
        hrv,
    }
}

/// One heart-rate reading.
#[derive(Debug, Clone, PartialEq)]
pub struct HeartRateRow {
    pub at: time::PrimitiveDateTime,
    pub bpm: i64,
    /// `sleep` inside a sleep period, `awake` otherwise.
    pub source: &'static str,
}

/// The readings of one day, every 5 minutes from midnight (UTC): from the sleep periods where
/// the person slept (in their local time, so a night in Tokyo is early in the UTC day), from a
/// daily rhythm otherwise; none on a day without the ring.
pub fn heart_rate(user: &SimulatedUser, day: Date) -> Vec<HeartRateRow> {
    if !self::day(user, day).worn {
        return Vec::new();
    }
    let mut noise = Noise::new(user, day, "heartrate");
    // The night that ends today, and the one that starts this evening (filed under tomorrow).
    let mut periods = sleep_periods(user, day);
    if let Some(next) = day.next_day() {
        periods.extend(sleep_periods(user, next));
    }
    let activity = self::day(user, day).activity_score as f64;
    (0..288)
        .filter_map(|slot| {
            let at = day.midnight() + Duration::minutes(5 * slot);
            // Readings are in UTC; the periods in the person's local time.
            let asleep = periods.iter().find_map(|p| {
                let (start, end) = (to_utc(user, p.start), to_utc(user, p.end()));
                let offset = (at - start).whole_minutes();
                (offset >= 0 && at < end)
                    .then(|| p.heart_rate.get((offset / 5) as usize).copied().flatten())
            });
            match asleep {
                Some(Some(bpm)) => Some(HeartRateRow {
                    at,
                    bpm: bpm as i64,
                    source: "sleep",
                }),
                Some(None) => None,
                None => {
                    let hour = slot as f64 / 12.0;
                    let daytime = ((hour - 6.0) / 18.0 * std::f64::consts::PI).sin().max(0.0);
                    let effort = if noise.uniform() < activity / 1500.0 {
                        40.0
                    } else {
                        0.0
                    };
                    let bpm = 64.0 + 16.0 * daytime + effort + noise.normal(4.0);
                    (noise.uniform() > 0.04).then(|| HeartRateRow {
                        at,
                        bpm: bpm.round() as i64,
                        source: "awake",
                    })
                }
            }
        })
        .collect()
}
