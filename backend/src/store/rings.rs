//! The rings a person has set up (Oura's `ring_configuration`), keyed by Oura's id, and the
//! ring's latest battery reading (`ring_battery_level`).

use anyhow::Context as _;
use time::OffsetDateTime;

use super::documents::{WithRaw, rfc3339, stored_time};
use super::{Store, now};
use crate::domain::UserId;

/// One ring.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct RingRecord {
    /// Oura's id.
    pub document_id: String,
    /// `gen3`, `gen4`, `or5`, ...
    pub hardware_type: Option<String>,
    /// The firmware version.
    pub firmware_version: Option<String>,
    /// `silver`, `stealth_black`, ...
    pub color: Option<String>,
    /// `heritage`, `horizon`, ...
    pub design: Option<String>,
    /// US ring size.
    pub size: Option<i64>,
    /// When it was set up (RFC 3339 in the store).
    #[sqlx(skip)]
    pub set_up_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct RingRow {
    #[sqlx(flatten)]
    ring: RingRecord,
    set_up_at: Option<String>,
}

/// Rings, the most recently set up first (rings without a date last): the order both the
/// typed list and the export read them in.
const NEWEST_FIRST: &str =
    "ORDER BY CASE WHEN set_up_at IS NULL THEN 1 ELSE 0 END, set_up_at DESC, document_id";

impl Store {
    /// Upserts one page of rings in one transaction.
    pub async fn save_ring_page(
        &self,
        user_id: &UserId,
        rings: &[WithRaw<RingRecord>],
    ) -> anyhow::Result<()> {
        let synced_at = now();
        let mut tx = self.writer.begin().await?;
        for WithRaw { record, raw } in rings {
            sqlx::query(
                "INSERT INTO rings (user_id, document_id, hardware_type, firmware_version, color, \
                 design, size, set_up_at, raw, synced_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (user_id, document_id) DO UPDATE SET \
                 hardware_type = excluded.hardware_type, firmware_version = excluded.firmware_version, \
                 color = excluded.color, design = excluded.design, size = excluded.size, \
                 set_up_at = excluded.set_up_at, raw = excluded.raw, synced_at = excluded.synced_at",
            )
            .persistent(false)
            .bind(user_id)
            .bind(&record.document_id)
            .bind(&record.hardware_type)
            .bind(&record.firmware_version)
            .bind(&record.color)
            .bind(&record.design)
            .bind(record.size)
            .bind(record.set_up_at.map(rfc3339).transpose()?)
            .bind(raw)
            .bind(synced_at)
            .execute(&mut *tx)
            .await
            .context("Failed to store a ring")?;
        }
        self.commit_page(tx, user_id)
            .await
            .context("Failed to commit a page of rings")
    }

    /// Every ring of `user_id`, the most recently set up first (rings without a date last).
    pub async fn rings(&self, user_id: &UserId) -> anyhow::Result<Vec<RingRecord>> {
        let rows: Vec<RingRow> = sqlx::query_as(&format!(
            "SELECT document_id, hardware_type, firmware_version, color, design, size, set_up_at \
             FROM rings WHERE user_id = $1 {NEWEST_FIRST}"
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await
        .context("Failed to read rings")?;
        rows.into_iter()
            .map(|row| {
                Ok(RingRecord {
                    set_up_at: row.set_up_at.as_deref().map(stored_time).transpose()?,
                    ..row.ring
                })
            })
            .collect()
    }

    /// Every ring of `user_id` as Oura sent it, the most recently set up first.
    pub async fn raw_rings(&self, user_id: &UserId) -> anyhow::Result<Vec<String>> {
        sqlx::query_scalar(&format!(
            "SELECT raw FROM rings WHERE user_id = $1 {NEWEST_FIRST}"
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await
        .context("Failed to read the rings' documents")
    }
}

/// A battery reading of the ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatteryReading {
    /// When it was measured.
    pub at: OffsetDateTime,
    /// Percent, 0-100.
    pub level: i64,
    /// Whether the ring was charging.
    pub charging: Option<bool>,
    /// Whether the ring was in its charger.
    pub in_charger: Option<bool>,
}

#[derive(sqlx::FromRow)]
struct BatteryRow {
    level: i64,
    charging: Option<i64>,
    in_charger: Option<i64>,
    measured_at: i64,
}

impl Store {
    /// Keeps the newest of `readings` as the ring's battery, unless a newer one is kept
    /// already.
    pub async fn save_battery(
        &self,
        user_id: &UserId,
        readings: &[WithRaw<BatteryReading>],
    ) -> anyhow::Result<()> {
        let Some(WithRaw { record, raw }) = readings.iter().max_by_key(|r| r.record.at) else {
            return Ok(());
        };
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO ring_battery (user_id, level, charging, in_charger, measured_at, raw) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (user_id) DO UPDATE SET level = excluded.level, \
             charging = excluded.charging, in_charger = excluded.in_charger, \
             measured_at = excluded.measured_at, raw = excluded.raw \
             WHERE ring_battery.measured_at <= excluded.measured_at",
        )
        .persistent(false)
        .bind(user_id)
        .bind(record.level)
        .bind(record.charging.map(i64::from))
        .bind(record.in_charger.map(i64::from))
        .bind(record.at.unix_timestamp())
        .bind(raw)
        .execute(&mut *tx)
        .await
        .context("Failed to store the battery level")?;
        self.commit_page(tx, user_id)
            .await
            .context("Failed to commit the battery level")
    }

    /// The ring's latest battery reading, if one was synced.
    pub async fn battery(&self, user_id: &UserId) -> anyhow::Result<Option<BatteryReading>> {
        let row: Option<BatteryRow> = sqlx::query_as(
            "SELECT level, charging, in_charger, measured_at FROM ring_battery WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await
        .context("Failed to read the battery level")?;
        row.map(|row| {
            Ok(BatteryReading {
                at: OffsetDateTime::from_unix_timestamp(row.measured_at)
                    .context("Stored battery time is out of range")?,
                level: row.level,
                charging: row.charging.map(|c| c != 0),
                in_charger: row.in_charger.map(|c| c != 0),
            })
        })
        .transpose()
    }
}
