//! [`RateBudget`]: one budget of Oura requests for the whole app, shared fairly.
//!
//! Oura limits requests per access token and per application (5000 per 5 minutes, documented
//! as two layers). Every request for a person's data takes its turn here first, counted in the
//! store, so every run of every user on every instance draws on the same budget. The window is
//! cut into ten slices and a decision looks back over eleven: any span of one window lies
//! within them, so the limit holds whenever Oura's own window starts.

use std::collections::HashMap;
use std::time::Duration;

mod redis_ledger;

use crate::domain::UserId;
use crate::store::{BudgetUse, Store, now_millis};

/// Slices per rate window.
const SLICES_PER_WINDOW: i64 = 10;
/// The most requests taken from the store at once: a run asking for many takes one
/// transaction per ten requests, not per request.
const MAX_BLOCK: i64 = 10;

/// Oura's two limits, as this app keeps under them.
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    /// Requests per window by every user together.
    pub per_app: i64,
    /// Requests per window with one person's token.
    pub per_user: i64,
    /// The span both limits count over (Oura: 5 minutes).
    pub window: Duration,
}

impl RateLimits {
    /// How many of `wanted` requests a person may make now: within the app's budget, and
    /// within their fair share of it (the budget split evenly between the people using it, up
    /// to the per-token limit). While half of the app's budget is unused, anyone may go past
    /// their share: a lone backfill is not held back, and it still cannot take the half that
    /// everyone else's morning updates draw on.
    pub fn grant(&self, used: BudgetUse, wanted: i64) -> i64 {
        let fair_share = self.per_app / used.people.max(1);
        let share = if used.app < self.per_app / 2 {
            self.per_user
        } else {
            fair_share.min(self.per_user)
        };
        wanted
            .min(share - used.user)
            .min(self.per_app - used.app)
            .max(0)
    }

    fn slice_millis(&self) -> i64 {
        let window = i64::try_from(self.window.as_millis()).unwrap_or(i64::MAX);
        (window / SLICES_PER_WINDOW).max(1)
    }
}

/// The app's request budget; one per process.
pub struct RateBudget {
    ledger: Ledger,
    limits: RateLimits,
    /// Requests taken from the store for a user in one slice and not made yet. They are
    /// counted in that slice, so they are used in it or not at all.
    taken: tokio::sync::Mutex<HashMap<UserId, Taken>>,
}

struct Taken {
    slice: i64,
    /// How many were taken.
    block: i64,
    left: i64,
}

impl Taken {
    /// How many to take next, in `slice`: twice as many as last time when those were all
    /// used in this slice or the one before (a run under way), else one. Requests taken and
    /// not made count against the budget all the same, so someone asking now and then (a
    /// webhook's document) takes one at a time.
    fn next_block(previous: Option<&Self>, slice: i64) -> i64 {
        match previous {
            Some(last) if last.left == 0 && last.slice >= slice - 1 => {
                (last.block * 2).min(MAX_BLOCK)
            }
            _ => 1,
        }
    }
}

/// Where the counts live, shared by every instance.
enum Ledger {
    Database(Store),
    /// With `REDIS_URL`: Redis, which every instance reaches anyway for the sessions. Keys
    /// start with the prefix: one per Oura application, as Oura's limit is.
    Redis(deadpool_redis::Pool, String),
}

impl RateBudget {
    /// A budget kept in `store`, shared with every instance using it.
    pub fn new(store: Store, limits: RateLimits) -> Self {
        Self {
            ledger: Ledger::Database(store),
            limits,
            taken: tokio::sync::Mutex::default(),
        }
    }

    /// The same budget, kept in Redis instead, for the Oura application `client_id`.
    pub fn in_redis(self, pool: deadpool_redis::Pool, client_id: &str) -> Self {
        Self {
            ledger: Ledger::Redis(pool, format!("oura-dashboard:budget:{client_id}")),
            ..self
        }
    }

    /// Takes up to `block` requests for `user_id` in `slice`; how many it got.
    async fn take(&self, user_id: &UserId, slice: i64, block: i64) -> anyhow::Result<i64> {
        let since = slice - SLICES_PER_WINDOW;
        let grant = |used| self.limits.grant(used, block);
        match &self.ledger {
            Ledger::Database(store) => store.take_rate_budget(user_id, slice, since, grant).await,
            Ledger::Redis(pool, prefix) => {
                let keep_secs = (SLICES_PER_WINDOW + 2) * self.limits.slice_millis() / 1000 + 1;
                redis_ledger::take(pool, prefix, user_id, slice, since, keep_secs, grant).await
            }
        }
    }

    /// Waits until one more request for `user_id` fits in the budget, and counts it.
    pub async fn wait_turn(&self, user_id: &UserId) -> anyhow::Result<()> {
        let slice_millis = self.limits.slice_millis();
        loop {
            let now = now_millis();
            let slice = now / slice_millis;
            {
                let mut taken = self.taken.lock().await;
                if let Some(left) = taken
                    .get_mut(user_id)
                    .filter(|t| t.slice == slice && t.left > 0)
                {
                    left.left -= 1;
                    return Ok(());
                }
                let block = Taken::next_block(taken.get(user_id), slice);
                let granted = self.take(user_id, slice, block).await?;
                if granted > 0 {
                    taken.retain(|_, t| t.slice >= slice - 1);
                    taken.insert(
                        user_id.clone(),
                        Taken {
                            slice,
                            block: granted,
                            left: granted - 1,
                        },
                    );
                    return Ok(());
                }
            }
            // Nothing left for now: at the next slice the oldest one leaves the view.
            let wait = (slice + 1) * slice_millis - now;
            tokio::time::sleep(Duration::from_millis(u64::try_from(wait).unwrap_or(1))).await;
        }
    }

    /// Requests counted in the last window, by every instance, and the app's limit.
    pub async fn used(&self) -> anyhow::Result<(i64, i64)> {
        let slice = now_millis() / self.limits.slice_millis();
        let since = slice - SLICES_PER_WINDOW;
        let used = match &self.ledger {
            Ledger::Database(store) => store.rate_budget_used(since).await?,
            Ledger::Redis(pool, prefix) => {
                redis_ledger::app_used(pool, prefix, since, slice).await?
            }
        };
        Ok((used, self.limits.per_app))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: RateLimits = RateLimits {
        per_app: 1000,
        per_user: 800,
        window: Duration::from_secs(300),
    };

    fn used(app: i64, user: i64, people: i64) -> BudgetUse {
        BudgetUse { app, user, people }
    }

    #[test]
    fn a_lone_user_may_use_up_to_the_per_token_limit() {
        assert_eq!(LIMITS.grant(used(0, 0, 1), 10), 10);
        assert_eq!(LIMITS.grant(used(795, 795, 1), 10), 5);
        assert_eq!(LIMITS.grant(used(800, 800, 1), 10), 0);
    }

    #[test]
    fn once_half_the_budget_is_used_a_heavy_user_is_held_to_a_fair_share() {
        // One backfill took 600 of 1000; a second person arrives: shares are 500 each.
        assert_eq!(LIMITS.grant(used(600, 600, 2), 10), 0, "the backfill waits");
        assert_eq!(
            LIMITS.grant(used(600, 0, 2), 10),
            10,
            "the newcomer does not"
        );
        // Below half, the backfill goes on beyond its share of two.
        assert_eq!(LIMITS.grant(used(450, 450, 2), 10), 10);
    }

    #[test]
    fn a_run_takes_ever_larger_blocks_and_a_single_request_takes_one() {
        let taken = |slice, block, left| Taken { slice, block, left };

        assert_eq!(Taken::next_block(None, 7), 1);
        assert_eq!(Taken::next_block(Some(&taken(7, 1, 0)), 7), 2);
        assert_eq!(Taken::next_block(Some(&taken(6, 4, 0)), 7), 8);
        assert_eq!(Taken::next_block(Some(&taken(7, 8, 0)), 7), MAX_BLOCK);
        assert_eq!(Taken::next_block(Some(&taken(5, 8, 0)), 7), 1, "a pause");
        assert_eq!(
            Taken::next_block(Some(&taken(6, 8, 3)), 7),
            1,
            "not all used"
        );
    }

    #[test]
    fn nobody_goes_past_the_app_budget() {
        assert_eq!(LIMITS.grant(used(996, 0, 200), 10), 4);
        assert_eq!(LIMITS.grant(used(1000, 0, 200), 10), 0);
        assert_eq!(LIMITS.grant(used(1200, 900, 2), 10), 0, "never negative");
    }
}
