//! `GET /metrics`: Prometheus' text format, for operators. Not found unless switched on
//! (`METRICS_ENABLED`, or `METRICS_TOKEN` to ask scrapers for a bearer token).

use actix_web::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::ExposeSecret as _;

use crate::auth::same_secret;
use crate::config::{MetricsAccess, Settings};
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::store::Store;
use crate::sync::Syncer;

/// The metrics, read now; 404 when they are off, 401 without the token when one is set.
pub async fn serve(
    request: HttpRequest,
    settings: web::Data<Settings>,
    store: web::Data<Store>,
    syncer: web::Data<Syncer>,
    metrics: Option<web::Data<Metrics>>,
) -> Result<HttpResponse, ApiError> {
    let Some(metrics) = metrics else {
        return Err(ApiError::NotFound);
    };
    match &settings.metrics {
        MetricsAccess::Off => return Err(ApiError::NotFound),
        MetricsAccess::Open => {}
        MetricsAccess::Token(token) => {
            let presented = request
                .headers()
                .get(AUTHORIZATION)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.strip_prefix("Bearer "))
                .unwrap_or_default();
            if !same_secret(presented, token.expose_secret()) {
                return Err(ApiError::MetricsTokenRequired);
            }
        }
    }
    let text = metrics
        .render(&store, syncer.budget(), settings.redis_url.is_none())
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, prometheus::TEXT_FORMAT))
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(text))
}
