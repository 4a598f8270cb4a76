use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use shared::{ApiErrorBody, ErrorCode};

use super::failure::LoginFailure;
use super::session::{TypedSession, unix_now};
use super::{query, return_to};
use crate::config::Settings;
use crate::domain::UserId;
use crate::oura::{OuraApi, OuraError, OuraOAuth, TokenExchangeError, duration_secs};
use crate::store::{NewTokens, Store, now};
use crate::sync::Syncer;

/// A completed sign-in: who, and where they go next.
struct SignedIn {
    user_id: UserId,
    return_to: String,
}

/// Where Oura sends the browser back after consent.
///
/// Checks `iss` and `state` before the code is redeemed, redeems it with the PKCE verifier,
/// keeps the tokens server side, renews the session id and redirects into the app.
#[utoipa::path(
    tag = "auth",
    params(
        ("code" = Option<String>, Query, description = "Authorization code, on success"),
        ("state" = String, Query, description = "The state this browser's login started with"),
        ("iss" = Option<String>, Query, description = "Issuer (RFC 9207); required when one is configured"),
        ("error" = Option<String>, Query, description = "`access_denied` when the person declined"),
    ),
    responses(
        (status = 303, description = "Signed in; redirect into the app"),
        (status = 400, description = "Malformed, replayed, late or foreign callback (HTML for browsers)", body = ApiErrorBody),
        (status = 403, description = "The person declined access", body = ApiErrorBody),
        (status = 502, description = "Oura's token endpoint failed", body = ApiErrorBody),
        (status = 504, description = "Oura's token endpoint timed out", body = ApiErrorBody),
    )
)]
#[get("/callback")]
pub async fn receive(
    request: HttpRequest,
    session: TypedSession,
    settings: web::Data<Settings>,
    oauth: web::Data<OuraOAuth>,
    api: web::Data<OuraApi>,
    store: web::Data<Store>,
    syncer: web::Data<Syncer>,
) -> HttpResponse {
    match complete_login(&request, &session, &settings, &oauth, &api, &store).await {
        Ok(signed_in) => {
            if settings.sync_on_login {
                // The run has begun (it holds the lease and says "running") before the browser
                // is sent on: the page it lands on shows the sync's progress from its first
                // request. Only the work goes to the background; a sync that cannot begin does
                // not stand in the way of the sign-in.
                match syncer.begin(&signed_in.user_id).await {
                    Ok(Some(started)) => syncer
                        .into_inner()
                        .spawn_started(signed_in.user_id, started),
                    Ok(None) => {}
                    Err(error) => tracing::warn!(%error, "the first sync could not begin"),
                }
            }
            HttpResponse::SeeOther()
                .insert_header(("Location", signed_in.return_to))
                .finish()
        }
        Err(failure) => failure.respond(&request),
    }
}

async fn complete_login(
    request: &HttpRequest,
    session: &TypedSession,
    settings: &Settings,
    oauth: &OuraOAuth,
    api: &OuraApi,
    store: &Store,
) -> Result<SignedIn, LoginFailure> {
    let params = query::single_valued(request.query_string()).map_err(|name| {
        LoginFailure::invalid(format!("The parameter {name:?} appears more than once."))
    })?;
    check_issuer(settings, &params)?;
    let state = params
        .get("state")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            LoginFailure::invalid("The response from Oura has no state. Please start again.")
        })?;
    // Single use: the pending login is gone from the session whatever happens next.
    let pending = session
        .take_pending_login(state)
        .map_err(|e| internal(&e))?
        .ok_or_else(|| {
            LoginFailure::invalid(
                "This sign-in was not started in this browser, or it was already used. Please start again.",
            )
        })?;
    if unix_now().saturating_sub(pending.started_at) > settings.login_timeout.as_secs() {
        return Err(LoginFailure::invalid(
            "This sign-in took too long and has expired. Please start again.",
        ));
    }
    // The session copy of the pending login is gone from this request's session, but a
    // request racing this one with the same cookie read it too: only one may redeem the code.
    let lifetime = i64::try_from(settings.login_timeout.as_secs()).unwrap_or(i64::MAX);
    if !store
        .claim_login(state, lifetime)
        .await
        .map_err(|e| internal(&e))?
    {
        return Err(LoginFailure::invalid(
            "This sign-in was already used. Please start again.",
        ));
    }
    if let Some(error) = params.get("error") {
        return Err(declined_or_failed(error));
    }
    let code = params
        .get("code")
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            LoginFailure::invalid("The response from Oura has no code. Please start again.")
        })?;

    let tokens = oauth
        .exchange_code(code.clone(), pending.pkce_verifier)
        .await
        .map_err(token_failure)?;
    let profile = api
        .personal_info(&tokens.access_token)
        .await
        .map_err(profile_failure)?;
    let scopes = tokens.scopes.join(" ");
    let user_id = UserId::new(profile.info.id);
    store
        .save_sign_in(
            &user_id,
            NewTokens {
                access_token: &tokens.access_token,
                refresh_token: tokens.refresh_token.as_ref(),
                access_expires_at: tokens.expires_in.map(|d| now() + duration_secs(d)),
                scopes: &scopes,
            },
        )
        .await
        .map_err(|e| internal(&e))?;
    store
        .save_profile(&user_id, &profile.raw)
        .await
        .map_err(|e| internal(&e))?;
    session.sign_in(&user_id).map_err(|e| internal(&e))?;
    tracing::info!(%user_id, %scopes, "signed in");
    Ok(SignedIn {
        user_id,
        return_to: return_to::sanitize(Some(&pending.return_to)),
    })
}

/// RFC 9207: with an issuer configured, the callback must name it.
fn check_issuer(settings: &Settings, params: &HashMap<String, String>) -> Result<(), LoginFailure> {
    let crate::config::OuraMode::Configured(oura) = &settings.oura else {
        return Ok(());
    };
    match (&oura.issuer, params.get("iss")) {
        (None, _) => Ok(()),
        (Some(expected), Some(iss)) if iss == expected => Ok(()),
        (Some(_), _) => Err(LoginFailure::invalid(
            "The response did not come from the expected Oura sign-in server. Please start again.",
        )),
    }
}

fn declined_or_failed(error: &str) -> LoginFailure {
    if error == "access_denied" {
        LoginFailure::new(
            StatusCode::FORBIDDEN,
            ErrorCode::AccessDenied,
            "You did not give access",
            "You chose not to share your Oura data, so you are not signed in. Nothing was stored. \
             You can try again whenever you like.",
        )
    } else {
        LoginFailure::invalid(format!(
            "Oura could not complete the sign-in ({error}). Please start again."
        ))
    }
}

fn token_failure(error: TokenExchangeError) -> LoginFailure {
    tracing::warn!(%error, "code exchange failed");
    match error {
        TokenExchangeError::InvalidGrant => LoginFailure::invalid(
            "Oura did not accept this sign-in (the link was already used or has expired). Please start again.",
        ),
        TokenExchangeError::Timeout => LoginFailure::new(
            StatusCode::GATEWAY_TIMEOUT,
            ErrorCode::UpstreamTimeout,
            "Oura did not answer",
            "Oura's sign-in server did not answer in time. Please try again.",
        ),
        TokenExchangeError::Refused(_)
        | TokenExchangeError::Unreachable
        | TokenExchangeError::Malformed => LoginFailure::new(
            StatusCode::BAD_GATEWAY,
            ErrorCode::UpstreamError,
            "Oura sign-in failed",
            "Oura's sign-in server could not complete the sign-in. Please try again later.",
        ),
    }
}

fn profile_failure(error: OuraError) -> LoginFailure {
    let api_error = crate::error::ApiError::from(error);
    let body = api_error.body();
    LoginFailure::new(
        actix_web::ResponseError::status_code(&api_error),
        body.error,
        "Oura sign-in failed",
        body.message,
    )
}

fn internal(error: &anyhow::Error) -> LoginFailure {
    tracing::error!(error = format!("{error:#}"), "storage failed during login");
    LoginFailure::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        ErrorCode::Internal,
        "Something went wrong",
        "Something went wrong on our side. Please try again.",
    )
}
