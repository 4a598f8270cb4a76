use shared::Profile;
use yew::prelude::*;

use crate::format;

/// The profile as a card of labelled rows.
pub fn profile_card(profile: &Profile) -> Html {
    let rows = [
        ("Email", profile.email.clone()),
        ("Age", format::age(profile.age_years)),
        ("Height", format::height(profile.height_m)),
        ("Weight", format::weight(profile.weight_kg)),
        (
            "Biological sex",
            format::capitalised(profile.biological_sex.as_deref()),
        ),
    ];
    html! {
        <section class="panel profile" aria-labelledby="profile-title">
            <h1 id="profile-title">{ "Your Oura profile" }</h1>
            <dl class="facts">
                { for rows.into_iter().map(|(label, value)| html! {
                    <div class="fact">
                        <dt>{ label }</dt>
                        if let Some(value) = value {
                            <dd>{ value }</dd>
                        } else {
                            <dd class="missing">{ format::NOT_SHARED }</dd>
                        }
                    </div>
                }) }
            </dl>
            <p class="fine-print">{ "Oura user id: " }<code>{ &profile.id }</code></p>
        </section>
    }
}
