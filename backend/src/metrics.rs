//! Prometheus metrics for operators (`GET /metrics`, off unless `METRICS_ENABLED` or
//! `METRICS_TOKEN` is set): request latency per route, Oura's answers by kind, and, read
//! from the store at each scrape, users, sessions, syncs running, how far behind each
//! collection's laggiest user is, and the documents set aside.

use std::time::Duration;

use anyhow::Context as _;
use prometheus::{
    Encoder as _, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

use crate::oura::OuraError;
use crate::store::Store;
use crate::sync::RateBudget;

/// Every name starts so, to stand apart on a shared Prometheus.
const PREFIX: &str = "oura_dashboard";

/// Latency buckets in seconds: reads answer in well under a millisecond from the cache, an
/// export or a profile fetched from Oura takes seconds.
const LATENCY_BUCKETS: &[f64] = &[
    0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
    10.0,
];

/// The app's metrics: one registry per app (tests run many apps in one process).
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    http_latency: HistogramVec,
    oura_requests: IntCounterVec,
    webhook_events: IntCounterVec,
    users: IntGauge,
    sessions: IntGauge,
    syncs_running: IntGauge,
    sync_lag_days: IntGaugeVec,
    quarantined: IntGauge,
    rate_budget_used: IntGauge,
    rate_budget_limit: IntGauge,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> anyhow::Result<Self> {
        let registry = Registry::new_custom(Some(PREFIX.to_owned()), None)
            .context("Failed to make the metrics registry")?;
        let http_latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time to answer a request, by method, route pattern and status",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["method", "route", "status"],
        )?;
        let oura_requests = IntCounterVec::new(
            Opts::new(
                "oura_requests_total",
                "Requests to Oura's data API, by endpoint and outcome (ok, or the error's kind)",
            ),
            &["endpoint", "outcome"],
        )?;
        let webhook_events = IntCounterVec::new(
            Opts::new(
                "webhook_events_total",
                "Webhook events from Oura, by outcome (accepted, ignored, or why refused)",
            ),
            &["outcome"],
        )?;
        let users = IntGauge::new("users", "Accounts with Oura tokens")?;
        let sessions = IntGauge::new(
            "sessions",
            "Signed-in sessions not yet expired (sessions in the database; -1 with Redis)",
        )?;
        let syncs_running = IntGauge::new("syncs_running", "Syncs holding a live lease")?;
        let sync_lag_days = IntGaugeVec::new(
            Opts::new(
                "sync_lag_days",
                "Days between today (UTC) and the day the least synced user's collection is stored through",
            ),
            &["collection"],
        )?;
        let quarantined = IntGauge::new(
            "quarantined_documents",
            "Oura documents set aside as unusable, all users",
        )?;
        let rate_budget_used = IntGauge::new(
            "oura_rate_budget_used",
            "Requests to Oura counted against the app's budget in the last rate window, every instance together",
        )?;
        let rate_budget_limit = IntGauge::new(
            "oura_rate_budget_limit",
            "The app's budget of requests to Oura per rate window (OURA_APP_RATE_LIMIT)",
        )?;
        for collector in [
            Box::new(http_latency.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(oura_requests.clone()),
            Box::new(webhook_events.clone()),
            Box::new(users.clone()),
            Box::new(sessions.clone()),
            Box::new(syncs_running.clone()),
            Box::new(sync_lag_days.clone()),
            Box::new(quarantined.clone()),
            Box::new(rate_budget_used.clone()),
            Box::new(rate_budget_limit.clone()),
        ] {
            registry
                .register(collector)
                .context("Failed to register a metric")?;
        }
        Ok(Self {
            registry,
            http_latency,
            oura_requests,
            webhook_events,
            users,
            sessions,
            syncs_running,
            sync_lag_days,
            quarantined,
            rate_budget_used,
            rate_budget_limit,
        })
    }

    /// A request answered: `route` is the pattern it matched (`/api/sleep/{day}`), never the
    /// path itself, so the label's values stay few.
    pub fn observe_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        self.http_latency
            .with_label_values(&[method, route, &status.to_string()])
            .observe(elapsed.as_secs_f64());
    }

    /// A request to Oura's data API ended so.
    pub fn count_oura_request(&self, endpoint: &str, outcome: Result<(), &OuraError>) {
        let outcome = match outcome {
            Ok(()) => "ok",
            Err(error) => error.kind(),
        };
        self.oura_requests
            .with_label_values(&[endpoint, outcome])
            .inc();
    }

    /// A webhook event ended so (`accepted`, `ignored`, `bad_signature`, `stale`, `replayed`,
    /// `malformed`, `queue_full`).
    pub fn count_webhook_event(&self, outcome: &str) {
        self.webhook_events.with_label_values(&[outcome]).inc();
    }

    /// The text exposition, with the store's figures read now.
    pub async fn render(
        &self,
        store: &Store,
        budget: &RateBudget,
        sql_sessions: bool,
    ) -> anyhow::Result<String> {
        let figures = store.operational_figures().await?;
        let (used, limit) = budget.used().await?;
        self.rate_budget_used.set(used);
        self.rate_budget_limit.set(limit);
        self.users.set(figures.users);
        self.sessions
            .set(if sql_sessions { figures.sessions } else { -1 });
        self.syncs_running.set(figures.syncs_running);
        self.quarantined.set(figures.quarantined_documents);
        self.sync_lag_days.reset();
        for (collection, lag) in figures.sync_lag_days {
            self.sync_lag_days
                .with_label_values(&[collection.as_str()])
                .set(lag);
        }
        let mut text = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut text)
            .context("Failed to encode the metrics")?;
        String::from_utf8(text).context("The metrics are not UTF-8")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_route_pattern_and_oura_errors_by_kind() {
        let metrics = Metrics::new().unwrap();

        metrics.observe_request("GET", "/api/sleep/{day}", 200, Duration::from_millis(3));
        metrics.count_oura_request("daily_sleep", Ok(()));
        metrics.count_oura_request("daily_sleep", Err(&OuraError::Timeout));
        metrics.count_oura_request("daily_sleep", Err(&OuraError::Timeout));
        let mut text = Vec::new();
        TextEncoder::new()
            .encode(&metrics.registry.gather(), &mut text)
            .unwrap();
        let text = String::from_utf8(text).unwrap();

        assert!(text.contains(
            r#"oura_dashboard_http_request_duration_seconds_bucket{method="GET",route="/api/sleep/{day}",status="200",le="0.005"} 1"#
        ), "{text}");
        assert!(
            text.contains(
                r#"oura_dashboard_oura_requests_total{endpoint="daily_sleep",outcome="timeout"} 2"#
            ),
            "{text}"
        );
        assert!(text.contains(
            r#"oura_dashboard_oura_requests_total{endpoint="daily_sleep",outcome="ok"} 1"#
        ));
    }
}
