//! `POST /oauth/v2/ext/oauth-token`: redeems codes and refresh tokens as Oura's IdP does.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::params::Params;
use crate::faults::FaultTarget;
use crate::responses::oauth_error;
use crate::state::{ChallengeMethod, Grant, SimState, scope_string};

const BAD: StatusCode = StatusCode::BAD_REQUEST;

pub(crate) async fn token(
    request: HttpRequest,
    sim: web::Data<SimState>,
    body: String,
) -> HttpResponse {
    sim.lock().counters.token_requests += 1;
    if let Some(fault) = sim.take_fault(FaultTarget::Token)
        && let Some(response) = fault.apply().await
    {
        return response;
    }
    let (form, client_id) = match authenticated_form(&sim, &request, &body) {
        Ok(parsed) => parsed,
        Err((status, error, description)) => return oauth_error(status, error, &description),
    };
    match form.get("grant_type") {
        Some("authorization_code") => redeem_code(&sim, &form, &client_id),
        Some("refresh_token") => refresh(&sim, &form, &client_id),
        _ => oauth_error(
            BAD,
            "unsupported_grant_type",
            "Invalid grant_type. grant_type must be either authorization_code or refresh_token",
        ),
    }
}

/// The form of a request to the token or revocation endpoint, each parameter at most once,
/// and the client it authenticates.
fn authenticated_form(
    sim: &SimState,
    request: &HttpRequest,
    body: &str,
) -> Result<(Params, String), (StatusCode, &'static str, String)> {
    let form = Params::parse(body, &[]).map_err(|name| {
        (
            BAD,
            "invalid_request",
            format!("Duplicated parameter: {name}"),
        )
    })?;
    let client_id = authenticate_client(sim, request, &form)
        .map_err(|(status, error, description)| (status, error, description.to_owned()))?;
    Ok((form, client_id))
}

/// Why the token endpoint refuses: status, `error` and `error_description`.
type Refusal = (StatusCode, &'static str, &'static str);

const INVALID_CLIENT: StatusCode = StatusCode::UNAUTHORIZED;

/// Client authentication by `client_secret_basic` or `client_secret_post`, never both at once
/// (RFC 6749 2.3). Returns the authenticated client id.
fn authenticate_client(
    sim: &SimState,
    request: &HttpRequest,
    form: &Params,
) -> Result<String, Refusal> {
    let malformed = (
        INVALID_CLIENT,
        "invalid_client",
        "Malformed Basic credentials",
    );
    let basic = request
        .headers()
        .get("Authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Basic "))
        .map(|encoded| {
            let decoded = STANDARD
                .decode(encoded.trim())
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or(malformed)?;
            let (id, secret) = decoded.split_once(':').ok_or(malformed)?;
            // RFC 6749 2.3.1: both halves are form-urlencoded before they are joined.
            let decode = |s: &str| {
                url::form_urlencoded::parse(format!("x={s}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            };
            Ok::<_, Refusal>((decode(id), decode(secret)))
        })
        .transpose()?;
    let (client_id, secret) = match (basic, form.get("client_secret")) {
        (Some(_), Some(_)) => {
            return Err((
                BAD,
                "invalid_request",
                "Use one client authentication method, not two",
            ));
        }
        (Some((id, secret)), None) => {
            if form.get("client_id").is_some_and(|body_id| body_id != id) {
                return Err((BAD, "invalid_request", "client_id does not match"));
            }
            (id, secret)
        }
        (None, Some(secret)) => match form.get("client_id") {
            Some(id) => (id.to_owned(), secret.to_owned()),
            None => return Err((INVALID_CLIENT, "invalid_client", "Invalid client_id")),
        },
        (None, None) => {
            return Err((
                INVALID_CLIENT,
                "invalid_client",
                "Client authentication is required",
            ));
        }
    };
    match sim.client(&client_id) {
        Some(client) if client.client_secret == secret => Ok(client_id),
        Some(_) => Err((
            INVALID_CLIENT,
            "invalid_client",
            "Invalid client credentials",
        )),
        None => Err((INVALID_CLIENT, "invalid_client", "Invalid client_id")),
    }
}

fn invalid_grant(description: &str) -> HttpResponse {
    oauth_error(BAD, "invalid_grant", description)
}

fn redeem_code(sim: &SimState, form: &Params, client_id: &str) -> HttpResponse {
    let Some(code) = form.get("code") else {
        return oauth_error(BAD, "invalid_request", "Missing code");
    };
    let now = sim.clock.now();
    let mut inner = sim.lock();
    let Some(issued) = inner.codes.get_mut(code) else {
        return invalid_grant("Invalid authorization code");
    };
    if issued.redeemed {
        // A code used twice may have been stolen: revoke what it already gave (RFC 6749 4.1.2).
        let tokens = std::mem::take(&mut issued.issued_tokens);
        for token in tokens {
            if let Some(access) = inner.access_tokens.get_mut(&token) {
                access.revoked = true;
            }
        }
        return invalid_grant("Token already used or revoked");
    }
    if issued.client_id != client_id {
        return invalid_grant("The code was issued to another client");
    }
    let age = now.duration_since(issued.issued_at).unwrap_or_default();
    if age > sim.config.code_lifetime {
        return invalid_grant("Token has expired");
    }
    if let Some(expected) = &issued.redirect_uri {
        match form.get("redirect_uri") {
            None => return oauth_error(BAD, "invalid_request", "redirect_uri missing"),
            Some(sent) if sent != expected => return invalid_grant("Redirect URI does not match"),
            Some(_) => {}
        }
    }
    let verified = match (&issued.challenge, form.get("code_verifier")) {
        (None, None) => false,
        (None, Some(_)) => {
            return invalid_grant("code_verifier sent, but no code_challenge was");
        }
        (Some(_), None) => return invalid_grant("Missing code_verifier"),
        (Some((challenge, method)), Some(verifier)) => {
            let computed = match method {
                ChallengeMethod::Plain => verifier.to_owned(),
                ChallengeMethod::S256 => {
                    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
                }
            };
            if &computed != challenge {
                return invalid_grant("PKCE verification failed");
            }
            true
        }
    };
    issued.redeemed = true;
    let (user, scopes) = (issued.user.clone(), issued.scopes.clone());
    let grant = Grant {
        client_id: client_id.to_owned(),
        user,
        scopes,
        family: inner.new_family(),
    };
    let pair = sim.mint_tokens(&mut inner, grant.clone());
    if let Some(issued) = inner.codes.get_mut(code) {
        issued.issued_tokens.push(pair.access_token.clone());
    }
    inner.counters.codes_redeemed += 1;
    if verified {
        inner.counters.pkce_verified += 1;
    }
    token_response(sim, &pair.access_token, &pair.refresh_token, &grant.scopes)
}

fn refresh(sim: &SimState, form: &Params, client_id: &str) -> HttpResponse {
    let Some(refresh_token) = form.get("refresh_token") else {
        return oauth_error(BAD, "invalid_request", "Missing refresh_token");
    };
    let mut inner = sim.lock();
    let Some(stored) = inner.refresh_tokens.get_mut(refresh_token) else {
        return invalid_grant("Invalid refresh token");
    };
    if stored.revoked {
        return invalid_grant(
            "Token already used or revoked (refresh token can only be used once)",
        );
    }
    if stored.used {
        // Reuse means a copy is loose: end everything this consent produced, as Oura does.
        let family = stored.grant.family;
        inner.revoke_family(family);
        inner.counters.refresh_reuse_detected += 1;
        return invalid_grant(
            "Token already used or revoked (refresh token can only be used once)",
        );
    }
    if stored.grant.client_id != client_id {
        return invalid_grant("The refresh token was issued to another client");
    }
    stored.used = true;
    let grant = stored.grant.clone();
    let pair = sim.mint_tokens(&mut inner, grant.clone());
    inner.counters.refreshes += 1;
    token_response(sim, &pair.access_token, &pair.refresh_token, &grant.scopes)
}

/// The token response as observed from Oura in 2026 (with `id_token: null`).
pub(crate) fn token_response(
    sim: &SimState,
    access_token: &str,
    refresh_token: &str,
    scopes: &[String],
) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Pragma", "no-cache"))
        .json(json!({
            "token_type": "bearer",
            "access_token": access_token,
            "expires_in": sim.config.access_token_lifetime.as_secs(),
            "refresh_token": refresh_token,
            "scope": scope_string(scopes),
            "id_token": null,
        }))
}

/// `POST /oauth/v2/ext/oauth-revoke` (RFC 7009): ends the token's whole family. Answers 200
/// for unknown tokens too, as the RFC asks.
pub(crate) async fn revoke(
    request: HttpRequest,
    sim: web::Data<SimState>,
    body: String,
) -> HttpResponse {
    let (form, client_id) = match authenticated_form(&sim, &request, &body) {
        Ok(parsed) => parsed,
        Err((status, error, description)) => return oauth_error(status, error, &description),
    };
    let Some(token) = form.get("token") else {
        return oauth_error(BAD, "invalid_request", "Missing token");
    };
    let mut inner = sim.lock();
    let family = inner
        .refresh_tokens
        .get(token)
        .map(|t| (t.grant.family, t.grant.client_id.clone()))
        .or_else(|| {
            inner
                .access_tokens
                .get(token)
                .map(|t| (t.grant.family, t.grant.client_id.clone()))
        });
    if let Some((family, owner)) = family
        && owner == client_id
    {
        inner.revoke_family(family);
        inner.counters.revocations += 1;
    }
    HttpResponse::Ok().finish()
}
