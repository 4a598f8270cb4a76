use shared::{CollectionHealth, WebhookState};
use yew::prelude::*;

use crate::api;
use crate::format;
use crate::hooks::use_fetch;

/// Each collection's sync (how far it is stored, its last error) and the documents Oura sent
/// that could not be read, each kept whole and shown on request.
#[function_component(SyncHealthPanel)]
pub fn sync_health_panel() -> Html {
    let health = use_fetch(api::sync_health());
    let body = health.view(
        "Loading sync health…",
        "Sync health could not be loaded",
        |health| {
            let rows = health.collections.iter().map(|c| {
                html! {
                    <tr>
                        <th scope="row">{ format::label(&c.collection) }</th>
                        // The labels head each value where a phone shows the rows as blocks.
                        <td data-label="Stored through">{ c.synced_through.map_or_else(|| "not yet".to_owned(), |d| d.to_string()) }</td>
                        <td data-label="Last attempt">{ c.last_attempt_at.map_or_else(|| "never".to_owned(), format::timestamp) }</td>
                        if let Some(error) = &c.error {
                            <td data-label="Status" class="alert">{ error.clone() }</td>
                        } else {
                            <td data-label="Status">{ "OK" }</td>
                        }
                        <td data-label="Updates">{ updates(c) }</td>
                    </tr>
                }
            });
            let set_aside = if health.set_aside.is_empty() {
                html! { <p class="muted">{ "Every document Oura sent could be read." }</p> }
            } else {
                html! {
                    <>
                        <p>{ format!("{} could not be read. They are kept whole, so nothing is lost:", health.set_aside.len()) }</p>
                        <ul class="set-aside" aria-label="Documents set aside">
                            { for health.set_aside.iter().map(|d| html! {
                                <li>
                                    <details>
                                        <summary>{ format!("{} · {} · {}", format::label(&d.collection), format::timestamp(d.set_aside_at), d.reason) }</summary>
                                        <pre>{ &d.document }</pre>
                                    </details>
                                </li>
                            }) }
                        </ul>
                    </>
                }
            };
            let next = health.next_sync_at.map_or_else(
                || "The background sync is off: use Sync now.".to_owned(),
                |at| format!("Next background sync: {}.", format::timestamp(at)),
            );
            html! {
                <>
                    <p>{ next }</p>
                    <table class="health">
                        <thead><tr><th scope="col">{ "Collection" }</th><th scope="col">{ "Stored through" }</th><th scope="col">{ "Last attempt" }</th><th scope="col">{ "Status" }</th><th scope="col">{ "Updates" }</th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                    { set_aside }
                </>
            }
        },
    );
    html! {
        <section class="panel" aria-labelledby="health-title">
            <h1 id="health-title">{ "Sync health" }</h1>
            { body }
        </section>
    }
}

/// How news of a collection reaches the app, in words.
fn updates(health: &CollectionHealth) -> String {
    let since = |prefix: &str| {
        health.last_event_at.map_or_else(
            || prefix.to_owned(),
            |at| format!("{prefix} (last event {})", format::timestamp(at)),
        )
    };
    match health.webhook {
        WebhookState::Off => "polled".to_owned(),
        WebhookState::NotOffered => "polled (Oura sends no events for it)".to_owned(),
        WebhookState::Waiting => "webhook: no event yet".to_owned(),
        WebhookState::Live => since("webhook"),
        WebhookState::Silent => since("webhook silent, polled meanwhile"),
    }
}
