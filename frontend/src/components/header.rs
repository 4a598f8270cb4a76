use crate::router::page_link;
use yew::prelude::*;

use crate::app::Route;

/// The app's header; with `on_sign_out` (signed in) the navigation and a "Sign out" button.
pub fn header(on_sign_out: Option<Callback<()>>) -> Html {
    html! {
        <header class="app-header">
            { page_link!(Route::Home, "brand", <span class="ring" aria-hidden="true"></span>{ "Oura Dashboard" }) }
            if let Some(on_sign_out) = on_sign_out {
                <nav class="nav" aria-label="Main">
                    { page_link!(Route::Home, "", { "Dashboard" }) }
                    { page_link!(Route::Profile, "", { "Profile" }) }
                    { page_link!(Route::Settings, "", { "Settings" }) }
                    <button type="button" class="button secondary" onclick={move |_| on_sign_out.emit(())}>
                        { "Sign out" }
                    </button>
                </nav>
            }
        </header>
    }
}
