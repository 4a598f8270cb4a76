//! [`ResponseCache`]: finished JSON answers of the dashboard routes, per user, valid while the
//! user's data version is unchanged. Repeated page views then cost one indexed read. Bounded
//! by the bytes it holds, not by a count of entries: one ten-year answer weighs what it weighs.

use actix_web::web::Bytes;
use moka::sync::Cache;

use crate::domain::UserId;

/// The most bytes of answers kept, across all users.
pub const DEFAULT_CAPACITY_BYTES: u64 = 64 * 1024 * 1024;

/// Whose answer to which request.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    user_id: UserId,
    request: String,
}

/// An answer and the data version it was made from.
#[derive(Clone)]
struct Entry {
    version: i64,
    body: Bytes,
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
                    let weight = key.user_id.as_str().len() + key.request.len() + entry.body.len();
                    u32::try_from(weight).unwrap_or(u32::MAX)
                })
                .build(),
        }
    }

    /// The cached answer for `user_id` and `request`, if it was made from `version`.
    pub fn get(&self, user_id: &UserId, request: &str, version: i64) -> Option<Bytes> {
        self.entries
            .get(&Key {
                user_id: user_id.clone(),
                request: request.to_owned(),
            })
            .filter(|entry| entry.version == version)
            .map(|entry| entry.body)
    }

    /// Keeps `body` as the answer for `user_id` and `request` at `version`.
    pub fn put(&self, user_id: &UserId, request: &str, version: i64, body: Bytes) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_served_only_for_the_version_it_was_made_from() {
        let cache = ResponseCache::default();
        let (alice, bob) = (UserId::new("alice"), UserId::new("bob"));
        cache.put(&alice, "daily", 3, Bytes::from_static(b"[]"));

        assert_eq!(
            cache.get(&alice, "daily", 3),
            Some(Bytes::from_static(b"[]"))
        );
        assert_eq!(cache.get(&alice, "daily", 4), None, "stale after new data");
        assert_eq!(cache.get(&bob, "daily", 3), None, "another user's answer");
    }

    #[test]
    fn the_cache_never_holds_more_bytes_than_its_capacity() {
        let cache = ResponseCache::with_capacity(1024 * 1024);
        let big = Bytes::from(vec![b'x'; 200 * 1024]);

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
