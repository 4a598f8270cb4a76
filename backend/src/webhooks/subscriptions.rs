//! The app's subscriptions at Oura (`/v2/webhook/subscription`, authenticated by the
//! application's `x-client-id` and `x-client-secret`): one per event type and data type the
//! app keeps, made when missing and renewed well before they expire (Oura: about 90 days).
//! Heart rate and the battery have no webhooks: they stay polled.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use secrecy::{ExposeSecret as _, SecretString};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use url::Url;

use crate::oura::is_document_id;

/// The data types subscribed to, as Oura names them in webhooks.
pub const DATA_TYPES: &[&str] = &[
    "daily_sleep",
    "daily_readiness",
    "daily_activity",
    "sleep",
    "daily_stress",
    "daily_spo2",
    "daily_resilience",
    "vo2_max",
    "daily_cardiovascular_age",
    "sleep_time",
    "workout",
    "session",
    "enhanced_tag",
    "rest_mode_period",
    "ring_configuration",
];

/// Every kind of event.
pub const EVENT_TYPES: &[&str] = &["create", "update", "delete"];

/// A subscription is renewed once it has less than this left.
const RENEW_BEFORE: Duration = Duration::from_secs(14 * 86_400);

/// How often the subscriptions are checked.
const CHECK_EVERY: Duration = Duration::from_secs(6 * 3600);

/// How soon a failed check is tried again (and one that made subscriptions is repeated).
const RETRY_AFTER: Duration = Duration::from_secs(60);

const SUBSCRIPTION_PATH: &str = "v2/webhook/subscription";

/// A subscription as Oura lists it.
#[derive(Debug, Clone, Deserialize)]
pub struct Subscription {
    /// Oura's id of it.
    pub id: String,
    /// Where events go.
    pub callback_url: String,
    /// `create`, `update` or `delete`.
    pub event_type: String,
    /// The data type.
    pub data_type: String,
    /// When it ends unless renewed (RFC 3339).
    pub expiration_time: String,
}

#[derive(Serialize)]
struct NewSubscription<'a> {
    callback_url: &'a str,
    verification_token: &'a str,
    event_type: &'a str,
    data_type: &'a str,
}

/// What one check did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    /// Subscriptions made.
    pub created: usize,
    /// Subscriptions renewed.
    pub renewed: usize,
    /// Subscriptions that were fine.
    pub kept: usize,
    /// Second subscriptions for the same events, removed (instances starting together can
    /// each make one; every event would then come twice).
    pub removed: usize,
}

/// Keeps the app subscribed.
pub struct Subscriber {
    http: reqwest::Client,
    api_base_url: Url,
    client_id: String,
    client_secret: SecretString,
    callback_url: Url,
}

impl Subscriber {
    /// A subscriber for the application `client_id` whose events go to `callback_url`.
    pub fn new(
        http: reqwest::Client,
        api_base_url: Url,
        client_id: String,
        client_secret: SecretString,
        callback_url: Url,
    ) -> Self {
        Self {
            http,
            api_base_url,
            client_id,
            client_secret,
            callback_url,
        }
    }

    fn request(
        &self,
        method: reqwest::Method,
        path: &str,
    ) -> anyhow::Result<reqwest::RequestBuilder> {
        let url = self
            .api_base_url
            .join(path)
            .context("Failed to make the subscription URL")?;
        Ok(self
            .http
            .request(method, url)
            .header("x-client-id", &self.client_id)
            .header("x-client-secret", self.client_secret.expose_secret()))
    }

    /// The application's subscriptions.
    pub async fn list(&self) -> anyhow::Result<Vec<Subscription>> {
        let response = self
            .request(reqwest::Method::GET, SUBSCRIPTION_PATH)?
            .send()
            .await
            .context("Failed to list the webhook subscriptions")?;
        anyhow::ensure!(
            response.status().is_success(),
            "Oura answered {} to the subscription list",
            response.status()
        );
        response
            .json()
            .await
            .context("Failed to read the webhook subscriptions")
    }

    /// Makes every missing subscription and renews those about to expire.
    pub async fn check(&self, now: OffsetDateTime) -> anyhow::Result<Checked> {
        let existing = self.list().await?;
        let verification_token = super::verification_token(self.client_secret.expose_secret());
        let mut checked = Checked::default();
        for data_type in DATA_TYPES {
            for event_type in EVENT_TYPES {
                let mut matching = existing.iter().filter(|s| {
                    s.callback_url == self.callback_url.as_str()
                        && s.event_type == *event_type
                        && s.data_type.eq_ignore_ascii_case(data_type)
                });
                let current = matching.next();
                for duplicate in matching {
                    self.delete(&duplicate.id).await?;
                    checked.removed += 1;
                }
                match current {
                    None => {
                        let response = self
                            .request(reqwest::Method::POST, SUBSCRIPTION_PATH)?
                            .json(&NewSubscription {
                                callback_url: self.callback_url.as_str(),
                                verification_token: &verification_token,
                                event_type,
                                data_type,
                            })
                            .send()
                            .await
                            .context("Failed to create a webhook subscription")?;
                        anyhow::ensure!(
                            response.status().is_success(),
                            "Oura answered {} to a new {event_type} {data_type} subscription",
                            response.status()
                        );
                        checked.created += 1;
                    }
                    Some(subscription) if expires_soon(subscription, now) => {
                        anyhow::ensure!(
                            is_document_id(&subscription.id),
                            "Oura listed a subscription id that is not one"
                        );
                        let response = self
                            .request(
                                reqwest::Method::PUT,
                                &format!("{SUBSCRIPTION_PATH}/renew/{}", subscription.id),
                            )?
                            .send()
                            .await
                            .context("Failed to renew a webhook subscription")?;
                        anyhow::ensure!(
                            response.status().is_success(),
                            "Oura answered {} to a renewal",
                            response.status()
                        );
                        checked.renewed += 1;
                    }
                    Some(_) => checked.kept += 1,
                }
            }
        }
        Ok(checked)
    }

    /// Deletes the subscription `id`; one already gone is fine.
    async fn delete(&self, id: &str) -> anyhow::Result<()> {
        anyhow::ensure!(
            is_document_id(id),
            "Oura listed a subscription id that is not one"
        );
        let response = self
            .request(
                reqwest::Method::DELETE,
                &format!("{SUBSCRIPTION_PATH}/{id}"),
            )?
            .send()
            .await
            .context("Failed to delete a webhook subscription")?;
        let status = response.status();
        anyhow::ensure!(
            status.is_success() || status == reqwest::StatusCode::NOT_FOUND,
            "Oura answered {status} to deleting a subscription"
        );
        Ok(())
    }

    /// Checks the subscriptions now and every few hours, in the background; a failed check
    /// is retried within a minute (the server may not be answering Oura's challenge yet).
    pub fn keep_subscribed(self: Arc<Self>) {
        tokio::spawn(async move {
            loop {
                let wait = match self.check(OffsetDateTime::now_utc()).await {
                    Ok(checked) => {
                        tracing::info!(?checked, "webhook subscriptions checked");
                        // Another instance may have made the same ones meanwhile: look
                        // again soon, and keep one of each.
                        if checked.created > 0 {
                            RETRY_AFTER
                        } else {
                            CHECK_EVERY
                        }
                    }
                    Err(error) => {
                        tracing::warn!(
                            error = format!("{error:#}"),
                            "webhook subscriptions could not be checked; polling carries on"
                        );
                        RETRY_AFTER
                    }
                };
                tokio::time::sleep(wait).await;
            }
        });
    }
}

/// Whether `subscription` ends within [`RENEW_BEFORE`] of `now` (or says nothing readable).
fn expires_soon(subscription: &Subscription, now: OffsetDateTime) -> bool {
    OffsetDateTime::parse(&subscription.expiration_time, &Rfc3339)
        .map_or(true, |at| at - now < RENEW_BEFORE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subscription_is_renewed_in_its_last_two_weeks() {
        let now = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let ending = |days: i64| Subscription {
            id: "s".into(),
            callback_url: "https://x/webhooks/oura".into(),
            event_type: "create".into(),
            data_type: "sleep".into(),
            expiration_time: (now + time::Duration::days(days)).format(&Rfc3339).unwrap(),
        };

        assert!(!expires_soon(&ending(15), now));
        assert!(expires_soon(&ending(13), now));
        assert!(expires_soon(
            &Subscription {
                expiration_time: "whenever".into(),
                ..ending(30)
            },
            now
        ));
    }
}
