mod use_fetch;

pub use use_fetch::{Fetch, use_fetch};
