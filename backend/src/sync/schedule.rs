//! The background schedule's loop: a few runs at a time, each claimed from the store.

use std::future::Future;
use std::time::Duration;

use crate::domain::UserId;

/// Keeps up to `at_once` runs going: claims users whose turn has come (`claim`, given how
/// many places are free) whenever a run ends, and every `check` otherwise.
///
/// Each run is a task of its own. Kept as futures of this loop, a run would stand still
/// whenever the loop waits for `claim`, and on SQLite a run can be holding the one write
/// connection the claim is waiting for: both then wait out the pool's timeout.
pub(super) async fn keep_running<Claim, Claimed, Run, Running>(
    at_once: usize,
    check: Duration,
    mut claim: Claim,
    run: Run,
) where
    Claim: FnMut(usize) -> Claimed,
    Claimed: Future<Output = Vec<UserId>>,
    Run: Fn(UserId) -> Running,
    Running: Future<Output = ()> + Send + 'static,
{
    let mut running = tokio::task::JoinSet::new();
    loop {
        let free = at_once.saturating_sub(running.len());
        if free > 0 {
            for user_id in claim(free).await {
                running.spawn(run(user_id));
            }
        }
        if running.is_empty() {
            tokio::time::sleep(check).await;
            continue;
        }
        // On as soon as a run ends, to claim the next user in its place.
        tokio::select! {
            ended = running.join_next() => {
                if let Some(Err(error)) = ended {
                    tracing::error!(%error, "a scheduled sync ended abnormally");
                }
            }
            () = tokio::time::sleep(check) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn user(n: usize) -> UserId {
        UserId::new(format!("user-{n}"))
    }

    #[tokio::test]
    async fn a_run_goes_on_while_the_schedule_waits_to_claim() {
        let claims = Arc::new(AtomicUsize::new(0));
        let (finished, mut finishes) = tokio::sync::mpsc::unbounded_channel();
        let schedule = tokio::spawn(keep_running(
            4,
            Duration::from_millis(5),
            {
                let claims = Arc::clone(&claims);
                move |_free| {
                    let first = claims.fetch_add(1, Ordering::SeqCst) == 0;
                    async move {
                        if first {
                            vec![user(1)]
                        } else {
                            // A claim that never returns, like one queued behind a write
                            // connection that only the running sync can give back.
                            std::future::pending().await
                        }
                    }
                }
            },
            move |user_id| {
                let finished = finished.clone();
                async move {
                    // Longer than the check, so the loop is waiting on a claim meanwhile.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    finished.send(user_id).unwrap();
                }
            },
        ));

        let ended = tokio::time::timeout(Duration::from_secs(10), finishes.recv()).await;
        schedule.abort();
        assert_eq!(ended.expect("the run stood still").unwrap(), user(1));
        assert!(claims.load(Ordering::SeqCst) >= 2, "the loop claimed again");
    }

    #[tokio::test]
    async fn no_more_runs_than_places_are_claimed() {
        let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
        let next = Arc::new(AtomicUsize::new(0));
        let schedule = tokio::spawn(keep_running(
            3,
            Duration::from_millis(5),
            {
                let (asked, next) = (Arc::clone(&asked), Arc::clone(&next));
                move |free| {
                    asked.lock().unwrap().push(free);
                    let first = next.fetch_add(free, Ordering::SeqCst);
                    async move { (first..first + free).map(user).collect() }
                }
            },
            // Runs that never end: every place stays taken.
            |_user_id| std::future::pending(),
        ));

        tokio::time::sleep(Duration::from_millis(100)).await;
        schedule.abort();
        assert_eq!(
            *asked.lock().unwrap(),
            vec![3],
            "claimed only while places were free"
        );
        assert_eq!(next.load(Ordering::SeqCst), 3);
    }
}
