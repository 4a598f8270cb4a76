use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// Shown as a "Sign out" button when set (that is, when signed in).
    #[prop_or_default]
    pub on_sign_out: Option<Callback<()>>,
}

#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    html! {
        <header class="app-header">
            <a class="brand" href="/"><span class="ring" aria-hidden="true"></span>{ "Oura Dashboard" }</a>
            if let Some(on_sign_out) = props.on_sign_out.clone() {
                <button type="button" class="button secondary" onclick={move |_| on_sign_out.emit(())}>
                    { "Sign out" }
                </button>
            }
        </header>
    }
}
