use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

#[tokio::test]
async fn healthz_answers_ok() {
    let app = spawn_app().await;

    let response = app.browser.get("/healthz").await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap()["status"], "ok");
}

#[tokio::test]
async fn session_status_reports_sign_in_and_mode() {
    let app = spawn_app().await;

    let before: Value = app.browser.get("/api/session").await.json().await.unwrap();
    app.browser.sign_in().await;
    let after: Value = app.browser.get("/api/session").await.json().await.unwrap();

    assert_eq!(
        before,
        serde_json::json!({ "signed_in": false, "demo_mode": false })
    );
    assert_eq!(
        after,
        serde_json::json!({ "signed_in": true, "demo_mode": false })
    );
}

#[tokio::test]
async fn api_and_auth_responses_are_never_cached_and_carry_security_headers() {
    let app = spawn_app().await;

    for path in ["/api/profile", "/api/session", "/auth/login", "/auth/nope"] {
        let response = app.browser.get(path).await;
        let headers = response.headers();

        assert_eq!(headers["cache-control"], "no-store", "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        assert!(
            headers["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn unknown_api_routes_get_a_json_404() {
    let app = spawn_app().await;

    let response = app.browser.get("/api/nothing-here").await;

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"],
        "not_found"
    );
}

#[tokio::test]
async fn the_spa_is_served_with_a_policy_that_admits_its_boot_script() {
    let app = spawn_app().await;

    let response = app.browser.get("/").await;

    assert_eq!(response.status(), StatusCode::OK);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(csp.contains("'sha256-"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(response.text().await.unwrap(), INDEX_HTML);
}

#[tokio::test]
async fn the_spa_page_is_served_precompressed_with_the_policy_of_the_page_itself() {
    let app = spawn_app().await;
    let plain = app.browser.get_accepting("/", "identity").await;
    let policy = plain.headers()["content-security-policy"].clone();

    for path in ["/", "/night/2026-01-31"] {
        let brotli = app.browser.get_accepting(path, "gzip, br").await;

        assert_eq!(brotli.status(), StatusCode::OK, "{path}");
        assert_eq!(brotli.headers()["content-encoding"], "br", "{path}");
        assert_eq!(brotli.headers()["vary"], "Accept-Encoding", "{path}");
        assert_eq!(brotli.headers()["cache-control"], "no-cache", "{path}");
        // The hashes are those of the page's inline script, not of its compressed bytes.
        assert_eq!(
            brotli.headers()["content-security-policy"],
            policy,
            "{path}"
        );
        assert_eq!(brotli.text().await.unwrap(), "brotli index", "{path}");
    }
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), INDEX_HTML);
}

#[tokio::test]
async fn client_side_routes_fall_back_to_the_spa_and_assets_are_served() {
    let app = spawn_app().await;

    let route = app.browser.get("/some/client/route").await;
    let asset = app.browser.get("/app.css").await;

    assert_eq!(route.status(), StatusCode::OK);
    assert_eq!(route.text().await.unwrap(), INDEX_HTML);
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(asset.text().await.unwrap(), "body{}");
}

#[tokio::test]
async fn responses_are_compressed_when_the_client_asks() {
    let app = spawn_app().await;

    let response = reqwest::Client::builder()
        .no_gzip()
        .build()
        .unwrap()
        .get(format!("{}/api/openapi.json", app.address))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();

    assert_eq!(response.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn assets_are_served_precompressed_as_the_browser_accepts() {
    let app = spawn_app().await;
    let get = |accept| app.browser.get_accepting("/app.css", accept);

    let brotli = get("gzip, deflate, br").await;
    let gzip = get("gzip").await;
    let plain = get("identity").await;

    assert_eq!(brotli.headers()["content-encoding"], "br");
    assert_eq!(brotli.headers()["vary"], "Accept-Encoding");
    assert!(
        brotli.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(
        brotli.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(brotli.text().await.unwrap(), "brotli bytes");
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    assert_eq!(gzip.text().await.unwrap(), "gzip bytes");
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), "body{}");
}
