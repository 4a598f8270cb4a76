//! `/webhooks/oura`: where Oura calls. GET answers the verification challenge of a new
//! subscription; POST takes an event when its signature, timestamp and freshness check out,
//! queues it and answers at once (Oura waits 10 s at most), so the fetch happens after.

use actix_web::error::PayloadError;
use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::auth::same_secret;
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::webhooks::{self, ChangeQueue, Refused, ReplayGuard};

/// The app's side of the webhooks, as app data (absent when they are off).
pub struct WebhookReceiver {
    /// The application's client secret: Oura signs with it.
    pub client_secret: secrecy::SecretString,
    /// The token Oura echoes when verifying a subscription.
    pub verification_token: String,
    /// Signatures already taken.
    pub replays: ReplayGuard,
    /// Where events wait for the sync.
    pub queue: ChangeQueue,
}

/// An event body is small; anything bigger is not Oura's.
pub const MAX_EVENT_BYTES: usize = 16 * 1024;

/// `?verification_token=..&challenge=..`, as Oura sends them.
#[derive(Deserialize)]
pub struct Challenge {
    verification_token: String,
    challenge: String,
}

/// `GET /webhooks/oura?verification_token=..&challenge=..`: echoes the challenge when the
/// token is the app's.
pub async fn verify(
    receiver: Option<web::Data<WebhookReceiver>>,
    query: web::Query<Challenge>,
) -> Result<HttpResponse, ApiError> {
    let receiver = receiver.ok_or(ApiError::NotFound)?;
    if !same_secret(&query.verification_token, &receiver.verification_token) {
        return Err(ApiError::Forbidden(
            "The verification token is not this app's.".into(),
        ));
    }
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({ "challenge": query.challenge })))
}

/// `POST /webhooks/oura`: an event from Oura.
pub async fn receive(
    request: HttpRequest,
    receiver: Option<web::Data<WebhookReceiver>>,
    metrics: Option<web::Data<Metrics>>,
    body: Result<web::Bytes, actix_web::Error>,
) -> Result<HttpResponse, ApiError> {
    let receiver = receiver.ok_or(ApiError::NotFound)?;
    // Over MAX_EVENT_BYTES: not Oura's, and not read any further.
    let body = body.map_err(|error| match error.as_error::<PayloadError>() {
        Some(PayloadError::Overflow) => ApiError::TooLarge("an event from Oura is at most 16 KiB"),
        _ => ApiError::BadRequest("The event's body could not be read.".into()),
    })?;
    let count = |outcome: &str| {
        if let Some(metrics) = &metrics {
            metrics.count_webhook_event(outcome);
        }
    };
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    let (timestamp, signature) = (header("x-oura-timestamp"), header("x-oura-signature"));
    let checked = check(&receiver, timestamp, signature, &body);
    let change = match checked {
        Ok(change) => change,
        Err(refused) => {
            tracing::warn!(reason = %refused, "a webhook event was refused");
            count(refused.kind());
            return Err(match refused {
                Refused::BadSignature | Refused::Stale => {
                    ApiError::Forbidden(format!("Webhook event refused: {refused}."))
                }
                Refused::Replayed | Refused::Malformed(_) => {
                    ApiError::BadRequest(format!("Webhook event refused: {refused}."))
                }
            });
        }
    };
    match change.map(|change| receiver.queue.push(change)) {
        None => count("ignored"),
        Some(true) => count("accepted"),
        Some(false) => {
            count("queue_full");
            return Err(ApiError::TooManyRequests {
                retry_after: std::time::Duration::from_secs(30),
            });
        }
    }
    Ok(HttpResponse::Ok().finish())
}

/// The change an event announces, once it is shown to be Oura's and new; `None` when it is
/// about data the app does not keep.
fn check(
    receiver: &WebhookReceiver,
    timestamp: &str,
    signature: &str,
    body: &[u8],
) -> Result<Option<webhooks::Change>, Refused> {
    use secrecy::ExposeSecret as _;
    if !webhooks::signature_verifies(
        receiver.client_secret.expose_secret(),
        timestamp,
        body,
        signature,
    ) {
        return Err(Refused::BadSignature);
    }
    if !webhooks::timestamp_is_recent(timestamp, OffsetDateTime::now_utc()) {
        return Err(Refused::Stale);
    }
    if !receiver.replays.first_time(signature) {
        return Err(Refused::Replayed);
    }
    webhooks::parse_event(body)
}
