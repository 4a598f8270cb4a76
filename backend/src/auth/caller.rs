//! [`Caller`]: who is calling an `/api` route, by session cookie or by `Authorization: Bearer`.

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, web};
use secrecy::SecretString;

use super::session::TypedSession;
use crate::config::Settings;
use crate::error::ApiError;

pub enum Caller {
    /// The SPA, with the session cookie.
    Session(TypedSession, SecretString),
    /// A script, with an Oura access token of its own.
    Bearer(SecretString),
}

impl Caller {
    pub fn oura_token(&self) -> &SecretString {
        match self {
            Self::Session(_, token) | Self::Bearer(token) => token,
        }
    }

    /// Ends a session whose Oura token is dead, so the SPA shows the sign-in page again.
    pub fn forget_dead_token(&self) {
        if let Self::Session(session, _) = self {
            session.sign_out();
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(identify(request))
    }
}

fn identify(request: &HttpRequest) -> Result<Caller, ApiError> {
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
        return Ok(Caller::Bearer(SecretString::from(token.to_owned())));
    }
    let settings = request
        .app_data::<web::Data<Settings>>()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("settings are not registered")))?;
    let session = TypedSession::from_request(request, &mut Payload::None)
        .into_inner()
        .map_err(|_| ApiError::Unauthenticated)?;
    let user = session
        .user(settings.session.absolute_timeout)
        .ok_or(ApiError::Unauthenticated)?;
    let token = user.access_token();
    Ok(Caller::Session(session, token))
}
