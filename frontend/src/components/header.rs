use crate::router::link;
use yew::prelude::*;

use crate::app::Route;

/// The app's header; with `on_sign_out` (signed in) the navigation and a "Sign out" button.
pub fn header(on_sign_out: Option<Callback<()>>) -> Html {
    html! {
        <header class="app-header">
            { link(Route::Home, "brand", html! {
                <><span class="ring" aria-hidden="true"></span>{ "Oura Dashboard" }</>
            }) }
            if let Some(on_sign_out) = on_sign_out {
                <nav class="nav" aria-label="Main">
                    { link(Route::Home, "", html! { "Dashboard" }) }
                    { link(Route::Profile, "", html! { "Profile" }) }
                    { link(Route::Settings, "", html! { "Settings" }) }
                    <button type="button" class="button secondary" onclick={move |_| on_sign_out.emit(())}>
                        { "Sign out" }
                    </button>
                </nav>
            }
        </header>
    }
}
