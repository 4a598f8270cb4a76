//! [`TypedSession`]: what this app keeps in a session, with types instead of string keys. The
//! session holds who is signed in and the logins in progress; Oura's tokens live in the store.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_session::{Session, SessionExt as _};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::config::SessionSettings;
use crate::domain::UserId;
use crate::error::ApiError;
use crate::store::{SESSION_USER_KEY, STORE_UNAVAILABLE_KEY};

const PENDING_LOGINS: &str = "pending_logins";
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

/// Who is signed in, and since when (Unix milliseconds).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionUser {
    /// Who.
    pub user_id: UserId,
    /// Unix milliseconds.
    pub signed_in_at: i64,
    /// When the session's idle window last started again (Unix milliseconds); sessions from
    /// before this field count from sign-in.
    #[serde(default)]
    pub renewed_at: Option<i64>,
}

/// A session's idle window starts again (its row and its cookie rewritten) once this share of
/// it has passed since the last time, not on every request: a read stays a read, and a
/// session still lives at least nine tenths of the window after its last use.
const RENEW_AFTER_SHARE: u32 = 10;

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The session of this request, through typed accessors only.
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

    /// Keeps a login that went to Oura, to be matched by its callback.
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
    /// Starts the idle window again when a meaningful part of it has passed.
    pub fn user(&self, settings: &SessionSettings) -> Option<SessionUser> {
        let mut user: SessionUser = self.0.get(SESSION_USER_KEY).ok().flatten()?;
        let now = crate::store::now_millis();
        if now.saturating_sub(user.signed_in_at) > millis(settings.absolute_timeout) {
            self.0.purge();
            return None;
        }
        let renewed_at = user.renewed_at.unwrap_or(user.signed_in_at);
        if now.saturating_sub(renewed_at) >= millis(settings.idle_timeout / RENEW_AFTER_SHARE) {
            // A changed state is what makes the session middleware rewrite row and cookie.
            user.renewed_at = Some(now);
            if let Err(error) = self.0.insert(SESSION_USER_KEY, &user) {
                tracing::warn!(%error, "could not renew the session");
            }
        }
        Some(user)
    }

    /// Starts a signed-in session under a new id, so an id from before login is worthless.
    pub fn sign_in(&self, user_id: &UserId) -> anyhow::Result<()> {
        self.0.renew();
        self.0.remove(PENDING_LOGINS);
        let now = crate::store::now_millis();
        let user = SessionUser {
            user_id: user_id.clone(),
            signed_in_at: now,
            renewed_at: Some(now),
        };
        self.0
            .insert(SESSION_USER_KEY, user)
            .context("Failed to store the signed-in user")
    }

    /// Ends the session: its state is deleted server side and the cookie expired.
    pub fn sign_out(&self) {
        self.0.purge();
    }
}

impl FromRequest for TypedSession {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    /// The session; 503 when its store did not answer (nothing about it is known then).
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let unavailable = session
            .get::<bool>(STORE_UNAVAILABLE_KEY)
            .ok()
            .flatten()
            .unwrap_or(false);
        std::future::ready(if unavailable {
            Err(ApiError::StoreUnavailable(anyhow::anyhow!(
                "the session store did not answer"
            )))
        } else {
            Ok(Self(session))
        })
    }
}
