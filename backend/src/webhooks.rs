//! Oura's webhooks: what an event says, whether it is Oura's (an HMAC-SHA256 signature with
//! the application's client secret over the timestamp and the body, a recent timestamp, not
//! seen before), and the queue that applies events after the answer has gone.
//!
//! The subscriptions themselves are kept by [`subscriptions`]; the route is
//! `routes::webhooks`; applying an event is the sync's ([`crate::sync::Syncer::apply_change`]).

pub mod subscriptions;
pub mod watch;

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt as _;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use time::OffsetDateTime;
use tokio::sync::mpsc;

use crate::domain::UserId;
use crate::oura::Collection;
use crate::sync::Syncer;

/// Where Oura calls: the verification challenge (GET) and the events (POST).
pub const WEBHOOK_PATH: &str = "/webhooks/oura";

/// How old (or how far ahead) an event's timestamp may be: older ones are replays.
pub const TIMESTAMP_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// Events waiting to be applied; past this, Oura is asked to retry later (429, Retry-After).
/// A whole fleet's morning fits (about ten events a person; a change is a few hundred bytes).
const QUEUE_CAPACITY: usize = 65_536;
/// Changes applied at the same time (each one request to Oura, within the rate budget).
const APPLIED_AT_ONCE: usize = 32;

/// A change Oura announces: a document of `collection` created, updated or deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Whose document it is (Oura's user id, which is also ours).
    pub user_id: UserId,
    /// Which collection.
    pub collection: Collection,
    /// What happened.
    pub kind: ChangeKind,
    /// The document's id.
    pub object_id: String,
}

/// What happened to a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Created or updated: fetch it anew.
    Upsert,
    /// Deleted: remove it.
    Delete,
}

/// Why an event was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The signature does not verify with the client secret.
    #[error("the signature does not match")]
    BadSignature,
    /// The timestamp is missing, malformed, or too old or too far ahead.
    #[error("the timestamp is not recent")]
    Stale,
    /// The same signed event came before.
    #[error("this event was delivered before")]
    Replayed,
    /// The body is not an event the app can read.
    #[error("the event is malformed: {0}")]
    Malformed(String),
}

impl Refused {
    /// A short name, for metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::BadSignature => "bad_signature",
            Self::Stale => "stale",
            Self::Replayed => "replayed",
            Self::Malformed(_) => "malformed",
        }
    }
}

/// An event's body, read leniently: only what the app needs.
#[derive(Deserialize)]
struct EventBody {
    event_type: String,
    data_type: String,
    object_id: String,
    user_id: String,
}

/// Reads an event's body. `Ok(None)`: a well-formed event about data the app does not keep
/// (a `meal`, a new data type), to be acknowledged and ignored.
pub fn parse_event(body: &[u8]) -> Result<Option<Change>, Refused> {
    let event: EventBody =
        serde_json::from_slice(body).map_err(|e| Refused::Malformed(e.to_string()))?;
    let kind = match event.event_type.as_str() {
        "create" | "update" => ChangeKind::Upsert,
        "delete" => ChangeKind::Delete,
        other => return Err(Refused::Malformed(format!("event_type {other:?}"))),
    };
    if event.user_id.is_empty() || event.object_id.is_empty() {
        return Err(Refused::Malformed("an empty user_id or object_id".into()));
    }
    Ok(
        Collection::from_webhook_data_type(&event.data_type).map(|collection| Change {
            user_id: UserId::new(event.user_id),
            collection,
            kind,
            object_id: event.object_id,
        }),
    )
}

/// Whether `signature` (hex, either case) is the HMAC-SHA256 of `timestamp` and `body` with
/// `secret`; compared in constant time by the `hmac` crate.
pub fn signature_verifies(secret: &str, timestamp: &str, body: &[u8], signature: &str) -> bool {
    let Some(expected) = hex_bytes(signature) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(timestamp.as_bytes());
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

fn hex_bytes(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Whether `timestamp` (Unix seconds) is within [`TIMESTAMP_TOLERANCE`] of `now`.
pub fn timestamp_is_recent(timestamp: &str, now: OffsetDateTime) -> bool {
    let Ok(seconds) = timestamp.trim().parse::<i64>() else {
        return false;
    };
    let tolerance = i64::try_from(TIMESTAMP_TOLERANCE.as_secs()).unwrap_or(i64::MAX);
    (now.unix_timestamp() - seconds).abs() <= tolerance
}

/// The token Oura echoes when it verifies a new subscription: derived from the client secret,
/// so every instance of the app knows it and nobody else does.
pub fn verification_token(client_secret: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(client_secret.as_bytes()) else {
        return String::new();
    };
    mac.update(b"oura-dashboard webhook verification");
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Signatures seen within the timestamp tolerance: the same delivery twice is a replay.
/// Per instance; a replay to another instance is harmless (applying a change is idempotent).
pub struct ReplayGuard {
    seen: moka::sync::Cache<String, ()>,
}

impl Default for ReplayGuard {
    fn default() -> Self {
        Self {
            seen: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(TIMESTAMP_TOLERANCE * 2)
                .build(),
        }
    }
}

impl ReplayGuard {
    /// Whether `signature` is new (and remembers it).
    pub fn first_time(&self, signature: &str) -> bool {
        let key = signature.to_ascii_uppercase();
        let entry = self.seen.entry(key).or_insert(());
        entry.is_fresh()
    }
}

/// The queue between the webhook route (which answers at once) and the sync (which fetches).
#[derive(Clone)]
pub struct ChangeQueue {
    sender: mpsc::Sender<Change>,
}

impl ChangeQueue {
    /// Starts the worker that applies queued changes with `syncer`, several at a time: each
    /// waits on Oura for most of its time, and a morning's events come all together.
    pub fn start(syncer: Arc<Syncer>) -> Self {
        let (sender, receiver) = mpsc::channel::<Change>(QUEUE_CAPACITY);
        let changes = futures_util::stream::unfold(receiver, |mut receiver| async move {
            receiver.recv().await.map(|change| (change, receiver))
        });
        tokio::spawn(changes.for_each_concurrent(APPLIED_AT_ONCE, move |change| {
            let syncer = Arc::clone(&syncer);
            async move { apply(&syncer, &change).await }
        }));
        Self { sender }
    }

    /// Queues `change`; `false` when the queue is full.
    pub fn push(&self, change: Change) -> bool {
        self.sender.try_send(change).is_ok()
    }
}

/// Applies one queued change, logging how it went.
async fn apply(syncer: &Syncer, change: &Change) {
    if let Some(watch) = syncer.webhook_watch()
        && let Err(error) = watch.heard(change.collection).await
    {
        tracing::warn!(
            error = format!("{error:#}"),
            "could not record a webhook event"
        );
    }
    match syncer.apply_change(change).await {
        Ok(outcome) => tracing::info!(
            user_id = %change.user_id,
            collection = change.collection.name(),
            ?outcome,
            "webhook change applied"
        ),
        Err(error) => tracing::warn!(
            user_id = %change.user_id,
            collection = change.collection.name(),
            error = format!("{error:#}"),
            "a webhook change could not be applied; the next sync catches up"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(timestamp.as_bytes());
        mac.update(body);
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect()
    }

    #[test]
    fn only_a_signature_made_with_the_secret_over_timestamp_and_body_verifies() {
        let body = br#"{"event_type":"create"}"#;
        let signature = sign("secret", "1700000000", body);

        assert!(signature_verifies("secret", "1700000000", body, &signature));
        assert!(signature_verifies(
            "secret",
            "1700000000",
            body,
            &signature.to_lowercase()
        ));
        assert!(!signature_verifies("other", "1700000000", body, &signature));
        assert!(!signature_verifies(
            "secret",
            "1700000001",
            body,
            &signature
        ));
        assert!(!signature_verifies(
            "secret",
            "1700000000",
            b"{}",
            &signature
        ));
        assert!(!signature_verifies("secret", "1700000000", body, "zz"));
        assert!(!signature_verifies("secret", "1700000000", body, ""));
    }

    #[test]
    fn a_timestamp_is_recent_within_five_minutes_either_way() {
        let now = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();

        assert!(timestamp_is_recent("1700000000", now));
        assert!(timestamp_is_recent("1699999700", now));
        assert!(!timestamp_is_recent("1699999699", now));
        assert!(!timestamp_is_recent("1700000301", now));
        assert!(!timestamp_is_recent("2023-11-14T22:13:20Z", now));
        assert!(!timestamp_is_recent("", now));
    }

    #[test]
    fn events_are_read_leniently_and_unknown_data_types_are_ignored() {
        let change = parse_event(
            br#"{"event_type":"update","data_type":"vo2_max","object_id":"abc","event_time":"x","user_id":"u1","new":1}"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(change.collection, Collection::Vo2Max);
        assert_eq!(change.kind, ChangeKind::Upsert);
        assert_eq!(change.user_id, UserId::new("u1"));

        assert_eq!(
            parse_event(
                br#"{"event_type":"create","data_type":"meal","object_id":"a","user_id":"u"}"#
            ),
            Ok(None)
        );
        assert!(matches!(
            parse_event(
                br#"{"event_type":"explode","data_type":"sleep","object_id":"a","user_id":"u"}"#
            ),
            Err(Refused::Malformed(_))
        ));
        assert!(matches!(
            parse_event(b"not json"),
            Err(Refused::Malformed(_))
        ));
    }

    #[test]
    fn the_same_signature_is_taken_once() {
        let guard = ReplayGuard::default();

        assert!(guard.first_time("ABC"));
        assert!(!guard.first_time("abc"));
        assert!(guard.first_time("ABD"));
    }
}
