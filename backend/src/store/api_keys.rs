//! Personal API keys: `odk_<id>_<secret>`. The id finds the row; the secret is stored only as
//! a SHA-256 hash (it is 256 random bits, so a fast hash is enough) and compared in constant
//! time, with the same work done whether or not the id exists.

use std::sync::Arc;

use anyhow::Context as _;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use rand::distr::{Alphanumeric, SampleString as _};
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq as _;

use super::hot::KeyRow;
use super::{Store, now, sha256_hex};
use crate::domain::UserId;

/// How every key starts, so it is told apart from an Oura token at a glance.
pub const KEY_PREFIX: &str = "odk_";
const ID_LENGTH: usize = 12;

/// A key as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiKeyRecord {
    /// The public part of the key.
    pub id: String,
    /// What its owner called it.
    pub name: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub last_used_at: Option<i64>,
}

/// A key just made: what will be listed, and the secret, shown once.
pub struct NewKey {
    /// The key as listed.
    pub record: ApiKeyRecord,
    /// The whole key, `odk_<id>_<secret>`.
    pub secret: SecretString,
}

#[derive(sqlx::FromRow)]
struct KeyOwnerRow {
    user_id: UserId,
    secret_hash: String,
    last_used_at: Option<i64>,
}

/// A key's "last used" is rewritten at most this often (seconds): reads with a key stay
/// reads, and the time shown is still right to the minute.
const LAST_USED_PRECISION_SECS: i64 = 60;

/// Splits `odk_<id>_<secret>`; `None` for anything else.
fn parse(key: &str) -> Option<(&str, &str)> {
    let (id, secret) = key.strip_prefix(KEY_PREFIX)?.split_once('_')?;
    let valid_id = id.len() == ID_LENGTH && id.bytes().all(|b| b.is_ascii_alphanumeric());
    (valid_id && !secret.is_empty()).then_some((id, secret))
}

/// True when the bearer token is one of ours rather than an Oura access token.
pub fn looks_like_api_key(token: &str) -> bool {
    token.starts_with(KEY_PREFIX)
}

impl Store {
    /// Creates a key; the returned secret is shown to its owner once and never again.
    pub async fn create_api_key(&self, user_id: &UserId, name: &str) -> anyhow::Result<NewKey> {
        let id = Alphanumeric.sample_string(&mut rand::rng(), ID_LENGTH);
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        let secret = URL_SAFE_NO_PAD.encode(secret);
        let created_at = now();
        sqlx::query(
            "INSERT INTO api_keys (id, user_id, name, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(user_id)
        .bind(name)
        .bind(sha256_hex(&secret))
        .bind(created_at)
        .execute(&self.writer)
        .await
        .context("Failed to save the API key")?;
        let key = SecretString::from(format!("{KEY_PREFIX}{id}_{secret}"));
        let record = ApiKeyRecord {
            id,
            name: name.to_owned(),
            created_at,
            last_used_at: None,
        };
        Ok(NewKey {
            record,
            secret: key,
        })
    }

    /// The user's keys, oldest first.
    pub async fn api_keys(&self, user_id: &UserId) -> anyhow::Result<Vec<ApiKeyRecord>> {
        sqlx::query_as(
            "SELECT id, name, created_at, last_used_at FROM api_keys WHERE user_id = $1 ORDER BY created_at, id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await
        .context("Failed to list API keys")
    }

    /// Revokes one of `user_id`'s keys; false when they have no such key.
    pub async fn revoke_api_key(&self, user_id: &UserId, key_id: &str) -> anyhow::Result<bool> {
        let result = sqlx::query("DELETE FROM api_keys WHERE id = $1 AND user_id = $2")
            .bind(key_id)
            .bind(user_id)
            .execute(&self.writer)
            .await
            .context("Failed to revoke the API key")?;
        if let Some(hot) = &self.hot {
            hot.forget_key(key_id);
        }
        Ok(result.rows_affected() == 1)
    }

    /// The user a presented key belongs to, if it is a live key; records its use.
    pub async fn authenticate_api_key(
        &self,
        presented: &SecretString,
    ) -> anyhow::Result<Option<UserId>> {
        let presented = presented.expose_secret();
        let (id, secret) = parse(presented).unwrap_or(("", presented));
        let hot = self.hot.as_ref();
        let read_at = hot.map(|hot| hot.epoch());
        let row = if id.is_empty() {
            None
        } else if let Some(kept) = hot.and_then(|hot| hot.key(id)) {
            Some(kept)
        } else {
            sqlx::query_as::<_, KeyOwnerRow>(
                "SELECT user_id, secret_hash, last_used_at FROM api_keys WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .context("Failed to look up the API key")?
            .map(|row| KeyRow {
                user_id: row.user_id,
                secret_hash: Arc::from(row.secret_hash),
                last_used_at: row.last_used_at,
            })
        };
        // Compare against something all the same, so a wrong id costs what a wrong secret does.
        let stored_hash = row
            .as_ref()
            .map_or_else(|| "0".repeat(64), |row| row.secret_hash.to_string());
        let matches: bool = sha256_hex(secret)
            .as_bytes()
            .ct_eq(stored_hash.as_bytes())
            .into();
        let Some(mut row) = row.filter(|_| matches) else {
            return Ok(None);
        };
        let now = now();
        if row
            .last_used_at
            .is_none_or(|at| now - at >= LAST_USED_PRECISION_SECS)
        {
            // Bookkeeping: a key that checks out is not refused because its last use could not
            // be written (SQLite busy past its timeout under a heavy sync); the next use tries
            // again.
            let recorded = sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(&self.writer)
                .await;
            match recorded {
                Ok(_) => row.last_used_at = Some(now),
                Err(error) => {
                    tracing::warn!(%error, "an API key's last use could not be recorded");
                }
            }
        }
        let user_id = row.user_id.clone();
        if let (Some(hot), Some(read_at)) = (hot, read_at) {
            // Only keys that matched are kept: guesses fill nothing.
            hot.keep_key(id, row, read_at);
        }
        Ok(Some(user_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_into_id_and_secret() {
        assert_eq!(
            parse("odk_abcdefABCDEF_s3cr-t_x"),
            Some(("abcdefABCDEF", "s3cr-t_x"))
        );
    }

    #[test]
    fn malformed_keys_do_not_parse() {
        for key in [
            "",
            "odk_",
            "odk_short_secret",
            "xyz_abcdefABCDEF_secret",
            "odk_abcdefABCDEF_",
            "odk_abc-efABCDEF_s",
        ] {
            assert_eq!(parse(key), None, "{key}");
        }
    }
}
