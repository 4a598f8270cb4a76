//! Users and their Oura tokens.

use anyhow::Context as _;
use secrecy::SecretString;

use super::hot::UserRow;
use super::{Store, now, now_millis, sha256_hex};
use crate::domain::UserId;

/// A person who signed in.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct User {
    /// Oura's user id.
    pub id: UserId,
    /// Unix seconds.
    pub created_at: i64,
    /// Sessions signed in up to this moment (Unix milliseconds) no longer count.
    pub sessions_valid_after: i64,
}

/// A user's Oura tokens, decrypted, and which rotation they are.
pub struct StoredTokens {
    /// The access token.
    pub access_token: SecretString,
    /// The single-use refresh token, if Oura gave one.
    pub refresh_token: Option<SecretString>,
    /// Unix seconds.
    pub access_expires_at: Option<i64>,
    /// Goes up by one with every rotation.
    pub generation: i64,
}

/// What a token response gave, ready to be stored.
pub struct NewTokens<'a> {
    /// The access token.
    pub access_token: &'a SecretString,
    /// The refresh token; `None` keeps the stored one on a refresh.
    pub refresh_token: Option<&'a SecretString>,
    /// Unix seconds.
    pub access_expires_at: Option<i64>,
    /// Space-separated, as Oura reported them.
    pub scopes: &'a str,
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    access_token: String,
    refresh_token: Option<String>,
    access_expires_at: Option<i64>,
    generation: i64,
}

impl Store {
    /// Records a sign-in: creates the user if new and replaces their tokens, in one transaction.
    pub async fn save_sign_in(
        &self,
        user_id: &UserId,
        tokens: NewTokens<'_>,
    ) -> anyhow::Result<()> {
        let now = now();
        let access = self.cipher.encrypt(tokens.access_token, user_id.as_str())?;
        let refresh = tokens
            .refresh_token
            .map(|t| self.cipher.encrypt(t, user_id.as_str()))
            .transpose()?;
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO users (id, created_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
        )
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await
        .context("Failed to save the user")?;
        sqlx::query(
            "INSERT INTO oura_tokens (user_id, access_token, refresh_token, access_expires_at, scopes, \
             generation, refresh_lease_until, updated_at) VALUES ($1, $2, $3, $4, $5, 1, 0, $6) \
             ON CONFLICT (user_id) DO UPDATE SET access_token = excluded.access_token, \
             refresh_token = excluded.refresh_token, access_expires_at = excluded.access_expires_at, \
             scopes = excluded.scopes, generation = oura_tokens.generation + 1, \
             refresh_lease_until = 0, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(access)
        .bind(refresh)
        .bind(tokens.access_expires_at)
        .bind(tokens.scopes)
        .bind(now)
        .execute(&mut *tx)
        .await
        .context("Failed to save the tokens")?;
        tx.commit().await?;
        self.forget_user(user_id);
        Ok(())
    }

    /// The user, if they have an account.
    pub async fn user(&self, user_id: &UserId) -> anyhow::Result<Option<User>> {
        Ok(self.user_row(user_id).await?.map(|row| row.user))
    }

    /// The user's row with their data version: from memory where it is kept.
    pub(super) async fn user_row(&self, user_id: &UserId) -> anyhow::Result<Option<UserRow>> {
        if let Some(row) = self.hot.as_ref().and_then(|hot| hot.user(user_id)) {
            return Ok(Some(row));
        }
        let read_at = self.hot.as_ref().map(|hot| hot.epoch());
        let row: Option<UserRow> = sqlx::query_as(
            "SELECT id, created_at, sessions_valid_after, data_version FROM users WHERE id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await
        .context("Failed to read the user")?;
        if let (Some(hot), Some(read_at), Some(row)) = (&self.hot, read_at, &row) {
            hot.keep_user(row.clone(), read_at);
        }
        Ok(row)
    }

    /// This process changed the user's row: a kept copy is stale.
    pub(super) fn forget_user(&self, user_id: &UserId) {
        if let Some(hot) = &self.hot {
            hot.forget_user(user_id);
        }
    }

    /// The user's tokens; `None` when there are none or they cannot be decrypted.
    pub async fn tokens(&self, user_id: &UserId) -> anyhow::Result<Option<StoredTokens>> {
        let row: Option<TokenRow> = sqlx::query_as(
            "SELECT access_token, refresh_token, access_expires_at, generation FROM oura_tokens WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await
        .context("Failed to read the tokens")?;
        let Some(row) = row else { return Ok(None) };
        let Some(access_token) = self.cipher.decrypt(&row.access_token, user_id.as_str()) else {
            tracing::warn!(
                %user_id,
                "stored Oura tokens cannot be decrypted (was the key changed?)"
            );
            return Ok(None);
        };
        Ok(Some(StoredTokens {
            access_token,
            refresh_token: row
                .refresh_token
                .and_then(|r| self.cipher.decrypt(&r, user_id.as_str())),
            access_expires_at: row.access_expires_at,
            generation: row.generation,
        }))
    }

    /// Takes the right to refresh `generation` for `lease_secs`, unless another holder has it.
    pub async fn try_lease_refresh(
        &self,
        user_id: &UserId,
        generation: i64,
        lease_secs: i64,
    ) -> anyhow::Result<bool> {
        let now = now();
        let result = sqlx::query(
            "UPDATE oura_tokens SET refresh_lease_until = $1 \
             WHERE user_id = $2 AND generation = $3 AND refresh_lease_until < $4",
        )
        .bind(now + lease_secs)
        .bind(user_id)
        .bind(generation)
        .bind(now)
        .execute(&self.writer)
        .await
        .context("Failed to take the refresh lease")?;
        Ok(result.rows_affected() == 1)
    }

    /// Gives up the right to refresh after a refresh that failed without an answer.
    pub async fn release_refresh_lease(
        &self,
        user_id: &UserId,
        generation: i64,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE oura_tokens SET refresh_lease_until = 0 WHERE user_id = $1 AND generation = $2",
        )
        .bind(user_id)
        .bind(generation)
        .execute(&self.writer)
        .await
        .context("Failed to release the refresh lease")?;
        Ok(())
    }

    /// Stores a rotated pair in one statement, only over the generation it was refreshed from.
    pub async fn save_rotated_tokens(
        &self,
        user_id: &UserId,
        generation: i64,
        tokens: NewTokens<'_>,
    ) -> anyhow::Result<bool> {
        let access = self.cipher.encrypt(tokens.access_token, user_id.as_str())?;
        let refresh = tokens
            .refresh_token
            .map(|t| self.cipher.encrypt(t, user_id.as_str()))
            .transpose()?;
        let result = sqlx::query(
            // Oura may leave `refresh_token` out of a refresh answer: the stored one stays valid.
            "UPDATE oura_tokens SET access_token = $1, refresh_token = COALESCE($2, refresh_token), access_expires_at = $3, \
             scopes = $4, generation = generation + 1, refresh_lease_until = 0, updated_at = $5 \
             WHERE user_id = $6 AND generation = $7",
        )
        .bind(access)
        .bind(refresh)
        .bind(tokens.access_expires_at)
        .bind(tokens.scopes)
        .bind(now())
        .bind(user_id)
        .bind(generation)
        .execute(&self.writer)
        .await
        .context("Failed to save the rotated tokens")?;
        Ok(result.rows_affected() == 1)
    }

    /// Ends every session of the user (wherever sessions are kept) and forgets their tokens.
    pub async fn end_all_sessions(&self, user_id: &UserId) -> anyhow::Result<()> {
        let mut tx = self.writer.begin().await?;
        sqlx::query("UPDATE users SET sessions_valid_after = $1 WHERE id = $2")
            .bind(now_millis())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM oura_tokens WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit()
            .await
            .context("Failed to end the user's sessions")?;
        self.forget_kept_rows_of(user_id);
        Ok(())
    }

    /// Drops every row kept in memory for the user (their row, sessions and keys).
    fn forget_kept_rows_of(&self, user_id: &UserId) {
        if let Some(hot) = &self.hot {
            hot.forget_sessions_of(user_id);
            hot.forget_keys_of(user_id);
            hot.forget_user(user_id);
        }
    }

    /// Claims the login that started with `state` for one callback: true the first time,
    /// false for every later (or concurrent) callback with the same state. Claims older than
    /// `forget_after` (a login's lifetime) are dropped, as no callback can use them any more.
    pub async fn claim_login(&self, state: &str, forget_after: i64) -> anyhow::Result<bool> {
        let now = now();
        sqlx::query("DELETE FROM redeemed_logins WHERE redeemed_at < $1")
            .bind(now - forget_after)
            .execute(&self.writer)
            .await
            .context("Failed to forget old logins")?;
        let hash = sha256_hex(state);
        let claimed = sqlx::query(
            "INSERT INTO redeemed_logins (state_sha256, redeemed_at) VALUES ($1, $2) \
             ON CONFLICT (state_sha256) DO NOTHING",
        )
        .bind(hash)
        .bind(now)
        .execute(&self.writer)
        .await
        .context("Failed to claim the login")?;
        Ok(claimed.rows_affected() == 1)
    }

    /// Removes the user and everything stored for them.
    ///
    /// A sync may be writing a page for this user at the same moment, locking rows in another
    /// order; PostgreSQL then ends one of the two as a deadlock. When that is the deletion, it
    /// runs again: the person asked for it and the page's rows will go with the account.
    pub async fn delete_user(&self, user_id: &UserId) -> anyhow::Result<()> {
        const ATTEMPTS: usize = 3;
        for attempt in 1.. {
            match self.try_delete_user(user_id).await {
                Err(error) if attempt < ATTEMPTS && is_lock_conflict(&error) => {
                    tracing::info!(attempt, "the account deletion met a sync's write; again");
                }
                outcome => return outcome.context("Failed to delete the account"),
            }
        }
        unreachable!("the loop returns by its last attempt")
    }

    async fn try_delete_user(&self, user_id: &UserId) -> Result<(), sqlx::Error> {
        let mut tx = self.writer.begin().await?;
        for table_query in [
            "DELETE FROM daily_documents WHERE user_id = $1",
            "DELETE FROM quarantined_documents WHERE user_id = $1",
            "DELETE FROM sleep_samples WHERE user_id = $1",
            "DELETE FROM sleep_periods WHERE user_id = $1",
            "DELETE FROM heart_rate WHERE user_id = $1",
            "DELETE FROM profiles WHERE user_id = $1",
            "DELETE FROM sync_progress WHERE user_id = $1",
            "DELETE FROM sync_runs WHERE user_id = $1",
            "DELETE FROM api_keys WHERE user_id = $1",
            "DELETE FROM oura_tokens WHERE user_id = $1",
            "DELETE FROM sessions WHERE user_id = $1",
            "DELETE FROM users WHERE id = $1",
        ] {
            sqlx::query(table_query)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.forget_kept_rows_of(user_id);
        Ok(())
    }
}

/// PostgreSQL ended the transaction to break a deadlock or a serialization conflict: the
/// same work, run again, can succeed.
fn is_lock_conflict(error: &sqlx::Error) -> bool {
    const DEADLOCK_DETECTED: &str = "40P01";
    const SERIALIZATION_FAILURE: &str = "40001";
    error
        .as_database_error()
        .and_then(|error| error.code())
        .is_some_and(|code| code == DEADLOCK_DETECTED || code == SERIALIZATION_FAILURE)
}
