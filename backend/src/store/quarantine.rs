//! Documents set aside: what Oura sent that the app could not read, kept whole so that
//! nothing is lost and a later version can read it, and listed on the sync-health view.

use anyhow::Context as _;
use sha2::{Digest, Sha256};

use super::{Store, now};
use crate::domain::UserId;

/// A document the app could not read.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SetAside {
    /// Oura's name of its collection.
    pub collection: String,
    /// What was wrong with it.
    pub reason: String,
    /// The document as Oura sent it.
    pub raw: String,
    /// Unix seconds.
    pub quarantined_at: i64,
}

/// A document a sync could not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The document as Oura sent it.
    pub raw: String,
    /// What was wrong with it.
    pub reason: String,
}

/// How many set-aside documents the health view lists.
const LISTED: i64 = 100;

impl Store {
    /// Sets documents aside; one already set aside is only re-dated.
    pub async fn quarantine(
        &self,
        user_id: &UserId,
        collection: &str,
        documents: &[Unreadable],
    ) -> anyhow::Result<()> {
        let at = now();
        let mut tx = self.writer.begin().await?;
        for Unreadable { raw, reason } in documents {
            let hash: String = Sha256::digest(raw.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            sqlx::query(
                "INSERT INTO quarantined_documents (user_id, collection, raw_sha256, reason, raw, quarantined_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, collection, raw_sha256) \
                 DO UPDATE SET reason = excluded.reason, quarantined_at = excluded.quarantined_at",
            )
            .bind(user_id)
            .bind(collection)
            .bind(hash)
            .bind(reason)
            .bind(raw)
            .bind(at)
            .execute(&mut *tx)
            .await
            .context("Failed to set a document aside")?;
        }
        tx.commit().await.context("Failed to set documents aside")
    }

    /// The documents set aside, newest first.
    pub async fn set_aside(&self, user_id: &UserId) -> anyhow::Result<Vec<SetAside>> {
        sqlx::query_as(
            "SELECT collection, reason, raw, quarantined_at FROM quarantined_documents WHERE user_id = $1 \
             ORDER BY quarantined_at DESC, collection LIMIT $2",
        )
        .bind(user_id)
        .bind(LISTED)
        .fetch_all(&self.pool)
        .await
        .context("Failed to list the documents set aside")
    }
}
