//! oura-dashboard's single-page app.

// A binary: nothing here is a public API, so `missing_docs` does not apply.
#![allow(missing_docs)]

mod api;
mod app;
mod charts;
mod components;
mod format;
mod hooks;
mod pages;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
