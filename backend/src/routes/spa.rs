//! Serves the built SPA: its assets, and `index.html` for `/` and every client-side route.

use std::path::{Path, PathBuf};

use actix_files::Files;
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY};
use actix_web::{HttpResponse, web};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// Where the SPA is, as app data.
pub struct SpaDir(pub PathBuf);

pub fn assets(dir: &Path) -> Files {
    Files::new("/", dir).default_handler(web::to(index))
}

/// `index.html`, with a Content-Security-Policy that allows exactly its inline boot script.
pub async fn index(dir: web::Data<SpaDir>) -> HttpResponse {
    let path = dir.0.join("index.html");
    match tokio::fs::read_to_string(&path).await {
        Ok(html) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((CACHE_CONTROL, "no-cache"))
            .insert_header((CONTENT_SECURITY_POLICY, content_security_policy(&html)))
            .body(html),
        Err(_) => HttpResponse::build(StatusCode::SERVICE_UNAVAILABLE)
            .content_type("text/plain; charset=utf-8")
            .body(format!(
                "The web app has not been built yet ({} is missing).\n\
                 Build it with `trunk build --release`, or start everything with `./scripts/run`.\n\
                 The JSON API is up: see /api/openapi.json.\n",
                path.display()
            )),
    }
}

/// The SPA's policy: scripts only from this origin plus trunk's inline module loader (by
/// hash), wasm compilation allowed, and nothing framed, embedded or posted elsewhere.
pub fn content_security_policy(html: &str) -> String {
    let hashes: String = inline_scripts(html)
        .map(|script| {
            let digest =
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()));
            format!(" 'sha256-{digest}'")
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The bodies of `<script>` elements without a `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, body) = rest.split_once('>')?;
        if attributes.contains("src=") {
            return None;
        }
        body.split_once("</script>").map(|(script, _)| script)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_allowed_by_hash_and_external_ones_are_not_listed() {
        let html =
            r#"<head><script src="/x.js"></script><script type="module">boot()</script></head>"#;

        let csp = content_security_policy(html);

        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"boot()"));
        assert!(csp.contains(&format!("'sha256-{expected}'")), "{csp}");
        assert_eq!(csp.matches("sha256-").count(), 1, "{csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert!(csp.contains("frame-ancestors 'none'"));
    }
}
