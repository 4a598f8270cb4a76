//! Building blocks that take props and hold no routes.

mod demo_banner;
mod error_panel;
mod header;
mod landing;
mod loading;
mod profile_card;

pub use demo_banner::DemoBanner;
pub use error_panel::ErrorPanel;
pub use header::Header;
pub use landing::Landing;
pub use loading::Loading;
pub use profile_card::ProfileCard;
