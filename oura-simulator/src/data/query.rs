//! What the list routes share: query parameters read as Oura's FastAPI reads them, and opaque
//! `next_token`s shaped like Oura's (`1:` and base64url JSON).

use actix_web::{HttpRequest, HttpResponse};
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

    /// The parameter `name` read by `parse`; a value it cannot read gets FastAPI's 422 body,
    /// as Oura answers, with `msg` and `kind` (its `type`).
    pub(crate) fn parsed<T>(
        &self,
        name: &str,
        parse: fn(&str) -> Option<T>,
        msg: &str,
        kind: &str,
    ) -> Result<Option<T>, Box<HttpResponse>> {
        let Some(text) = self.get(name) else {
            return Ok(None);
        };
        parse(text).map(Some).ok_or_else(|| {
            Box::new(HttpResponse::UnprocessableEntity().json(serde_json::json!({
                "detail": [{ "loc": ["query", name], "msg": msg, "type": kind, "input": text }]
            })))
        })
    }
}

/// The page of `items` that starts at `offset`, and where the next one starts, if any.
pub(crate) fn page<T: Clone>(items: &[T], offset: usize, size: usize) -> (Vec<T>, Option<usize>) {
    let page: Vec<T> = items
        .iter()
        .skip(offset)
        .take(size.max(1))
        .cloned()
        .collect();
    let next = offset + page.len();
    (page, (next < items.len()).then_some(next))
}

pub(crate) fn encode_token<T: Serialize>(cursor: &T) -> String {
    let json = serde_json::to_vec(cursor).unwrap_or_default();
    format!("1:{}", URL_SAFE_NO_PAD.encode(json))
}

pub(crate) fn decode_token<T: DeserializeOwned>(token: &str) -> Option<T> {
    let bytes = URL_SAFE_NO_PAD.decode(token.strip_prefix("1:")?).ok()?;
    serde_json::from_slice(&bytes).ok()
}
