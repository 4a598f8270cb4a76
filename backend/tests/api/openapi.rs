use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

/// Every route of the JSON and auth API, by method and path.
const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/profile"),
    ("get", "/api/session"),
    ("get", "/api/keys"),
    ("post", "/api/keys"),
    ("delete", "/api/keys/{id}"),
    ("delete", "/api/account"),
    ("get", "/api/sync"),
    ("post", "/api/sync"),
    ("get", "/api/daily"),
    ("get", "/api/summary"),
    ("get", "/api/events"),
    ("get", "/api/rings"),
    ("get", "/api/export"),
    ("get", "/api/sleep/{day}"),
    ("get", "/api/insights"),
    ("get", "/api/heartrate"),
    ("get", "/auth/login"),
    ("get", "/auth/callback"),
    ("post", "/auth/logout"),
    ("get", "/healthz"),
    ("get", "/api/sync/health"),
    ("get", "/readyz"),
];

async fn document(app: &TestApp) -> Value {
    let response = app.browser.get("/api/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_openapi_document_lists_exactly_the_routes() {
    let app = spawn_app().await;

    let doc = document(&app).await;

    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut documented: Vec<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.clone(), path.clone()))
        })
        .collect();
    documented.sort();
    let mut expected: Vec<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    expected.sort();
    assert_eq!(documented, expected);
}

#[tokio::test]
async fn every_documented_route_exists_on_the_server() {
    let app = spawn_app().await;
    let doc = document(&app).await;

    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let response = app
                .browser
                .http
                .request(
                    method.to_uppercase().parse().unwrap(),
                    app.browser.url(path),
                )
                .send()
                .await
                .unwrap();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            assert_ne!(
                body["error"], "not_found",
                "{method} {path} is documented but not served"
            );
        }
    }
}

#[tokio::test]
async fn error_responses_reference_the_shared_error_shape() {
    let app = spawn_app().await;

    let doc = document(&app).await;

    let unauthorized = &doc["paths"]["/api/profile"]["get"]["responses"]["401"];
    assert_eq!(
        unauthorized["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ApiErrorBody"
    );
    assert!(doc["components"]["schemas"]["Profile"]["properties"]["weight_kg"].is_object());
}
