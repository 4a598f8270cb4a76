//! [`ResponseCache`]: finished JSON answers of the dashboard routes, per user, valid while the
//! user's data version is unchanged. Repeated page views then cost one indexed read.

use std::collections::HashMap;
use std::sync::Mutex;

use actix_web::web::Bytes;

/// Entries kept at most; past that the cache starts afresh (simple, and enough for one home).
const MAX_ENTRIES: usize = 2048;

#[derive(Default)]
pub struct ResponseCache {
    entries: Mutex<HashMap<(String, String), (i64, Bytes)>>,
}

impl ResponseCache {
    /// The cached answer for `user_id` and `key`, if it was made from `version`.
    pub fn get(&self, user_id: &str, key: &str, version: i64) -> Option<Bytes> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(&(user_id.to_owned(), key.to_owned()))
            .filter(|(made_from, _)| *made_from == version)
            .map(|(_, body)| body.clone())
    }

    pub fn put(&self, user_id: &str, key: &str, version: i64, body: Bytes) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert((user_id.to_owned(), key.to_owned()), (version, body));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_served_only_for_the_version_it_was_made_from() {
        let cache = ResponseCache::default();
        cache.put("alice", "daily", 3, Bytes::from_static(b"[]"));

        assert_eq!(
            cache.get("alice", "daily", 3),
            Some(Bytes::from_static(b"[]"))
        );
        assert_eq!(cache.get("alice", "daily", 4), None, "stale after new data");
        assert_eq!(cache.get("bob", "daily", 3), None, "another user's answer");
    }
}
