//! Faults that tests inject to see how the backend copes with a misbehaving Oura.

use std::time::Duration;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;

/// Which requests a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultTarget {
    /// The token endpoint.
    Token,
    /// `GET /v2/usercollection/personal_info`.
    PersonalInfo,
    /// The date-range collections (`daily_sleep`, `daily_readiness`, `daily_activity`, `sleep`).
    Daily,
    /// `heartrate`.
    HeartRate,
    /// Any request to the data API.
    AnyData,
}

impl FaultTarget {
    pub(crate) fn matches(self, request: FaultTarget) -> bool {
        self == request || (self == FaultTarget::AnyData && request != FaultTarget::Token)
    }
}

/// A canned misbehaviour: wait, then (optionally) answer with a status, headers and a body of
/// its own instead of the real answer.
#[derive(Debug, Clone)]
pub struct Fault {
    pub(crate) delay: Option<Duration>,
    pub(crate) status: Option<u16>,
    pub(crate) content_type: String,
    pub(crate) body: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) times: u32,
    /// Matching requests to let through untouched before the fault applies.
    pub(crate) skip: u32,
}

impl Fault {
    /// Answer with `status` and an Oura-shaped error body.
    pub fn status(status: u16) -> Self {
        Self {
            delay: None,
            status: Some(status),
            content_type: "application/json".into(),
            body: format!(r#"{{"status":{status},"title":"Injected fault"}}"#),
            headers: Vec::new(),
            times: 1,
            skip: 0,
        }
    }

    /// Wait `delay`, then answer as usual (or as the rest of the fault says).
    pub fn delay(delay: Duration) -> Self {
        Self {
            delay: Some(delay),
            status: None,
            content_type: String::new(),
            body: String::new(),
            headers: Vec::new(),
            times: 1,
            skip: 0,
        }
    }

    /// Replace the body (for malformed JSON, HTML error pages, ...).
    pub fn with_body(mut self, content_type: &str, body: &str) -> Self {
        self.content_type = content_type.into();
        self.body = body.into();
        self
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Apply to the next `times` matching requests (default 1).
    pub fn times(mut self, times: u32) -> Self {
        self.times = times.max(1);
        self
    }

    /// Let the next `requests` matching requests through first (to fail a run midway).
    pub fn after(mut self, requests: u32) -> Self {
        self.skip = requests;
        self
    }

    /// Waits out the delay, then returns the canned response if the fault has one.
    pub(crate) async fn apply(self) -> Option<HttpResponse> {
        if let Some(delay) = self.delay {
            tokio::time::sleep(delay).await;
        }
        let status = StatusCode::from_u16(self.status?).ok()?;
        let mut response = HttpResponse::build(status);
        for (name, value) in &self.headers {
            response.insert_header((name.as_str(), value.as_str()));
        }
        Some(response.content_type(self.content_type).body(self.body))
    }
}
