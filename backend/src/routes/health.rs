use std::time::Duration;

use actix_web::{HttpResponse, get, web};
use secrecy::{ExposeSecret as _, SecretString};
use serde::Serialize;

use crate::store::Store;

/// How long readiness waits for each dependency.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// Liveness: answers without touching Oura, the database or Redis.
#[utoipa::path(tag = "health", responses((status = 200, description = "The server is up")))]
#[get("/healthz")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(serde_json::json!({ "status": "ok" }))
}

/// What readiness checks besides the database: Redis, when sessions live there.
pub struct Dependencies {
    redis: Option<redis::Client>,
}

impl Dependencies {
    /// The dependencies of an app whose sessions live at `redis_url`, if set.
    pub fn new(redis_url: Option<&SecretString>) -> anyhow::Result<Self> {
        Ok(Self {
            redis: redis_url
                .map(|url| redis::Client::open(url.expose_secret()))
                .transpose()?,
        })
    }
}

/// One dependency's state.
#[derive(Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Check {
    Ok,
    Unreachable,
}

#[derive(Serialize)]
struct Readiness {
    status: &'static str,
    database: Check,
    #[serde(skip_serializing_if = "Option::is_none")]
    redis: Option<Check>,
}

async fn check<E>(probe: impl Future<Output = Result<(), E>>) -> Check {
    match tokio::time::timeout(CHECK_TIMEOUT, probe).await {
        Ok(Ok(())) => Check::Ok,
        _ => Check::Unreachable,
    }
}

/// Readiness: whether this instance can serve (its database answers, and Redis when
/// configured). A load balancer sends traffic elsewhere while it says 503.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "The database (and Redis) answer"),
        (status = 503, description = "A dependency does not answer; see Retry-After"),
    )
)]
#[get("/readyz")]
pub async fn ready(store: web::Data<Store>, dependencies: web::Data<Dependencies>) -> HttpResponse {
    let database = check(store.ping()).await;
    let redis = match &dependencies.redis {
        None => None,
        Some(client) => Some(
            check(async {
                let mut connection = client.get_multiplexed_async_connection().await?;
                redis::cmd("PING")
                    .query_async::<String>(&mut connection)
                    .await
                    .map(drop)
            })
            .await,
        ),
    };
    let ready = database == Check::Ok && redis.is_none_or(|r| r == Check::Ok);
    let body = Readiness {
        status: if ready { "ready" } else { "not_ready" },
        database,
        redis,
    };
    if ready {
        HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .json(body)
    } else {
        HttpResponse::ServiceUnavailable()
            .insert_header(("Cache-Control", "no-store"))
            .insert_header(("Retry-After", "5"))
            .json(body)
    }
}
