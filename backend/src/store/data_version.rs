//! The data version: how many times data was stored for a user. A cached answer made from an
//! older version is stale, whichever instance stored the newer data.

use anyhow::Context as _;

use super::Store;
use crate::domain::UserId;

impl Store {
    /// The user's data version (0 for an unknown user).
    pub async fn data_version(&self, user_id: &UserId) -> anyhow::Result<i64> {
        Ok(self
            .user_row(user_id)
            .await
            .context("Failed to read the data version")?
            .map_or(0, |row| row.data_version))
    }

    /// Ends a page's transaction: the user's data version goes up with the data, in one
    /// commit, so no cached answer outlives what it was made from.
    pub(super) async fn commit_page(
        &self,
        mut tx: sqlx::Transaction<'_, sqlx::Any>,
        user_id: &UserId,
    ) -> anyhow::Result<()> {
        sqlx::query("UPDATE users SET data_version = data_version + 1 WHERE id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .context("Failed to bump the data version")?;
        tx.commit().await?;
        self.forget_user(user_id);
        Ok(())
    }
}
