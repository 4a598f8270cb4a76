use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn consent_page_lists_the_requested_scopes_with_allow_and_deny() {
    let app = spawn();

    let response = app.get_authorize(&app.authorize_query()).await;

    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    for expected in ["email", "personal", "daily", "Allow", "Deny", CLIENT_ID] {
        assert!(page.contains(expected), "page lacks {expected:?}");
    }
    assert!(
        !page.contains("heartrate"),
        "a scope that was not requested is shown"
    );
}

#[tokio::test]
async fn unknown_client_gets_an_error_page_not_a_redirect() {
    let app = spawn();
    let mut query = app.authorize_query();
    query[1].1 = "someone-else".into();

    let response = app.get_authorize(&query).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("Invalid client_id"));
}

#[tokio::test]
async fn unregistered_redirect_uri_gets_an_error_page_not_a_redirect() {
    let app = spawn();
    let mut query = app.authorize_query();
    query[2].1 = "http://127.0.0.1:9/auth/callback/other".into();

    let response = app.get_authorize(&query).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.headers().get("location").is_none());
}

#[tokio::test]
async fn a_wrong_response_type_is_reported_back_to_the_app() {
    let app = spawn();
    let mut query = app.authorize_query();
    query[0].1 = "token".into();

    let response = app.get_authorize(&query).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = location(&response);
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("unsupported_response_type")
    );
    assert_eq!(
        query_param(&location, "state").as_deref(),
        Some("state-123")
    );
}

#[tokio::test]
async fn allow_redirects_with_code_state_and_issuer() {
    let app = spawn();

    let response = app
        .decide(&app.authorize_query(), "allow", "demo", &["email"])
        .await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = location(&response);
    assert!(location.starts_with(REDIRECT_URI), "{location}");
    assert!(query_param(&location, "code").is_some());
    assert_eq!(
        query_param(&location, "state").as_deref(),
        Some("state-123")
    );
    assert_eq!(query_param(&location, "iss"), Some(app.sim.issuer()));
}

#[tokio::test]
async fn deny_redirects_with_access_denied() {
    let app = spawn();

    let response = app
        .decide(&app.authorize_query(), "deny", "demo", &[])
        .await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = location(&response);
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(
        query_param(&location, "state").as_deref(),
        Some("state-123")
    );
    assert!(query_param(&location, "code").is_none());
}

#[tokio::test]
async fn an_invalid_username_shows_the_page_again_with_a_message() {
    let app = spawn();

    let response = app
        .decide(&app.authorize_query(), "allow", "Not Valid!", &["email"])
        .await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("Usernames are"));
}

#[tokio::test]
async fn duplicated_parameters_are_refused() {
    let app = spawn();
    let mut query = app.authorize_query();
    query.push(("state", "second".into()));

    let response = app.get_authorize(&query).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}
