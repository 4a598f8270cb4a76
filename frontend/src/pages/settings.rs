use shared::{API_KEY_NAME_MAX, ApiKey, CreatedApiKey};
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::{Shell, SyncHealthPanel, empty, use_session_ended_on};
use crate::format;
use crate::hooks::{Fetch, use_fetch};

/// API keys and the account itself.
pub fn settings() -> Html {
    html! {
        <Shell>
            <ApiKeysSection />
            <SyncHealthPanel />
            <DeleteAccountSection />
        </Shell>
    }
}

fn input_value(event: &InputEvent) -> String {
    event.target_unchecked_into::<HtmlInputElement>().value()
}

#[function_component(ApiKeysSection)]
fn api_keys_section() -> Html {
    let keys = use_fetch(api::api_keys());
    let name = use_state(String::new);
    let busy = use_state(|| false);
    let created = use_state(|| None::<CreatedApiKey>);
    let problem = use_state(|| None::<String>);
    use_session_ended_on(match &keys.state {
        Fetch::Failed(error) => Some(error.clone()),
        _ => None,
    });

    let on_name = {
        let name = name.clone();
        Callback::from(move |event: InputEvent| name.set(input_value(&event)))
    };
    let on_create = {
        let (name, busy, created, problem, reload) = (
            name.clone(),
            busy.clone(),
            created.clone(),
            problem.clone(),
            keys.reload.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let requested = name.trim().to_owned();
            let (name, busy, created, problem, reload) = (
                name.clone(),
                busy.clone(),
                created.clone(),
                problem.clone(),
                reload.clone(),
            );
            busy.set(true);
            spawn_local(async move {
                match api::create_api_key(requested).await {
                    Ok(key) => {
                        created.set(Some(key));
                        problem.set(None);
                        name.set(String::new());
                        reload.emit(());
                    }
                    Err(error) => problem.set(Some(error.message())),
                }
                busy.set(false);
            });
        })
    };
    let on_revoke = {
        let (problem, reload, created) = (problem.clone(), keys.reload.clone(), created.clone());
        Callback::from(move |id: String| {
            let (problem, reload, created) = (problem.clone(), reload.clone(), created.clone());
            spawn_local(async move {
                match api::revoke_api_key(&id).await {
                    Ok(()) => {
                        if created.as_ref().is_some_and(|c| c.key.id == id) {
                            created.set(None);
                        }
                        reload.emit(());
                    }
                    Err(error) => problem.set(Some(error.message())),
                }
            });
        })
    };

    let list = keys.view(
        "Loading your API keys…",
        "Your API keys could not be loaded",
        |list| {
            if list.is_empty() {
                return html! {
                    { empty("No API keys yet. Create one to read your data from scripts.") }
                };
            }
            html! {
                <ul class="key-list" aria-label="Your API keys">
                    { for list.iter().map(|key| key_row(key, on_revoke.clone())) }
                </ul>
            }
        },
    );

    html! {
        <section class="panel" aria-labelledby="keys-title">
            <h1 id="keys-title">{ "API keys" }</h1>
            <p class="lead">
                { "Personal keys let scripts and curl read your data: " }
                <code>{ "curl -H \"Authorization: Bearer <key>\" …/api/profile" }</code>
                { ". Keys are read-only." }
            </p>
            if let Some(created) = (*created).clone() {
                <div class="secret" role="status">
                    <p><strong>{ format!("Your new key \u{201c}{}\u{201d}", created.key.name) }</strong>
                       { " — copy it now; it will not be shown again." }</p>
                    <code class="secret-value" aria-label="New API key">{ created.secret }</code>
                </div>
            }
            if let Some(problem) = (*problem).clone() {
                <p class="alert" role="alert">{ problem }</p>
            }
            <form class="inline-form" onsubmit={on_create}>
                <label for="key-name">{ "Name" }</label>
                <input id="key-name" value={(*name).clone()} oninput={on_name}
                    maxlength={API_KEY_NAME_MAX.to_string()} placeholder="e.g. backup script" required=true />
                <button type="submit" class="button primary" disabled={*busy || name.trim().is_empty()}>
                    { if *busy { "Creating…" } else { "Create key" } }
                </button>
            </form>
            { list }
        </section>
    }
}

fn key_row(key: &ApiKey, on_revoke: Callback<String>) -> Html {
    let id = key.id.clone();
    let last_used = key.last_used_at.map_or_else(
        || "never used".to_owned(),
        |t| format!("last used {}", format::timestamp(t)),
    );
    html! {
        <li class="key">
            <div>
                <strong>{ &key.name }</strong>
                <span class="muted">{ format!("created {} · {last_used}", format::timestamp(key.created_at)) }</span>
            </div>
            <button type="button" class="button secondary" aria-label={format!("Revoke {}", key.name)}
                onclick={move |_| on_revoke.emit(id.clone())}>{ "Revoke" }</button>
        </li>
    }
}

/// Deleting the account asks for the word DELETE, typed, before it happens.
const CONFIRMATION: &str = "DELETE";

#[function_component(DeleteAccountSection)]
fn delete_account_section() -> Html {
    let confirming = use_state(|| false);
    let typed = use_state(String::new);
    let busy = use_state(|| false);
    let problem = use_state(|| None::<String>);

    let on_typed = {
        let typed = typed.clone();
        Callback::from(move |event: InputEvent| typed.set(input_value(&event)))
    };
    let on_delete = {
        let (busy, problem) = (busy.clone(), problem.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (busy, problem) = (busy.clone(), problem.clone());
            busy.set(true);
            spawn_local(async move {
                match api::delete_account().await {
                    // A full reload: every piece of state on this page belonged to the account.
                    Ok(()) => {
                        if let Some(window) = web_sys::window() {
                            let _ = window.location().set_href("/?account_deleted=1");
                        }
                    }
                    Err(error) => {
                        problem.set(Some(error.message()));
                        busy.set(false);
                    }
                }
            });
        })
    };

    html! {
        <section class="panel danger" aria-labelledby="delete-title">
            <h2 id="delete-title">{ "Delete my account and data" }</h2>
            <p>{ "Removes your account, your stored Oura sign-in, your sessions, your API keys and any data stored here, and revokes this app's access at Oura. Your data at Oura itself is not touched." }</p>
            if let Some(problem) = (*problem).clone() {
                <p class="alert" role="alert">{ problem }</p>
            }
            if *confirming {
                <form class="inline-form" onsubmit={on_delete}>
                    <label for="confirm-delete">{ format!("Type {CONFIRMATION} to confirm") }</label>
                    <input id="confirm-delete" value={(*typed).clone()} oninput={on_typed} autocomplete="off" />
                    <button type="submit" class="button danger" disabled={*busy || *typed != CONFIRMATION}>
                        { if *busy { "Deleting…" } else { "Delete permanently" } }
                    </button>
                    <button type="button" class="button secondary" onclick={
                        let (confirming, typed) = (confirming.clone(), typed.clone());
                        move |_| { confirming.set(false); typed.set(String::new()); }
                    }>{ "Cancel" }</button>
                </form>
            } else {
                <button type="button" class="button danger" onclick={
                    let confirming = confirming.clone();
                    move |_| confirming.set(true)
                }>{ "Delete my account and data…" }</button>
            }
        </section>
    }
}
