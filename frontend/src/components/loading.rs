use yew::prelude::*;

/// A spinner with what is being loaded. A plain function rather than a component: it holds
/// no state, and each component costs the SPA its own copy of Yew's lifecycle code.
pub fn loading(label: &str) -> Html {
    html! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{ label.to_owned() }</span>
        </div>
    }
}
