//! Serves the built SPA: its assets, and `index.html` for `/` and every client-side route.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::http::StatusCode;
use actix_web::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_SECURITY_POLICY, ContentEncoding, VARY,
};
use actix_web::{HttpRequest, HttpResponse, Responder as _, web};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// Where the SPA is, as app data.
pub struct SpaDir(pub PathBuf);

/// The built assets, with `index.html` for every other path (the SPA routes itself).
pub fn assets(dir: &Path) -> Files {
    Files::new("/", dir).default_handler(web::to(index))
}

/// The route of the SPA's compiled assets (trunk names them by content hash).
pub const ASSET_ROUTE: &str = "/{name:[A-Za-z0-9_-][A-Za-z0-9._-]*\\.(?:wasm|js|css)}";

/// Whether an `Accept-Encoding` header takes `coding` (and not with `q=0`).
pub(super) fn accepts(header: &str, coding: &str) -> bool {
    header.split(',').any(|part| {
        let mut pieces = part.split(';').map(str::trim);
        pieces.next() == Some(coding) && !pieces.any(|p| p.replace(' ', "") == "q=0")
    })
}

/// A compiled asset, as the `.br` or `.gz` file the release build pre-compressed at the highest
/// level when the browser accepts it, else as is (then compressed on the fly). Hashed names
/// never change content, so browsers may keep them for a year.
pub async fn asset(
    request: HttpRequest,
    dir: web::Data<SpaDir>,
    name: web::Path<String>,
) -> HttpResponse {
    let accept = request
        .headers()
        .get(ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let content_type =
        actix_files::file_extension_to_mime(name.rsplit('.').next().unwrap_or_default());
    for (coding, suffix, encoding) in [
        ("br", "br", ContentEncoding::Brotli),
        ("gzip", "gz", ContentEncoding::Gzip),
    ] {
        if !accepts(accept, coding) {
            continue;
        }
        if let Ok(file) = NamedFile::open_async(dir.0.join(format!("{name}.{suffix}"))).await {
            let mut response = file
                .set_content_type(content_type.clone())
                .set_content_encoding(encoding)
                .respond_to(&request)
                .map_into_boxed_body();
            cacheable(&mut response);
            return response;
        }
    }
    match NamedFile::open_async(dir.0.join(name.as_str())).await {
        Ok(file) => {
            let mut response = file.respond_to(&request).map_into_boxed_body();
            cacheable(&mut response);
            response
        }
        Err(_) => HttpResponse::NotFound().finish(),
    }
}

fn cacheable(response: &mut HttpResponse) {
    let headers = response.headers_mut();
    headers.insert(
        CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    headers.insert(
        VARY,
        actix_web::http::header::HeaderValue::from_static("Accept-Encoding"),
    );
}

/// `index.html`, with a Content-Security-Policy that allows exactly its inline loader script
/// and stylesheet.
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

/// The SPA's policy: scripts and styles only from this origin plus the page's own inline
/// ones (trunk's module loader, the stylesheet inlined for the first paint), allowed by hash;
/// wasm compilation allowed; nothing framed, embedded or posted elsewhere.
pub fn content_security_policy(html: &str) -> String {
    let scripts = hashes_of(inline_elements(html, "script"));
    let styles = hashes_of(inline_elements(html, "style"));
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; \
         style-src 'self'{styles}; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// CSP source expressions (` 'sha256-…'`) for inline bodies.
fn hashes_of(bodies: Vec<&str>) -> String {
    bodies
        .into_iter()
        .map(|body| {
            let digest =
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body.as_bytes()));
            format!(" 'sha256-{digest}'")
        })
        .collect()
}

/// The bodies of the page's `<tag>` elements that have no `src`.
fn inline_elements<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let close = format!("</{tag}>");
    html.split(&format!("<{tag}"))
        .skip(1)
        .filter_map(|rest| {
            let (attributes, body) = rest.split_once('>')?;
            if attributes.contains("src=") {
                return None;
            }
            body.split_once(close.as_str()).map(|(inline, _)| inline)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_is_read_as_browsers_send_it() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("br;q=1.0, gzip;q=0.8", "gzip"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("gzip", "br"));
        assert!(!accepts("", "gzip"));
    }

    #[test]
    fn inline_scripts_and_styles_are_allowed_by_hash_and_external_ones_are_not_listed() {
        let html = r#"<head><script src="/x.js"></script><script type="module">boot()</script>
            <style>body{margin:0}</style></head>"#;

        let csp = content_security_policy(html);

        let hash =
            |body: &[u8]| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body));
        let script = hash(b"boot()");
        let style = hash(b"body{margin:0}");
        assert!(
            csp.contains(&format!(
                "script-src 'self' 'wasm-unsafe-eval' 'sha256-{script}';"
            )),
            "{csp}"
        );
        assert!(
            csp.contains(&format!("style-src 'self' 'sha256-{style}';")),
            "{csp}"
        );
        assert_eq!(csp.matches("sha256-").count(), 2, "{csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert!(csp.contains("frame-ancestors 'none'"));
    }
}
