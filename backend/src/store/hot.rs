//! [`HotRows`]: the rows every signed-in request reads (its session or API key, its user's
//! row with the data version), kept in memory when this process is the only one using the database: an
//! SQLite file belongs to one running instance, PostgreSQL is shared by many and gets no such
//! copy. Every change this process makes drops the copy it touches, so a read needs no query
//! and never sees what was changed: a logout or a sync is seen at once.
//!
//! A copy is filled only if nothing was dropped while its row was being read (an epoch
//! counter), so a read racing a logout cannot put the ended session back. And no copy lives
//! longer than two seconds: should two instances ever share one SQLite file after all, a
//! logout on one holds on the other within that time.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use moka::sync::Cache;

use super::User;
use crate::domain::UserId;

/// The most bytes of rows kept, sessions and users together.
const CAPACITY_BYTES: u64 = 32 * 1024 * 1024;

/// How long a copy is used before the row is read again.
const TIME_TO_LIVE: Duration = Duration::from_secs(2);

/// A user's row: who, since when their sessions count, and their data version.
#[derive(Clone, sqlx::FromRow)]
pub(super) struct UserRow {
    #[sqlx(flatten)]
    pub user: User,
    pub data_version: i64,
}

/// A session's state as stored (JSON), whose it is, and until when (Unix seconds).
#[derive(Clone)]
pub(super) struct SessionRow {
    pub state: Arc<str>,
    pub user_id: Option<String>,
    pub expires_at: i64,
}

/// A live API key: whose it is, its secret's hash, and when it was last used (Unix seconds).
#[derive(Clone)]
pub(super) struct KeyRow {
    pub user_id: UserId,
    pub secret_hash: Arc<str>,
    pub last_used_at: Option<i64>,
}

/// When a fill was read: it goes in only if nothing was dropped since.
#[derive(Clone, Copy)]
pub(super) struct Epoch(u64);

pub(super) struct HotRows {
    users: Cache<UserId, UserRow>,
    sessions: Cache<String, SessionRow>,
    keys: Cache<String, KeyRow>,
    epoch: AtomicU64,
}

impl HotRows {
    pub fn new() -> Self {
        Self {
            users: Cache::builder()
                .max_capacity(CAPACITY_BYTES / 8)
                .time_to_live(TIME_TO_LIVE)
                .weigher(|id: &UserId, _: &UserRow| weight(id.as_str().len() * 2 + 64))
                .build(),
            sessions: Cache::builder()
                .max_capacity(CAPACITY_BYTES)
                .time_to_live(TIME_TO_LIVE)
                .weigher(|hash: &String, row: &SessionRow| {
                    weight(
                        hash.len() + row.state.len() + row.user_id.as_ref().map_or(0, String::len),
                    )
                })
                .support_invalidation_closures()
                .build(),
            keys: Cache::builder()
                .max_capacity(CAPACITY_BYTES / 8)
                .time_to_live(TIME_TO_LIVE)
                .weigher(|id: &String, row: &KeyRow| {
                    weight(id.len() + row.user_id.as_str().len() + row.secret_hash.len() + 16)
                })
                .support_invalidation_closures()
                .build(),
            epoch: AtomicU64::new(0),
        }
    }

    /// Read before the query whose result may be kept.
    pub fn epoch(&self) -> Epoch {
        Epoch(self.epoch.load(Ordering::SeqCst))
    }

    fn unchanged_since(&self, epoch: Epoch) -> bool {
        self.epoch.load(Ordering::SeqCst) == epoch.0
    }

    fn changed(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
    }

    pub fn user(&self, user_id: &UserId) -> Option<UserRow> {
        self.users.get(user_id)
    }

    pub fn keep_user(&self, row: UserRow, read_at: Epoch) {
        if self.unchanged_since(read_at) {
            self.users.insert(row.user.id.clone(), row);
        }
    }

    /// The user's row changed (or went).
    pub fn forget_user(&self, user_id: &UserId) {
        self.changed();
        self.users.invalidate(user_id);
    }

    /// The session with id hash `hash`, if kept and not expired at `now`.
    pub fn session(&self, hash: &str, now: i64) -> Option<SessionRow> {
        self.sessions.get(hash).filter(|row| row.expires_at > now)
    }

    pub fn keep_session(&self, hash: String, row: SessionRow, read_at: Epoch) {
        if self.unchanged_since(read_at) {
            self.sessions.insert(hash, row);
        }
    }

    /// The session changed (or went).
    pub fn forget_session(&self, hash: &str) {
        self.changed();
        self.sessions.invalidate(hash);
    }

    /// The API key with id `id`, if kept.
    pub fn key(&self, id: &str) -> Option<KeyRow> {
        self.keys.get(id)
    }

    pub fn keep_key(&self, id: &str, row: KeyRow, read_at: Epoch) {
        if self.unchanged_since(read_at) {
            self.keys.insert(id.to_owned(), row);
        }
    }

    /// The key was revoked.
    pub fn forget_key(&self, id: &str) {
        self.changed();
        self.keys.invalidate(id);
    }

    /// Every key of the user went.
    pub fn forget_keys_of(&self, user_id: &UserId) {
        self.changed();
        let user_id = user_id.clone();
        // Only fails when closures are not enabled, which the builder does.
        let _ = self
            .keys
            .invalidate_entries_if(move |_, row| row.user_id == user_id);
    }

    /// Every session of the user went.
    pub fn forget_sessions_of(&self, user_id: &UserId) {
        self.changed();
        let user_id = user_id.as_str().to_owned();
        // Only fails when closures are not enabled, which the builder does.
        let _ = self
            .sessions
            .invalidate_entries_if(move |_, row| row.user_id.as_deref() == Some(&user_id));
    }
}

fn weight(bytes: usize) -> u32 {
    u32::try_from(bytes).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, version: i64) -> UserRow {
        UserRow {
            user: User {
                id: UserId::new(id),
                created_at: 0,
                sessions_valid_after: 0,
            },
            data_version: version,
        }
    }

    fn session(user_id: &str, expires_at: i64) -> SessionRow {
        SessionRow {
            state: Arc::from("{}"),
            user_id: Some(user_id.to_owned()),
            expires_at,
        }
    }

    #[test]
    fn a_fill_read_before_a_change_is_not_kept() {
        let hot = HotRows::new();
        let read_at = hot.epoch();
        hot.forget_session("abc");

        hot.keep_session("abc".into(), session("alice", 100), read_at);
        hot.keep_user(user("alice", 1), read_at);

        assert!(hot.session("abc", 0).is_none());
        assert!(hot.user(&UserId::new("alice")).is_none());
    }

    #[test]
    fn kept_rows_are_served_until_forgotten_or_expired() {
        let hot = HotRows::new();
        hot.keep_session("abc".into(), session("alice", 100), hot.epoch());
        hot.keep_session("def".into(), session("bob", 100), hot.epoch());
        hot.keep_user(user("alice", 3), hot.epoch());

        assert!(hot.session("abc", 99).is_some());
        assert!(hot.session("abc", 100).is_none(), "expired");
        assert_eq!(hot.user(&UserId::new("alice")).unwrap().data_version, 3);

        hot.forget_sessions_of(&UserId::new("alice"));
        hot.forget_user(&UserId::new("alice"));

        assert!(hot.session("abc", 0).is_none());
        assert!(hot.session("def", 0).is_some(), "another user's session");
        assert!(hot.user(&UserId::new("alice")).is_none());
    }
}
