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

/// Moves the app to another page: a new history entry, and that page rendered.
#[derive(Clone, PartialEq)]
pub struct Navigator(Callback<Route>);

impl Navigator {
    pub fn push(&self, route: Route) {
        self.0.emit(route);
    }
}

/// The navigator of the router around this component (`None` outside one, as in unit tests).
#[hook]
pub fn use_navigator() -> Option<Navigator> {
    use_context::<Navigator>()
}

/// Renders the page of the address shown, and follows the back and forward buttons.
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
    let navigator = {
        let route = route.clone();
        Navigator(Callback::from(move |next: Route| {
            if let Some(history) = web_sys::window().and_then(|window| window.history().ok()) {
                let _ = history.push_state_with_url(
                    &wasm_bindgen::JsValue::NULL,
                    "",
                    Some(&next.to_path()),
                );
            }
            route.set(next);
        }))
    };
    html! {
        <ContextProvider<Navigator> context={navigator}>
            { switch(&route) }
        </ContextProvider<Navigator>>
    }
}

#[derive(Properties, PartialEq)]
pub struct LinkProps {
    pub to: Route,
    #[prop_or_default]
    pub classes: Classes,
    #[prop_or_default]
    pub children: Html,
}

/// A real link (it opens in a new tab, and works before the app runs), followed in place
/// when clicked plainly.
#[function_component(Link)]
pub fn link(props: &LinkProps) -> Html {
    let navigator = use_navigator();
    let onclick = {
        let to = props.to.clone();
        Callback::from(move |event: MouseEvent| {
            let modified =
                event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key();
            if let Some(navigator) = navigator
                .as_ref()
                .filter(|_| event.button() == 0 && !modified)
            {
                event.prevent_default();
                navigator.push(to.clone());
            }
        })
    };
    html! {
        <a href={props.to.to_path()} class={props.classes.clone()} {onclick}>{ props.children.clone() }</a>
    }
}
