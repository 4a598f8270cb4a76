use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::{DemoBanner, ErrorPanel, Header, Landing, Loading, ProfileCard};
use crate::hooks::{Fetch, use_fetch};

/// The start page: the landing page when signed out, the profile when signed in.
#[function_component(Home)]
pub fn home() -> Html {
    let session = use_fetch(api::session);
    let sign_out_error = use_state(|| None::<String>);
    // Why the person sees the landing page again, when it was not their choice.
    let notice = use_state(|| None::<AttrValue>);

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
            let reload = reload.clone();
            let sign_out_error = sign_out_error.clone();
            let notice = notice.clone();
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
        Fetch::Loading => html! { <Loading label="Loading…" /> },
        Fetch::Failed(error) => html! {
            <ErrorPanel title="Oura Dashboard is not reachable" error={error.clone()} on_retry={session.reload.clone()} />
        },
        Fetch::Ready(status) if status.signed_in => html! {
            <ProfileSection on_session_ended={on_session_ended} />
        },
        Fetch::Ready(_) => html! { <Landing notice={(*notice).clone()} /> },
    };
    let (signed_in, demo) = match &session.state {
        Fetch::Ready(status) => (status.signed_in, status.demo_mode),
        _ => (false, false),
    };

    html! {
        <>
            if demo { <DemoBanner /> }
            <Header on_sign_out={signed_in.then_some(on_sign_out)} />
            <main class="page">
                if let Some(message) = (*sign_out_error).clone() {
                    <p class="alert" role="alert">{ format!("Signing out failed: {message}") }</p>
                }
                { body }
            </main>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ProfileSectionProps {
    /// Called, with the reason, when the backend says the session is over.
    on_session_ended: Callback<String>,
}

#[function_component(ProfileSection)]
fn profile_section(props: &ProfileSectionProps) -> Html {
    let profile = use_fetch(api::profile);
    let ended = match &profile.state {
        Fetch::Failed(error) if error.needs_sign_in() => Some(error.message()),
        _ => None,
    };
    {
        let on_session_ended = props.on_session_ended.clone();
        use_effect_with(ended, move |ended| {
            if let Some(message) = ended {
                on_session_ended.emit(message.clone());
            }
        });
    }
    match &profile.state {
        Fetch::Loading => html! { <Loading label="Loading your Oura profile…" /> },
        Fetch::Ready(profile) => html! { <ProfileCard profile={(**profile).clone()} /> },
        Fetch::Failed(error) if error.needs_sign_in() => {
            html! { <Loading label="Signing you out…" /> }
        }
        Fetch::Failed(error) => html! {
            <ErrorPanel title="Your profile could not be loaded" error={error.clone()} on_retry={profile.reload.clone()} />
        },
    }
}
