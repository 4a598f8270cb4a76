//! Persistence: one small interface over sqlx, an embedded SQLite file by default or
//! PostgreSQL when `DATABASE_URL` names one, with one set of portable migrations.

mod accounts;
pub mod api_keys;
mod crypto;
mod data_version;
mod documents;
mod events;
mod hot;
mod profiles;
mod quarantine;
mod rings;
mod sessions;
mod sync_runs;

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

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
pub use quarantine::{SetAside, Unreadable};
pub use rings::{BatteryReading, RingRecord};
pub use sessions::{SESSION_USER_KEY, STORE_UNAVAILABLE_KEY, SessionBackend, SqlSessionStore};
pub use sync_runs::{CollectionProgress, SyncRun};

/// The app's database handle: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
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
        let pool = AnyPoolOptions::new()
            .max_connections(if is_sqlite { 4 } else { 10 })
            // A database that does not answer fails requests fast (503), not after 30 s.
            .acquire_timeout(std::time::Duration::from_secs(3))
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if is_sqlite {
                        // Readers do not wait for the writer; writers wait instead of failing.
                        connection.execute("PRAGMA journal_mode = WAL").await?;
                        connection.execute("PRAGMA busy_timeout = 5000").await?;
                        connection.execute("PRAGMA foreign_keys = ON").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .with_context(|| {
                format!(
                    "Failed to connect to the database at {}",
                    redact(database_url)
                )
            })?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .context("Failed to migrate the database")?;
        Ok(Self {
            pool,
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
