//! [`TypedSession`]: what this app keeps in a session, with types instead of string keys.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_session::{Session, SessionExt as _};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use anyhow::Context as _;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

const PENDING_LOGINS: &str = "pending_logins";
const USER: &str = "user";
/// Logins started in other tabs stay valid, up to this many.
const MAX_PENDING_LOGINS: usize = 5;

/// A login sent to Oura and not yet back. Bound to this browser by living in its session.
#[derive(Serialize, Deserialize)]
pub struct PendingLogin {
    pub state: String,
    pub pkce_verifier: String,
    pub return_to: String,
    pub started_at: u64,
}

/// A signed-in person and their Oura tokens; kept server side, never sent to the browser.
#[derive(Serialize, Deserialize)]
pub struct SignedInUser {
    pub user_id: String,
    access_token: String,
    pub refresh_token: Option<String>,
    pub access_expires_at: Option<u64>,
    pub signed_in_at: u64,
}

impl SignedInUser {
    pub fn new(
        user_id: String,
        access_token: String,
        refresh_token: Option<String>,
        expires_in: Option<Duration>,
    ) -> Self {
        let now = unix_now();
        Self {
            user_id,
            access_token,
            refresh_token,
            access_expires_at: expires_in.map(|d| now + d.as_secs()),
            signed_in_at: now,
        }
    }

    pub fn access_token(&self) -> SecretString {
        SecretString::from(self.access_token.clone())
    }
}

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

pub struct TypedSession(Session);

impl TypedSession {
    fn pending_logins(&self) -> Vec<PendingLogin> {
        // Unreadable state just means there is no pending login to honour.
        self.0
            .get(PENDING_LOGINS)
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    pub fn add_pending_login(&self, login: PendingLogin) -> anyhow::Result<()> {
        let mut logins = self.pending_logins();
        logins.push(login);
        if logins.len() > MAX_PENDING_LOGINS {
            logins.remove(0);
        }
        self.0
            .insert(PENDING_LOGINS, logins)
            .context("Failed to store the pending login")
    }

    /// Removes and returns the pending login for `state`: each one can be used once only.
    pub fn take_pending_login(&self, state: &str) -> anyhow::Result<Option<PendingLogin>> {
        let mut logins = self.pending_logins();
        let Some(index) = logins.iter().position(|l| l.state == state) else {
            return Ok(None);
        };
        let login = logins.remove(index);
        self.0
            .insert(PENDING_LOGINS, logins)
            .context("Failed to update the pending logins")?;
        Ok(Some(login))
    }

    /// The signed-in user, unless the session is past its absolute lifetime (then it ends).
    pub fn user(&self, absolute_timeout: Duration) -> Option<SignedInUser> {
        let user: SignedInUser = self.0.get(USER).ok().flatten()?;
        if unix_now().saturating_sub(user.signed_in_at) > absolute_timeout.as_secs() {
            self.0.purge();
            return None;
        }
        Some(user)
    }

    /// Starts a signed-in session under a new id, so an id from before login is worthless.
    pub fn sign_in(&self, user: SignedInUser) -> anyhow::Result<()> {
        self.0.renew();
        self.0.remove(PENDING_LOGINS);
        self.0
            .insert(USER, user)
            .context("Failed to store the signed-in user")
    }

    /// Ends the session: its state is deleted server side and the cookie expired.
    pub fn sign_out(&self) {
        self.0.purge();
    }
}

impl FromRequest for TypedSession {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Self(req.get_session())))
    }
}
