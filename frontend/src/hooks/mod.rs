mod use_fetch;
mod use_width;

pub use use_fetch::{Fetch, FetchHandle, use_fetch};
pub use use_width::use_chart_width;
