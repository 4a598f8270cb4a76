//! Oura's webhook subscriptions (`/v2/webhook/subscription`, authenticated by the
//! application's `x-client-id` and `x-client-secret` headers), the verification challenge a
//! new subscription must answer, and signed event deliveries.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use hmac::{Hmac, Mac};
use rand::RngCore as _;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::Sha256;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::responses::api_error;
use crate::state::SimState;

/// How long a subscription lives before it must be renewed (Oura: about 90 days).
pub const SUBSCRIPTION_LIFETIME: Duration = Duration::from_secs(90 * 86_400);

/// The data types Oura delivers events for.
const DATA_TYPES: &[&str] = &[
    "tag",
    "enhanced_tag",
    "workout",
    "session",
    "sleep",
    "daily_sleep",
    "daily_readiness",
    "daily_activity",
    "daily_spo2",
    "sleep_time",
    "rest_mode_period",
    "ring_configuration",
    "daily_stress",
    "daily_cardiovascular_age",
    "daily_resilience",
    "vo2_max",
    "meal",
];

const EVENT_TYPES: &[&str] = &["create", "update", "delete"];

/// A subscription, as Oura lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Subscription {
    pub id: String,
    pub callback_url: String,
    pub event_type: String,
    pub data_type: String,
    pub expiration_time: String,
    #[serde(skip)]
    client_id: String,
    #[serde(skip)]
    expires_at: OffsetDateTime,
}

/// What a test delivers, and how it misbehaves.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Oura's id of the person (`personal_info`'s `id`).
    pub user_id: String,
    pub data_type: String,
    pub event_type: String,
    pub object_id: String,
    /// Signed with a key that is not the client secret.
    pub forged: bool,
    /// Added to the `x-oura-timestamp` (negative: an old delivery, as a replay is).
    pub timestamp_skew_secs: i64,
    /// Sent this many times (Oura retries; deliveries arrive twice).
    pub copies: u32,
}

impl Delivery {
    /// One honest delivery.
    pub fn new(user_id: &str, data_type: &str, event_type: &str, object_id: &str) -> Self {
        Self {
            user_id: user_id.to_owned(),
            data_type: data_type.to_owned(),
            event_type: event_type.to_owned(),
            object_id: object_id.to_owned(),
            forged: false,
            timestamp_skew_secs: 0,
            copies: 1,
        }
    }
}

/// The subscriptions, and the client that calls the subscribers.
pub(crate) struct Registry {
    subscriptions: Mutex<Vec<Subscription>>,
    http: reqwest::Client,
}

impl Default for Registry {
    fn default() -> Self {
        Self {
            subscriptions: Mutex::new(Vec::new()),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_default(),
        }
    }
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Subscription>> {
        self.subscriptions.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn all(&self) -> Vec<Subscription> {
        self.lock().clone()
    }
}

/// The simulator's own shortcut that announces a person's documents of a day to the
/// subscribers (not an Oura endpoint; for the demo and the browser tests).
pub const SIM_EVENTS_PATH: &str = "/sim/webhook-events";

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(SIM_EVENTS_PATH, web::post().to(announce))
        .route("/v2/webhook/subscription", web::get().to(list))
        .route("/v2/webhook/subscription", web::post().to(create))
        .route("/v2/webhook/subscription/renew/{id}", web::put().to(renew))
        .route("/v2/webhook/subscription/{id}", web::get().to(get))
        .route("/v2/webhook/subscription/{id}", web::delete().to(delete));
}

/// The calling application's client id, if its headers name a registered client.
fn client(request: &HttpRequest, sim: &SimState) -> Result<String, Box<HttpResponse>> {
    let header = |name| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    let (id, secret) = (header("x-client-id"), header("x-client-secret"));
    sim.config
        .clients
        .iter()
        .find(|c| c.client_id == id && c.client_secret == secret)
        .map(|c| c.client_id.clone())
        .ok_or_else(|| {
            Box::new(api_error(
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                "x-client-id and x-client-secret must name a registered application.",
            ))
        })
}

async fn list(request: HttpRequest, sim: web::Data<SimState>) -> HttpResponse {
    let client_id = match client(&request, &sim) {
        Ok(id) => id,
        Err(response) => return *response,
    };
    let mine: Vec<Subscription> = sim
        .webhooks
        .all()
        .into_iter()
        .filter(|s| s.client_id == client_id)
        .collect();
    HttpResponse::Ok().json(mine)
}

#[derive(Deserialize)]
struct CreateRequest {
    callback_url: String,
    verification_token: String,
    event_type: String,
    data_type: String,
}

async fn create(
    request: HttpRequest,
    sim: web::Data<SimState>,
    body: web::Json<CreateRequest>,
) -> HttpResponse {
    let client_id = match client(&request, &sim) {
        Ok(id) => id,
        Err(response) => return *response,
    };
    if !EVENT_TYPES.contains(&body.event_type.as_str())
        || !DATA_TYPES.contains(&body.data_type.as_str())
    {
        return api_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Unprocessable Entity",
            "event_type or data_type is not one Oura knows.",
        );
    }
    let Ok(callback) = url::Url::parse(&body.callback_url) else {
        return api_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Unprocessable Entity",
            "callback_url is not a URL.",
        );
    };
    // Oura asks the callback to echo a challenge before it accepts the subscription.
    let challenge = random_hex(16);
    let mut verify = callback.clone();
    verify
        .query_pairs_mut()
        .append_pair("verification_token", &body.verification_token)
        .append_pair("challenge", &challenge);
    let echoed = async {
        let answer = sim.webhooks.http.get(verify).send().await.ok()?;
        if !answer.status().is_success() {
            return None;
        }
        let json: serde_json::Value = answer.json().await.ok()?;
        json["challenge"].as_str().map(str::to_owned)
    }
    .await;
    if echoed.as_deref() != Some(challenge.as_str()) {
        return api_error(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            "The callback did not answer the verification challenge.",
        );
    }
    let now = OffsetDateTime::from(sim.clock.now());
    let subscription = subscription(
        random_uuid(),
        &client_id,
        &body.callback_url,
        &body.event_type,
        &body.data_type,
        now,
    );
    sim.webhooks.lock().push(subscription.clone());
    HttpResponse::Created().json(subscription)
}

fn subscription(
    id: String,
    client_id: &str,
    callback_url: &str,
    event_type: &str,
    data_type: &str,
    now: OffsetDateTime,
) -> Subscription {
    let expires_at = now + SUBSCRIPTION_LIFETIME;
    Subscription {
        id,
        callback_url: callback_url.to_owned(),
        event_type: event_type.to_owned(),
        data_type: data_type.to_owned(),
        expiration_time: expires_at.format(&Rfc3339).unwrap_or_default(),
        client_id: client_id.to_owned(),
        expires_at,
    }
}

/// The client's subscription `id`, or the answer that it has none such.
fn find(
    request: &HttpRequest,
    sim: &SimState,
    id: &str,
) -> Result<(String, Subscription), Box<HttpResponse>> {
    let client_id = client(request, sim)?;
    sim.webhooks
        .all()
        .into_iter()
        .find(|s| s.id == id && s.client_id == client_id)
        .map(|s| (client_id, s))
        .ok_or_else(|| {
            // Oura's spec answers 403 here, not 404.
            Box::new(api_error(
                StatusCode::FORBIDDEN,
                "Forbidden",
                "Webhook with specified id does not exist.",
            ))
        })
}

async fn get(
    request: HttpRequest,
    sim: web::Data<SimState>,
    id: web::Path<String>,
) -> HttpResponse {
    match find(&request, &sim, &id) {
        Ok((_, subscription)) => HttpResponse::Ok().json(subscription),
        Err(response) => *response,
    }
}

async fn renew(
    request: HttpRequest,
    sim: web::Data<SimState>,
    id: web::Path<String>,
) -> HttpResponse {
    let (client_id, old) = match find(&request, &sim, &id) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let now = OffsetDateTime::from(sim.clock.now());
    let renewed = subscription(
        old.id.clone(),
        &client_id,
        &old.callback_url,
        &old.event_type,
        &old.data_type,
        now,
    );
    let mut all = sim.webhooks.lock();
    if let Some(slot) = all.iter_mut().find(|s| s.id == old.id) {
        *slot = renewed.clone();
    }
    HttpResponse::Ok().json(renewed)
}

async fn delete(
    request: HttpRequest,
    sim: web::Data<SimState>,
    id: web::Path<String>,
) -> HttpResponse {
    match find(&request, &sim, &id) {
        Ok(_) => {
            sim.webhooks.lock().retain(|s| s.id != *id);
            HttpResponse::NoContent().finish()
        }
        Err(response) => *response,
    }
}

#[derive(Deserialize)]
struct Announcement {
    user: String,
    data_type: String,
    event_type: String,
    day: String,
}

/// `POST /sim/webhook-events` (`user`, `data_type`, `event_type`, `day` as a form): delivers
/// an event for each of the person's documents of `data_type` filed under `day`; answers the
/// subscribers' statuses. Switched off with the direct tokens.
async fn announce(sim: web::Data<SimState>, form: web::Form<Announcement>) -> HttpResponse {
    if !sim.config.direct_tokens {
        return api_error(
            StatusCode::NOT_FOUND,
            "Not Found",
            "The simulator's shortcuts are switched off.",
        );
    }
    let (Some(user), Some(day)) = (
        crate::SimulatedUser::from_username(&form.user),
        crate::data::generate::parse_day(&form.day),
    ) else {
        return api_error(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            "user must be a simulated username and day YYYY-MM-DD.",
        );
    };
    let now = OffsetDateTime::from(sim.clock.now());
    let mut statuses = Vec::new();
    for id in crate::data::daily_ids_on(&user, &form.data_type, day, now) {
        let delivery = Delivery::new(&user.id, &form.data_type, &form.event_type, &id);
        statuses.extend(deliver(&sim, &delivery).await);
    }
    HttpResponse::Ok().json(json!({ "delivered": statuses }))
}

/// How the simulator's announcements misbehave, as deliveries from Oura do. Each `*_every`
/// counts events in the order they would go out (0: never).
#[derive(Debug, Clone, Default)]
pub struct DeliveryFaults {
    /// Every nth event is never sent.
    pub lose_every: usize,
    /// Every nth event is sent twice.
    pub duplicate_every: usize,
    /// Every event goes out this late (in the background).
    pub delay: Duration,
    /// Events go out newest first.
    pub out_of_order: bool,
    /// Every nth event is preceded by a forged copy (signed with a key that is not the
    /// client secret).
    pub forge_every: usize,
}

/// What an announcement sent, and what it lost on the way.
#[derive(Debug, Clone, Default)]
pub struct Announced {
    /// Sent (or, with a delay, being sent), in the order they go out.
    pub sent: Vec<Delivery>,
    /// Never sent.
    pub lost: Vec<Delivery>,
    /// Forged copies sent along.
    pub forged: usize,
}

/// The simulator's collection that a webhook data type names (Oura spells one differently).
fn collection_of(data_type: &str) -> &str {
    match data_type {
        "vo2_max" => "vO2_max",
        other => other,
    }
}

/// Moves the clock on by `by` and announces every document that came into being meanwhile,
/// for each person who has granted an application access: a `create` event per document.
pub(crate) async fn advance_announcing(
    sim: &Arc<SimState>,
    by: Duration,
    faults: &DeliveryFaults,
) -> Announced {
    let before = OffsetDateTime::from(sim.clock.now());
    sim.clock.advance(by);
    let after = OffsetDateTime::from(sim.clock.now());
    let mut events = Vec::new();
    for user in sim.granted_users() {
        for data_type in DATA_TYPES {
            let collection = collection_of(data_type);
            let mut day = before.date() - time::Duration::days(1);
            while day <= after.date() {
                let existed = crate::data::daily_ids_on(&user, collection, day, before);
                for id in crate::data::daily_ids_on(&user, collection, day, after) {
                    if !existed.contains(&id) {
                        events.push(Delivery::new(&user.id, data_type, "create", &id));
                    }
                }
                day += time::Duration::days(1);
            }
        }
    }
    if faults.out_of_order {
        events.reverse();
    }
    let nth = |every: usize, n: usize| every > 0 && (n + 1).is_multiple_of(every);
    let mut announced = Announced::default();
    let mut outgoing = Vec::new();
    for (n, mut event) in events.into_iter().enumerate() {
        if nth(faults.lose_every, n) {
            announced.lost.push(event);
            continue;
        }
        if nth(faults.forge_every, n) {
            outgoing.push(Delivery {
                forged: true,
                ..event.clone()
            });
            announced.forged += 1;
        }
        if nth(faults.duplicate_every, n) {
            event.copies = 2;
        }
        announced.sent.push(event.clone());
        outgoing.push(event);
    }
    if faults.delay.is_zero() {
        for delivery in &outgoing {
            deliver(sim, delivery).await;
        }
    } else {
        let (sim, delay) = (Arc::clone(sim), faults.delay);
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            for delivery in &outgoing {
                deliver(&sim, delivery).await;
            }
        });
    }
    announced
}

/// Sends `delivery` to every live subscription for its event and data type, signed with the
/// subscribing application's secret; the status of each call (0 when it failed). A 410
/// cancels the subscription, as at Oura.
pub(crate) async fn deliver(sim: &SimState, delivery: &Delivery) -> Vec<u16> {
    let now = OffsetDateTime::from(sim.clock.now());
    let targets: Vec<Subscription> = sim
        .webhooks
        .all()
        .into_iter()
        .filter(|s| {
            s.data_type == delivery.data_type
                && s.event_type == delivery.event_type
                && s.expires_at > now
        })
        .collect();
    let mut statuses = Vec::new();
    for subscription in targets {
        let Some(secret) = sim
            .config
            .clients
            .iter()
            .find(|c| c.client_id == subscription.client_id)
            .map(|c| c.client_secret.clone())
        else {
            continue;
        };
        let body = json!({
            "event_type": delivery.event_type,
            "data_type": delivery.data_type,
            "object_id": delivery.object_id,
            "event_time": now.format(&Rfc3339).unwrap_or_default(),
            "user_id": delivery.user_id,
        })
        .to_string();
        // Signed when sent, by the wall clock: the simulator's own clock (which tests move)
        // says what data exists, not when the call goes out.
        let sent_at = OffsetDateTime::now_utc().unix_timestamp();
        let timestamp = (sent_at + delivery.timestamp_skew_secs).to_string();
        let key = if delivery.forged {
            "not-the-client-secret".to_owned()
        } else {
            secret
        };
        let signature = sign(&key, &timestamp, &body);
        for _ in 0..delivery.copies.max(1) {
            let status = sim
                .webhooks
                .http
                .post(&subscription.callback_url)
                .header("content-type", "application/json")
                .header("x-oura-timestamp", &timestamp)
                .header("x-oura-signature", &signature)
                .body(body.clone())
                .send()
                .await
                .map_or(0, |r| r.status().as_u16());
            if status == 410 {
                sim.webhooks.lock().retain(|s| s.id != subscription.id);
            }
            statuses.push(status);
        }
    }
    statuses
}

/// Upper-case hex HMAC-SHA256 of `timestamp` followed by `body`, keyed with `secret`.
pub fn sign(secret: &str, timestamp: &str, body: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.as_bytes());
    mac.update(body.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    buffer.iter().map(|b| format!("{b:02x}")).collect()
}

fn random_uuid() -> String {
    let hex = random_hex(16);
    format!(
        "{}-{}-4{}-a{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}
