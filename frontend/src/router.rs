//! Moving between pages without reloading: the address bar and the back button through the
//! History API. The app's four routes need only this much; yew-router and its route
//! recognizer were a sixth of the wasm's code for it.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use crate::app::{Route, switch};

/// The address the browser shows now (`/night/2026-01-31`).
pub fn current_path() -> String {
    web_sys::window()
        .and_then(|window| window.location().pathname().ok())
        .unwrap_or_else(|| "/".to_owned())
}

/// Moves the app to another page: a new history entry, and that page rendered. The
/// [`Router`] follows the address bar on `popstate`, as for the back button; this sends it
/// one, so any part of the app can navigate without a handle passed down to it.
pub fn navigate(to: &Route) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(history) = window.history() {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to.to_path()));
    }
    if let Ok(event) = web_sys::Event::new("popstate") {
        let _ = window.dispatch_event(&event);
    }
}

/// Renders the page of the address shown, and follows the back and forward buttons (and
/// [`navigate`]).
#[function_component(Router)]
pub fn router() -> Html {
    let route = use_state(|| Route::recognize(&current_path()));
    {
        let route = route.clone();
        use_effect_with((), move |()| {
            let on_pop_state = Closure::<dyn Fn()>::new(move || {
                route.set(Route::recognize(&current_path()));
            });
            let window = web_sys::window();
            if let Some(window) = &window {
                let _ = window.add_event_listener_with_callback(
                    "popstate",
                    on_pop_state.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(window) = window {
                    let _ = window.remove_event_listener_with_callback(
                        "popstate",
                        on_pop_state.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    switch(&route)
}

/// The `href` and `onclick` of a link to `to`: a real link (it opens in a new tab, and works
/// before the app runs), followed in place when clicked plainly. See [`page_link!`].
pub fn link_to(to: Route) -> (String, Callback<MouseEvent>) {
    let href = to.to_path();
    let onclick = Callback::from(move |event: MouseEvent| {
        let modified = event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key();
        if event.button() == 0 && !modified {
            event.prevent_default();
            navigate(&to);
        }
    });
    (href, onclick)
}

/// `page_link!(route, "class", children...)`: an `<a>` to one of the app's pages (see [`link_to`]).
/// A macro so that the class reaches `html!` as a literal: a class that is a value makes Yew
/// build a `Classes` set, and that machinery was 2 KB of the SPA for a handful of links.
macro_rules! page_link {
    ($to:expr, $class:tt, $($children:tt)*) => {{
        let (href, onclick) = $crate::router::link_to($to);
        ::yew::html! { <a class=$class {href} {onclick}>$($children)*</a> }
    }};
}
pub(crate) use page_link;
