//! Documents Oura says were deleted (a webhook `delete` event names one by its id).

use anyhow::Context as _;

use super::Store;
use crate::domain::UserId;
use crate::oura::Collection;

impl Store {
    /// Removes the document `document_id` of `collection` (its samples go with a sleep
    /// period); whether there was one. Heart rate and the battery have no documents to name.
    pub async fn remove_document(
        &self,
        user_id: &UserId,
        collection: Collection,
        document_id: &str,
    ) -> anyhow::Result<bool> {
        let (sql, with_collection) = match collection {
            Collection::SleepPeriods => (
                "DELETE FROM sleep_periods WHERE user_id = $1 AND document_id = $2",
                false,
            ),
            Collection::Workouts
            | Collection::Sessions
            | Collection::Tags
            | Collection::RestMode => (
                "DELETE FROM events WHERE user_id = $1 AND document_id = $2 AND collection = $3",
                true,
            ),
            Collection::Rings => (
                "DELETE FROM rings WHERE user_id = $1 AND document_id = $2",
                false,
            ),
            Collection::HeartRate | Collection::Battery => return Ok(false),
            _ => (
                "DELETE FROM daily_documents WHERE user_id = $1 AND document_id = $2 AND collection = $3",
                true,
            ),
        };
        let mut tx = self.writer.begin().await?;
        let mut query = sqlx::query(sql).bind(user_id).bind(document_id);
        if with_collection {
            query = query.bind(collection.name());
        }
        let removed = query
            .execute(&mut *tx)
            .await
            .context("Failed to remove a document")?
            .rows_affected()
            > 0;
        self.commit_page(tx, user_id).await?;
        Ok(removed)
    }
}
