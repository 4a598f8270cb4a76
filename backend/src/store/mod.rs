//! Persistence: one small interface over sqlx, an embedded SQLite file by default or
//! PostgreSQL when `DATABASE_URL` names one, with one set of portable migrations.

mod accounts;
pub mod api_keys;
mod crypto;
mod data_version;
mod documents;
mod events;
mod hot;
mod operations;
mod profiles;
mod quarantine;
mod rate_budget;
mod removals;
mod rings;
mod sessions;
mod sync_runs;
mod webhook_activity;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor as _};

pub use accounts::{NewTokens, StoredTokens, User};
pub use crypto::TokenCipher;
pub use documents::{
    DailyRecord, HeartRateReading, MainSleep, Measures, RawDocument, SleepPeriodRecord,
    StageSeconds, StoredDay, WithRaw,
};
pub use events::{EventRecord, StoredEvent};
pub use operations::OperationalFigures;
pub use quarantine::{SetAside, Unreadable};
pub use rate_budget::BudgetUse;
pub use rings::{BatteryReading, RingRecord};
pub use sessions::{SESSION_USER_KEY, STORE_UNAVAILABLE_KEY, SessionBackend, SqlSessionStore};
pub use sync_runs::{CollectionProgress, SyncRun};

/// The app's database handle: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Store {
    /// Every read, and on PostgreSQL every write too.
    pool: AnyPool,
    /// Where writes go. On SQLite it is one connection of its own: SQLite lets one writer
    /// in at a time, and its busy handler retries by sleeping, so under a first sync's
    /// stream of page commits a request's write could wait out `busy_timeout` and fail.
    /// The pool's queue is first come, first served, so every write gets its turn.
    writer: AnyPool,
    /// SQLite rather than PostgreSQL, for the few statements that differ.
    is_sqlite: bool,
    cipher: TokenCipher,
    /// The rows every request reads, in memory, when this process is the database's only
    /// user (SQLite).
    hot: Option<Arc<hot::HotRows>>,
}

impl Store {
    /// Connects (creating a SQLite file if needed) and brings the schema up to date.
    pub async fn connect(database_url: &str, cipher: TokenCipher) -> anyhow::Result<Self> {
        install_default_drivers();
        let is_sqlite = database_url.starts_with("sqlite:");
        let url = if is_sqlite && !database_url.contains("mode=") {
            let separator = if database_url.contains('?') { '&' } else { '?' };
            format!("{database_url}{separator}mode=rwc")
        } else {
            database_url.to_owned()
        };
        let pool = pool_options(is_sqlite)
            .max_connections(if is_sqlite { 4 } else { 10 })
            // A database that does not answer fails requests fast (503), not after 30 s.
            .acquire_timeout(Duration::from_secs(3))
            .connect(&url)
            .await
            .with_context(|| connect_failed(database_url))?;
        let writer = if is_sqlite {
            pool_options(is_sqlite)
                .max_connections(1)
                // Waiting here is waiting in line behind other writes, each a short
                // transaction; longer than a read may wait for a connection.
                .acquire_timeout(Duration::from_secs(15))
                .connect(&url)
                .await
                .with_context(|| connect_failed(database_url))?
        } else {
            pool.clone()
        };
        sqlx::migrate!("./migrations")
            .run(&writer)
            .await
            .context("Failed to migrate the database")?;
        Ok(Self {
            pool,
            writer,
            is_sqlite,
            cipher,
            hot: is_sqlite.then(|| Arc::new(hot::HotRows::new())),
        })
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> anyhow::Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// The connection pool, for tests that arrange the database by hand.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Where writes go: on SQLite a single connection that writers queue for in turn.
    pub(crate) fn writer(&self) -> &AnyPool {
        &self.writer
    }
}

fn pool_options(is_sqlite: bool) -> AnyPoolOptions {
    AnyPoolOptions::new().after_connect(move |connection, _| {
        Box::pin(async move {
            if is_sqlite {
                // Readers do not wait for the writer; a writer from another process (a
                // second tool on the same file) is waited for instead of failing.
                connection.execute("PRAGMA journal_mode = WAL").await?;
                connection.execute("PRAGMA busy_timeout = 5000").await?;
                connection.execute("PRAGMA foreign_keys = ON").await?;
            }
            Ok(())
        })
    })
}

fn connect_failed(database_url: &str) -> String {
    format!(
        "Failed to connect to the database at {}",
        redact(database_url)
    )
}

/// How secrets and ids that must not be stored as they are (API keys, session ids, login
/// states) are stored: their SHA-256, in lowercase hex.
pub(crate) fn sha256_hex(text: &str) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Seconds since the Unix epoch, the one time format in the database.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Milliseconds since the Unix epoch, for sign-in times that must order within a second.
pub fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A database URL fit for a log line: any password replaced.
pub fn redact(database_url: &str) -> String {
    match url::Url::parse(database_url) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        _ => database_url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn on_sqlite_a_write_waits_its_turn_instead_of_failing_behind_a_long_one() {
        let file = std::env::temp_dir().join(format!("writer-queue-{}.db", std::process::id()));
        let url = format!("sqlite:{}", file.display());
        let store = Store::connect(&url, TokenCipher::derive(b"test"))
            .await
            .unwrap();
        // A write that holds SQLite's lock longer than its busy timeout (5 s): a second
        // connection that tried to write meanwhile would give up with "database is locked".
        let mut long_write = store.writer().begin().await.unwrap();
        sqlx::query("INSERT INTO redeemed_logins (state_sha256, redeemed_at) VALUES ('x', 0)")
            .execute(&mut *long_write)
            .await
            .unwrap();
        let finish_later = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(6)).await;
            long_write.commit().await.unwrap();
        });

        let claimed = store.claim_login("state", 600).await;

        finish_later.await.unwrap();
        assert!(
            claimed.unwrap(),
            "the write went in once the long one was done"
        );
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
    }
}
