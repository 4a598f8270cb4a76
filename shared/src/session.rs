use serde::{Deserialize, Serialize};

/// What the SPA needs to know before it draws anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionStatus {
    /// True when the request carries a live session.
    pub signed_in: bool,
    /// True when the app talks to its built-in Oura simulator instead of Oura.
    pub demo_mode: bool,
}
