//! oura-dashboard's single-page app.

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
