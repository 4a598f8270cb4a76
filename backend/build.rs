//! The SPA is embedded from `../dist` (see `routes/spa.rs`): a new trunk build must rebuild
//! the backend, and `include_bytes!` alone notices only changes to files it already embeds.
fn main() {
    println!("cargo:rerun-if-changed=../dist");
}
