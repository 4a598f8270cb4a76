use crate::router::Link;
use yew::prelude::*;

use crate::app::Route;

/// The app's header; with `on_sign_out` (signed in) the navigation and a "Sign out" button.
pub fn header(on_sign_out: Option<Callback<()>>) -> Html {
    html! {
        <header class="app-header">
            <Link to={Route::Home} classes="brand">
                <span class="ring" aria-hidden="true"></span>{ "Oura Dashboard" }
            </Link>
            if let Some(on_sign_out) = on_sign_out {
                <nav class="nav" aria-label="Main">
                    <Link to={Route::Home}>{ "Dashboard" }</Link>
                    <Link to={Route::Profile}>{ "Profile" }</Link>
                    <Link to={Route::Settings}>{ "Settings" }</Link>
                    <button type="button" class="button secondary" onclick={move |_| on_sign_out.emit(())}>
                        { "Sign out" }
                    </button>
                </nav>
            }
        </header>
    }
}
