//! The only place that talks to the backend. Relative URLs only: the SPA works wherever it is
//! served from (the backend itself, or `trunk serve` proxying to it).

use std::marker::PhantomData;

use gloo_net::http::{Request, RequestBuilder, Response};
use shared::{
    ApiErrorBody, ApiKey, CSRF_HEADER, CSRF_HEADER_VALUE, CreatedApiKey, DailyColumns, DailyScores,
    ErrorCode, Profile, SessionStatus, Summary, SyncStatus, routes,
};
use wasm_bindgen::JsValue;

use crate::decode::Decode;

/// Why a call failed, in a form components can keep in state and compare.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The backend answered with its error body.
    Backend { status: u16, body: ApiErrorBody },
    /// The backend could not be reached.
    Network(String),
    /// The backend answered with something this version of the app does not understand.
    Unexpected(String),
}

impl ApiError {
    /// A sentence to show people.
    pub fn message(&self) -> String {
        match self {
            Self::Backend { body, .. } => body.message.clone(),
            Self::Network(_) => {
                "Cannot reach the server. Check your connection and try again.".into()
            }
            Self::Unexpected(detail) => format!("The server answered unexpectedly ({detail})."),
        }
    }

    /// True when signing in (again) is the way out.
    pub fn needs_sign_in(&self) -> bool {
        matches!(
            self,
            Self::Backend { body, .. } if matches!(body.error, ErrorCode::Unauthenticated | ErrorCode::SignInAgain)
        )
    }
}

/// A successful answer's body as text; a failed answer becomes its `ApiError`. Not generic
/// (nor is `get_text`): the network code is in the wasm once, however many types the app
/// decodes, and only `decode` is compiled per type.
async fn body_of(response: Response) -> Result<String, ApiError> {
    if !response.ok() {
        return Err(error_from(response).await);
    }
    response
        .text()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))
}

/// Parsed by the browser's `JSON.parse`, then read into `T` (see `decode`): no JSON parser in
/// the wasm.
pub fn decode<T: Decode>(body: &str) -> Result<T, ApiError> {
    let value = js_sys::JSON::parse(body)
        .map_err(|_| ApiError::Unexpected("an answer that is not JSON".into()))?;
    T::decode(&value).map_err(|e| ApiError::Unexpected(e.to_string()))
}

async fn json<T: Decode>(response: Response) -> Result<T, ApiError> {
    decode(&body_of(response).await?)
}

async fn error_from(response: Response) -> ApiError {
    let status = response.status();
    let body = response.text().await.ok();
    match body.as_deref().map(decode::<ApiErrorBody>) {
        Some(Ok(body)) => ApiError::Backend { status, body },
        _ => ApiError::Unexpected(format!("HTTP {status}")),
    }
}

/// `path`'s answer as text (see [`Get`]).
pub async fn get_text(path: &str) -> Result<String, ApiError> {
    let response = Request::get(path)
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    body_of(response).await
}

/// A GET of one of the API's answers, read as a `T`: what [`crate::hooks::use_fetch`] runs.
/// A description rather than a future: the request is then compiled once, in the hook, and
/// only the reading of the answer once per type (`decode`). The path names the answer: the
/// hook asks again when it changes.
pub struct Get<T> {
    pub path: String,
    answer: PhantomData<fn() -> T>,
}

fn get<T>(path: impl Into<String>) -> Get<T> {
    Get {
        path: path.into(),
        answer: PhantomData,
    }
}

/// Whether this browser is signed in, and whether the app runs on simulated data.
pub fn session() -> Get<SessionStatus> {
    get(routes::SESSION)
}

/// The signed-in person's profile.
/// The profile as the app keeps it (from sign-in and the last sync).
pub fn profile() -> Get<Profile> {
    get(routes::PROFILE)
}

/// The profile fetched from Oura now.
pub fn profile_from_oura() -> Get<Profile> {
    get(format!("{}?refresh=true", routes::PROFILE))
}

/// Sends a state-changing request (with the CSRF header) and expects no content back.
async fn change(request: RequestBuilder) -> Result<Response, ApiError> {
    let response = request
        .header(CSRF_HEADER, CSRF_HEADER_VALUE)
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if response.ok() {
        Ok(response)
    } else {
        Err(error_from(response).await)
    }
}

/// Ends the session on the server.
pub async fn logout() -> Result<(), ApiError> {
    change(Request::post(routes::LOGOUT)).await.map(drop)
}

/// The signed-in person's API keys.
pub fn api_keys() -> Get<Vec<ApiKey>> {
    get(routes::API_KEYS)
}

/// Creates a key; the result holds its secret, this once.
pub async fn create_api_key(name: String) -> Result<CreatedApiKey, ApiError> {
    // `shared::NewApiKey` as JSON, written by the browser.
    let new_key = js_sys::Object::new();
    let body = js_sys::Reflect::set(&new_key, &"name".into(), &JsValue::from_str(&name))
        .ok()
        .and_then(|_| js_sys::JSON::stringify(&new_key).ok())
        .and_then(|text| text.as_string())
        .ok_or_else(|| ApiError::Unexpected("a key name that cannot be sent".into()))?;
    let request = Request::post(routes::API_KEYS)
        .header(CSRF_HEADER, CSRF_HEADER_VALUE)
        .header("Content-Type", "application/json")
        .body(body)
        .map_err(|e| ApiError::Unexpected(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    json(response).await
}

pub async fn revoke_api_key(id: &str) -> Result<(), ApiError> {
    change(Request::delete(&format!("{}/{id}", routes::API_KEYS)))
        .await
        .map(drop)
}

/// Deletes the account and everything stored for it.
pub async fn delete_account() -> Result<(), ApiError> {
    change(Request::delete(routes::ACCOUNT)).await.map(drop)
}

/// Where syncing stands.
pub fn sync_status() -> Get<SyncStatus> {
    get(routes::SYNC)
}

/// Each collection's sync, and the documents set aside.
pub fn sync_health() -> Get<shared::SyncHealth> {
    get(routes::SYNC_HEALTH)
}

/// Starts a sync now.
pub async fn start_sync() -> Result<SyncStatus, ApiError> {
    let response = change(Request::post(routes::SYNC)).await?;
    json(response).await
}

/// Daily scores with their contributors for the days `start..=end`.
pub fn daily_range(start: time::Date, end: time::Date) -> Get<Vec<DailyScores>> {
    get(format!("{}?start={start}&end={end}", routes::DAILY))
}

/// The scores alone, as columns, for the days `start..=end`: what the charts draw.
pub fn daily_columns(start: time::Date, end: time::Date) -> Get<DailyColumns> {
    get(format!(
        "{}?start={start}&end={end}&compact=true",
        routes::DAILY
    ))
}

/// Workouts, sessions and tags that began on the days `start..=end`, and rest mode.
pub fn events(start: time::Date, end: time::Date) -> Get<shared::Events> {
    get(format!("{}?start={start}&end={end}", routes::EVENTS))
}

/// The rings set up, newest first, and the battery.
pub fn rings() -> Get<shared::Rings> {
    get(routes::RINGS)
}

pub fn summary() -> Get<Summary> {
    get(routes::SUMMARY)
}

/// What an export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// A row a day.
    Csv,
    /// The scores and Oura's documents.
    Json,
}

/// Where the export of `start..=end` downloads from.
pub fn export_url(start: time::Date, end: time::Date, format: ExportFormat) -> String {
    let format = match format {
        ExportFormat::Csv => "csv",
        ExportFormat::Json => "json",
    };
    format!("{}?start={start}&end={end}&format={format}", routes::EXPORT)
}

/// The sleep periods of the night that ended on `day`.
pub fn night(day: time::Date) -> Get<shared::Night> {
    get(format!("{}/{day}", routes::SLEEP))
}

/// Computed observations over the last year.
pub fn insights() -> Get<Vec<shared::Insight>> {
    get(routes::INSIGHTS)
}

/// Heart rate in `[start, end)`.
pub fn heart_rate(
    start: time::OffsetDateTime,
    end: time::OffsetDateTime,
) -> Get<shared::HeartRateSeries> {
    let utc = |at: time::OffsetDateTime| {
        let at = at.to_offset(time::UtcOffset::UTC);
        format!("{}T{:02}:{:02}:00Z", at.date(), at.hour(), at.minute())
    };
    get(format!(
        "{}?start={}&end={}",
        routes::HEART_RATE,
        utc(start),
        utc(end)
    ))
}
