use yew::prelude::*;

use crate::api::ApiError;

#[derive(Properties, PartialEq)]
pub struct ErrorPanelProps {
    pub title: AttrValue,
    pub error: ApiError,
    pub on_retry: Callback<()>,
}

#[function_component(ErrorPanel)]
pub fn error_panel(props: &ErrorPanelProps) -> Html {
    let on_retry = props.on_retry.clone();
    html! {
        <section class="panel error-panel" role="alert">
            <h1>{ props.title.clone() }</h1>
            <p>{ props.error.message() }</p>
            <button type="button" class="button primary" onclick={move |_| on_retry.emit(())}>{ "Try again" }</button>
        </section>
    }
}
