//! The figures an operator watches, read across every user (for `/metrics`).

use anyhow::Context as _;
use time::{Date, OffsetDateTime};

use super::{Store, now};

/// The whole app's state, as of one scrape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationalFigures {
    /// Accounts with Oura tokens.
    pub users: i64,
    /// Signed-in sessions not yet expired, in the database.
    pub sessions: i64,
    /// Syncs holding a live lease.
    pub syncs_running: i64,
    /// Documents set aside as unusable.
    pub quarantined_documents: i64,
    /// Per collection: days from today (UTC) back to where its least synced user stands.
    pub sync_lag_days: Vec<(String, i64)>,
}

impl Store {
    /// Counts across every user; a handful of aggregate queries.
    pub async fn operational_figures(&self) -> anyhow::Result<OperationalFigures> {
        let oldest: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT collection, MIN(synced_through) FROM sync_progress \
             WHERE synced_through IS NOT NULL GROUP BY collection ORDER BY collection",
        )
        .fetch_all(&self.pool)
        .await
        .context("Failed to read how far collections are synced")?;
        let today = OffsetDateTime::now_utc().date();
        Ok(OperationalFigures {
            users: self.count("SELECT COUNT(*) FROM oura_tokens", None).await?,
            sessions: self
                .count(
                    "SELECT COUNT(*) FROM sessions WHERE expires_at > $1 AND user_id IS NOT NULL",
                    Some(now()),
                )
                .await?,
            syncs_running: self
                .count(
                    "SELECT COUNT(*) FROM sync_runs WHERE status = 'running' AND lease_until > $1",
                    Some(now()),
                )
                .await?,
            quarantined_documents: self
                .count("SELECT COUNT(*) FROM quarantined_documents", None)
                .await?,
            sync_lag_days: oldest
                .into_iter()
                .filter_map(|(collection, day)| {
                    let day = super::documents::stored_day(&day?).ok()?;
                    Some((collection, lag_days(today, day)))
                })
                .collect(),
        })
    }
}

impl Store {
    /// `SELECT COUNT(*) ...`, with `$1` bound to `now` where the query compares with it.
    async fn count(&self, sql: &'static str, now: Option<i64>) -> anyhow::Result<i64> {
        let mut query = sqlx::query_scalar::<_, i64>(sql);
        if let Some(now) = now {
            query = query.bind(now);
        }
        query
            .fetch_one(&self.pool)
            .await
            .with_context(|| format!("Failed to count: {sql}"))
    }
}

fn lag_days(today: Date, synced_through: Date) -> i64 {
    (today - synced_through).whole_days().max(0)
}
