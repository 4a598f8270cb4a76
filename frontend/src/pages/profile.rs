use yew::prelude::*;

use crate::api;
use crate::components::{ErrorPanel, Loading, ProfileCard, Shell, use_session_ended_on};
use crate::hooks::{Fetch, use_fetch_with};

/// The profile page (the landing page when signed out).
#[function_component(Profile)]
pub fn profile() -> Html {
    html! { <Shell><ProfileSection /></Shell> }
}

#[function_component(ProfileSection)]
fn profile_section() -> Html {
    // 0: the kept profile; each press of "Refresh from Oura" asks Oura anew.
    let refreshes = use_state(|| 0u32);
    let profile = use_fetch_with(*refreshes, |refreshes| {
        let from_oura = *refreshes > 0;
        async move {
            if from_oura {
                api::profile_from_oura().await
            } else {
                api::profile().await
            }
        }
    });
    let refresh = Callback::from(move |_| refreshes.set(*refreshes + 1));
    use_session_ended_on(match &profile.state {
        Fetch::Failed(error) => Some(error.clone()),
        _ => None,
    });
    match &profile.state {
        Fetch::Loading => html! { <Loading label="Loading your Oura profile…" /> },
        Fetch::Ready(profile) => html! {
            <>
                <ProfileCard profile={(**profile).clone()} />
                <div class="toolbar">
                    <span class="muted">{ "Kept from your last sync." }</span>
                    <button type="button" class="button secondary" onclick={refresh}>{ "Refresh from Oura" }</button>
                </div>
            </>
        },
        Fetch::Failed(error) if error.needs_sign_in() => {
            html! { <Loading label="Signing you out…" /> }
        }
        Fetch::Failed(error) => html! {
            <ErrorPanel title="Your profile could not be loaded" error={error.clone()} on_retry={profile.reload.clone()} />
        },
    }
}
