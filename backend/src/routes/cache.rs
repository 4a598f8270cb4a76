//! [`ResponseCache`]: finished JSON answers of the dashboard routes, per user, valid while the
//! user's data version is unchanged. Repeated page views then cost one indexed read. Bounded
//! by the bytes it holds, not by a count of entries: one ten-year answer weighs what it weighs.
//! [`warehouse_answer`] also gives each answer an `ETag` from that version, so a client that
//! has it gets `304 Not Modified` and no body.

use std::future::Future;
use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::time::Instant;

use actix_web::http::header::{self, ContentEncoding, EntityTag, IfNoneMatch};
use actix_web::web::Bytes;
use actix_web::{HttpMessage as _, HttpRequest, HttpResponse};
use moka::sync::Cache;
use serde::Serialize;

use super::spa::accepts;
use crate::domain::UserId;
use crate::error::ApiError;
use crate::store::Store;

/// The most bytes of answers kept, across all users.
pub const DEFAULT_CAPACITY_BYTES: u64 = 64 * 1024 * 1024;

/// Whose answer to which request.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    user_id: UserId,
    request: String,
}

/// An answer and the data version it was made from, with its compressed forms.
#[derive(Clone)]
struct Entry {
    version: i64,
    body: Body,
}

/// An answer's bytes, and for one worth compressing, the brotli and gzip forms: made once
/// when it is cached, not on every request.
#[derive(Clone)]
pub struct Body {
    plain: Bytes,
    compressed: Option<(Bytes, Bytes)>,
}

/// Answers smaller than this go as they are.
const COMPRESS_FROM_BYTES: usize = 1024;

impl Body {
    /// `plain`, compressed when it is large enough to gain from it.
    pub fn new(plain: Bytes) -> Self {
        let compressed = (plain.len() >= COMPRESS_FROM_BYTES)
            .then(|| Some((brotli_of(&plain)?, gzip_of(&plain)?)))
            .flatten();
        Self { plain, compressed }
    }

    fn weight(&self) -> usize {
        self.plain.len()
            + self
                .compressed
                .as_ref()
                .map_or(0, |(br, gz)| br.len() + gz.len())
    }

    /// The form to send for an `Accept-Encoding` header, and its coding.
    fn for_client(&self, accept_encoding: &str) -> (Bytes, Option<ContentEncoding>) {
        match &self.compressed {
            Some((br, _)) if accepts(accept_encoding, "br") => {
                (br.clone(), Some(ContentEncoding::Brotli))
            }
            Some((_, gz)) if accepts(accept_encoding, "gzip") => {
                (gz.clone(), Some(ContentEncoding::Gzip))
            }
            _ => (self.plain.clone(), None),
        }
    }
}

/// Quality 5: most of brotli's gain on JSON at a small part of its top level's time.
fn brotli_of(plain: &[u8]) -> Option<Bytes> {
    let mut out = Vec::with_capacity(plain.len() / 4);
    let params = brotli::enc::BrotliEncoderParams {
        quality: 5,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &plain[..], &mut out, &params).ok()?;
    Some(Bytes::from(out))
}

fn gzip_of(plain: &[u8]) -> Option<Bytes> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(plain.len() / 4),
        flate2::Compression::default(),
    );
    encoder.write_all(plain).ok()?;
    Some(Bytes::from(encoder.finish().ok()?))
}

/// Answers per user and request, each valid for one data version; the least recently used
/// go first when the bytes run out.
pub struct ResponseCache {
    entries: Cache<Key, Entry>,
}

impl Default for ResponseCache {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY_BYTES)
    }
}

impl ResponseCache {
    /// A cache holding at most `bytes` of answers (keys included).
    pub fn with_capacity(bytes: u64) -> Self {
        Self {
            entries: Cache::builder()
                .max_capacity(bytes)
                .weigher(|key: &Key, entry: &Entry| {
                    let weight =
                        key.user_id.as_str().len() + key.request.len() + entry.body.weight();
                    u32::try_from(weight).unwrap_or(u32::MAX)
                })
                .build(),
        }
    }

    /// The cached answer for `user_id` and `request`, if it was made from `version`.
    pub fn get(&self, user_id: &UserId, request: &str, version: i64) -> Option<Body> {
        self.entries
            .get(&Key {
                user_id: user_id.clone(),
                request: request.to_owned(),
            })
            .filter(|entry| entry.version == version)
            .map(|entry| entry.body)
    }

    /// Keeps `body` as the answer for `user_id` and `request` at `version`.
    pub fn put(&self, user_id: &UserId, request: &str, version: i64, body: Body) {
        self.entries.insert(
            Key {
                user_id: user_id.clone(),
                request: request.to_owned(),
            },
            Entry { version, body },
        );
    }

    /// Bytes held now (after pending evictions).
    pub fn weight(&self) -> u64 {
        self.entries.run_pending_tasks();
        self.entries.weighted_size()
    }
}

/// The answer to a read from the warehouse: `key` names the request (everything the answer
/// depends on besides the user and their data, such as the range or today's date), `read`
/// makes it. From the cache while the user's data version is unchanged; `304` when the
/// client's `If-None-Match` already names it.
pub async fn warehouse_answer<T, E, F, Fut>(
    request: &HttpRequest,
    store: &Store,
    cache: &ResponseCache,
    user_id: &UserId,
    key: &str,
    read: F,
) -> Result<HttpResponse, ApiError>
where
    T: Serialize,
    E: Into<ApiError>,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let started = Instant::now();
    let version = store.data_version(user_id).await?;
    let etag = entity_tag(user_id, key, version);
    let client_has_it = match request.get_header::<IfNoneMatch>() {
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Items(tags)) => tags.iter().any(|tag| tag.weak_eq(&etag)),
        None => false,
    };
    let body = if client_has_it {
        None
    } else if let Some(body) = cache.get(user_id, key, version) {
        Some(body)
    } else {
        let answer = read().await.map_err(Into::into)?;
        let plain = Bytes::from(serde_json::to_vec(&answer).map_err(anyhow::Error::from)?);
        let body = Body::new(plain);
        cache.put(user_id, key, version, body.clone());
        Some(body)
    };
    let mut response = match body {
        Some(_) => HttpResponse::Ok(),
        None => HttpResponse::NotModified(),
    };
    response
        .insert_header(header::ETag(etag))
        .insert_header((header::VARY, "accept-encoding"))
        .insert_header((
            // The handler's own time, for benchmarks and browser devtools (W3C Server-Timing).
            "Server-Timing",
            format!("app;dur={:.3}", started.elapsed().as_secs_f64() * 1e3),
        ));
    let Some(body) = body else {
        return Ok(response.finish());
    };
    let accept_encoding = request
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let (bytes, coding) = body.for_client(accept_encoding);
    if let Some(coding) = coding {
        // Already compressed: the compression middleware leaves it as it is.
        response.insert_header(coding);
    }
    Ok(response.content_type("application/json").body(bytes))
}

/// Names one user's answer to one request at one data version. The user is in it so that a
/// browser shared by two people never takes one's answer for the other's.
fn entity_tag(user_id: &UserId, key: &str, version: i64) -> EntityTag {
    let mut hasher = DefaultHasher::new();
    (user_id, key).hash(&mut hasher);
    EntityTag::new_strong(format!("{version}-{:016x}", hasher.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_answer_is_kept_compressed_and_sent_as_the_client_accepts() {
        let json = Bytes::from(format!(
            "[{}]",
            r#"{"day":"2026-01-01","sleep":81},"#.repeat(100)
        ));
        let body = Body::new(json.clone());

        let (br, br_coding) = body.for_client("gzip, deflate, br");
        let (gz, gz_coding) = body.for_client("gzip");
        let (plain, no_coding) = body.for_client("br;q=0, identity");

        assert_eq!(br_coding, Some(ContentEncoding::Brotli));
        assert_eq!(gz_coding, Some(ContentEncoding::Gzip));
        assert_eq!((plain, no_coding), (json.clone(), None));
        assert!(br.len() * 5 < json.len() && gz.len() * 5 < json.len());
        let mut unpacked = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut unpacked).unwrap();
        assert_eq!(unpacked, json);
    }

    #[test]
    fn a_small_answer_goes_as_it_is() {
        let body = Body::new(Bytes::from_static(b"[]"));

        assert_eq!(body.for_client("br, gzip").1, None);
    }

    #[test]
    fn an_answer_is_served_only_for_the_version_it_was_made_from() {
        let cache = ResponseCache::default();
        let (alice, bob) = (UserId::new("alice"), UserId::new("bob"));
        cache.put(&alice, "daily", 3, Body::new(Bytes::from_static(b"[]")));

        let plain = |body: Option<Body>| body.map(|body| body.plain);
        assert_eq!(
            plain(cache.get(&alice, "daily", 3)),
            Some(Bytes::from_static(b"[]"))
        );
        assert_eq!(
            plain(cache.get(&alice, "daily", 4)),
            None,
            "stale after new data"
        );
        assert_eq!(
            plain(cache.get(&bob, "daily", 3)),
            None,
            "another user's answer"
        );
    }

    #[test]
    fn the_cache_never_holds_more_bytes_than_its_capacity() {
        let cache = ResponseCache::with_capacity(1024 * 1024);
        let big = Body {
            plain: Bytes::from(vec![b'x'; 200 * 1024]),
            compressed: None,
        };

        for n in 0..20 {
            cache.put(&UserId::new(format!("user-{n}")), "daily", 1, big.clone());
        }

        assert!(cache.weight() <= 1024 * 1024, "{}", cache.weight());
        assert!(
            cache.weight() >= 600 * 1024,
            "it still caches: {}",
            cache.weight()
        );
    }
}
