//! When Oura last announced a change to each collection.

use anyhow::Context as _;

use super::Store;

impl Store {
    /// An event for `collection` arrived at `at` (Unix seconds); an earlier time never
    /// replaces a later one.
    pub async fn record_webhook_event(&self, collection: &str, at: i64) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO webhook_activity (collection, last_event_at) VALUES ($1, $2) \
             ON CONFLICT (collection) DO UPDATE SET last_event_at = excluded.last_event_at \
             WHERE webhook_activity.last_event_at < excluded.last_event_at",
        )
        .bind(collection)
        .bind(at)
        .execute(&self.writer)
        .await
        .context("Failed to record a webhook event")?;
        Ok(())
    }

    /// Each collection Oura announced a change to, and when it last did.
    pub async fn webhook_activity(&self) -> anyhow::Result<Vec<(String, i64)>> {
        sqlx::query_as("SELECT collection, last_event_at FROM webhook_activity")
            .fetch_all(&self.pool)
            .await
            .context("Failed to read the webhook activity")
    }
}
