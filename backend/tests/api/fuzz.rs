//! Generated inputs against everything a stranger controls: the callback's query, `return_to`,
//! the dates and ranges of the dashboard routes, and the `Authorization` header. Whatever
//! comes in, the answer is never a 5xx. `FUZZ_CASES` sets how many inputs (CI runs a small
//! sample; `scripts/stress --fuzz` runs 100,000).

use proptest::prelude::*;
use proptest::strategy::ValueTree as _;
use proptest::test_runner::{Config, TestRunner};
use reqwest::header::{AUTHORIZATION, HeaderValue};

use crate::helpers::*;

/// Text that looks like what each input should be, and text that does not.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})",
        "(/|//|/\\\\|https?://|javascript:)[a-z./%?#&=\\\\]{0,24}",
        "odk_[A-Za-z0-9]{0,14}_[A-Za-z0-9_-]{0,50}",
        ".{0,40}",
        "\\PC{0,600}",
    ]
}

/// One request a stranger (or a signed-in person) could send.
fn request() -> impl Strategy<Value = (String, Option<String>)> {
    let encoded = |s: String| urlencoding(&s);
    prop_oneof![
        (text(), text(), text()).prop_map(move |(state, code, iss)| (
            format!(
                "/auth/callback?state={}&code={}&iss={}",
                encoded(state),
                encoded(code),
                encoded(iss)
            ),
            None
        )),
        text().prop_map(move |target| (format!("/auth/login?return_to={}", encoded(target)), None)),
        (text(), text()).prop_map(move |(start, end)| (
            format!("/api/daily?start={}&end={}", encoded(start), encoded(end)),
            None
        )),
        (text(), text(), text()).prop_map(move |(start, end, format)| (
            format!(
                "/api/export?start={}&end={}&format={}",
                encoded(start),
                encoded(end),
                encoded(format)
            ),
            None
        )),
        (text(), text()).prop_map(move |(start, end)| (
            format!(
                "/api/heartrate?start={}&end={}",
                encoded(start),
                encoded(end)
            ),
            None
        )),
        text().prop_map(move |day| (format!("/api/sleep/{}", encoded(day)), None)),
        text().prop_map(|key| ("/api/keys".to_owned(), Some(format!("Bearer {key}")))),
        text().prop_map(|header| ("/api/summary".to_owned(), Some(header))),
    ]
}

#[tokio::test]
async fn generated_inputs_never_get_a_5xx() {
    let cases: usize = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    let app = spawn_app().await;
    app.browser.sign_in().await;
    let stranger = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut runner = TestRunner::new(Config::default());
    let strategy = request();

    let mut server_errors = Vec::new();
    for case in 0..cases {
        let (path, authorization) = strategy.new_tree(&mut runner).unwrap().current();
        // Half as the signed-in browser, half as a stranger.
        let client = if case % 2 == 0 {
            &app.browser.http
        } else {
            &stranger
        };
        let mut request = client.get(app.browser.url(&path));
        if let Some(value) = authorization.and_then(|v| HeaderValue::from_str(&v).ok()) {
            request = request.header(AUTHORIZATION, value);
        }
        let status = request.send().await.unwrap().status();
        if status.is_server_error() {
            server_errors.push(format!("{status} for {path}"));
        }
    }

    println!(
        "fuzz: {cases} generated inputs, {} answered 5xx",
        server_errors.len()
    );
    assert!(server_errors.is_empty(), "{server_errors:#?}");
}
