//! Server-side session storage: in the SQL store, or in Redis when `REDIS_URL` is set. The
//! cookie carries only the session id; the SQL store keeps just its SHA-256 hash, so a copy of
//! the database does not let anyone take over a session.

use std::collections::HashMap;

use actix_session::storage::{
    LoadError, RedisSessionStore, SaveError, SessionKey, SessionStore, UpdateError,
    generate_session_key,
};
use actix_web::cookie::time::Duration as CookieDuration;
use anyhow::Context as _;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{Store, now};

type SessionState = HashMap<String, String>;

/// The session entry that names the signed-in user. The SQL store indexes it, so that all of
/// a user's sessions can be ended at once; the auth module writes it.
pub const SESSION_USER_KEY: &str = "user";

/// The part of [`SESSION_USER_KEY`]'s value the store reads.
#[derive(Deserialize)]
struct IndexedUser {
    user_id: String,
}

/// The SQL half: sessions in the `sessions` table.
#[derive(Clone)]
pub struct SqlSessionStore {
    store: Store,
}

impl SqlSessionStore {
    /// Sessions kept in `store`'s database.
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// How many unexpired sessions there are (for tests and diagnostics).
    pub async fn count(&self) -> anyhow::Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE expires_at > $1")
                .bind(now())
                .fetch_one(self.store.pool())
                .await?,
        )
    }

    async fn write(
        &self,
        key: &SessionKey,
        state: &SessionState,
        ttl: &CookieDuration,
    ) -> anyhow::Result<()> {
        let json = serde_json::to_string(state).context("Failed to serialise the session")?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, state, expires_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id_hash) DO UPDATE SET user_id = excluded.user_id, state = excluded.state, \
             expires_at = excluded.expires_at",
        )
        .bind(hash(key))
        .bind(user_id_of(state))
        .bind(json)
        .bind(now() + ttl.whole_seconds())
        .execute(self.store.pool())
        .await
        .context("Failed to save the session")?;
        Ok(())
    }

    async fn exists(&self, key: &SessionKey) -> anyhow::Result<bool> {
        let row =
            sqlx::query("SELECT 1 AS one FROM sessions WHERE id_hash = $1 AND expires_at > $2")
                .bind(hash(key))
                .bind(now())
                .fetch_optional(self.store.pool())
                .await?;
        Ok(row.is_some())
    }
}

fn hash(key: &SessionKey) -> String {
    Sha256::digest(key.as_ref().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The signed-in user's id, kept in its own column so that all of a user's sessions can be
/// ended at once.
fn user_id_of(state: &SessionState) -> Option<String> {
    let user: IndexedUser = serde_json::from_str(state.get(SESSION_USER_KEY)?).ok()?;
    Some(user.user_id)
}

impl SessionStore for SqlSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<SessionState>, LoadError> {
        let json: Option<String> =
            sqlx::query_scalar("SELECT state FROM sessions WHERE id_hash = $1 AND expires_at > $2")
                .bind(hash(key))
                .bind(now())
                .fetch_optional(self.store.pool())
                .await
                .map_err(|e| LoadError::Other(e.into()))?;
        let Some(json) = json else { return Ok(None) };
        serde_json::from_str(&json)
            .map(Some)
            .map_err(|e| LoadError::Deserialization(e.into()))
    }

    async fn save(
        &self,
        state: SessionState,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, SaveError> {
        let key = generate_session_key();
        self.write(&key, &state, ttl)
            .await
            .map_err(SaveError::Other)?;
        // Expired rows go when new sessions come, so the table does not grow without bound.
        let _ = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now())
            .execute(self.store.pool())
            .await;
        Ok(key)
    }

    async fn update(
        &self,
        key: SessionKey,
        state: SessionState,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        // A session that ended meanwhile (logout elsewhere, expiry) is not brought back: the
        // state goes under a new id instead.
        if self.exists(&key).await.map_err(UpdateError::Other)? {
            self.write(&key, &state, ttl)
                .await
                .map_err(UpdateError::Other)?;
            Ok(key)
        } else {
            self.save(state, ttl).await.map_err(|e| match e {
                SaveError::Serialization(e) => UpdateError::Serialization(e),
                SaveError::Other(e) => UpdateError::Other(e),
            })
        }
    }

    async fn update_ttl(
        &self,
        key: &SessionKey,
        ttl: &CookieDuration,
    ) -> Result<(), anyhow::Error> {
        sqlx::query("UPDATE sessions SET expires_at = $1 WHERE id_hash = $2")
            .bind(now() + ttl.whole_seconds())
            .bind(hash(key))
            .execute(self.store.pool())
            .await?;
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(hash(key))
            .execute(self.store.pool())
            .await?;
        Ok(())
    }
}

/// Where sessions live: the one type the session middleware is built with.
#[derive(Clone)]
pub enum SessionBackend {
    /// In the database.
    Sql(SqlSessionStore),
    /// In Redis.
    Redis(RedisSessionStore),
}

impl SessionStore for SessionBackend {
    async fn load(&self, key: &SessionKey) -> Result<Option<SessionState>, LoadError> {
        match self {
            Self::Sql(store) => store.load(key).await,
            Self::Redis(store) => store.load(key).await,
        }
    }

    async fn save(
        &self,
        state: SessionState,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, SaveError> {
        match self {
            Self::Sql(store) => store.save(state, ttl).await,
            Self::Redis(store) => store.save(state, ttl).await,
        }
    }

    async fn update(
        &self,
        key: SessionKey,
        state: SessionState,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        match self {
            Self::Sql(store) => store.update(key, state, ttl).await,
            Self::Redis(store) => store.update(key, state, ttl).await,
        }
    }

    async fn update_ttl(
        &self,
        key: &SessionKey,
        ttl: &CookieDuration,
    ) -> Result<(), anyhow::Error> {
        match self {
            Self::Sql(store) => store.update_ttl(key, ttl).await,
            Self::Redis(store) => store.update_ttl(key, ttl).await,
        }
    }

    async fn delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        match self {
            Self::Sql(store) => store.delete(key).await,
            Self::Redis(store) => store.delete(key).await,
        }
    }
}
