//! `POST /sim/access-tokens`: a token pair without the browser flow, so that a person trying
//! the demo can call the backend's API with curl. Not an Oura endpoint.

use actix_web::{HttpResponse, http::StatusCode, web};

use super::params::Params;
use crate::responses::{api_error, oauth_error};
use crate::state::{KNOWN_SCOPES, SimState};
use crate::users::DEMO_USERNAME;

/// The client id that tokens from this shortcut are issued to.
const DIRECT_CLIENT_ID: &str = "oura-simulator-direct";

pub(crate) async fn issue(sim: web::Data<SimState>, body: String) -> HttpResponse {
    if !sim.config.direct_tokens {
        return api_error(
            StatusCode::NOT_FOUND,
            "Not Found",
            "Direct tokens are switched off.",
        );
    }
    let Ok(form) = Params::parse(&body, &[]) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Malformed form body",
        );
    };
    let username = form.get("user").unwrap_or(DEMO_USERNAME);
    if crate::SimulatedUser::from_username(username).is_none() {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "user must be 1 to 32 characters: a-z, 0-9, dot, underscore, hyphen",
        );
    }
    let all: Vec<&str> = KNOWN_SCOPES.iter().map(|(name, _)| *name).collect();
    let requested: Vec<&str> = form
        .get("scope")
        .map_or(all, |scope| scope.split(' ').collect());
    let pair = sim.issue_direct_tokens(DIRECT_CLIENT_ID, username, &requested);
    let scopes: Vec<String> = requested
        .iter()
        .filter_map(|s| crate::state::known_scope(s))
        .map(str::to_owned)
        .collect();
    super::token::token_response(&sim, &pair.access_token, &pair.refresh_token, &scopes)
}
