//! The app-wide budget of Oura requests, counted per time slice for the app and each user.

use anyhow::Context as _;

use super::{Store, now};
use crate::domain::UserId;

/// The holder of the app's own count (a user's id is never empty).
const APP: &str = "";

/// Requests a holder counted from a slice on.
const USED_SINCE: &str = "SELECT CAST(COALESCE(SUM(used), 0) AS BIGINT) FROM rate_budget \
                          WHERE holder = $1 AND slice >= $2";

/// Requests counted in the slices a decision looks back over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetUse {
    /// By every user together.
    pub app: i64,
    /// By the user asking.
    pub user: i64,
    /// People who made any, counting the one asking.
    pub people: i64,
}

impl Store {
    /// Takes for `user_id` as many requests in `slice` as `grant` allows, given what was used
    /// from slice `since` on, and returns how many (0: none now). Takers go one at a time, on
    /// every instance, so the counts a decision reads are the counts it adds to.
    pub async fn take_rate_budget(
        &self,
        user_id: &UserId,
        slice: i64,
        since: i64,
        grant: impl FnOnce(BudgetUse) -> i64,
    ) -> anyhow::Result<i64> {
        let mut tx = self.writer.begin().await?;
        sqlx::query("UPDATE rate_budget_turn SET taken_at = $1 WHERE id = 1")
            .bind(now())
            .execute(&mut *tx)
            .await
            .context("Failed to take a turn at the rate budget")?;
        let mut used = [0; 2];
        for (holder, used) in [APP, user_id.as_str()].into_iter().zip(&mut used) {
            *used = sqlx::query_scalar(USED_SINCE)
                .bind(holder)
                .bind(since)
                .fetch_one(&mut *tx)
                .await
                .context("Failed to read the rate budget")?;
        }
        let others: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT holder) FROM rate_budget \
             WHERE slice >= $1 AND holder <> $2 AND holder <> $3",
        )
        .bind(since)
        .bind(APP)
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await
        .context("Failed to read the rate budget")?;
        let granted = grant(BudgetUse {
            app: used[0],
            user: used[1],
            people: others + 1,
        })
        .max(0);
        if granted > 0 {
            for holder in [APP, user_id.as_str()] {
                sqlx::query(
                    "INSERT INTO rate_budget (holder, slice, used) VALUES ($1, $2, $3) \
                     ON CONFLICT (holder, slice) DO UPDATE SET used = rate_budget.used + excluded.used",
                )
                .bind(holder)
                .bind(slice)
                .bind(granted)
                .execute(&mut *tx)
                .await
                .context("Failed to count against the rate budget")?;
            }
        }
        sqlx::query("DELETE FROM rate_budget WHERE slice < $1")
            .bind(since)
            .execute(&mut *tx)
            .await
            .context("Failed to forget old rate budget counts")?;
        tx.commit().await?;
        Ok(granted)
    }

    /// Requests the whole app counted from slice `since` on.
    pub async fn rate_budget_used(&self, since: i64) -> anyhow::Result<i64> {
        sqlx::query_scalar(USED_SINCE)
            .bind(APP)
            .bind(since)
            .fetch_one(&self.pool)
            .await
            .context("Failed to read the rate budget")
    }
}
