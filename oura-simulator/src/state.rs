//! Everything the simulator remembers: codes, tokens, rate-limit windows, faults, counters.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;

use crate::clock::Clock;
use crate::faults::{Fault, FaultTarget};
use crate::users::SimulatedUser;
use crate::{ClientRegistration, SimulatorConfig, TokenPair};

/// What the simulator has seen, for tests to assert on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    /// Every request to the token endpoint, whatever its outcome.
    pub token_requests: u64,
    /// Codes redeemed successfully.
    pub codes_redeemed: u64,
    /// Refresh grants answered successfully.
    pub refreshes: u64,
    /// Code redemptions whose PKCE verifier was checked against the challenge and matched.
    pub pkce_verified: u64,
    /// Requests to the data API (`/v2/...`), whatever their outcome.
    pub data_requests: u64,
    /// Data requests refused because they carried `access_token` in the query string.
    pub tokens_in_query: u64,
    /// Requests answered 429 by the rate limiter.
    pub rate_limited: u64,
    /// Refresh tokens presented a second time (each revokes its whole token family).
    pub refresh_reuse_detected: u64,
    /// Successful calls to the revocation endpoint.
    pub revocations: u64,
}

/// How the code challenge was computed (RFC 7636); Oura accepts both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChallengeMethod {
    Plain,
    S256,
}

/// A consented authorization request, waiting for its code to be redeemed.
#[derive(Debug, Clone)]
pub(crate) struct IssuedCode {
    pub client_id: String,
    /// The `redirect_uri` sent to the authorize endpoint, which the token request must repeat.
    pub redirect_uri: Option<String>,
    pub user: SimulatedUser,
    pub scopes: Vec<String>,
    pub challenge: Option<(String, ChallengeMethod)>,
    pub issued_at: SystemTime,
    pub redeemed: bool,
    /// Tokens issued for this code, revoked if someone tries to redeem it again (RFC 6749 4.1.2).
    pub issued_tokens: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub client_id: String,
    pub user: SimulatedUser,
    pub scopes: Vec<String>,
    /// Every token descended from one consent shares a family; reuse or revocation ends it.
    pub family: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct AccessToken {
    pub grant: Grant,
    pub expires_at: SystemTime,
    pub revoked: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct RefreshToken {
    pub grant: Grant,
    pub used: bool,
    /// Ended by revocation or by a reuse elsewhere in its family (not a reuse itself).
    pub revoked: bool,
}

#[derive(Default)]
pub(crate) struct Inner {
    pub codes: HashMap<String, IssuedCode>,
    pub access_tokens: HashMap<String, AccessToken>,
    pub refresh_tokens: HashMap<String, RefreshToken>,
    /// Per access token: when its window started and how many requests it has made in it.
    pub rate_windows: HashMap<String, (SystemTime, u32)>,
    pub faults: Vec<(FaultTarget, Fault)>,
    pub counters: Counters,
    pub next_family: u64,
}

impl Inner {
    pub(crate) fn new_family(&mut self) -> u64 {
        self.next_family += 1;
        self.next_family
    }

    /// Revokes every access and refresh token of `family`.
    pub(crate) fn revoke_family(&mut self, family: u64) {
        for token in self.access_tokens.values_mut() {
            if token.grant.family == family {
                token.revoked = true;
            }
        }
        for token in self.refresh_tokens.values_mut() {
            if token.grant.family == family {
                token.revoked = true;
            }
        }
    }
}

pub(crate) struct SimState {
    pub config: SimulatorConfig,
    pub base_url: String,
    pub clock: Clock,
    /// Webhook subscriptions, and the client that delivers to them.
    pub webhooks: crate::webhooks::Registry,
    inner: Mutex<Inner>,
}

/// Scopes Oura's consent page knows, with what they let an app read. Oura drops unknown
/// scopes silently rather than failing the request, and so does the simulator.
pub(crate) const KNOWN_SCOPES: &[(&str, &str)] = &[
    ("email", "Email address of the user"),
    (
        "personal",
        "Personal information (gender, age, height, weight)",
    ),
    ("daily", "Daily summaries of sleep, activity and readiness"),
    ("heartrate", "Time series heart rate"),
    (
        "workout",
        "Summaries for auto-detected and user entered workouts",
    ),
    ("tag", "User entered tags"),
    ("session", "Guided and unguided sessions in the Oura app"),
    ("spo2", "SpO2 average recorded during sleep"),
    ("stress", "Daily stress and resilience"),
    ("heart_health", "Cardiovascular age and VO2 max"),
];

/// Reduces a requested scope (`personal` or `extapi:personal`) to its plain name, if known.
pub(crate) fn known_scope(requested: &str) -> Option<&'static str> {
    let plain = requested.strip_prefix("extapi:").unwrap_or(requested);
    let plain = if plain == "spo2Daily" { "spo2" } else { plain };
    KNOWN_SCOPES
        .iter()
        .map(|(name, _)| *name)
        .find(|name| *name == plain)
}

/// How the token endpoint reports granted scopes: with the `extapi:` prefix, as Oura does.
pub(crate) fn scope_string(scopes: &[String]) -> String {
    scopes
        .iter()
        .map(|s| format!("extapi:{s}"))
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

impl SimState {
    pub(crate) fn new(config: SimulatorConfig, base_url: String) -> Self {
        Self {
            clock: Clock::starting_behind(config.clock_behind),
            config,
            base_url,
            webhooks: crate::webhooks::Registry::default(),
            inner: Mutex::new(Inner::default()),
        }
    }

    /// A poisoned lock only means another request panicked mid-update; the maps stay usable.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn client(&self, client_id: &str) -> Option<&ClientRegistration> {
        self.config
            .clients
            .iter()
            .find(|c| c.client_id == client_id)
    }

    pub(crate) fn issuer(&self) -> String {
        format!("{}{}", self.base_url, crate::ISSUER_PATH)
    }

    pub(crate) fn counters(&self) -> Counters {
        self.lock().counters.clone()
    }

    pub(crate) fn inject(&self, target: FaultTarget, fault: Fault) {
        self.lock().faults.push((target, fault));
    }

    /// Takes one use of the first fault aimed at `target`, if any.
    pub(crate) fn take_fault(&self, target: FaultTarget) -> Option<Fault> {
        let mut inner = self.lock();
        let index = inner.faults.iter().position(|(t, _)| t.matches(target))?;
        let fault = &mut inner.faults[index].1;
        if fault.skip > 0 {
            fault.skip -= 1;
            return None;
        }
        let taken = fault.clone();
        fault.times = fault.times.saturating_sub(1);
        if fault.times == 0 {
            inner.faults.remove(index);
        }
        Some(taken)
    }

    /// Mints an access and refresh token for `grant`, remembering both.
    pub(crate) fn mint_tokens(&self, inner: &mut Inner, grant: Grant) -> TokenPair {
        let access_token = random_token("_0XSIM_");
        let refresh_token = random_token("_1XSIM_");
        inner.access_tokens.insert(
            access_token.clone(),
            AccessToken {
                grant: grant.clone(),
                expires_at: self.clock.now() + self.config.access_token_lifetime,
                revoked: false,
            },
        );
        inner.refresh_tokens.insert(
            refresh_token.clone(),
            RefreshToken {
                grant,
                used: false,
                revoked: false,
            },
        );
        TokenPair {
            access_token,
            refresh_token,
        }
    }

    pub(crate) fn issue_direct_tokens(
        &self,
        client_id: &str,
        username: &str,
        scopes: &[&str],
    ) -> TokenPair {
        let user = SimulatedUser::from_username(username)
            .unwrap_or_else(|| panic!("{username:?} is not a valid simulated username"));
        let mut inner = self.lock();
        let grant = Grant {
            client_id: client_id.to_owned(),
            user,
            scopes: scopes
                .iter()
                .filter_map(|s| known_scope(s))
                .map(str::to_owned)
                .collect(),
            family: inner.new_family(),
        };
        self.mint_tokens(&mut inner, grant)
    }

    /// Makes every access token expire now; refresh tokens stay valid.
    pub(crate) fn expire_access_tokens(&self) {
        let now = self.clock.now();
        for token in self.lock().access_tokens.values_mut() {
            token.expires_at = now;
        }
    }

    /// Everyone who has granted an application access (with a token not revoked).
    pub(crate) fn granted_users(&self) -> Vec<SimulatedUser> {
        let inner = self.lock();
        let mut users: Vec<SimulatedUser> = Vec::new();
        for token in inner.access_tokens.values().filter(|t| !t.revoked) {
            if !users.iter().any(|u| u.id == token.grant.user.id) {
                users.push(token.grant.user.clone());
            }
        }
        users
    }

    pub(crate) fn revoke_all_tokens(&self) {
        let mut inner = self.lock();
        for token in inner.access_tokens.values_mut() {
            token.revoked = true;
        }
        for token in inner.refresh_tokens.values_mut() {
            token.revoked = true;
        }
    }

    /// Counts a request against its application's window and `token`'s; the first limit
    /// reached refuses it, with the time until that window resets.
    pub(crate) fn count_request(
        &self,
        inner: &mut Inner,
        token: &str,
        client_id: &str,
    ) -> Result<(), RateLimited> {
        let now = self.clock.now();
        let window = self.config.rate_limit_window;
        let mut windows = vec![(
            token.to_owned(),
            self.config.rate_limit_requests,
            RateTier::Token,
        )];
        if let Some(limit) = self.config.app_rate_limit_requests {
            windows.insert(
                0,
                (format!("app:{client_id}"), limit, RateTier::Application),
            );
        }
        for (key, limit, tier) in &windows {
            let entry = inner.rate_windows.entry(key.clone()).or_insert((now, 0));
            if now.duration_since(entry.0).unwrap_or_default() >= window {
                *entry = (now, 0);
            }
            if entry.1 >= *limit {
                return Err(RateLimited {
                    reset_in: window
                        .saturating_sub(now.duration_since(entry.0).unwrap_or_default()),
                    limit: *limit,
                    tier: *tier,
                });
            }
        }
        for (key, ..) in windows {
            if let Some(entry) = inner.rate_windows.get_mut(&key) {
                entry.1 += 1;
            }
        }
        Ok(())
    }
}

/// A request over a rate limit: which one, and when its window resets.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RateLimited {
    pub reset_in: Duration,
    pub limit: u32,
    pub tier: RateTier,
}

/// The two layers of Oura's rate limit.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RateTier {
    Token,
    Application,
}

impl RateTier {
    /// As in the `x-ratelimit-tier` header.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Token => "token",
            Self::Application => "application",
        }
    }
}
