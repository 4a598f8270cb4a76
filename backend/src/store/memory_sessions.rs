//! An in-process [`SessionStore`]: the session cookie carries only an opaque, signed id, and
//! everything else (the pending login, Oura's tokens) stays here on the server.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use actix_session::storage::{
    LoadError, SaveError, SessionKey, SessionStore, UpdateError, generate_session_key,
};
use actix_web::cookie::time::Duration as CookieDuration;

type SessionState = HashMap<String, String>;

struct Entry {
    state: SessionState,
    expires_at: Instant,
}

/// Sessions in a shared map, dropped when their time-to-live runs out.
#[derive(Clone, Default)]
pub struct MemorySessionStore {
    sessions: Arc<Mutex<HashMap<String, Entry>>>,
}

impl MemorySessionStore {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        // A poisoned lock means a panic elsewhere mid-update; the map itself is still sound.
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many live sessions there are (for tests and diagnostics).
    pub fn len(&self) -> usize {
        let now = Instant::now();
        self.lock().values().filter(|e| e.expires_at > now).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn expiry(ttl: &CookieDuration) -> Instant {
    let seconds = u64::try_from(ttl.whole_seconds()).unwrap_or(0);
    Instant::now() + Duration::from_secs(seconds)
}

impl SessionStore for MemorySessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<SessionState>, LoadError> {
        let mut sessions = self.lock();
        match sessions.get(key.as_ref()) {
            Some(entry) if entry.expires_at > Instant::now() => Ok(Some(entry.state.clone())),
            Some(_) => {
                sessions.remove(key.as_ref());
                Ok(None)
            }
            None => Ok(None),
        }
    }

    async fn save(
        &self,
        state: SessionState,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, SaveError> {
        let key = generate_session_key();
        let mut sessions = self.lock();
        let now = Instant::now();
        sessions.retain(|_, entry| entry.expires_at > now);
        sessions.insert(
            key.as_ref().to_owned(),
            Entry {
                state,
                expires_at: expiry(ttl),
            },
        );
        Ok(key)
    }

    async fn update(
        &self,
        key: SessionKey,
        state: SessionState,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        {
            let mut sessions = self.lock();
            if let Some(entry) = sessions.get_mut(key.as_ref()) {
                entry.state = state;
                entry.expires_at = expiry(ttl);
                return Ok(key);
            }
        }
        // The session ended meanwhile (logout elsewhere, expiry): start a new one rather than
        // bring the old id back to life.
        self.save(state, ttl).await.map_err(|e| match e {
            SaveError::Serialization(e) => UpdateError::Serialization(e),
            SaveError::Other(e) => UpdateError::Other(e),
        })
    }

    async fn update_ttl(
        &self,
        key: &SessionKey,
        ttl: &CookieDuration,
    ) -> Result<(), anyhow::Error> {
        if let Some(entry) = self.lock().get_mut(key.as_ref()) {
            entry.expires_at = expiry(ttl);
        }
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        self.lock().remove(key.as_ref());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(value: &str) -> SessionState {
        HashMap::from([("k".to_owned(), value.to_owned())])
    }

    #[actix_web::test]
    async fn a_saved_session_loads_until_it_is_deleted() {
        let store = MemorySessionStore::default();
        let key = store
            .save(state("a"), &CookieDuration::minutes(5))
            .await
            .unwrap();

        assert_eq!(store.load(&key).await.unwrap(), Some(state("a")));
        store.delete(&key).await.unwrap();
        assert_eq!(store.load(&key).await.unwrap(), None);
    }

    #[actix_web::test]
    async fn an_expired_session_is_gone() {
        let store = MemorySessionStore::default();
        let key = store
            .save(state("a"), &CookieDuration::seconds(0))
            .await
            .unwrap();

        assert_eq!(store.load(&key).await.unwrap(), None);
        assert!(store.is_empty());
    }

    #[actix_web::test]
    async fn updating_a_deleted_session_issues_a_new_key() {
        let store = MemorySessionStore::default();
        let key = store
            .save(state("a"), &CookieDuration::minutes(5))
            .await
            .unwrap();
        store.delete(&key).await.unwrap();

        let old_key = key.as_ref().to_owned();
        let new_key = store
            .update(key, state("b"), &CookieDuration::minutes(5))
            .await
            .unwrap();

        assert_ne!(new_key.as_ref(), old_key);
        assert_eq!(store.len(), 1);
    }
}
