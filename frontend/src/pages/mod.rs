mod dashboard;
mod night;
mod not_found;
mod profile;
mod settings;

pub use dashboard::Dashboard;
pub use night::Night;
pub use not_found::NotFound;
pub use profile::Profile;
pub use settings::Settings;
