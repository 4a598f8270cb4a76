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

#[tokio::test]
async fn a_request_racing_a_logout_never_writes_the_session_back() {
    use actix_session::storage::SessionStore as _;

    let app = spawn_app().await;
    let sessions = backend::store::SessionBackend::sql(
        backend::store::SqlSessionStore::new(app.store.clone()),
        actix_web::cookie::time::Duration::minutes(10),
    );
    let week = actix_web::cookie::time::Duration::days(7);
    let signed_in: std::collections::HashMap<String, String> = [(
        "user".to_owned(),
        r#"{"user_id":"someone","signed_in_at":1}"#.to_owned(),
    )]
    .into();
    let key = sessions.save(signed_in.clone(), &week).await.unwrap();

    // The logout deletes the session; a request that read it before writes its copy after.
    sessions.delete(&key).await.unwrap();
    let key = sessions.update(key, signed_in, &week).await.unwrap();

    assert!(sessions.load(&key).await.unwrap().is_none());
    let plain = backend::store::SqlSessionStore::new(app.store.clone());
    assert_eq!(plain.count().await.unwrap(), 0, "not under any id");
}

#[tokio::test]
async fn a_stolen_cookie_looping_on_login_during_the_logout_leaves_no_session() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let cookie = app.browser.cookie_header().unwrap();
    let thief = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let looping = async {
        for _ in 0..30 {
            thief
                .get(app.browser.url("/auth/login"))
                .header("Cookie", &cookie)
                .send()
                .await
                .unwrap();
        }
    };

    let ((), logout) = tokio::join!(looping, app.browser.logout(csrf_headers()));

    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    let signed_in_rows: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id IS NOT NULL")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(signed_in_rows, 0);
    let replay = thief
        .get(app.browser.url("/api/profile"))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
}
