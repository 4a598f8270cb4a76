//! What the list routes share: query parameters read as Oura's FastAPI reads them, and opaque
//! `next_token`s shaped like Oura's (`1:` and base64url JSON).

use actix_web::HttpRequest;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The query string; a repeated name means its last value.
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    pub(crate) fn of(request: &HttpRequest) -> Self {
        Self(
            url::form_urlencoded::parse(request.query_string().as_bytes())
                .into_owned()
                .collect(),
        )
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

pub(crate) fn encode_token<T: Serialize>(cursor: &T) -> String {
    let json = serde_json::to_vec(cursor).unwrap_or_default();
    format!("1:{}", URL_SAFE_NO_PAD.encode(json))
}

pub(crate) fn decode_token<T: DeserializeOwned>(token: &str) -> Option<T> {
    let bytes = URL_SAFE_NO_PAD.decode(token.strip_prefix("1:")?).ok()?;
    serde_json::from_slice(&bytes).ok()
}
