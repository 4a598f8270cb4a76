//! CSRF defence for state-changing requests (anything but GET, HEAD and OPTIONS).
//!
//! A request must carry [`shared::CSRF_HEADER`], which no cross-site form can set and no
//! cross-origin `fetch` can send without a CORS preflight this app never grants. Browsers'
//! `Sec-Fetch-Site` and `Origin` are checked too where present. Requests authenticated by an
//! `Authorization` header carry no ambient credentials and need no CSRF defence.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{AUTHORIZATION, ORIGIN};
use actix_web::middleware::Next;
use actix_web::web;

use crate::config::Settings;
use crate::error::ApiError;

/// Middleware: refuses a state-changing request that may come from another site.
pub async fn require_same_origin(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if let Err(reason) = check(&request) {
        tracing::warn!(path = request.path(), reason, "cross-site request refused");
        // A response, not an error: the request's span and id still wrap it.
        return Ok(request
            .error_response(ApiError::CsrfRejected(reason))
            .map_into_right_body());
    }
    next.call(request)
        .await
        .map(ServiceResponse::map_into_left_body)
}

fn check(request: &ServiceRequest) -> Result<(), &'static str> {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return Ok(());
    }
    let headers = request.headers();
    if headers.contains_key(AUTHORIZATION) && !headers.contains_key("cookie") {
        return Ok(());
    }
    // Oura's webhook events are authenticated by their signature and carry no cookie.
    if request.path() == crate::webhooks::WEBHOOK_PATH && !headers.contains_key("cookie") {
        return Ok(());
    }
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if header("sec-fetch-site") == Some("cross-site") {
        return Err("the request came from another site");
    }
    if let (Some(origin), Some(settings)) = (
        header(ORIGIN.as_str()),
        request.app_data::<web::Data<Settings>>(),
    ) && origin != settings.public_origin()
    {
        return Err("the request came from another origin");
    }
    match header(shared::CSRF_HEADER) {
        Some(value) if !value.trim().is_empty() => Ok(()),
        _ => Err("the X-Requested-With header is missing"),
    }
}
