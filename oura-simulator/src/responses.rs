//! Oura's error bodies: RFC 6749 errors from the OAuth server, RFC 7807-style ones from the API.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde_json::json;

/// `{"error": ..., "error_description": ...}`, never cached, as RFC 6749 5.2 asks.
pub(crate) fn oauth_error(status: StatusCode, error: &str, description: &str) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    response
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Pragma", "no-cache"));
    if status == StatusCode::UNAUTHORIZED {
        response.insert_header(("WWW-Authenticate", r#"Basic realm="oauth""#));
    }
    response.json(json!({ "error": error, "error_description": description }))
}

/// `{"status": ..., "title": ..., "detail": ...}`, the data API's error shape.
pub(crate) fn api_error(status: StatusCode, title: &str, detail: &str) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    if status == StatusCode::UNAUTHORIZED {
        response.insert_header(("WWW-Authenticate", "Bearer"));
    }
    response.json(json!({ "status": status.as_u16(), "title": title, "detail": detail }))
}

pub(crate) async fn not_found() -> HttpResponse {
    api_error(
        StatusCode::NOT_FOUND,
        "Not Found",
        "No such route on the Oura simulator.",
    )
}
