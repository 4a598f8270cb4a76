//! The v2 data API: `GET /v2/usercollection/...`, Bearer tokens only.

mod battery;
mod daily;
pub(crate) use daily::ids_on as daily_ids_on;
mod events;
pub(crate) mod generate;
mod heartrate;
mod query;
mod rings;

use std::time::UNIX_EPOCH;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;
use sha2::{Digest, Sha256};
use time::Date;

use crate::faults::FaultTarget;
use crate::responses::api_error;
use crate::state::{Grant, SimState};
use crate::users::SimulatedUser;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/v2/usercollection/personal_info",
        web::get().to(personal_info),
    )
    .route(
        "/v2/usercollection/ring_configuration",
        web::get().to(rings::list),
    )
    .route(
        "/v2/usercollection/ring_battery_level",
        web::get().to(battery::list),
    )
    .configure(daily::configure)
    .configure(heartrate::configure);
}

async fn personal_info(request: HttpRequest, sim: web::Data<SimState>) -> HttpResponse {
    let grant = match authorize(&request, &sim, FaultTarget::PersonalInfo).await {
        Ok(grant) => grant,
        Err(response) => return response,
    };
    let has = |scope: &str| grant.scopes.iter().any(|s| s == scope);
    let user = &grant.user;
    // The id needs no scope; email needs `email`; the body measures need `personal`.
    let personal = has("personal");
    HttpResponse::Ok().json(json!({
        "id": user.id,
        "age": personal.then_some(user.age),
        "weight": personal.then_some(user.weight_kg),
        "height": personal.then_some(user.height_m),
        "biological_sex": personal.then_some(user.biological_sex),
        "email": has("email").then(|| user.email.clone()),
    }))
}

/// What a collection's route does first: [`authorize`], then the scope the collection needs,
/// then Oura's refusals beyond scopes ([`refusal`]).
pub(crate) async fn authorize_collection(
    request: &HttpRequest,
    sim: &SimState,
    target: FaultTarget,
    scope: &str,
    collection: &str,
) -> Result<Grant, HttpResponse> {
    let grant = authorize(request, sim, target).await?;
    if !grant.scopes.iter().any(|s| s == scope) {
        return Err(api_error(
            StatusCode::FORBIDDEN,
            "Forbidden",
            &format!("This token lacks the {scope} scope."),
        ));
    }
    if let Some(refused) = refusal(&grant.user, collection) {
        return Err(refused);
    }
    Ok(grant)
}

/// What every data route does first: count, refuse tokens in the URL, apply injected faults,
/// check the Bearer token and the rate limit.
pub(crate) async fn authorize(
    request: &HttpRequest,
    sim: &SimState,
    target: FaultTarget,
) -> Result<Grant, HttpResponse> {
    sim.lock().counters.data_requests += 1;
    if !sim.config.latency.is_zero() {
        tokio::time::sleep(sim.config.latency).await;
    }
    let token_in_query = url::form_urlencoded::parse(request.query_string().as_bytes())
        .any(|(name, _)| name == "access_token");
    if token_in_query {
        sim.lock().counters.tokens_in_query += 1;
        tracing::error!("refused a request with access_token in its query string");
        return Err(api_error(
            StatusCode::BAD_REQUEST,
            "Access token in the URL",
            "Tokens in query strings leak into logs and are not accepted: send Authorization: Bearer <token>.",
        ));
    }
    if let Some(fault) = sim.take_fault(target)
        && let Some(response) = fault.apply().await
    {
        return Err(response);
    }
    let token = request
        .headers()
        .get("Authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, token) = value.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .filter(|token| !token.is_empty())
        .ok_or_else(|| unauthorized("Missing or malformed Authorization header"))?;
    let now = sim.clock.now();
    let mut inner = sim.lock();
    let grant = match inner.access_tokens.get(token) {
        None => return Err(unauthorized("Invalid token")),
        Some(access) if access.revoked => return Err(unauthorized("Token has been revoked")),
        Some(access) if access.expires_at <= now => return Err(unauthorized("Token has expired")),
        Some(access) => access.grant.clone(),
    };
    if let Err(limited) = sim.count_request(&mut inner, token, &grant.client_id) {
        inner.counters.rate_limited += 1;
        let reset_in = limited.reset_in;
        let retry_after = reset_in.as_secs().max(1);
        let reset_at = (now + reset_in)
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let mut response = api_error(
            StatusCode::TOO_MANY_REQUESTS,
            "Too Many Requests",
            "Request rate limit exceeded.",
        );
        let headers = response.headers_mut();
        for (name, value) in [
            ("retry-after", retry_after.to_string()),
            ("x-ratelimit-limit", limited.limit.to_string()),
            (
                "x-ratelimit-window",
                sim.config.rate_limit_window.as_secs().to_string(),
            ),
            ("x-ratelimit-reset", reset_at.to_string()),
            ("x-ratelimit-tier", limited.tier.name().to_owned()),
        ] {
            if let Ok(value) = value.parse() {
                headers.insert(
                    actix_web::http::header::HeaderName::from_static(name),
                    value,
                );
            }
        }
        return Err(response);
    }
    Ok(grant)
}

fn unauthorized(detail: &str) -> HttpResponse {
    api_error(StatusCode::UNAUTHORIZED, "Unauthorized", detail)
}

/// A stable id shaped like Oura's (a UUID) for a person's document of `collection` on `day`.
fn document_id(user: &SimulatedUser, collection: &str, day: Date) -> String {
    let h = Sha256::digest(format!("{}/{collection}/{day}", user.id).as_bytes());
    let hex: String = h.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A person's local date-time as Oura writes it, with the UTC offset in effect then.
fn local(user: &SimulatedUser, at: time::PrimitiveDateTime) -> String {
    at.assume_offset(generate::utc_offset(user, at))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Collections a person's Oura app must be recent enough to share (Oura answers 426 to an old
/// one): the newer features.
const NEWER_FEATURES: [&str; 3] = ["daily_resilience", "daily_cardiovascular_age", "vO2_max"];

/// Oura's refusal of `collection` for this person, beyond scopes: people whose username begins
/// with `no-membership` have a ring that needs an Oura membership they do not have (403 for
/// every collection), and those whose username begins with `old-app` an Oura app too old to
/// share the newer features (426).
fn refusal(user: &SimulatedUser, collection: &str) -> Option<HttpResponse> {
    if user.username.starts_with("no-membership") {
        return Some(api_error(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "An active Oura membership is required to access this data.",
        ));
    }
    if user.username.starts_with("old-app") && NEWER_FEATURES.contains(&collection) {
        return Some(api_error(
            StatusCode::UPGRADE_REQUIRED,
            "Upgrade Required",
            "Update the Oura app to share this data.",
        ));
    }
    None
}
