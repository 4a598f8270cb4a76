//! Building blocks that take props and hold no routes.

mod demo_banner;
mod error_panel;
mod header;
mod landing;
mod loading;
mod profile_card;
mod shell;

pub use demo_banner::DemoBanner;
pub use error_panel::ErrorPanel;
pub use header::Header;
pub use landing::Landing;
pub use loading::Loading;
pub use profile_card::ProfileCard;
pub use shell::{Shell, use_session_ended_on};
