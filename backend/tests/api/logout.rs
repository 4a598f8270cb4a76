use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::helpers::*;

#[tokio::test]
async fn logout_without_the_csrf_header_is_refused_and_keeps_the_session() {
    let app = spawn_app().await;
    app.browser.sign_in().await;

    let response = app.browser.logout(HeaderMap::new()).await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "csrf_rejected");
    assert_eq!(app.browser.profile().await.status(), StatusCode::OK);
}

#[tokio::test]
async fn logout_from_another_origin_is_refused() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let mut headers = csrf_headers();
    headers.insert("Origin", "https://evil.example".parse().unwrap());

    let response = app.browser.logout(headers).await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.browser.profile().await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_cross_site_request_is_refused_even_with_the_header() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let mut headers = csrf_headers();
    headers.insert("Sec-Fetch-Site", "cross-site".parse().unwrap());

    let response = app.browser.logout(headers).await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn logout_is_post_only() {
    let app = spawn_app().await;
    app.browser.sign_in().await;

    let response = app.browser.get("/auth/logout").await;

    assert!(response.status().is_client_error());
    assert_eq!(app.browser.profile().await.status(), StatusCode::OK);
}

#[tokio::test]
async fn logout_ends_the_session_for_good_and_expires_the_cookie() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let old_cookie = app.browser.cookie_header().unwrap();
    let mut headers = csrf_headers();
    headers.insert("Origin", app.address.parse().unwrap());

    let response = app.browser.logout(headers).await;

    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let expiry = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        expiry.contains("Max-Age=0") || expiry.contains("1970"),
        "{expiry}"
    );
    let replay = reqwest::Client::new()
        .get(app.browser.url("/api/profile"))
        .header("Cookie", old_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    let sessions = backend::store::SqlSessionStore::new(app.store.clone());
    assert_eq!(sessions.count().await.unwrap(), 0);
}
