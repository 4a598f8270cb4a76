use std::time::Duration;

use base64::Engine as _;
use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn a_code_is_exchanged_for_tokens_with_prefixed_scopes() {
    let app = spawn();
    let code = app.code_for("demo", &["email", "personal"]).await;

    let response = app.redeem(&code).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body = json(response).await;
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["scope"], "extapi:email extapi:personal");
    assert_eq!(body["expires_in"], 86_400);
    assert!(body["access_token"].as_str().unwrap().len() > 20);
    assert!(body["refresh_token"].as_str().unwrap().len() > 20);
    assert!(body["id_token"].is_null());
    assert_eq!(app.sim.counters().pkce_verified, 1);
}

#[tokio::test]
async fn a_code_is_single_use_and_reuse_revokes_what_it_gave() {
    let app = spawn();
    let code = app.code_for("demo", &["email"]).await;
    let first = json(app.redeem(&code).await).await;

    let second = app.redeem(&code).await;

    assert_eq!(second.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(second).await["error"], "invalid_grant");
    let token = first["access_token"].as_str().unwrap();
    assert_eq!(
        app.personal_info(token).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_code_expires_after_ten_minutes() {
    let app = spawn();
    let code = app.code_for("demo", &["email"]).await;
    app.sim.advance_clock(Duration::from_secs(601));

    let response = app.redeem(&code).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = json(response).await;
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_description"], "Token has expired");
}

#[tokio::test]
async fn a_wrong_pkce_verifier_is_refused() {
    let app = spawn();
    let code = app.code_for("demo", &["email"]).await;

    let response = app
        .redeem_with(
            &code,
            "code_verifier",
            Some("another-verifier-another-verifier-another-verifier"),
        )
        .await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        json(response).await["error_description"],
        "PKCE verification failed"
    );
}

#[tokio::test]
async fn a_missing_pkce_verifier_is_refused_when_a_challenge_was_sent() {
    let app = spawn();
    let code = app.code_for("demo", &["email"]).await;

    let response = app.redeem_with(&code, "code_verifier", None).await;

    assert_eq!(json(response).await["error"], "invalid_grant");
}

#[tokio::test]
async fn the_redirect_uri_must_match_the_authorize_request_exactly() {
    let app = spawn();
    let code = app.code_for("demo", &["email"]).await;

    let response = app
        .redeem_with(
            &code,
            "redirect_uri",
            Some("http://127.0.0.1:9/auth/callback/"),
        )
        .await;

    assert_eq!(
        json(response).await["error_description"],
        "Redirect URI does not match"
    );
}

#[tokio::test]
async fn basic_client_authentication_is_accepted() {
    let app = spawn();
    let code = app.code_for("demo", &["email"]).await;

    let response = app
        .http
        .post(app.sim.token_url())
        .header(
            "Authorization",
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD
                    .encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
            ),
        )
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_wrong_client_secret_is_invalid_client() {
    let app = spawn();
    let code = app.code_for("demo", &["email"]).await;

    let response = app.redeem_with(&code, "client_secret", Some("guess")).await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json(response).await["error"], "invalid_client");
}

#[tokio::test]
async fn an_unknown_grant_type_is_refused_with_ouras_message() {
    let app = spawn();

    let response = app
        .token(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
        ])
        .await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = json(response).await;
    assert_eq!(body["error"], "unsupported_grant_type");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("grant_type must be")
    );
}

#[tokio::test]
async fn refresh_tokens_rotate_and_are_single_use() {
    let app = spawn();
    let code = app.code_for("demo", &["email"]).await;
    let first = json(app.redeem(&code).await).await;
    let refresh = first["refresh_token"].as_str().unwrap();
    let grant = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh),
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
    ];

    let rotated = json(app.token(&grant).await).await;
    let reused = app.token(&grant).await;

    assert_ne!(rotated["refresh_token"], first["refresh_token"]);
    assert_eq!(rotated["scope"], "extapi:email");
    assert_eq!(reused.status(), StatusCode::BAD_REQUEST);
    let body = json(reused).await;
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(
        body["error_description"],
        "Token already used or revoked (refresh token can only be used once)"
    );
    assert_eq!(app.sim.counters().refreshes, 1);
}

#[tokio::test]
async fn the_direct_token_shortcut_issues_a_working_token() {
    let app = spawn();

    let response = app
        .http
        .post(format!("{}/sim/access-tokens", app.sim.base_url()))
        .form(&[("user", "demo")])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    let token = json(response).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(app.personal_info(&token).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn reusing_a_refresh_token_revokes_its_whole_family() {
    let app = spawn();
    let code = app.code_for("demo", &["email"]).await;
    let first = json(app.redeem(&code).await).await;
    let refresh = first["refresh_token"].as_str().unwrap();
    let grant = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh),
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
    ];
    let rotated = json(app.token(&grant).await).await;

    let reuse = app.token(&grant).await;

    assert_eq!(reuse.status(), StatusCode::BAD_REQUEST);
    let newest_access = rotated["access_token"].as_str().unwrap();
    assert_eq!(
        app.personal_info(newest_access).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let newest_refresh = rotated["refresh_token"].as_str().unwrap();
    let after = app
        .token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", newest_refresh),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
        ])
        .await;
    assert_eq!(after.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.sim.counters().refresh_reuse_detected, 1);
}

#[tokio::test]
async fn revoking_a_refresh_token_ends_the_grant() {
    let app = spawn();
    let code = app.code_for("demo", &["email"]).await;
    let tokens = json(app.redeem(&code).await).await;

    let response = app
        .http
        .post(app.sim.revoke_url())
        .form(&[
            ("token", tokens["refresh_token"].as_str().unwrap()),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(
        app.personal_info(access).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.sim.counters().revocations, 1);
}

#[tokio::test]
async fn the_access_token_lifetime_is_configurable() {
    let app = spawn_with(oura_simulator::SimulatorConfig {
        access_token_lifetime: Duration::from_secs(30),
        ..oura_simulator::SimulatorConfig::default()
    });
    let code = app.code_for("demo", &["email"]).await;

    let body = json(app.redeem(&code).await).await;

    assert_eq!(body["expires_in"], 30);
}
