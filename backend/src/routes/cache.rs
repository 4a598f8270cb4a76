//! [`ResponseCache`]: finished JSON answers of the dashboard routes, per user, valid while the
//! user's data version is unchanged. Repeated page views then cost one indexed read.

use std::collections::HashMap;
use std::sync::Mutex;

use actix_web::web::Bytes;

use crate::domain::UserId;

/// Entries kept at most; past that the cache starts afresh (simple, and enough for one home).
const MAX_ENTRIES: usize = 2048;

/// Whose answer to which request.
#[derive(PartialEq, Eq, Hash)]
struct Key {
    user_id: UserId,
    request: String,
}

/// An answer and the data version it was made from.
struct Entry {
    version: i64,
    body: Bytes,
}

/// Answers per user and request, each valid for one data version.
#[derive(Default)]
pub struct ResponseCache {
    entries: Mutex<HashMap<Key, Entry>>,
}

impl ResponseCache {
    /// The cached answer for `user_id` and `request`, if it was made from `version`.
    pub fn get(&self, user_id: &UserId, request: &str, version: i64) -> Option<Bytes> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(&Key {
                user_id: user_id.clone(),
                request: request.to_owned(),
            })
            .filter(|entry| entry.version == version)
            .map(|entry| entry.body.clone())
    }

    /// Keeps `body` as the answer for `user_id` and `request` at `version`.
    pub fn put(&self, user_id: &UserId, request: &str, version: i64, body: Bytes) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            Key {
                user_id: user_id.clone(),
                request: request.to_owned(),
            },
            Entry { version, body },
        );
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
}
