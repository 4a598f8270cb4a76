//! Reads the backend's answers, as the browser's `JSON.parse` gives them, into the `shared`
//! types: field by field, through `Reflect`.
//!
//! Why not serde: a derived `Deserialize` compiles a visitor for every type (field-name
//! matching, sequences, error texts), and those error texts kept Rust's float formatting in
//! the wasm. Going without them took 15 KB off the SPA as served (with the app's own numbers
//! written by `format::decimal`). Reading a field here is a call with its name. The backend
//! still writes these types with serde; the tests at the end read what `serde_json` writes
//! for each one, and a field added to a type does not compile until it is read here.
//!
//! The rules are serde's: a missing or `null` `Option` is `None`, a field marked
//! `#[serde(default)]` in `shared` may be missing, any other missing field is an error;
//! numbers must fit the field's type.

use std::collections::BTreeMap;

use js_sys::{Array, Object, Reflect};
use shared::wire::WireForm;
use shared::{
    ApiErrorBody, ApiKey, Battery, BedtimeDay, CardiovascularDay, CollectionHealth, CreatedApiKey,
    DailyColumns, DailyScores, ErrorCode, Events, HeartRatePoint, HeartRateSeries, Insight, Night,
    Profile, Refusal, ResilienceDay, RestModePeriod, Ring, Rings, Score, ScoreSummary, Session,
    SessionStatus, SetAsideDocument, SleepKind, SleepPeriod, Spo2Day, StressDay, Summary,
    SyncHealth, SyncState, SyncStatus, Tag, TemperatureDay, WebhookState, Workout,
};
use time::{Date, OffsetDateTime};
use wasm_bindgen::{JsCast, JsValue};

/// What did not read, and where: `days[3].sleep.score: a whole number expected`. Boxed, so
/// that every `Result` the decoders pass up is small.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError(Box<Failure>);

#[derive(Debug, Clone, PartialEq)]
struct Failure {
    /// From the value that did not read out to the answer's top.
    path: Vec<Step>,
    expected: &'static str,
}

/// Where a value sits in the one holding it.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Field(&'static str),
    Index(usize),
    Key(String),
}

impl DecodeError {
    fn expected(expected: &'static str) -> Self {
        Self(Box::new(Failure {
            path: Vec::new(),
            expected,
        }))
    }

    /// The error as seen from the value holding this one.
    #[cold]
    fn within(mut self, step: Step) -> Self {
        self.0.path.push(step);
        self
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Failure { path, expected } = &*self.0;
        for (index, step) in path.iter().rev().enumerate() {
            let dot = if index == 0 { "" } else { "." };
            match step {
                Step::Field(name) => write!(f, "{dot}{name}")?,
                Step::Key(key) => write!(f, "{dot}{key}")?,
                Step::Index(index) => write!(f, "[{index}]")?,
            }
        }
        let colon = if path.is_empty() { "" } else { ": " };
        write!(f, "{colon}{expected} expected")
    }
}

/// A type the SPA reads from a parsed JSON value.
pub trait Decode: Sized {
    fn decode(value: &JsValue) -> Result<Self, DecodeError>;

    /// What a missing field of this type reads as: an error, unless the type says otherwise.
    fn missing() -> Result<Self, DecodeError> {
        Err(DecodeError::expected("a value"))
    }

    /// Stands in for a field that did not read, so that the struct holding it is still built
    /// whole (see `decode_struct`). Never seen: that struct's decoding fails.
    fn placeholder() -> Self;
}

/// The JSON object a struct is read from, and the first of its fields that did not read.
struct Fields<'a> {
    object: &'a JsValue,
    failure: Option<DecodeError>,
}

impl<'a> Fields<'a> {
    fn of(value: &'a JsValue) -> Result<Self, DecodeError> {
        if value.is_object() && !Array::is_array(value) {
            Ok(Self {
                object: value,
                failure: None,
            })
        } else {
            Err(DecodeError::expected("an object"))
        }
    }

    /// The field `name`, read as `T`; missing (or `undefined`) as `T::missing()` has it. If it
    /// does not read, `T::placeholder()`, and the failure is kept when it is the first.
    fn read<T: Decode>(&mut self, name: &'static str) -> T {
        let value = self.value(name);
        let read = if value.is_undefined() {
            T::missing()
        } else {
            T::decode(&value)
        };
        read.unwrap_or_else(|error| {
            self.failed(name, error);
            T::placeholder()
        })
    }

    /// Keeps the failure of the field `name` if it is the first. Not generic: in the wasm once
    /// rather than once per field type.
    #[cold]
    #[inline(never)]
    fn failed(&mut self, name: &'static str, error: DecodeError) {
        if self.failure.is_none() {
            self.failure = Some(error.within(Step::Field(name)));
        }
    }

    /// A field that `#[serde(default)]` lets be missing.
    fn read_or_default<T: Decode + Default>(&mut self, name: &'static str) -> T {
        self.read::<Option<T>>(name).unwrap_or_default()
    }

    /// `decoded`, unless one of its fields did not read.
    fn finish<T>(self, decoded: T) -> Result<T, DecodeError> {
        match self.failure {
            None => Ok(decoded),
            Some(failure) => Err(failure),
        }
    }

    /// The value of the field `name` (`undefined` if there is none). Not generic, so that it is
    /// in the wasm once rather than once per field type.
    #[inline(never)]
    fn value(&self, name: &str) -> JsValue {
        Reflect::get(self.object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(value: &JsValue) -> Result<Self, DecodeError> {
        if value.is_null() || value.is_undefined() {
            Ok(None)
        } else {
            T::decode(value).map(Some)
        }
    }

    fn missing() -> Result<Self, DecodeError> {
        Ok(None)
    }

    fn placeholder() -> Self {
        None
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(value: &JsValue) -> Result<Self, DecodeError> {
        let mut items = Vec::new();
        each_item(value, &mut |item| {
            items.push(T::decode(item)?);
            Ok(())
        })?;
        Ok(items)
    }

    fn placeholder() -> Self {
        Vec::new()
    }
}

/// Calls `read` with each item of the list `value`, and says which item did not read. Not
/// generic, so that the walk over a list is in the wasm once; a `collect` into a `Result` per
/// item type weighed more than the decoding itself.
fn each_item(
    value: &JsValue,
    read: &mut dyn FnMut(&JsValue) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let array = value
        .dyn_ref::<Array>()
        .ok_or_else(|| DecodeError::expected("a list"))?;
    for index in 0..array.length() {
        read(&array.get(index)).map_err(|error| error.within(Step::Index(index as usize)))?;
    }
    Ok(())
}

/// An object whose keys are names (a score's contributors).
impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode(value: &JsValue) -> Result<Self, DecodeError> {
        let fields = Fields::of(value)?;
        // Inserted one by one: collecting would sort the entries first, and bring a sort
        // routine into the wasm for a handful of names.
        let mut map = BTreeMap::new();
        for key in Object::keys(fields.object.unchecked_ref::<Object>()).iter() {
            let Some(key) = key.as_string() else { continue };
            match T::decode(&fields.value(&key)) {
                Ok(item) => map.insert(key, item),
                Err(error) => return Err(error.within(Step::Key(key))),
            };
        }
        Ok(map)
    }

    fn placeholder() -> Self {
        BTreeMap::new()
    }
}

impl Decode for String {
    fn decode(value: &JsValue) -> Result<Self, DecodeError> {
        value
            .as_string()
            .ok_or_else(|| DecodeError::expected("a text"))
    }

    fn placeholder() -> Self {
        String::new()
    }
}

impl Decode for bool {
    fn decode(value: &JsValue) -> Result<Self, DecodeError> {
        value
            .as_bool()
            .ok_or_else(|| DecodeError::expected("true or false"))
    }

    fn placeholder() -> Self {
        false
    }
}

impl Decode for f64 {
    fn decode(value: &JsValue) -> Result<Self, DecodeError> {
        value
            .as_f64()
            .ok_or_else(|| DecodeError::expected("a number"))
    }

    fn placeholder() -> Self {
        0.0
    }
}

/// A JSON number that is a whole number within `min..=max` (JSON.parse gives every number as
/// an f64, exact for whole numbers up to 2^53).
fn whole_number(value: &JsValue, min: f64, max: f64) -> Result<i64, DecodeError> {
    match value.as_f64() {
        Some(number) if number.fract() == 0.0 && (min..=max).contains(&number) => Ok(number as i64),
        _ => Err(DecodeError::expected("a whole number in range")),
    }
}

/// Whole numbers beyond 2^53 are not exact in a JSON.parse'd number; none of the backend's are.
const SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

impl Decode for i64 {
    fn decode(value: &JsValue) -> Result<Self, DecodeError> {
        whole_number(value, -SAFE_INTEGER, SAFE_INTEGER)
    }

    fn placeholder() -> Self {
        0
    }
}

impl Decode for u64 {
    fn decode(value: &JsValue) -> Result<Self, DecodeError> {
        whole_number(value, 0.0, SAFE_INTEGER).map(|number| number as u64)
    }

    fn placeholder() -> Self {
        0
    }
}

impl Decode for u32 {
    fn decode(value: &JsValue) -> Result<Self, DecodeError> {
        whole_number(value, 0.0, f64::from(u32::MAX)).map(|number| number as u32)
    }

    fn placeholder() -> Self {
        0
    }
}

/// A day or a moment, read from its text as the backend's serde readers read it.
fn wire_form<T: WireForm>(value: &JsValue) -> Result<T, DecodeError> {
    value
        .as_string()
        .and_then(|text| T::parse(&text))
        .ok_or_else(|| DecodeError::expected(T::EXPECTING))
}

impl Decode for Date {
    fn decode(value: &JsValue) -> Result<Self, DecodeError> {
        wire_form(value)
    }

    fn placeholder() -> Self {
        Date::MIN
    }
}

impl Decode for OffsetDateTime {
    fn decode(value: &JsValue) -> Result<Self, DecodeError> {
        wire_form(value)
    }

    fn placeholder() -> Self {
        OffsetDateTime::UNIX_EPOCH
    }
}

/// A text from a fixed list of names, read as the enum value it names.
fn named<T>(value: &JsValue, of_name: impl Fn(&str) -> Option<T>) -> Result<T, DecodeError> {
    value
        .as_string()
        .and_then(|text| of_name(&text))
        .ok_or_else(|| DecodeError::expected("one of the known names"))
}

impl Decode for SyncState {
    fn decode(value: &JsValue) -> Result<Self, DecodeError> {
        named(value, |name| name.parse().ok())
    }

    fn placeholder() -> Self {
        SyncState::Never
    }
}

impl Decode for Refusal {
    fn decode(value: &JsValue) -> Result<Self, DecodeError> {
        named(value, Refusal::from_name)
    }

    fn placeholder() -> Self {
        Refusal::NotGranted
    }
}

impl Decode for WebhookState {
    fn decode(value: &JsValue) -> Result<Self, DecodeError> {
        named(value, WebhookState::from_name)
    }

    fn placeholder() -> Self {
        WebhookState::Off
    }
}

/// Kinds Oura adds later read as `Unknown`, as `#[serde(other)]` has it.
impl Decode for SleepKind {
    fn decode(value: &JsValue) -> Result<Self, DecodeError> {
        named(value, |name| Some(SleepKind::from_name(name)))
    }

    fn placeholder() -> Self {
        SleepKind::Unknown
    }
}

impl Decode for ErrorCode {
    fn decode(value: &JsValue) -> Result<Self, DecodeError> {
        named(value, ErrorCode::from_name)
    }

    fn placeholder() -> Self {
        ErrorCode::Unauthenticated
    }
}

/// One `impl Decode` per struct: each field read by its name, with `default` for the fields
/// that `#[serde(default)]` lets be missing.
///
/// Every field is read, with a placeholder for one that does not, and the struct built whole
/// before the first failure, if any, is returned. A `?` after each field would drop the
/// fields read so far at each return: that drop code, written out per field and per struct,
/// weighed more than the reading.
macro_rules! decode_struct {
    ($type:ident { $($field:ident),* $(,)? } $(default { $($defaulted:ident),* $(,)? })?) => {
        impl Decode for $type {
            fn decode(value: &JsValue) -> Result<Self, DecodeError> {
                let mut fields = Fields::of(value)?;
                let decoded = Self {
                    $($field: fields.read(stringify!($field)),)*
                    $($($defaulted: fields.read_or_default(stringify!($defaulted)),)*)?
                };
                fields.finish(decoded)
            }

            fn placeholder() -> Self {
                Self {
                    $($field: Decode::placeholder(),)*
                    $($($defaulted: Decode::placeholder(),)*)?
                }
            }
        }
    };
}

decode_struct!(SessionStatus {
    signed_in,
    demo_mode
});
decode_struct!(Profile {
    id,
    email,
    age_years,
    weight_kg,
    height_m,
    biological_sex
});
decode_struct!(ApiErrorBody {
    error,
    message,
    sign_in_url,
    retry_after_secs
});
decode_struct!(ApiKey {
    id,
    name,
    created_at,
    last_used_at
});
decode_struct!(CreatedApiKey { key, secret });
decode_struct!(SyncStatus { state, windows_done, windows_total, last_synced_at, error, next_sync_at }
    default { unreadable_documents, data_version });
decode_struct!(SyncHealth {
    next_sync_at,
    collections,
    set_aside
});
decode_struct!(CollectionHealth { collection, synced_through, last_attempt_at, error, refused,
    last_event_at } default { webhook });
decode_struct!(SetAsideDocument {
    collection,
    reason,
    set_aside_at,
    document
});
decode_struct!(Score {
    score,
    contributors
});
decode_struct!(DailyScores {
    day,
    sleep,
    readiness,
    activity,
    steps,
    active_calories,
    stress,
    spo2,
    resilience,
    temperature,
    vo2_max,
    cardiovascular,
    bedtime
});
decode_struct!(StressDay {
    stress_high_seconds,
    recovery_high_seconds,
    day_summary
});
decode_struct!(Spo2Day {
    average_percent,
    breathing_disturbance_index
});
decode_struct!(ResilienceDay {
    level,
    contributors
});
decode_struct!(TemperatureDay {
    deviation,
    trend_deviation
});
decode_struct!(CardiovascularDay {
    vascular_age,
    pulse_wave_velocity
});
decode_struct!(BedtimeDay {
    window_start_seconds,
    window_end_seconds,
    utc_offset_seconds,
    recommendation,
    status
});
decode_struct!(DailyColumns {
    days,
    sleep,
    readiness,
    activity,
    steps,
    active_calories,
    temperature_deviation,
    temperature_trend_deviation
});
decode_struct!(ScoreSummary {
    latest,
    latest_day,
    last_7_days,
    previous_7_days,
    baseline_90_days,
    baseline_days
});
decode_struct!(Summary {
    today,
    sleep,
    readiness,
    activity,
    rest_mode_days
});
decode_struct!(Night { day, periods });
decode_struct!(SleepPeriod {
    id,
    kind,
    bedtime_start,
    bedtime_end,
    total_sleep_seconds,
    efficiency,
    average_hrv,
    lowest_heart_rate,
    stages,
    heart_rate,
    hrv
});
decode_struct!(Insight {
    id,
    title,
    finding,
    sample_size,
    conclusive
});
decode_struct!(HeartRateSeries { start, end, points });
decode_struct!(HeartRatePoint { at, bpm, source });
decode_struct!(Events {
    workouts,
    sessions,
    tags,
    rest_mode
});
decode_struct!(Workout {
    id,
    day,
    start,
    end,
    activity,
    intensity,
    source,
    label,
    calories,
    distance_meters
});
decode_struct!(Session {
    id,
    day,
    start,
    end,
    kind,
    mood,
    average_heart_rate,
    lowest_heart_rate,
    average_hrv
});
decode_struct!(Tag {
    id,
    day,
    end_day,
    start,
    end,
    code,
    name,
    comment
});
decode_struct!(RestModePeriod {
    id,
    start_day,
    end_day
});
decode_struct!(Rings { rings, battery });
decode_struct!(Ring {
    id,
    hardware_type,
    firmware_version,
    color,
    design,
    size,
    set_up_at
});
decode_struct!(Battery {
    level,
    charging,
    in_charger,
    measured_at
});

/// Run in wasm (`wasm-bindgen-test-runner`, in Node.js), where `JSON.parse` and `Reflect` are.
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use std::fmt::Debug;

    use time::macros::{date, datetime};
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    fn parsed(json: &str) -> JsValue {
        js_sys::JSON::parse(json).expect("test JSON")
    }

    /// `value` as the backend writes it, read back by the SPA.
    fn reads_back<T: Decode + serde::Serialize + PartialEq + Debug>(value: T) {
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(T::decode(&parsed(&json)), Ok(value), "{json}");
    }

    fn moment() -> OffsetDateTime {
        datetime!(2026-10-25 07:05:30.25 +01:00)
    }

    fn full_day() -> DailyScores {
        let score = |score| Score {
            score: Some(score),
            contributors: [
                ("deep_sleep".to_owned(), Some(80)),
                ("timing".to_owned(), None),
            ]
            .into(),
        };
        DailyScores {
            day: date!(2026 - 10 - 25),
            sleep: Some(score(81)),
            readiness: Some(score(77)),
            activity: Some(score(90)),
            steps: Some(9_123),
            active_calories: Some(420),
            stress: Some(StressDay {
                stress_high_seconds: Some(3_600),
                recovery_high_seconds: Some(1_800),
                day_summary: Some("restored".into()),
            }),
            spo2: Some(Spo2Day {
                average_percent: Some(97.25),
                breathing_disturbance_index: Some(3),
            }),
            resilience: Some(ResilienceDay {
                level: Some("solid".into()),
                contributors: [("sleep_recovery".to_owned(), Some(70))].into(),
            }),
            temperature: Some(TemperatureDay {
                deviation: Some(-0.31),
                trend_deviation: Some(0.12),
            }),
            vo2_max: Some(44.5),
            cardiovascular: Some(CardiovascularDay {
                vascular_age: Some(36),
                pulse_wave_velocity: Some(7.1),
            }),
            bedtime: Some(BedtimeDay {
                window_start_seconds: Some(-3_600),
                window_end_seconds: Some(0),
                utc_offset_seconds: Some(3_600),
                recommendation: Some("follow_optimal_bedtime".into()),
                status: Some("optimal_found".into()),
            }),
        }
    }

    #[wasm_bindgen_test]
    fn every_answer_reads_back_as_the_backend_wrote_it() {
        let key = ApiKey {
            id: "k1".into(),
            name: "backup script".into(),
            created_at: moment(),
            last_used_at: Some(datetime!(2026-11-24 02:59 UTC)),
        };
        reads_back(SessionStatus {
            signed_in: true,
            demo_mode: false,
        });
        reads_back(Profile {
            id: "u1".into(),
            email: Some("a@example.com".into()),
            age_years: Some(34),
            weight_kg: Some(72.45),
            height_m: Some(1.8),
            biological_sex: Some("female".into()),
        });
        reads_back(ApiErrorBody {
            error: ErrorCode::SignInAgain,
            message: "Sign in again.".into(),
            sign_in_url: Some("/auth/login".into()),
            retry_after_secs: Some(30),
        });
        reads_back(vec![key.clone()]);
        reads_back(CreatedApiKey {
            key,
            secret: "odk_secret".into(),
        });
        reads_back(SyncStatus {
            state: SyncState::Running,
            windows_done: 3,
            windows_total: 17,
            last_synced_at: Some(moment()),
            error: Some("Oura is busy".into()),
            unreadable_documents: 2,
            next_sync_at: Some(moment()),
            data_version: 41,
        });
        reads_back(SyncHealth {
            next_sync_at: Some(moment()),
            collections: vec![CollectionHealth {
                collection: "daily_sleep".into(),
                synced_through: Some(date!(2026 - 11 - 23)),
                last_attempt_at: Some(moment()),
                error: None,
                refused: Some(Refusal::MembershipRequired),
                webhook: WebhookState::Silent,
                last_event_at: Some(moment()),
            }],
            set_aside: vec![SetAsideDocument {
                collection: "sleep".into(),
                reason: "no day".into(),
                set_aside_at: moment(),
                document: "{\"id\":1}".into(),
            }],
        });
        reads_back(vec![full_day(), DailyScores::empty(date!(2026 - 10 - 26))]);
        reads_back(DailyColumns::from_rows(&[
            full_day(),
            DailyScores::empty(date!(2026 - 10 - 26)),
        ]));
        let summary = ScoreSummary {
            latest: Some(80),
            latest_day: Some(date!(2026 - 11 - 23)),
            last_7_days: Some(78.4),
            previous_7_days: None,
            baseline_90_days: Some(76.0),
            baseline_days: 88,
        };
        reads_back(Summary {
            today: date!(2026 - 11 - 24),
            sleep: summary.clone(),
            readiness: summary.clone(),
            activity: summary,
            rest_mode_days: 3,
        });
        reads_back(Night {
            day: date!(2026 - 10 - 25),
            periods: vec![SleepPeriod {
                id: "s1".into(),
                kind: SleepKind::LongSleep,
                bedtime_start: datetime!(2026-10-24 23:10 +02:00),
                bedtime_end: datetime!(2026-10-25 07:05 +01:00),
                total_sleep_seconds: Some(27_000),
                efficiency: Some(91),
                average_hrv: Some(45),
                lowest_heart_rate: Some(48),
                stages: "4412".into(),
                heart_rate: vec![Some(52.0), None, Some(49.5)],
                hrv: vec![None, Some(40.0)],
            }],
        });
        reads_back(vec![Insight {
            id: "tag-alcohol".into(),
            title: "Alcohol".into(),
            finding: "Nights after a tag ...".into(),
            sample_size: 14,
            conclusive: false,
        }]);
        reads_back(HeartRateSeries {
            start: datetime!(2026-11-23 23:00 UTC),
            end: datetime!(2026-11-24 23:00 UTC),
            points: vec![HeartRatePoint {
                at: moment(),
                bpm: 61,
                source: "awake".into(),
            }],
        });
        reads_back(Events {
            workouts: vec![Workout {
                id: "w1".into(),
                day: date!(2026 - 11 - 20),
                start: Some(moment()),
                end: None,
                activity: Some("cycling".into()),
                intensity: Some("moderate".into()),
                source: Some("manual".into()),
                label: None,
                calories: Some(350.5),
                distance_meters: Some(12_400.0),
            }],
            sessions: vec![Session {
                id: "m1".into(),
                day: date!(2026 - 11 - 21),
                start: Some(moment()),
                end: Some(moment()),
                kind: Some("breathing".into()),
                mood: Some("good".into()),
                average_heart_rate: Some(58.5),
                lowest_heart_rate: Some(52.0),
                average_hrv: None,
            }],
            tags: vec![Tag {
                id: "t1".into(),
                day: date!(2026 - 11 - 22),
                end_day: Some(date!(2026 - 11 - 23)),
                start: Some(moment()),
                end: None,
                code: Some("tag_generic_alcohol".into()),
                name: "Alcohol".into(),
                comment: Some("wine".into()),
            }],
            rest_mode: vec![RestModePeriod {
                id: "r1".into(),
                start_day: date!(2026 - 11 - 01),
                end_day: None,
            }],
        });
        reads_back(Rings {
            rings: vec![Ring {
                id: "ring1".into(),
                hardware_type: Some("gen4".into()),
                firmware_version: Some("2.9.1".into()),
                color: Some("silver".into()),
                design: Some("heritage".into()),
                size: Some(9),
                set_up_at: Some(moment()),
            }],
            battery: Some(Battery {
                level: 64,
                charging: Some(false),
                in_charger: None,
                measured_at: moment(),
            }),
        });
    }

    #[wasm_bindgen_test]
    fn absent_options_and_defaulted_fields_read_as_serde_reads_them() {
        let status = SyncStatus::decode(&parsed(
            r#"{"state":"idle","windows_done":0,"windows_total":0,"error":null}"#,
        ))
        .unwrap();

        assert_eq!(status.last_synced_at, None);
        assert_eq!(status.unreadable_documents, 0);
        assert_eq!(status.data_version, 0);
        let health = CollectionHealth::decode(&parsed(r#"{"collection":"sleep"}"#)).unwrap();
        assert_eq!(health.webhook, WebhookState::Off);
        assert_eq!(
            SleepKind::decode(&parsed(r#""a_kind_oura_adds_later""#)),
            Ok(SleepKind::Unknown)
        );
    }

    #[wasm_bindgen_test]
    fn what_does_not_read_says_where_and_what_was_expected() {
        let error = |json: &str| Summary::decode(&parsed(json)).unwrap_err().to_string();
        let summary = |sleep: &str| {
            format!(
                r#"{{"today":"2026-11-24","sleep":{sleep},"readiness":{{}},"activity":{{}},"rest_mode_days":0}}"#
            )
        };

        assert_eq!(error("[]"), "an object expected");
        assert_eq!(
            error(r#"{"today":"2026-02-30"}"#),
            "today: a day as YYYY-MM-DD expected"
        );
        assert_eq!(
            error(&summary(r#"{"latest":80.5,"baseline_days":1}"#)),
            "sleep.latest: a whole number in range expected"
        );
        assert_eq!(
            error(&summary(r#"{"latest":80}"#)),
            "sleep.baseline_days: a value expected"
        );
        assert_eq!(
            Vec::<Insight>::decode(&parsed(r#"[{"id":"a"}]"#))
                .unwrap_err()
                .to_string(),
            "[0].title: a value expected"
        );
        assert_eq!(
            SyncState::decode(&parsed(r#""paused""#))
                .unwrap_err()
                .to_string(),
            "one of the known names expected"
        );
        assert_eq!(
            u32::decode(&parsed("-1")).unwrap_err().to_string(),
            "a whole number in range expected"
        );
    }
}
