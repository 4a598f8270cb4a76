use yew::prelude::*;

use crate::api::ApiError;

/// A failed request: `title`, the error in words, and a button that calls `on_retry`.
pub fn error_panel(title: &str, error: &ApiError, on_retry: &Callback<()>) -> Html {
    let on_retry = on_retry.clone();
    html! {
        <section class="panel error-panel" role="alert">
            <h1>{ title.to_owned() }</h1>
            <p>{ error.message() }</p>
            <button type="button" class="button primary" onclick={move |_| on_retry.emit(())}>{ "Try again" }</button>
        </section>
    }
}
