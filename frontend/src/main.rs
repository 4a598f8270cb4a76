//! oura-dashboard's single-page app.

// A binary: nothing here is a public API, so `missing_docs` does not apply.
#![allow(missing_docs)]

mod api;
mod app;
mod charts;
mod clock;
mod components;
mod decode;
mod format;
mod hooks;
mod pages;
mod router;

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The id of the page `index.html` shows while the app loads.
const BOOT_SCREEN_ID: &str = "boot";

fn main() {
    if let Some(boot) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(BOOT_SCREEN_ID))
    {
        boot.remove();
    }
    yew::Renderer::<router::Router>::new().render();
}
