//! Serves the built SPA: its assets, and `index.html` for `/` and every client-side route.
//! The release binary carries the SPA (trunk's `dist/` with its pre-compressed variants,
//! embedded at build time), so one file is all a deployment needs; `STATIC_DIR` serves a
//! directory instead.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::OnceLock;

use actix_web::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    HeaderValue, VARY,
};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};
use base64::Engine as _;
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// trunk's output as it was when the backend was compiled (empty if the SPA was not built
/// first: the index then says how to build it).
#[derive(RustEmbed)]
#[folder = "../dist"]
#[allow_missing = true]
struct Embedded;

/// Where the SPA's files come from, as app data.
#[derive(Debug, Clone)]
pub enum SpaFiles {
    /// Built into the binary.
    Embedded,
    /// A directory (`STATIC_DIR`).
    Dir(PathBuf),
}

impl SpaFiles {
    /// The file called `name` (one path segment, checked by the caller).
    async fn read(&self, name: &str) -> Option<Cow<'static, [u8]>> {
        match self {
            Self::Embedded => Embedded::get(name).map(|file| file.data),
            Self::Dir(dir) => tokio::fs::read(dir.join(name)).await.ok().map(Cow::Owned),
        }
    }

    /// The Content-Security-Policy of `html`, the SPA's `index.html`. The embedded page never
    /// changes, so its policy (two SHA-256 digests) is worked out once; a directory's page may
    /// be rebuilt while the server runs, so its policy is worked out each time.
    fn policy(&self, html: &[u8]) -> Cow<'static, str> {
        static EMBEDDED: OnceLock<String> = OnceLock::new();
        let of_html = || content_security_policy(&String::from_utf8_lossy(html));
        match self {
            Self::Embedded => Cow::Borrowed(EMBEDDED.get_or_init(of_html)),
            Self::Dir(_) => Cow::Owned(of_html()),
        }
    }

    /// Where the SPA comes from, for the message shown while it is missing.
    fn describe(&self) -> String {
        match self {
            Self::Embedded => "this binary was built without it".to_owned(),
            Self::Dir(dir) => format!("{} is missing", dir.join("index.html").display()),
        }
    }
}

/// The route of the SPA's compiled assets (trunk names them by content hash).
pub const ASSET_ROUTE: &str = "/{name:[A-Za-z0-9_-][A-Za-z0-9._-]*\\.(?:wasm|js|css)}";

/// Whether `name` is one plain file name: no directory, no leading dot.
fn is_file_name(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Whether an `Accept-Encoding` header takes `coding` (and not with `q=0`).
pub(super) fn accepts(header: &str, coding: &str) -> bool {
    header.split(',').any(|part| {
        let mut pieces = part.split(';').map(str::trim);
        pieces.next() == Some(coding) && !pieces.any(|p| p.replace(' ', "") == "q=0")
    })
}

/// A compiled asset, pre-compressed as the browser accepts (see `precompressed`). Hashed names
/// never change content, so browsers may keep them for a year.
pub async fn asset(
    request: HttpRequest,
    files: web::Data<SpaFiles>,
    name: web::Path<String>,
) -> HttpResponse {
    match file_response(&request, &files, &name).await {
        Some(response) => response,
        None => HttpResponse::NotFound().finish(),
    }
}

/// Any other path: a file of the SPA's (its icon), or else `index.html`, for the SPA routes
/// itself (`/night/2026-01-31`).
pub async fn file_or_index(request: HttpRequest, files: web::Data<SpaFiles>) -> HttpResponse {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return actix_web::ResponseError::error_response(&ApiError::MethodNotAllowed);
    }
    let name = request.path().trim_start_matches('/');
    if is_file_name(name)
        && name != "index.html"
        && let Some(response) = file_response(&request, &files, name).await
    {
        return response;
    }
    index(request, files).await
}

async fn file_response(
    request: &HttpRequest,
    files: &SpaFiles,
    name: &str,
) -> Option<HttpResponse> {
    let (coding, body) = match precompressed(request, files, name).await {
        Some((coding, body)) => (Some(coding), body),
        // As it is, then compressed on the fly.
        None => (None, files.read(name).await?),
    };
    let content_type =
        actix_files::file_extension_to_mime(name.rsplit('.').next().unwrap_or_default());
    let mut response = HttpResponse::Ok();
    response
        .insert_header((CONTENT_TYPE, content_type.essence_str().to_owned()))
        .insert_header((CACHE_CONTROL, "public, max-age=31536000, immutable"));
    Some(with_coding(&mut response, coding).body(body))
}

/// The `.br` or `.gz` file the release build pre-compressed from `name` at the highest level,
/// the first of them that the browser accepts and that exists, with its coding.
async fn precompressed(
    request: &HttpRequest,
    files: &SpaFiles,
    name: &str,
) -> Option<(&'static str, Cow<'static, [u8]>)> {
    let accept = request
        .headers()
        .get(ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    for (coding, suffix) in [("br", "br"), ("gzip", "gz")] {
        if accepts(accept, coding)
            && let Some(body) = files.read(&format!("{name}.{suffix}")).await
        {
            return Some((coding, body));
        }
    }
    None
}

/// Marks a response's body as `coding` (set here, so that the compression middleware leaves it
/// as it is) and says that the body depends on `Accept-Encoding`.
fn with_coding<'a>(
    response: &'a mut HttpResponseBuilder,
    coding: Option<&'static str>,
) -> &'a mut HttpResponseBuilder {
    response.insert_header((VARY, "Accept-Encoding"));
    if let Some(coding) = coding {
        response.insert_header((CONTENT_ENCODING, HeaderValue::from_static(coding)));
    }
    response
}

/// `index.html`, pre-compressed like the assets, with a Content-Security-Policy that allows
/// exactly its inline loader script and stylesheet.
pub async fn index(request: HttpRequest, files: web::Data<SpaFiles>) -> HttpResponse {
    let Some(html) = files.read("index.html").await else {
        return HttpResponse::build(StatusCode::SERVICE_UNAVAILABLE)
            .content_type("text/plain; charset=utf-8")
            .body(format!(
                "The web app has not been built yet ({}).\n\
                 Build it with `trunk build --release` before the server, or start everything \
                 with `./scripts/run`.\n\
                 The JSON API is up: see /api/openapi.json.\n",
                files.describe()
            ));
    };
    let policy = files.policy(&html);
    let (coding, body) = match precompressed(&request, &files, "index.html").await {
        Some((coding, body)) => (Some(coding), body),
        None => (None, html),
    };
    let mut response = HttpResponse::Ok();
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((CACHE_CONTROL, "no-cache"))
        .insert_header((CONTENT_SECURITY_POLICY, policy.into_owned()));
    with_coding(&mut response, coding).body(body)
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
    fn only_plain_file_names_are_read_from_the_spa() {
        assert!(is_file_name("favicon-27263eee0b70dece.svg"));
        assert!(is_file_name("frontend-c6a5_bg.wasm.br"));
        for name in [
            "",
            ".env",
            "../secret",
            "a/b.js",
            "a\\b",
            "night/2026-01-31",
            "%2e%2e",
        ] {
            assert!(!is_file_name(name), "{name:?}");
        }
    }

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
