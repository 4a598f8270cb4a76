use yew::prelude::*;

use crate::api;
use crate::components::{Shell, empty, error_panel, loading, profile_card, use_session_ended_on};
use crate::format;
use crate::hooks::{Fetch, FetchHandle, use_fetch};

/// The profile page (the landing page when signed out).
pub fn profile() -> Html {
    html! { <Shell><ProfileSection /></Shell> }
}

#[function_component(ProfileSection)]
fn profile_section() -> Html {
    // The kept profile at first; each press of "Refresh from Oura" asks Oura anew.
    let from_oura = use_state(|| false);
    let profile = use_fetch(if *from_oura {
        api::profile_from_oura()
    } else {
        api::profile()
    });
    let refresh = {
        let reload = profile.reload.clone();
        Callback::from(move |_| {
            if *from_oura {
                reload.emit(());
            } else {
                from_oura.set(true);
            }
        })
    };
    // Asked for at once, beside the profile rather than after it.
    let rings = use_fetch(api::rings());
    use_session_ended_on(match &profile.state {
        Fetch::Failed(error) => Some(error.clone()),
        _ => None,
    });
    match &profile.state {
        Fetch::Loading => loading("Loading your Oura profile…"),
        Fetch::Ready(profile) => html! {
            <>
                { profile_card(profile) }
                { ring_section(&rings) }
                <div class="toolbar">
                    <span class="muted">{ "Kept from your last sync." }</span>
                    <button type="button" class="button secondary" onclick={refresh}>{ "Refresh from Oura" }</button>
                </div>
            </>
        },
        Fetch::Failed(error) if error.needs_sign_in() => loading("Signing you out…"),
        Fetch::Failed(error) => {
            error_panel("Your profile could not be loaded", error, &profile.reload)
        }
    }
}

/// The ring worn now: the most recently set up of the ones Oura lists.
fn ring_section(rings: &FetchHandle<shared::Rings>) -> Html {
    rings.view("Loading your ring…", "Your ring could not be loaded", |status| {
        let rings = &status.rings;
        let Some(ring) = rings.first() else {
            return html! {
                <section class="panel" aria-label="Your ring">
                    <h2>{ "Your ring" }</h2>
                    { empty("Not synced yet: your ring's details arrive with the next sync.") }
                </section>
            };
        };
        let word = |value: &Option<String>| {
            value.as_deref().map_or_else(|| format::NOT_SHARED.to_owned(), format::label)
        };
        html! {
            <section class="panel" aria-label="Your ring">
                <h2>{ "Your ring" }</h2>
                <dl class="facts">
                    <dt>{ "Model" }</dt><dd>{ format!("{} {}", word(&ring.hardware_type), word(&ring.design)) }</dd>
                    <dt>{ "Colour" }</dt><dd>{ word(&ring.color) }</dd>
                    <dt>{ "Size" }</dt><dd>{ ring.size.map_or_else(|| format::NOT_SHARED.to_owned(), |s| format!("US {s}")) }</dd>
                    <dt>{ "Firmware" }</dt><dd>{ ring.firmware_version.clone().unwrap_or_else(|| format::NOT_SHARED.to_owned()) }</dd>
                    <dt>{ "Set up" }</dt><dd>{ ring.set_up_at.map_or_else(|| format::NOT_SHARED.to_owned(), |t| t.date().to_string()) }</dd>
                    <dt>{ "Battery" }</dt><dd>{ status.battery.as_ref().map_or_else(|| "Not synced yet".to_owned(), |b| {
                        let charging = if b.charging == Some(true) { ", charging" } else { "" };
                        format!("{} %{charging} (at {})", b.level, format::timestamp(b.measured_at))
                    }) }</dd>
                </dl>
                if rings.len() > 1 {
                    <p class="muted">{ format!("Oura lists {} rings you have set up; this is the newest.", rings.len()) }</p>
                }
            </section>
        }
    })
}
