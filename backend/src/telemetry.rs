//! Structured logs on stderr, filtered by `RUST_LOG` (default: `info`), and the request span:
//! every log line of a request carries its id (also sent back as `X-Request-Id`) and, once
//! the caller is known, the user id. Never a secret: paths are logged without their queries,
//! which carry OAuth codes and state.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;
use rand::RngCore as _;
use tracing::Instrument as _;
use tracing_subscriber::EnvFilter;

use crate::metrics::Metrics;

/// The response header naming the request, as its log lines do.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Installs the global subscriber.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // `try_init` so that tests, which may call it repeatedly, do not panic.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .try_init();
}

/// 64 random bits in hex: unique enough to find one request's lines.
fn new_request_id() -> String {
    format!("{:016x}", rand::rng().next_u64())
}

/// Middleware: runs the request inside a `request` span with its id, logs its outcome, and
/// names it in `X-Request-Id`.
pub async fn trace_requests(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let id = new_request_id();
    let span = tracing::info_span!("request", id = %id, user_id = tracing::field::Empty);
    let (method, path) = (request.method().clone(), request.path().to_owned());
    let started = Instant::now();
    let mut response = match next.call(request).instrument(span.clone()).await {
        Ok(response) => response.map_into_boxed_body(),
        Err(error) => {
            // Inner middleware answer with responses; an error here is actix's own.
            span.in_scope(|| tracing::warn!(%error, "{method} {path} failed"));
            return Err(error);
        }
    };
    if let Some(metrics) = response.request().app_data::<web::Data<Metrics>>() {
        let route = response.request().match_pattern();
        metrics.observe_request(
            method.as_str(),
            route.as_deref().unwrap_or("unmatched"),
            response.status().as_u16(),
            started.elapsed(),
        );
    }
    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            ms = format!("{:.1}", started.elapsed().as_secs_f64() * 1e3),
            "{method} {path}"
        );
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    Ok(response)
}
