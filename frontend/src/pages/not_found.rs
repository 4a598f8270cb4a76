use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::Header;

#[function_component(NotFound)]
pub fn not_found() -> Html {
    html! {
        <>
            <Header />
            <main class="page">
                <section class="panel">
                    <h1>{ "Page not found" }</h1>
                    <p>{ "There is nothing at this address." }</p>
                    <Link<Route> to={Route::Home} classes="button">{ "Go to the start page" }</Link<Route>>
                </section>
            </main>
        </>
    }
}
