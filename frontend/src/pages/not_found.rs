use crate::router::page_link;
use yew::prelude::*;

use crate::app::Route;
use crate::components::header;

pub fn not_found() -> Html {
    html! {
        <>
            { header(None) }
            <main class="page">
                <section class="panel">
                    <h1>{ "Page not found" }</h1>
                    <p>{ "There is nothing at this address." }</p>
                    { page_link!(Route::Home, "button", { "Go to the start page" }) }
                </section>
            </main>
        </>
    }
}
