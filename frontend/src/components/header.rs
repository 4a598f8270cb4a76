use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// Set when signed in: shows the navigation and a "Sign out" button.
    #[prop_or_default]
    pub on_sign_out: Option<Callback<()>>,
}

#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    html! {
        <header class="app-header">
            <Link<Route> to={Route::Home} classes="brand">
                <span class="ring" aria-hidden="true"></span>{ "Oura Dashboard" }
            </Link<Route>>
            if let Some(on_sign_out) = props.on_sign_out.clone() {
                <nav class="nav" aria-label="Main">
                    <Link<Route> to={Route::Home}>{ "Dashboard" }</Link<Route>>
                    <Link<Route> to={Route::Profile}>{ "Profile" }</Link<Route>>
                    <Link<Route> to={Route::Settings}>{ "Settings" }</Link<Route>>
                    <button type="button" class="button secondary" onclick={move |_| on_sign_out.emit(())}>
                        { "Sign out" }
                    </button>
                </nav>
            }
        </header>
    }
}
