//! [`UserTokens`]: a signed-in user's Oura access token, fresh. Oura's refresh tokens are
//! single-use and rotate on every refresh, so a careless refresh signs the person out: here
//! only one refresh per user is ever in flight, in this process (a per-user lock) and across
//! instances (a lease in the database), and the rotated pair is stored before it is used.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use secrecy::SecretString;

use super::{OuraError, OuraOAuth, TokenExchangeError};
use crate::domain::UserId;
use crate::store::{NewTokens, Store, StoredTokens, now};

/// Refresh this long before the access token expires.
const REFRESH_MARGIN_SECS: i64 = 120;
/// How long one instance may hold the right to refresh before others may take it over.
const LEASE_SECS: i64 = 30;
/// How long a request waits for another instance's refresh before giving up with 503.
const LEASE_WAIT: Duration = Duration::from_secs(15);
const LEASE_POLL: Duration = Duration::from_millis(50);

/// What can go wrong getting a user's token, or calling Oura with it.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// Oura no longer accepts the sign-in (refresh token refused, or none left): the person
    /// must sign in again. Their sessions have been ended.
    #[error("Oura no longer accepts this sign-in")]
    SignInAgain,
    /// Another instance is renewing the sign-in and did not finish in time.
    #[error("the Oura sign-in is being renewed")]
    RenewalInProgress,
    /// Oura's token endpoint refused the refresh for a reason other than the grant.
    #[error("Oura refused to renew the sign-in: {0}")]
    RenewalRefused(String),
    /// Oura's token endpoint could not be reached or failed.
    #[error("Oura's sign-in server is unavailable")]
    SignInServerUnavailable,
    /// The data call itself failed.
    #[error(transparent)]
    Oura(#[from] OuraError),
    /// Reading or writing the stored tokens failed.
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

/// An access token and the rotation it belongs to.
pub struct CurrentToken {
    /// The access token.
    pub token: SecretString,
    generation: i64,
}

/// Every user's Oura tokens, kept fresh; one per process, shared by requests and syncs.
pub struct UserTokens {
    store: Store,
    oauth: Arc<OuraOAuth>,
    /// One lock per user with a refresh possibly in flight.
    locks: Mutex<HashMap<UserId, Arc<tokio::sync::Mutex<()>>>>,
}

impl UserTokens {
    /// Tokens read from `store`, refreshed through `oauth`.
    pub fn new(store: Store, oauth: Arc<OuraOAuth>) -> Self {
        Self {
            store,
            oauth,
            locks: Mutex::new(HashMap::new()),
        }
    }

    /// Calls Oura with the user's token; after a 401 refreshes once and calls once more.
    pub async fn call<T, F, Fut>(&self, user_id: &UserId, call: F) -> Result<T, TokenError>
    where
        F: Fn(SecretString) -> Fut,
        Fut: Future<Output = Result<T, OuraError>>,
    {
        let current = self.current(user_id).await?;
        match call(current.token).await {
            Err(OuraError::Unauthorized) => {
                tracing::info!("Oura refused the access token; refreshing once");
                let fresh = self.refresh(user_id, current.generation).await?;
                match call(fresh.token).await {
                    Err(OuraError::Unauthorized) => {
                        self.store.end_all_sessions(user_id).await?;
                        Err(TokenError::SignInAgain)
                    }
                    other => Ok(other?),
                }
            }
            other => Ok(other?),
        }
    }

    /// The user's access token, refreshed first if it expires within the margin.
    pub async fn current(&self, user_id: &UserId) -> Result<CurrentToken, TokenError> {
        let stored = self.stored(user_id).await?;
        let expiring = stored
            .access_expires_at
            .is_some_and(|at| at - REFRESH_MARGIN_SECS <= now());
        if expiring && stored.refresh_token.is_some() {
            return self.refresh(user_id, stored.generation).await;
        }
        Ok(CurrentToken {
            token: stored.access_token,
            generation: stored.generation,
        })
    }

    async fn stored(&self, user_id: &UserId) -> Result<StoredTokens, TokenError> {
        self.store
            .tokens(user_id)
            .await?
            .ok_or(TokenError::SignInAgain)
    }

    fn lock_for(&self, user_id: &UserId) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.locks.lock().unwrap_or_else(|e| e.into_inner());
        // Locks nobody holds or waits for are dropped, so the map stays small.
        locks.retain(|_, lock| Arc::strong_count(lock) > 1);
        Arc::clone(locks.entry(user_id.clone()).or_default())
    }

    /// Replaces `seen_generation`'s token, unless someone already did: then uses theirs.
    async fn refresh(
        &self,
        user_id: &UserId,
        seen_generation: i64,
    ) -> Result<CurrentToken, TokenError> {
        let lock = self.lock_for(user_id);
        let _in_process = lock.lock().await;
        let deadline = Instant::now() + LEASE_WAIT;
        loop {
            let stored = self.stored(user_id).await?;
            if stored.generation != seen_generation {
                return Ok(CurrentToken {
                    token: stored.access_token,
                    generation: stored.generation,
                });
            }
            if self
                .store
                .try_lease_refresh(user_id, seen_generation, LEASE_SECS)
                .await?
            {
                return self.refresh_under_lease(user_id, stored).await;
            }
            if Instant::now() >= deadline {
                return Err(TokenError::RenewalInProgress);
            }
            tokio::time::sleep(LEASE_POLL).await;
        }
    }

    async fn refresh_under_lease(
        &self,
        user_id: &UserId,
        stored: StoredTokens,
    ) -> Result<CurrentToken, TokenError> {
        let Some(refresh_token) = stored.refresh_token else {
            self.store.end_all_sessions(user_id).await?;
            return Err(TokenError::SignInAgain);
        };
        match self.oauth.refresh(&refresh_token).await {
            Ok(tokens) => {
                let scopes = tokens.scopes.join(" ");
                let saved = self
                    .store
                    .save_rotated_tokens(
                        user_id,
                        stored.generation,
                        NewTokens {
                            access_token: &tokens.access_token,
                            refresh_token: tokens.refresh_token.as_ref(),
                            access_expires_at: tokens.expires_in.map(|d| now() + duration_secs(d)),
                            scopes: &scopes,
                        },
                    )
                    .await?;
                if !saved {
                    tracing::error!("rotated tokens were not saved: the lease was lost");
                }
                tracing::info!("Oura tokens refreshed");
                Ok(CurrentToken {
                    token: tokens.access_token,
                    generation: stored.generation + 1,
                })
            }
            Err(TokenExchangeError::InvalidGrant) => {
                tracing::warn!("Oura refused the refresh token; ending the user's sessions");
                self.store.end_all_sessions(user_id).await?;
                Err(TokenError::SignInAgain)
            }
            Err(error) => {
                tracing::warn!(%error, "token refresh failed; the session is kept");
                self.store
                    .release_refresh_lease(user_id, stored.generation)
                    .await?;
                Err(match error {
                    TokenExchangeError::Refused(reason) => TokenError::RenewalRefused(reason),
                    _ => TokenError::SignInServerUnavailable,
                })
            }
        }
    }
}

/// A duration in whole seconds, for the database.
pub fn duration_secs(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}
