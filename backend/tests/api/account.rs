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

#[tokio::test]
async fn a_deletion_that_meets_a_syncs_write_still_deletes_the_account() {
    let app = spawn_app_with(
        &[("SYNC_BACKFILL_DAYS", "7")],
        oura_simulator::SimulatorConfig::default(),
    )
    .await;
    app.browser.sign_in().await;
    app.browser.sync_and_wait().await;
    let (user_id, night): (String, String) =
        sqlx::query_as("SELECT user_id, document_id FROM sleep_periods LIMIT 1")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    // A sync's page transaction, by hand: it has rewritten a night and is about to replace
    // that night's samples. The deletion, meanwhile, takes the samples first and then waits for
    // the night: on PostgreSQL a deadlock, which ends one of the two.
    let mut page = app.store.pool().begin().await.unwrap();
    sqlx::query(
        "UPDATE sleep_periods SET synced_at = synced_at WHERE user_id = $1 AND document_id = $2",
    )
    .bind(&user_id)
    .bind(&night)
    .execute(&mut *page)
    .await
    .unwrap();
    let finish_the_page = async {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let replaced =
            sqlx::query("DELETE FROM sleep_samples WHERE user_id = $1 AND document_id = $2")
                .bind(&user_id)
                .bind(&night)
                .execute(&mut *page)
                .await;
        // Whichever of the two PostgreSQL ends, the page is over.
        if replaced.is_ok() {
            page.commit().await.unwrap();
        }
    };

    let (deleted, ()) = tokio::join!(app.browser.delete_account(csrf_headers()), finish_the_page);

    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    for table in ["users", "sleep_periods", "sleep_samples", "daily_documents"] {
        let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        assert_eq!(count, 0, "{table} still has rows");
    }
}
