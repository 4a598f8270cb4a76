use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use shared::SyncState;
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

use crate::api;
use crate::format;
use crate::hooks::{Fetch, use_fetch};

/// How often an idle dashboard asks whether its data changed: what a webhook brings shows
/// within about this long, for one small request.
const WATCH_EVERY: Duration = Duration::from_secs(20);

#[derive(Properties, PartialEq)]
pub struct SyncBarProps {
    /// Called when a sync this bar watched has finished, once when it first learns that no
    /// sync is running (one may have finished just before the page asked), and when the data
    /// changed between syncs (a webhook), so the data on screen can reload.
    pub on_synced: Callback<()>,
}

/// Where syncing stands: a progress bar while it runs, "last synced" and "Sync now" otherwise.
#[function_component(SyncBar)]
pub fn sync_bar(props: &SyncBarProps) -> Html {
    let status = use_fetch(api::sync_status());
    let was_running = use_mut_ref(|| false);
    let announced = use_mut_ref(|| false);
    let problem = use_state(|| None::<String>);
    let running = matches!(&status.state, Fetch::Ready(s) if s.state == SyncState::Running);
    let known = matches!(&status.state, Fetch::Ready(_));

    // Ask once a second while a sync runs, and say when it ends; otherwise every
    // WATCH_EVERY, so that data a webhook brought shows up (the cleanup stops the loop).
    {
        let reload = status.reload.clone();
        let on_synced = props.on_synced.clone();
        let (was_running, announced) = (was_running.clone(), announced.clone());
        use_effect_with((running, known), move |(running, known)| {
            let polling = Rc::new(Cell::new(*running || *known));
            if *running {
                *was_running.borrow_mut() = true;
            } else if *known {
                let finished = std::mem::take(&mut *was_running.borrow_mut());
                let first = !std::mem::replace(&mut *announced.borrow_mut(), true);
                if finished || first {
                    on_synced.emit(());
                }
            }
            if polling.get() {
                let every = if *running {
                    Duration::from_secs(1)
                } else {
                    WATCH_EVERY
                };
                let polling = Rc::clone(&polling);
                spawn_local(async move {
                    loop {
                        sleep(every).await;
                        if !polling.get() {
                            break;
                        }
                        reload.emit(());
                    }
                });
            }
            move || polling.set(false)
        });
    }

    // Between syncs, a changed data version means a webhook brought (or removed) something.
    {
        let version = match &status.state {
            Fetch::Ready(sync) if sync.state != SyncState::Running => Some(sync.data_version),
            _ => None,
        };
        let seen = use_mut_ref(|| None::<u64>);
        let on_synced = props.on_synced.clone();
        use_effect_with(version, move |version| {
            if let Some(version) = *version {
                let previous = seen.borrow_mut().replace(version);
                if previous.is_some_and(|previous| previous != version) {
                    on_synced.emit(());
                }
            }
        });
    }

    let on_sync_now = {
        let (reload, problem) = (status.reload.clone(), problem.clone());
        Callback::from(move |_| {
            let (reload, problem) = (reload.clone(), problem.clone());
            spawn_local(async move {
                match api::start_sync().await {
                    Ok(_) => problem.set(None),
                    Err(error) => problem.set(Some(error.message())),
                }
                reload.emit(());
            });
        })
    };
    let button = html! {
        <button type="button" class="button secondary" onclick={on_sync_now} disabled={running}>{ "Sync now" }</button>
    };

    let body = match &status.state {
        Fetch::Loading => html! { <span class="muted">{ "Checking sync…" }</span> },
        Fetch::Failed(error) => html! { <span class="alert">{ error.message() }</span> },
        Fetch::Ready(sync) => match sync.state {
            SyncState::Running => html! {
                <>
                    <label for="sync-progress">{ "Syncing your Oura data…" }</label>
                    <progress id="sync-progress" max={sync.windows_total.max(1).to_string()} value={sync.windows_done.to_string()}>
                        { format!("{} of {}", sync.windows_done, sync.windows_total) }
                    </progress>
                    <span class="muted">{ format!("{} of {} steps", sync.windows_done, sync.windows_total) }</span>
                </>
            },
            SyncState::Never => {
                html! { <><span>{ "Your Oura data has not been synced yet." }</span>{ button }</> }
            }
            SyncState::Failed => html! {
                <>
                    <span class="alert" role="alert">{ format!("The last sync failed: {}", sync.error.clone().unwrap_or_default()) }</span>
                    { button }
                </>
            },
            SyncState::Interrupted => html! {
                <>
                    <span role="status">{ "The last sync was interrupted before it finished. Sync now to carry on where it stopped." }</span>
                    { button }
                </>
            },
            SyncState::Idle => html! {
                <>
                    <span>{ sync.last_synced_at.map_or("Synced".to_owned(), |t| format!("Last synced {}", format::timestamp(t))) }</span>
                    if let Some(note) = &sync.error {
                        <span class="muted">{ note.clone() }</span>
                    }
                    { button }
                </>
            },
        },
    };
    html! {
        <section class="sync-bar" aria-live="polite" aria-label="Sync">
            { body }
            if let Some(problem) = (*problem).clone() {
                <span class="alert" role="alert">{ problem }</span>
            }
        </section>
    }
}
