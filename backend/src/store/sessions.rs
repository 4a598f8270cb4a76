//! Server-side session storage: in the SQL store, or in Redis when `REDIS_URL` is set. The
//! cookie carries only the session id; the SQL store keeps just its SHA-256 hash, so a copy of
//! the database does not let anyone take over a session.

use std::collections::HashMap;
use std::sync::Arc;

use actix_session::storage::{
    LoadError, RedisSessionStore, SaveError, SessionKey, SessionStore, UpdateError,
    generate_session_key,
};
use actix_web::cookie::time::Duration as CookieDuration;
use anyhow::Context as _;
use serde::Deserialize;

use super::{Store, hot, now, sha256_hex};

type SessionState = HashMap<String, String>;

/// The session entry that names the signed-in user. The SQL store indexes it, so that all of
/// a user's sessions can be ended at once; the auth module writes it.
pub const SESSION_USER_KEY: &str = "user";

/// Set in the state of a session that could not be loaded because its store did not answer:
/// the request then gets 503, and nothing is written back.
pub const STORE_UNAVAILABLE_KEY: &str = "__store_unavailable";

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
        .execute(self.store.writer())
        .await
        .context("Failed to save the session")?;
        self.forget(key);
        Ok(())
    }

    /// This process changed the session: a kept copy is stale.
    fn forget(&self, key: &SessionKey) {
        if let Some(hot) = &self.store.hot {
            hot.forget_session(&hash(key));
        }
    }
}

/// A session row as read.
#[derive(sqlx::FromRow)]
struct SessionRow {
    state: String,
    user_id: Option<String>,
    expires_at: i64,
}

fn hash(key: &SessionKey) -> String {
    sha256_hex(key.as_ref())
}

/// The signed-in user's id, kept in its own column so that all of a user's sessions can be
/// ended at once.
fn user_id_of(state: &SessionState) -> Option<String> {
    let user: IndexedUser = serde_json::from_str(state.get(SESSION_USER_KEY)?).ok()?;
    Some(user.user_id)
}

impl SessionStore for SqlSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<SessionState>, LoadError> {
        let (id_hash, now) = (hash(key), now());
        let hot = self.store.hot.as_ref();
        let json: Arc<str> = match hot.and_then(|hot| hot.session(&id_hash, now)) {
            Some(kept) => kept.state,
            None => {
                let read_at = hot.map(|hot| hot.epoch());
                let row: Option<SessionRow> = sqlx::query_as(
                    "SELECT state, user_id, expires_at FROM sessions \
                     WHERE id_hash = $1 AND expires_at > $2",
                )
                .bind(&id_hash)
                .bind(now)
                .fetch_optional(self.store.pool())
                .await
                .map_err(|e| LoadError::Other(e.into()))?;
                let Some(row) = row else { return Ok(None) };
                let state: Arc<str> = Arc::from(row.state);
                if let (Some(hot), Some(read_at)) = (hot, read_at) {
                    let kept = hot::SessionRow {
                        state: Arc::clone(&state),
                        user_id: row.user_id,
                        expires_at: row.expires_at,
                    };
                    hot.keep_session(id_hash, kept, read_at);
                }
                state
            }
        };
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
            .execute(self.store.writer())
            .await;
        Ok(key)
    }

    async fn update(
        &self,
        key: SessionKey,
        state: SessionState,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        // One statement, so a logout between reading and writing cannot be undone by it.
        let json =
            serde_json::to_string(&state).map_err(|e| UpdateError::Serialization(e.into()))?;
        let updated = sqlx::query(
            "UPDATE sessions SET user_id = $1, state = $2, expires_at = $3 WHERE id_hash = $4 AND expires_at > $5",
        )
        .bind(user_id_of(&state))
        .bind(json)
        .bind(now() + ttl.whole_seconds())
        .bind(hash(&key))
        .bind(now())
        .execute(self.store.writer())
        .await
        .map_err(|e| UpdateError::Other(e.into()))?;
        self.forget(&key);
        if updated.rows_affected() == 1 {
            return Ok(key);
        }
        if user_id_of(&state).is_some() {
            // A signed-in session that ended meanwhile (logout, expiry) is not brought back
            // under any id: the cookie keeps pointing at nothing.
            return Ok(key);
        }
        // A visitor's pending login whose row expired: kept under a new id.
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
        sqlx::query("UPDATE sessions SET expires_at = $1 WHERE id_hash = $2")
            .bind(now() + ttl.whole_seconds())
            .bind(hash(key))
            .execute(self.store.writer())
            .await?;
        self.forget(key);
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(hash(key))
            .execute(self.store.writer())
            .await?;
        self.forget(key);
        Ok(())
    }
}

/// Where sessions live, and the rules every store follows: a visitor's session (only logins
/// in progress) lives no longer than a login may take, and a signed-in session that ended is
/// never written back. The one type the session middleware is built with.
#[derive(Clone)]
pub struct SessionBackend {
    storage: Storage,
    pending_login_ttl: CookieDuration,
}

#[derive(Clone)]
enum Storage {
    Sql(SqlSessionStore),
    Redis(RedisSessionStore),
}

impl SessionBackend {
    /// Sessions in the database; a visitor's lives `pending_login_ttl` at most.
    pub fn sql(store: SqlSessionStore, pending_login_ttl: CookieDuration) -> Self {
        Self {
            storage: Storage::Sql(store),
            pending_login_ttl,
        }
    }

    /// Sessions in Redis; a visitor's lives `pending_login_ttl` at most.
    pub fn redis(store: RedisSessionStore, pending_login_ttl: CookieDuration) -> Self {
        Self {
            storage: Storage::Redis(store),
            pending_login_ttl,
        }
    }

    /// The lifetime of a session with `state`: a visitor's ends with the login it waits for.
    fn ttl(&self, state: &SessionState, ttl: &CookieDuration) -> CookieDuration {
        if user_id_of(state).is_some() {
            *ttl
        } else {
            (*ttl).min(self.pending_login_ttl)
        }
    }
}

fn unavailable(state: &SessionState) -> bool {
    state.contains_key(STORE_UNAVAILABLE_KEY)
}

/// How long a session store may take to answer: Redis's client would otherwise wait out its
/// reconnection attempts while the request hangs.
const STORE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// `operation`, or an error once [`STORE_TIMEOUT`] has passed.
async fn in_time<T, E>(
    operation: impl Future<Output = Result<T, E>>,
    error: impl FnOnce(anyhow::Error) -> E,
) -> Result<T, E> {
    tokio::time::timeout(STORE_TIMEOUT, operation)
        .await
        .unwrap_or_else(|_| {
            Err(error(anyhow::anyhow!(
                "the session store did not answer in time"
            )))
        })
}

impl SessionStore for SessionBackend {
    async fn load(&self, key: &SessionKey) -> Result<Option<SessionState>, LoadError> {
        let loaded = match &self.storage {
            Storage::Sql(store) => store.load(key).await,
            Storage::Redis(store) => in_time(store.load(key), LoadError::Other).await,
        };
        match loaded {
            // actix-session would answer an empty 500: the request is told 503 instead.
            Err(LoadError::Other(error)) => {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "the session store does not answer"
                );
                Ok(Some(
                    [(STORE_UNAVAILABLE_KEY.to_owned(), "true".to_owned())].into(),
                ))
            }
            other => other,
        }
    }

    async fn save(
        &self,
        state: SessionState,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, SaveError> {
        let ttl = self.ttl(&state, ttl);
        match &self.storage {
            Storage::Sql(store) => store.save(state, &ttl).await,
            Storage::Redis(store) => in_time(store.save(state, &ttl), SaveError::Other).await,
        }
    }

    async fn update(
        &self,
        key: SessionKey,
        state: SessionState,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        if unavailable(&state) {
            return Ok(key);
        }
        let ttl = self.ttl(&state, ttl);
        match &self.storage {
            Storage::Sql(store) => store.update(key, state, &ttl).await,
            Storage::Redis(store) => {
                // Redis's store would write a missing session back under a new id.
                let ended = in_time(store.load(&key), LoadError::Other)
                    .await
                    .map_err(|e| UpdateError::Other(e.into()))?
                    .is_none();
                if ended && user_id_of(&state).is_some() {
                    return Ok(key);
                }
                in_time(store.update(key, state, &ttl), UpdateError::Other).await
            }
        }
    }

    async fn update_ttl(
        &self,
        key: &SessionKey,
        ttl: &CookieDuration,
    ) -> Result<(), anyhow::Error> {
        let extended = match &self.storage {
            Storage::Sql(store) => store.update_ttl(key, ttl).await,
            Storage::Redis(store) => in_time(store.update_ttl(key, ttl), |e| e).await,
        };
        // Best effort: a session not extended this once is extended by the next request.
        if let Err(error) = extended {
            tracing::warn!(
                error = format!("{error:#}"),
                "a session could not be extended"
            );
        }
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        match &self.storage {
            Storage::Sql(store) => store.delete(key).await,
            Storage::Redis(store) => in_time(store.delete(key), |e| e).await,
        }
    }
}
