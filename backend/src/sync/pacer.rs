//! [`Pacer`]: keeps one sync under Oura's request budget.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// At most `limit` requests in any `window`.
pub(super) struct Pacer {
    limit: usize,
    window: Duration,
    sent: Mutex<VecDeque<Instant>>,
}

impl Pacer {
    pub(super) fn new(limit: usize, window: Duration) -> Self {
        Self {
            limit: limit.max(1),
            window,
            sent: Mutex::new(VecDeque::new()),
        }
    }

    /// Waits until one more request fits in the budget, and counts it.
    pub(super) async fn wait_turn(&self) {
        loop {
            let wait = {
                let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                while sent
                    .front()
                    .is_some_and(|at| now.duration_since(*at) >= self.window)
                {
                    sent.pop_front();
                }
                if sent.len() < self.limit {
                    sent.push_back(now);
                    return;
                }
                sent.front().map_or(Duration::ZERO, |oldest| {
                    self.window.saturating_sub(now.duration_since(*oldest))
                })
            };
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_pacer_keeps_requests_within_the_budget() {
        let pacer = Pacer::new(3, Duration::from_secs(10));
        let started = Instant::now();

        for _ in 0..7 {
            pacer.wait_turn().await;
        }

        // 3 at once, 3 more after 10 s, the 7th after 20 s.
        assert_eq!(started.elapsed(), Duration::from_secs(20));
    }
}
