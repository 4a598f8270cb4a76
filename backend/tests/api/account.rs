use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::helpers::*;

#[tokio::test]
async fn deleting_the_account_removes_everything_and_revokes_the_oura_token() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let key = app.browser.create_api_key("k").await;
    let old_cookie = app.browser.cookie_header().unwrap();

    let response = app.browser.delete_account(csrf_headers()).await;

    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.sim.counters().revocations, 1);
    let replay = reqwest::Client::new()
        .get(app.browser.url("/api/profile"))
        .header("Cookie", old_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    let with_key = reqwest::Client::new()
        .get(app.browser.url("/api/profile"))
        .bearer_auth(&key.secret)
        .send()
        .await
        .unwrap();
    assert_eq!(with_key.status(), StatusCode::UNAUTHORIZED);
    for table in ["users", "oura_tokens", "sessions", "api_keys", "profiles"] {
        let count: i64 = sqlx::Row::get(
            &sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
                .fetch_one(app.store.pool())
                .await
                .unwrap(),
            "n",
        );
        assert_eq!(count, 0, "{table} still has rows");
    }
}

#[tokio::test]
async fn deleting_the_account_needs_the_csrf_header() {
    let app = spawn_app().await;
    app.browser.sign_in().await;

    let response = app.browser.delete_account(HeaderMap::new()).await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.browser.profile().await.status(), StatusCode::OK);
}

#[tokio::test]
async fn deleting_one_account_leaves_the_others_alone() {
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let other = Browser::new(&app.address);
    other.sign_in_as("alex").await;

    app.browser.delete_account(csrf_headers()).await;

    assert_eq!(other.profile().await.status(), StatusCode::OK);
}
