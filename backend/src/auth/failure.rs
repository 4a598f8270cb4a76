//! A login that cannot complete: a friendly page for a browser, JSON for everyone else, and
//! always a 4xx or 5xx that says what happened and what to do.

use std::sync::LazyLock;

use actix_web::http::StatusCode;
use actix_web::http::header::{ACCEPT, CONTENT_SECURITY_POLICY};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine as _;
use html_escape::encode_text;
use sha2::{Digest, Sha256};
use shared::{ApiErrorBody, ErrorCode, routes};

#[derive(Debug)]
pub struct LoginFailure {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub title: &'static str,
    pub message: String,
}

impl LoginFailure {
    pub fn new(
        status: StatusCode,
        code: ErrorCode,
        title: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code,
            title,
            message: message.into(),
        }
    }

    /// A malformed, replayed, late or foreign callback.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidCallback,
            "This sign-in link does not work",
            message,
        )
    }

    pub fn respond(&self, request: &HttpRequest) -> HttpResponse {
        tracing::warn!(code = ?self.code, status = self.status.as_u16(), "login failed");
        let mut response = HttpResponse::build(self.status);
        response.insert_header(("Cache-Control", "no-store"));
        if !wants_html(request) {
            return response.json(ApiErrorBody {
                error: self.code,
                message: self.message.clone(),
                sign_in_url: Some(routes::LOGIN.to_owned()),
                retry_after_secs: None,
            });
        }
        response
            .insert_header((CONTENT_SECURITY_POLICY, PAGE_CSP.as_str()))
            .content_type("text/html; charset=utf-8")
            .body(format!(
                r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Oura Dashboard</title>
<style>{PAGE_STYLE}</style></head>
<body><main role="alert">
<h1>{title}</h1>
<p>{message}</p>
<p class="actions"><a class="button" href="{login}">Try again</a> <a href="/">Back to the start page</a></p>
</main></body></html>"#,
                title = encode_text(self.title),
                message = encode_text(&self.message),
                login = routes::LOGIN,
            ))
    }
}

/// Browsers navigating here ask for HTML first; curl and `fetch` do not.
fn wants_html(request: &HttpRequest) -> bool {
    request
        .headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

const PAGE_STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f4f6f8;color:#17202a;margin:0}\
main{max-width:32rem;margin:4rem auto;padding:2rem;background:#fff;border:1px solid #dde3ea;border-radius:14px}\
a{color:#2f6fdb}.actions{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:center;margin-top:2rem}\
.button{background:#2f6fdb;color:#fff;padding:.6rem 1.2rem;border-radius:10px;text-decoration:none;font-weight:600}\
@media (prefers-color-scheme:dark){body{background:#0f1720;color:#e8edf2}main{background:#18222d;border-color:#2c3a48}\
a{color:#8ec1ff}.button{background:#6aa9ff;color:#0f1720}}\
@media (max-width:30rem){main{margin:1rem;padding:1.25rem}}";

/// The page allows exactly its own stylesheet and nothing else.
static PAGE_CSP: LazyLock<String> = LazyLock::new(|| {
    let hash =
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(PAGE_STYLE.as_bytes()));
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
});
