//! The profile as Oura last sent it (raw), and when.

use anyhow::Context as _;

use super::{Store, now};
use crate::domain::UserId;

impl Store {
    /// Keeps `document` as `user_id`'s profile, fetched now. It is data like the rest: the
    /// data version goes up with it, so cached answers and ETags follow.
    pub async fn save_profile(&self, user_id: &UserId, document: &str) -> anyhow::Result<()> {
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO profiles (user_id, document, fetched_at) VALUES ($1, $2, $3)
             ON CONFLICT (user_id) DO UPDATE
             SET document = excluded.document, fetched_at = excluded.fetched_at",
        )
        .bind(user_id)
        .bind(document)
        .bind(now())
        .execute(&mut *tx)
        .await
        .context("Failed to store the profile")?;
        self.commit_page(tx, user_id).await
    }

    /// `user_id`'s stored profile document, as Oura sent it, if one was fetched.
    pub async fn profile(&self, user_id: &UserId) -> anyhow::Result<Option<String>> {
        sqlx::query_scalar("SELECT document FROM profiles WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await
            .context("Failed to read the profile")
    }
}
