mod use_fetch;

pub use use_fetch::{Fetch, use_fetch, use_fetch_with};
