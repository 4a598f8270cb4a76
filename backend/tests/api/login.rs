use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn login_redirects_to_the_configured_authorize_url_with_pkce_and_state() {
    let app = spawn_app().await;

    let authorize = app.browser.start_login(None).await;

    assert!(
        authorize.starts_with(&app.sim.authorize_url()),
        "{authorize}"
    );
    assert_eq!(
        query_param(&authorize, "response_type").as_deref(),
        Some("code")
    );
    assert_eq!(
        query_param(&authorize, "client_id").as_deref(),
        Some(CLIENT_ID)
    );
    assert_eq!(
        query_param(&authorize, "redirect_uri"),
        Some(format!("{}/auth/callback", app.address))
    );
    assert_eq!(
        query_param(&authorize, "scope").as_deref(),
        Some("email personal daily heartrate stress spo2 heart_health workout session tag")
    );
    assert_eq!(
        query_param(&authorize, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert_eq!(query_param(&authorize, "code_challenge").unwrap().len(), 43);
    // 32 random bytes, base64url: 43 characters, 256 bits.
    assert_eq!(query_param(&authorize, "state").unwrap().len(), 43);
    assert!(
        !authorize.contains(CLIENT_SECRET),
        "the client secret is never in a URL"
    );
}

#[tokio::test]
async fn two_logins_use_different_states_and_challenges() {
    let app = spawn_app().await;

    let first = app.browser.start_login(None).await;
    let second = app.browser.start_login(None).await;

    assert_ne!(query_param(&first, "state"), query_param(&second, "state"));
    assert_ne!(
        query_param(&first, "code_challenge"),
        query_param(&second, "code_challenge")
    );
}

#[tokio::test]
async fn the_redirect_uri_ignores_host_and_forwarded_headers() {
    let app = spawn_app().await;

    let response = app
        .browser
        .http
        .get(app.browser.url("/auth/login"))
        .header("Host", "evil.example")
        .header("X-Forwarded-Host", "evil.example")
        .header("X-Forwarded-Proto", "https")
        .send()
        .await
        .unwrap();

    let authorize = location(&response);
    assert_eq!(
        query_param(&authorize, "redirect_uri"),
        Some(format!("{}/auth/callback", app.address))
    );
}

#[tokio::test]
async fn the_session_cookie_is_httponly_lax_host_wide_and_small() {
    let app = spawn_app().await;

    let response = app.browser.navigate(&app.browser.url("/auth/login")).await;

    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("oura_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.to_ascii_lowercase().contains("domain="), "{cookie}");
    let value = cookie.split(';').next().unwrap();
    assert!(
        value.len() < 200,
        "the cookie should hold an id, not state: {cookie}"
    );
}

#[tokio::test]
async fn with_https_the_cookie_is_secure_and_host_prefixed() {
    let app = spawn_app_with(&[("COOKIE_SECURE", "true")], Default::default()).await;

    let response = app.browser.navigate(&app.browser.url("/auth/login")).await;

    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("__Host-oura_session="), "{cookie}");
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn a_same_origin_return_to_is_honoured_after_login() {
    let app = spawn_app().await;

    let response = app.browser.sign_in_returning(Some("/profile?tab=1")).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/profile?tab=1");
}

#[tokio::test]
async fn a_return_to_with_non_ascii_characters_is_percent_encoded_after_sign_in() {
    let app = spawn_app().await;

    let response = app
        .browser
        .sign_in_returning(Some("/night/2026-01-01?note=café"))
        .await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/night/2026-01-01?note=caf%C3%A9");
}

#[tokio::test]
async fn a_return_to_that_leaves_the_origin_ends_on_the_root() {
    let app = spawn_app().await;

    for evil in [
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
        "javascript:alert(1)",
    ] {
        let response = app.browser.sign_in_returning(Some(evil)).await;

        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{evil}");
        assert_eq!(location(&response), "/", "{evil}");
    }
}

#[tokio::test]
async fn a_duplicated_return_to_is_refused() {
    let app = spawn_app().await;

    let response = app
        .browser
        .get("/auth/login?return_to=/a&return_to=/b")
        .await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_visitors_pending_login_lives_only_as_long_as_a_login_may_take() {
    let app = spawn_app_with(&[("LOGIN_TIMEOUT_SECS", "60")], Default::default()).await;

    for _ in 0..3 {
        // A new visitor each time: no cookie.
        Browser::new(&app.address).start_login(None).await;
    }
    app.browser.get("/api/session").await;

    let (rows, latest_expiry): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MAX(expires_at) FROM sessions")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert_eq!(rows, 3, "one per login in progress; none for a plain visit");
    // The login's 60 s, and a minute to tell a late callback that it expired.
    assert!(latest_expiry.unwrap() <= now + 121, "not a week");
}
