//! A faithful local stand-in for Oura: the OAuth authorize (consent) page and token endpoint of
//! Oura's 2026 identity provider, and the v2 data API, with Oura's error shapes, its rate limit
//! and injectable faults.
//!
//! The backend's tests, its browser tests and its demo mode all run against this crate, through
//! the same code path that talks to the real Oura. Embed it with [`Simulator::start`] (port 0
//! in tests), or run the `oura-simulator` binary.

// A test double documented by Oura's own OpenAPI document; its items need no docs of their own.
#![allow(missing_docs)]

mod clock;
mod data;
mod faults;
mod oauth;
mod responses;
mod state;
mod users;
mod webhooks;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::{App, HttpServer, dev::ServerHandle, web};

pub use faults::{Fault, FaultTarget};
pub use state::Counters;
pub use users::SimulatedUser;
pub use webhooks::{
    Announced, Delivery, DeliveryFaults, SUBSCRIPTION_LIFETIME, Subscription, sign as sign_webhook,
};

/// The path of the issuer (RFC 9207 `iss`), below the simulator's base URL, as at Oura's IdP.
pub const ISSUER_PATH: &str = "/oauth/v2/ext/oauth-anonymous";
/// The authorize (consent page) endpoint path, as at Oura's IdP.
pub const AUTHORIZE_PATH: &str = "/oauth/v2/ext/oauth-authorize";
/// The token endpoint path, as at Oura's IdP.
pub const TOKEN_PATH: &str = "/oauth/v2/ext/oauth-token";
/// The revocation endpoint path (RFC 7009), as at Oura's IdP.
pub const REVOKE_PATH: &str = "/oauth/v2/ext/oauth-revoke";
/// The simulator's own shortcut that hands out a token pair without the browser flow
/// (not an Oura endpoint; for curl in demo mode and for tests).
pub const DIRECT_TOKEN_PATH: &str = "/sim/access-tokens";

/// One registered OAuth application, as on Oura's developer portal.
#[derive(Debug, Clone)]
pub struct ClientRegistration {
    pub client_id: String,
    pub client_secret: String,
    /// Registered redirect URIs; the authorize and token requests must match one exactly.
    pub redirect_uris: Vec<String>,
}

/// How the simulator behaves. [`Default`] mirrors what Oura did when last observed.
#[derive(Debug, Clone)]
pub struct SimulatorConfig {
    pub clients: Vec<ClientRegistration>,
    /// Lifetime of an access token (`expires_in`).
    pub access_token_lifetime: Duration,
    /// Lifetime of an authorization code (Oura: 10 minutes).
    pub code_lifetime: Duration,
    /// Requests allowed per access token per [`Self::rate_limit_window`] (Oura: 5000 per 5 min).
    pub rate_limit_requests: u32,
    pub rate_limit_window: Duration,
    /// Requests allowed per application (all its tokens together) per window; Oura has this
    /// second layer without publishing its size. `None`: no application limit.
    pub app_rate_limit_requests: Option<u32>,
    /// Serve [`DIRECT_TOKEN_PATH`].
    pub direct_tokens: bool,
    /// Documents per page of the daily collections before `next_token` continues.
    pub daily_page_size: usize,
    /// Rows per page of `heartrate` (1000 observed).
    pub heartrate_page_size: usize,
    /// Added to every data API response, as the distance to Oura would (benchmarks).
    pub latency: Duration,
    /// How far behind the wall clock the simulator's clock starts: moving it on then brings
    /// new days (and their webhook events) up to the real today.
    pub clock_behind: Duration,
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        Self {
            clients: Vec::new(),
            access_token_lifetime: Duration::from_secs(86_400),
            code_lifetime: Duration::from_secs(600),
            rate_limit_requests: 5000,
            rate_limit_window: Duration::from_secs(300),
            app_rate_limit_requests: None,
            direct_tokens: true,
            daily_page_size: 100,
            heartrate_page_size: 1000,
            latency: Duration::ZERO,
            clock_behind: Duration::ZERO,
        }
    }
}

/// A running simulator. Dropping it does not stop the server; call [`Simulator::stop`].
pub struct Simulator {
    base_url: String,
    state: Arc<state::SimState>,
    server: ServerHandle,
}

impl Simulator {
    /// Serves the simulator on `listener` (bind port 0 to get a free port) in the background of
    /// the current Tokio runtime.
    pub fn start(listener: TcpListener, config: SimulatorConfig) -> std::io::Result<Self> {
        let addr = listener.local_addr()?;
        let base_url = format!("http://{addr}");
        let state = Arc::new(state::SimState::new(config, base_url.clone()));
        let data = web::Data::from(Arc::clone(&state));
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .configure(oauth::configure)
                .configure(data::configure)
                .configure(webhooks::configure)
                .default_service(web::to(responses::not_found))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)?
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Ok(Self {
            base_url,
            state,
            server: handle,
        })
    }

    /// `http://127.0.0.1:<port>`, the API base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn authorize_url(&self) -> String {
        format!("{}{AUTHORIZE_PATH}", self.base_url)
    }

    pub fn token_url(&self) -> String {
        format!("{}{TOKEN_PATH}", self.base_url)
    }

    pub fn revoke_url(&self) -> String {
        format!("{}{REVOKE_PATH}", self.base_url)
    }

    /// The value the simulator sends as `iss` on the callback (RFC 9207).
    pub fn issuer(&self) -> String {
        format!("{}{ISSUER_PATH}", self.base_url)
    }

    /// What the simulator has seen so far.
    pub fn counters(&self) -> Counters {
        self.state.counters()
    }

    /// Makes the next matching requests fail as `fault` describes.
    pub fn inject(&self, target: FaultTarget, fault: Fault) {
        self.state.inject(target, fault);
    }

    /// Moves the simulator's clock forward, to expire codes and tokens without waiting.
    pub fn advance_clock(&self, by: Duration) {
        self.state.clock.advance(by);
    }

    /// Moves the clock forward by `by` and announces to the webhook subscribers every
    /// document that came into being meanwhile (a `create` event each, for everyone who has
    /// granted access), misbehaving as `faults` says, as Oura does after rings sync.
    pub async fn advance_clock_announcing(
        &self,
        by: Duration,
        faults: &DeliveryFaults,
    ) -> Announced {
        webhooks::advance_announcing(&self.state, by, faults).await
    }

    /// Issues a token pair for `username` with `scopes` directly, as the consent flow would.
    pub fn issue_tokens(&self, client_id: &str, username: &str, scopes: &[&str]) -> TokenPair {
        self.state.issue_direct_tokens(client_id, username, scopes)
    }

    /// Makes every access token expire now, as time would; refresh tokens keep working.
    pub fn expire_access_tokens(&self) {
        self.state.expire_access_tokens();
    }

    /// Revokes every token issued so far (as when a person removes the app's access in Oura).
    pub fn revoke_all_tokens(&self) {
        self.state.revoke_all_tokens();
    }

    /// Sends a webhook event to every live subscription for its event and data type; the
    /// status each subscriber answered with (0 when the call failed).
    pub async fn deliver(&self, delivery: &Delivery) -> Vec<u16> {
        webhooks::deliver(&self.state, delivery).await
    }

    /// The webhook subscriptions made so far, by every application.
    pub fn subscriptions(&self) -> Vec<Subscription> {
        self.state.webhooks.all()
    }

    /// The ids of `username`'s documents of `collection` (`daily_sleep`, `sleep`, `workout`,
    /// ...) filed under `day`, as they stand now: what a webhook event names.
    pub fn document_ids(&self, username: &str, collection: &str, day: time::Date) -> Vec<String> {
        let Some(user) = SimulatedUser::from_username(username) else {
            return Vec::new();
        };
        let now = time::OffsetDateTime::from(self.state.clock.now());
        data::daily_ids_on(&user, collection, day, now)
    }

    pub async fn stop(self) {
        self.server.stop(true).await;
    }
}

/// How many days of rest mode the simulated `username` turns on on `day`, if any: for tests
/// that need a rest-mode period at a chosen time (pick a username whose period fits).
pub fn rest_mode_starting(username: &str, day: time::Date) -> Option<i64> {
    let user = SimulatedUser::from_username(username)?;
    data::generate::rest_mode_starting(&user, day)
}

/// An access and refresh token, as the token endpoint issues them.
#[derive(Debug, Clone)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
}
