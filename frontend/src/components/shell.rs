use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::{demo_banner, error_panel, header, landing, loading};
use crate::hooks::{Fetch, use_fetch};

/// Lets signed-in content report that the backend ended the session, with the reason.
#[derive(Clone, PartialEq)]
pub struct SessionEnded(pub Callback<String>);

#[derive(Properties, PartialEq)]
pub struct ShellProps {
    /// Shown when signed in; the landing page is shown otherwise.
    pub children: Html,
}

/// Every page's frame: the demo banner, the header, and the sign-in gate.
#[function_component(Shell)]
pub fn shell(props: &ShellProps) -> Html {
    let session = use_fetch(api::session);
    let sign_out_error = use_state(|| None::<String>);
    // Why the person sees the landing page again, when it was not their own sign-out.
    let notice = use_state(arrival_notice);

    let on_session_ended = {
        let reload = session.reload.clone();
        let notice = notice.clone();
        Callback::from(move |message: String| {
            notice.set(Some(message.into()));
            reload.emit(());
        })
    };
    let on_sign_out = {
        let reload = session.reload.clone();
        let sign_out_error = sign_out_error.clone();
        let notice = notice.clone();
        Callback::from(move |()| {
            let (reload, sign_out_error, notice) =
                (reload.clone(), sign_out_error.clone(), notice.clone());
            spawn_local(async move {
                match api::logout().await {
                    Ok(()) => {
                        sign_out_error.set(None);
                        notice.set(None);
                        reload.emit(());
                    }
                    Err(error) => sign_out_error.set(Some(error.message())),
                }
            });
        })
    };

    let body = match &session.state {
        Fetch::Loading => loading("Loading…"),
        Fetch::Failed(error) => {
            error_panel("Oura Dashboard is not reachable", error, &session.reload)
        }
        Fetch::Ready(status) if status.signed_in => html! {
            <ContextProvider<SessionEnded> context={SessionEnded(on_session_ended)}>
                { props.children.clone() }
            </ContextProvider<SessionEnded>>
        },
        Fetch::Ready(_) => landing(notice.as_deref()),
    };
    let (signed_in, demo) = match &session.state {
        Fetch::Ready(status) => (status.signed_in, status.demo_mode),
        _ => (false, false),
    };

    html! {
        <>
            if demo { { demo_banner() } }
            { header(signed_in.then_some(on_sign_out)) }
            <main class="page">
                if let Some(message) = (*sign_out_error).clone() {
                    <p class="alert" role="alert">{ format!("Signing out failed: {message}") }</p>
                }
                { body }
            </main>
        </>
    }
}

/// The notice a redirect asked for (after deleting the account, the app reloads with it).
fn arrival_notice() -> Option<AttrValue> {
    let search = web_sys::window()?.location().search().ok()?;
    search
        .contains("account_deleted=1")
        .then(|| AttrValue::from("Your account and all its data were deleted."))
}

/// Reports a session the backend ended to the [`Shell`], once per distinct error.
#[hook]
pub fn use_session_ended_on(error: Option<api::ApiError>) {
    let ended = use_context::<SessionEnded>();
    let message = error
        .filter(api::ApiError::needs_sign_in)
        .map(|e| e.message());
    use_effect_with(message, move |message| {
        if let (Some(message), Some(ended)) = (message, ended) {
            ended.0.emit(message.clone());
        }
    });
}
