//! The rate budget's counts in Redis, for apps that keep their sessions there: per slice, the
//! app's and each person's, and who used any lately. A take watches what it reads, and its
//! writes go in only if nobody else's came in between (or it reads again).

use deadpool_redis::Pool;
use redis::AsyncCommands as _;

use crate::domain::UserId;
use crate::store::BudgetUse;

/// Reads again at most this often when other takers keep coming in between.
const ATTEMPTS: usize = 16;

/// Takes for `user_id` as many requests in `slice` as `grant` allows, given what was used
/// from slice `since` on; counts expire after `keep_secs`.
pub(super) async fn take(
    pool: &Pool,
    prefix: &str,
    user_id: &UserId,
    slice: i64,
    since: i64,
    keep_secs: i64,
    grant: impl Fn(BudgetUse) -> i64,
) -> anyhow::Result<i64> {
    let app_keys: Vec<String> = (since..=slice)
        .map(|s| format!("{prefix}:app:{s}"))
        .collect();
    let user_keys: Vec<String> = (since..=slice)
        .map(|s| format!("{prefix}:user:{user_id}:{s}"))
        .collect();
    let people = format!("{prefix}:people");
    let mut connection = pool.get().await?;
    for _ in 0..ATTEMPTS {
        redis::cmd("WATCH")
            .arg(&app_keys)
            .arg(&user_keys)
            .arg(&people)
            .query_async::<()>(&mut connection)
            .await?;
        let app: Vec<Option<i64>> = connection.mget(&app_keys).await?;
        let user: Vec<Option<i64>> = connection.mget(&user_keys).await?;
        let recent: i64 = connection.zcount(&people, since, "+inf").await?;
        let last_used: Option<i64> = connection.zscore(&people, user_id.as_str()).await?;
        let counted_already = last_used.is_some_and(|at| at >= since);
        let granted = grant(BudgetUse {
            app: app.iter().flatten().sum(),
            user: user.iter().flatten().sum(),
            people: recent + i64::from(!counted_already),
        })
        .max(0);
        if granted == 0 {
            redis::cmd("UNWATCH")
                .query_async::<()>(&mut connection)
                .await?;
            return Ok(0);
        }
        let (app_key, user_key) = (
            &app_keys[app_keys.len() - 1],
            &user_keys[user_keys.len() - 1],
        );
        let committed: Option<(i64,)> = redis::pipe()
            .atomic()
            .incr(app_key, granted)
            .expire(app_key, keep_secs)
            .ignore()
            .incr(user_key, granted)
            .ignore()
            .expire(user_key, keep_secs)
            .ignore()
            .zadd(&people, user_id.as_str(), slice)
            .ignore()
            .zrembyscore(&people, "-inf", since - 1)
            .ignore()
            .query_async(&mut connection)
            .await?;
        if committed.is_some() {
            return Ok(granted);
        }
    }
    // Others kept coming in between: this one waits for the next slice.
    Ok(0)
}

/// Requests the whole app counted from slice `since` through `slice`.
pub(super) async fn app_used(
    pool: &Pool,
    prefix: &str,
    since: i64,
    slice: i64,
) -> anyhow::Result<i64> {
    let keys: Vec<String> = (since..=slice)
        .map(|s| format!("{prefix}:app:{s}"))
        .collect();
    let counts: Vec<Option<i64>> = pool.get().await?.mget(&keys).await?;
    Ok(counts.iter().flatten().sum())
}
