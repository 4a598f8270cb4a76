use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::{demo_banner, error_panel, header, landing, loading};
use crate::hooks::{Fetch, use_fetch};
use crate::router::current_path;

/// The event by which signed-in content tells the [`Shell`] that the backend ended the
/// session; its detail is the reason, in words. An event on the window rather than a Yew
/// context: the content reports it from wherever it is, and the app carries no context
/// machinery for one message.
const SESSION_ENDED: &str = "oura-session-ended";

#[derive(Properties, PartialEq)]
pub struct ShellProps {
    /// Shown when signed in; the landing page is shown otherwise.
    pub children: Html,
}

/// Every page's frame: the demo banner, the header, and the sign-in gate.
#[function_component(Shell)]
pub fn shell(props: &ShellProps) -> Html {
    let session = use_fetch(api::session());
    let sign_out_error = use_state(|| None::<String>);
    // Why the person sees the landing page again, when it was not their own sign-out.
    let notice = use_state(arrival_notice);

    // What a report of the session's end does, as of this render: the listener, added once,
    // calls the latest.
    let on_session_ended = use_mut_ref(Callback::noop);
    *on_session_ended.borrow_mut() = {
        let reload = session.reload.clone();
        let notice = notice.clone();
        Callback::from(move |message: String| {
            notice.set(Some(message.into()));
            reload.emit(());
        })
    };
    use_effect_with((), move |()| {
        let listener =
            Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
                if let Some(message) = event.detail().as_string() {
                    on_session_ended.borrow().emit(message);
                }
            });
        let window = web_sys::window();
        if let Some(window) = &window {
            let _ = window
                .add_event_listener_with_callback(SESSION_ENDED, listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(window) = window {
                let _ = window.remove_event_listener_with_callback(
                    SESSION_ENDED,
                    listener.as_ref().unchecked_ref(),
                );
            }
        }
    });
    // A failed sign-out is said on the page it was tried from, not carried to the next one.
    {
        let sign_out_error = sign_out_error.clone();
        use_effect_with(current_path(), move |_| {
            if sign_out_error.is_some() {
                sign_out_error.set(None);
            }
        });
    }
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
        Fetch::Ready(status) if status.signed_in => props.children.clone(),
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
    let message = error
        .filter(api::ApiError::needs_sign_in)
        .map(|e| e.message());
    use_effect_with(message, |message| {
        if let Some(message) = message {
            report_session_ended(message);
        }
    });
}

fn report_session_ended(message: &str) {
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&JsValue::from_str(message));
    if let (Some(window), Ok(event)) = (
        web_sys::window(),
        web_sys::CustomEvent::new_with_event_init_dict(SESSION_ENDED, &init),
    ) {
        let _ = window.dispatch_event(&event);
    }
}
