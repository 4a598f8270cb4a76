use std::net::TcpListener;

use base64::Engine as _;
use oura_simulator::{ClientRegistration, Simulator, SimulatorConfig};
use reqwest::{StatusCode, redirect};
use sha2::{Digest, Sha256};

pub const CLIENT_ID: &str = "test-client";
pub const CLIENT_SECRET: &str = "test-secret";
pub const REDIRECT_URI: &str = "http://127.0.0.1:9/auth/callback";
pub const VERIFIER: &str = "a-verifier-that-is-long-enough-for-rfc-7636-0123456789";

pub struct TestSim {
    pub sim: Simulator,
    pub http: reqwest::Client,
}

pub fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

pub fn spawn() -> TestSim {
    spawn_with(SimulatorConfig::default())
}

pub fn spawn_with(config: SimulatorConfig) -> TestSim {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let config = SimulatorConfig {
        clients: vec![ClientRegistration {
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            redirect_uris: vec![REDIRECT_URI.into()],
        }],
        ..config
    };
    let sim = Simulator::start(listener, config).expect("start the simulator");
    let http = reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .expect("build a client");
    TestSim { sim, http }
}

/// Query parameters of a URL, by name.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

impl TestSim {
    /// The standard authorize query: code flow, S256 challenge of [`VERIFIER`], a state.
    pub fn authorize_query(&self) -> Vec<(&'static str, String)> {
        vec![
            ("response_type", "code".into()),
            ("client_id", CLIENT_ID.into()),
            ("redirect_uri", REDIRECT_URI.into()),
            ("scope", "email personal daily".into()),
            ("state", "state-123".into()),
            ("code_challenge", challenge(VERIFIER)),
            ("code_challenge_method", "S256".into()),
        ]
    }

    pub async fn get_authorize(&self, query: &[(&str, String)]) -> reqwest::Response {
        self.http
            .get(self.sim.authorize_url())
            .query(query)
            .send()
            .await
            .expect("GET authorize")
    }

    /// Submits the consent form for `query`; returns the Location it redirects to.
    pub async fn decide(
        &self,
        query: &[(&str, String)],
        decision: &str,
        username: &str,
        granted: &[&str],
    ) -> reqwest::Response {
        let original = serde_urlencoded::to_string(query).expect("encode query");
        let mut form = vec![
            ("request", original),
            ("decision", decision.to_owned()),
            ("username", username.to_owned()),
        ];
        form.extend(granted.iter().map(|g| ("granted", (*g).to_owned())));
        self.http
            .post(self.sim.authorize_url())
            .form(&form)
            .send()
            .await
            .expect("POST authorize")
    }

    /// Runs the consent flow for the standard query and returns the code.
    pub async fn code_for(&self, username: &str, granted: &[&str]) -> String {
        let response = self
            .decide(&self.authorize_query(), "allow", username, granted)
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = location(&response);
        query_param(&location, "code").expect("a code in the redirect")
    }

    /// The standard code redemption form, for tests to alter one field of.
    pub fn redemption(code: &str) -> Vec<(&'static str, String)> {
        vec![
            ("grant_type", "authorization_code".into()),
            ("code", code.into()),
            ("redirect_uri", REDIRECT_URI.into()),
            ("client_id", CLIENT_ID.into()),
            ("client_secret", CLIENT_SECRET.into()),
            ("code_verifier", VERIFIER.into()),
        ]
    }

    /// [`Self::redemption`] with `name` set to `value`, or left out when `value` is `None`.
    pub async fn redeem_with(
        &self,
        code: &str,
        name: &str,
        value: Option<&str>,
    ) -> reqwest::Response {
        let form: Vec<(&str, String)> = Self::redemption(code)
            .into_iter()
            .filter_map(|(k, v)| match (k == name, value) {
                (true, Some(value)) => Some((k, value.to_owned())),
                (true, None) => None,
                (false, _) => Some((k, v)),
            })
            .collect();
        self.http
            .post(self.sim.token_url())
            .form(&form)
            .send()
            .await
            .expect("POST token")
    }

    pub async fn token(&self, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.sim.token_url())
            .form(form)
            .send()
            .await
            .expect("POST token")
    }

    pub async fn redeem(&self, code: &str) -> reqwest::Response {
        self.redeem_with(code, "", None).await
    }

    pub async fn personal_info(&self, token: &str) -> reqwest::Response {
        self.http
            .get(format!(
                "{}/v2/usercollection/personal_info",
                self.sim.base_url()
            ))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET personal_info")
    }
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .expect("a Location header")
        .to_str()
        .expect("an ASCII Location")
        .to_owned()
}

pub async fn json(response: reqwest::Response) -> serde_json::Value {
    response.json().await.expect("a JSON body")
}
