use yew::prelude::*;

/// Says that the data are the simulator's, not a ring's.
pub fn demo_banner() -> Html {
    html! {
        <aside class="demo-banner" role="note" aria-label="Demo mode">
            <strong>{ "Demo data" }</strong>
            { " · This app is running on its built-in Oura simulator. Nothing here comes from a real ring. " }
            { "Configure OURA_CLIENT_ID to use your own Oura account." }
        </aside>
    }
}
