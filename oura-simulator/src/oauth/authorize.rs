//! `GET/POST /oauth/v2/ext/oauth-authorize`: the page where a person signs in and consents.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use url::Url;

use super::params::Params;
use crate::state::{ChallengeMethod, IssuedCode, KNOWN_SCOPES, SimState, known_scope};
use crate::users::{DEMO_USERNAME, SimulatedUser};

/// An authorize request whose client and redirect URI have been checked, so errors from here
/// on may be sent back to the app (RFC 6749 4.1.2.1).
struct AuthorizeRequest {
    client_id: String,
    /// As sent; `None` when the app left it out and its only registered URI is used.
    redirect_uri: Option<String>,
    /// Where the browser goes back to.
    return_uri: String,
    state: Option<String>,
    scopes: Vec<&'static str>,
    challenge: Option<(String, ChallengeMethod)>,
}

enum Invalid {
    /// Tell the person on the page: the app's identity or return address is in doubt.
    Page(String),
    /// Send an error back to the app, at its (checked) redirect URI.
    Redirect {
        back: String,
        error: &'static str,
        description: &'static str,
    },
}

fn check(sim: &SimState, params: &Params) -> Result<AuthorizeRequest, Invalid> {
    let page = |msg: &str| Invalid::Page(msg.to_owned());
    let client_id = params
        .get("client_id")
        .ok_or_else(|| page("Invalid client_id"))?;
    let client = sim
        .client(client_id)
        .ok_or_else(|| page("Invalid client_id"))?;
    if client.redirect_uris.is_empty() {
        return Err(page("No redirect URIs set in the application"));
    }
    let redirect_uri = params.get("redirect_uri").map(str::to_owned);
    let return_uri = match &redirect_uri {
        Some(uri) if client.redirect_uris.contains(uri) => uri.clone(),
        Some(_) => return Err(page("redirect uri not found in application redirect URIs")),
        None if client.redirect_uris.len() == 1 => client.redirect_uris[0].clone(),
        None => return Err(page("Missing redirect_uri parameter")),
    };
    Url::parse(&return_uri).map_err(|_| page("Invalid redirect URI"))?;
    let redirect = |error: &'static str, description: &'static str| Invalid::Redirect {
        back: return_uri.clone(),
        error,
        description,
    };
    if params.get("response_type") != Some("code") {
        return Err(redirect(
            "unsupported_response_type",
            "response_type must be code",
        ));
    }
    let challenge = match (
        params.get("code_challenge"),
        params.get("code_challenge_method"),
    ) {
        (None, None) => None,
        (Some(challenge), method) => {
            let method = match method {
                None | Some("plain") => ChallengeMethod::Plain,
                Some("S256") => ChallengeMethod::S256,
                Some(_) => {
                    return Err(redirect(
                        "invalid_request",
                        "code_challenge_method must be S256 or plain",
                    ));
                }
            };
            Some((challenge.to_owned(), method))
        }
        (None, Some(_)) => {
            return Err(redirect(
                "invalid_request",
                "code_challenge_method without code_challenge",
            ));
        }
    };
    let scopes = match params.get("scope") {
        None => KNOWN_SCOPES.iter().map(|(name, _)| *name).collect(),
        Some(requested) => {
            let mut scopes: Vec<&'static str> =
                requested.split(' ').filter_map(known_scope).collect();
            scopes.dedup();
            scopes
        }
    };
    Ok(AuthorizeRequest {
        client_id: client_id.to_owned(),
        redirect_uri,
        return_uri,
        state: params.get("state").map(str::to_owned),
        scopes,
        challenge,
    })
}

pub(crate) async fn show_consent_page(
    request: HttpRequest,
    sim: web::Data<SimState>,
) -> HttpResponse {
    let params = match Params::parse(request.query_string(), &[]) {
        Ok(params) => params,
        Err(name) => return error_page(&format!("Duplicated parameter: {name}")),
    };
    match check(&sim, &params) {
        Ok(authorize) => consent_page(&authorize, request.query_string(), None),
        Err(invalid) => refuse(&sim, invalid, params.get("state")),
    }
}

pub(crate) async fn decide(sim: web::Data<SimState>, body: String) -> HttpResponse {
    let form = match Params::parse(&body, &["granted"]) {
        Ok(form) => form,
        Err(name) => return error_page(&format!("Duplicated parameter: {name}")),
    };
    // The original query travels in a hidden field, so the decision is checked exactly as the
    // request that showed the page was.
    let original = form.get("request").unwrap_or_default();
    let params = match Params::parse(original, &[]) {
        Ok(params) => params,
        Err(name) => return error_page(&format!("Duplicated parameter: {name}")),
    };
    let authorize = match check(&sim, &params) {
        Ok(authorize) => authorize,
        Err(invalid) => return refuse(&sim, invalid, params.get("state")),
    };
    if form.get("decision") != Some("allow") {
        return redirect_back(
            &sim,
            &authorize.return_uri,
            &[
                ("error", "access_denied"),
                ("error_description", "The user denied access"),
            ],
            authorize.state.as_deref(),
        );
    }
    let username = form.get("username").unwrap_or_default().trim();
    let Some(user) = SimulatedUser::from_username(username) else {
        let message = "Usernames are 1 to 32 characters: a-z, 0-9, dot, underscore, hyphen.";
        return consent_page(&authorize, original, Some(message));
    };
    let granted: Vec<String> = authorize
        .scopes
        .iter()
        .filter(|scope| form.all("granted").iter().any(|g| g == *scope))
        .map(|scope| (*scope).to_owned())
        .collect();
    let code = crate::state::random_token("");
    sim.lock().codes.insert(
        code.clone(),
        IssuedCode {
            client_id: authorize.client_id.clone(),
            redirect_uri: authorize.redirect_uri.clone(),
            user,
            scopes: granted,
            challenge: authorize.challenge.clone(),
            issued_at: sim.clock.now(),
            redeemed: false,
            issued_tokens: Vec::new(),
        },
    );
    redirect_back(
        &sim,
        &authorize.return_uri,
        &[("code", &code)],
        authorize.state.as_deref(),
    )
}

fn refuse(sim: &SimState, invalid: Invalid, state: Option<&str>) -> HttpResponse {
    match invalid {
        Invalid::Redirect {
            back,
            error,
            description,
        } => redirect_back(
            sim,
            &back,
            &[("error", error), ("error_description", description)],
            state,
        ),
        Invalid::Page(message) => error_page(&message),
    }
}

/// 303 to the app's redirect URI with `pairs`, `state` and `iss` (RFC 9207) appended.
fn redirect_back(
    sim: &SimState,
    return_uri: &str,
    pairs: &[(&str, &str)],
    state: Option<&str>,
) -> HttpResponse {
    let Ok(mut url) = Url::parse(return_uri) else {
        return error_page("Invalid redirect URI");
    };
    {
        let mut query = url.query_pairs_mut();
        query.append_pair("iss", &sim.issuer());
        for (name, value) in pairs {
            query.append_pair(name, value);
        }
        if let Some(state) = state {
            query.append_pair("state", state);
        }
    }
    HttpResponse::SeeOther()
        .insert_header(("Location", url.as_str()))
        .insert_header(("Cache-Control", "no-store"))
        .finish()
}

fn error_page(message: &str) -> HttpResponse {
    page(
        StatusCode::BAD_REQUEST,
        &format!(
            "<h1>Something is wrong with this sign-in link</h1><p class=\"error\">{}</p>",
            text(message)
        ),
    )
}

fn consent_page(authorize: &AuthorizeRequest, query: &str, problem: Option<&str>) -> HttpResponse {
    let scopes: String = authorize
        .scopes
        .iter()
        .map(|scope| {
            let description = KNOWN_SCOPES
                .iter()
                .find(|(name, _)| name == scope)
                .map_or("", |(_, d)| d);
            format!(
                "<li><label><input type=\"checkbox\" name=\"granted\" value=\"{scope}\" checked> \
                 <strong>{scope}</strong> <span>{}</span></label></li>",
                text(description)
            )
        })
        .collect();
    let problem = problem
        .map(|p| format!("<p class=\"error\" role=\"alert\">{}</p>", text(p)))
        .unwrap_or_default();
    let status = if problem.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    page(
        status,
        &format!(
            r#"<p class="tag">Oura simulator &middot; not the real Oura</p>
<h1>Sign in to Oura</h1>
<p><strong>{client}</strong> wants to read your Oura data.</p>
<form method="post" action="{action}">
  <input type="hidden" name="request" value="{request}">
  {problem}
  <label for="username">Simulated account</label>
  <input id="username" name="username" value="{demo}" autocomplete="username" required>
  <p class="hint">Any lowercase name works; each one is a different, consistent person.</p>
  <fieldset><legend>Data you share</legend><ul>{scopes}</ul></fieldset>
  <div class="actions">
    <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
    <button type="submit" name="decision" value="allow">Allow</button>
  </div>
</form>"#,
            client = text(&authorize.client_id),
            action = crate::AUTHORIZE_PATH,
            request = attr(query),
            demo = DEMO_USERNAME,
        ),
    )
}

fn page(status: StatusCode, body: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Frame-Options", "DENY"))
        .body(format!(
            r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Oura simulator: sign in</title>
<link rel="icon" href="data:,">
<style>
body {{ font-family: system-ui, sans-serif; background: #0f1720; color: #e8edf2; margin: 0; }}
main {{ max-width: 28rem; margin: 3rem auto; padding: 2rem; background: #18222d; border-radius: 12px; }}
.tag {{ color: #f5c26b; font-size: .85rem; text-transform: uppercase; letter-spacing: .05em; }}
label {{ display: block; margin: .5rem 0 .25rem; }}
input[name=username] {{ width: 100%; padding: .5rem; font-size: 1rem; box-sizing: border-box; }}
fieldset {{ border: 1px solid #2c3a48; border-radius: 8px; margin-top: 1rem; }}
ul {{ list-style: none; padding: 0; }} li span, .hint {{ color: #9fb0c0; font-size: .9rem; }}
.actions {{ display: flex; gap: 1rem; justify-content: flex-end; margin-top: 1.5rem; }}
button {{ padding: .6rem 1.4rem; font-size: 1rem; border-radius: 8px; border: 0; background: #6aa9ff; color: #0f1720; cursor: pointer; }}
button.secondary {{ background: transparent; color: #e8edf2; border: 1px solid #6b7c8d; }}
.error {{ color: #ff8a80; }}
</style></head>
<body><main>{body}</main></body></html>"#
        ))
}
