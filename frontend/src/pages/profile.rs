use yew::prelude::*;

use crate::api;
use crate::components::{ErrorPanel, Loading, ProfileCard, Shell, use_session_ended_on};
use crate::hooks::{Fetch, use_fetch};

/// The profile page (the landing page when signed out).
#[function_component(Profile)]
pub fn profile() -> Html {
    html! { <Shell><ProfileSection /></Shell> }
}

#[function_component(ProfileSection)]
fn profile_section() -> Html {
    let profile = use_fetch(api::profile);
    use_session_ended_on(match &profile.state {
        Fetch::Failed(error) => Some(error.clone()),
        _ => None,
    });
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
