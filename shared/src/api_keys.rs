use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A personal API key as listed: its secret is shown once, at creation, and never again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKey {
    /// The key's public id (the part after `odk_`, before the secret).
    pub id: String,
    /// What the person called it.
    pub name: String,
    /// When it was created (RFC 3339, UTC).
    #[serde(with = "crate::wire::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it was last used (RFC 3339, UTC); `None` until the key is first used.
    #[serde(default, with = "crate::wire::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
}

/// What `POST /api/keys` takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewApiKey {
    /// 1 to 64 characters, to tell keys apart ("laptop backup script").
    pub name: String,
}

/// What `POST /api/keys` returns: the key and, this once, its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiKey {
    /// The key as it will be listed.
    pub key: ApiKey,
    /// Send as `Authorization: Bearer <secret>`. Store it now: it cannot be shown again.
    pub secret: String,
}

/// Longest accepted key name, in characters.
pub const API_KEY_NAME_MAX: usize = 64;
