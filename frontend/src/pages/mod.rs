mod dashboard;
mod not_found;
mod profile;
mod settings;

pub use dashboard::Dashboard;
pub use not_found::NotFound;
pub use profile::Profile;
pub use settings::Settings;
