//! [`Caller`]: who is calling an `/api` route: the SPA with its session cookie, a script with
//! a personal API key, or a script with an Oura access token of its own.

use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use secrecy::SecretString;

use super::RateLimits;
use super::session::TypedSession;
use crate::config::Settings;
use crate::domain::UserId;
use crate::error::ApiError;
use crate::oura::{OuraError, UserTokens};
use crate::store::Store;
use crate::store::api_keys::looks_like_api_key;

/// Who is calling an `/api` route.
pub enum Caller {
    /// The SPA: a live session of a signed-in user.
    Session {
        /// The session, to end it when Oura no longer accepts the sign-in.
        session: TypedSession,
        /// Who is signed in.
        user_id: UserId,
    },
    /// A script with a personal API key (read-only).
    ApiKey {
        /// The key's owner.
        user_id: UserId,
    },
    /// A script with an Oura access token, passed through to Oura.
    OuraToken(SecretString),
}

impl Caller {
    /// The user this request acts for, when it is one of ours.
    pub fn user_id(&self) -> Option<&UserId> {
        match self {
            Self::Session { user_id, .. } | Self::ApiKey { user_id } => Some(user_id),
            Self::OuraToken(_) => None,
        }
    }

    /// The account this request acts for; callers with a bare Oura token have none.
    pub fn account(&self) -> Result<&UserId, ApiError> {
        self.user_id().ok_or_else(|| {
            ApiError::Forbidden(
                "This needs an account of this app: sign in, or use a personal API key.".into(),
            )
        })
    }

    /// Calls Oura as this caller: with the user's stored token (refreshed as needed), or with
    /// the token the caller brought. A session whose sign-in Oura no longer accepts ends.
    pub async fn call_oura<T, F, Fut>(&self, tokens: &UserTokens, call: F) -> Result<T, ApiError>
    where
        F: Fn(SecretString) -> Fut,
        Fut: std::future::Future<Output = Result<T, OuraError>>,
    {
        let result = match self {
            Self::OuraToken(token) => call(token.clone()).await.map_err(ApiError::from),
            Self::Session { user_id, .. } | Self::ApiKey { user_id } => {
                tokens.call(user_id, call).await.map_err(ApiError::from)
            }
        };
        if let (Err(ApiError::SignInAgain), Self::Session { session, .. }) = (&result, self) {
            session.sign_out();
        }
        result
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move { identify(&request).await })
    }
}

async fn identify(request: &HttpRequest) -> Result<Caller, ApiError> {
    let store = request
        .app_data::<web::Data<Store>>()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("the store is not registered")))?;
    if let Some(header) = request.headers().get(AUTHORIZATION) {
        let token = header
            .to_str()
            .ok()
            .and_then(|value| value.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|token| !token.is_empty())
            .ok_or_else(|| {
                ApiError::BadRequest("The Authorization header must be `Bearer <token>`.".into())
            })?;
        let limits = request.app_data::<web::Data<RateLimits>>();
        let address = request.peer_addr().map(|a| a.ip());
        if !looks_like_api_key(token) {
            if let (Some(limits), Some(address)) = (limits, address) {
                limits.oura_token(address)?;
            }
            return Ok(Caller::OuraToken(SecretString::from(token.to_owned())));
        }
        if let (Some(limits), Some(address)) = (limits, address) {
            limits.may_try_api_key(address)?;
        }
        let Some(user_id) = store
            .authenticate_api_key(&SecretString::from(token.to_owned()))
            .await?
        else {
            if let (Some(limits), Some(address)) = (limits, address) {
                limits.failed_api_key(address);
            }
            return Err(ApiError::InvalidApiKey);
        };
        if !matches!(*request.method(), Method::GET | Method::HEAD) {
            return Err(ApiError::Forbidden("API keys are read-only.".into()));
        }
        tracing::Span::current().record("user_id", tracing::field::display(&user_id));
        return Ok(Caller::ApiKey { user_id });
    }
    let settings = request
        .app_data::<web::Data<Settings>>()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("settings are not registered")))?;
    let session = TypedSession::from_request(request, &mut Payload::None).await?;
    let signed_in = session
        .user(&settings.session)
        .ok_or(ApiError::Unauthenticated)?;
    // The account may be gone, or all its sessions ended since this one signed in.
    let live = store
        .user(&signed_in.user_id)
        .await?
        .is_some_and(|user| signed_in.signed_in_at > user.sessions_valid_after);
    if !live {
        session.sign_out();
        return Err(ApiError::SignInAgain);
    }
    tracing::Span::current().record("user_id", tracing::field::display(&signed_in.user_id));
    Ok(Caller::Session {
        session,
        user_id: signed_in.user_id,
    })
}
