//! `GET /api/rings`: the rings a person has set up, and the battery of the one worn now.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A ring, as Oura's `ring_configuration` describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ring {
    /// Oura's id.
    pub id: String,
    /// `gen3`, `gen4`, `or5`, ... (or a value Oura adds later).
    pub hardware_type: Option<String>,
    /// The firmware version.
    pub firmware_version: Option<String>,
    /// `silver`, `stealth_black`, ...
    pub color: Option<String>,
    /// `heritage`, `horizon`, ...
    pub design: Option<String>,
    /// US ring size.
    pub size: Option<i64>,
    /// When it was set up (RFC 3339, UTC).
    #[serde(default, with = "crate::wire::rfc3339::option")]
    pub set_up_at: Option<OffsetDateTime>,
}

/// `GET /api/rings`: every ring set up, and the latest battery reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rings {
    /// The rings, the most recently set up first (the one worn now).
    pub rings: Vec<Ring>,
    /// The latest battery reading (`ring_battery_level`), if one was synced.
    pub battery: Option<Battery>,
}

/// A battery reading of the ring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Battery {
    /// Percent, 0-100.
    pub level: i64,
    /// Whether it was charging.
    pub charging: Option<bool>,
    /// Whether it was in its charger.
    pub in_charger: Option<bool>,
    /// When it was measured (RFC 3339, UTC).
    #[serde(with = "crate::wire::rfc3339")]
    pub measured_at: OffsetDateTime,
}
