mod dashboard;
mod night;
mod not_found;
mod profile;
mod settings;

pub use dashboard::dashboard;
pub use night::night;
pub use not_found::not_found;
pub use profile::profile;
pub use settings::settings;
