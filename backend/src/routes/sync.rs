//! `GET /api/sync` and `POST /api/sync`.

use actix_web::{HttpResponse, get, post, web};
use shared::{
    ApiErrorBody, CollectionHealth, SetAsideDocument, SyncHealth, SyncState, SyncStatus,
    WebhookState,
};
use time::OffsetDateTime;

use crate::auth::Caller;
use crate::domain::{UserId, unix_time};
use crate::error::ApiError;
use crate::oura::Collection;
use crate::store::Store;
use crate::sync::Syncer;

/// When the background sync runs for `user_id` next, if it runs at all.
async fn next_sync_at(
    store: &Store,
    syncer: &Syncer,
    user_id: &UserId,
) -> Result<Option<OffsetDateTime>, ApiError> {
    if !syncer.is_scheduled() {
        return Ok(None);
    }
    Ok(store
        .next_sync_at(user_id)
        .await?
        .filter(|at| *at > 0)
        .map(unix_time))
}

async fn status(store: &Store, syncer: &Syncer, user_id: &UserId) -> Result<SyncStatus, ApiError> {
    let data_version = u64::try_from(store.data_version(user_id).await?).unwrap_or(0);
    Ok(match store.sync_run(user_id).await? {
        None => SyncStatus {
            state: SyncState::Never,
            windows_done: 0,
            windows_total: 0,
            last_synced_at: None,
            error: None,
            unreadable_documents: 0,
            next_sync_at: None,
            data_version,
        },
        Some(run) => SyncStatus {
            state: run.state,
            windows_done: run.windows_done,
            windows_total: run.windows_total,
            last_synced_at: run.last_success_at.map(unix_time),
            error: run.error,
            unreadable_documents: u32::try_from(run.unreadable).unwrap_or(u32::MAX),
            next_sync_at: next_sync_at(store, syncer, user_id).await?,
            data_version,
        },
    })
}

/// Where syncing your Oura data stands (for a progress bar and "last synced").
#[utoipa::path(
    tag = "sync",
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The sync state", body = SyncStatus),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/sync")]
pub async fn get_sync(
    caller: Caller,
    store: web::Data<Store>,
    syncer: web::Data<Syncer>,
) -> Result<web::Json<SyncStatus>, ApiError> {
    Ok(web::Json(status(&store, &syncer, caller.account()?).await?))
}

/// How each collection's sync stands, and the documents Oura sent that could not be read
/// (kept whole, newest first).
#[utoipa::path(
    tag = "sync",
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "Each collection, and the documents set aside", body = SyncHealth),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/sync/health")]
pub async fn get_sync_health(
    caller: Caller,
    store: web::Data<Store>,
    syncer: web::Data<Syncer>,
) -> Result<web::Json<SyncHealth>, ApiError> {
    let user_id = caller.account()?;
    let progress = store.all_sync_progress(user_id).await?;
    let webhooks = match syncer.webhook_watch() {
        Some(watch) => watch.states().await?,
        None => Vec::new(),
    };
    let collections = Collection::ALL
        .into_iter()
        .map(|collection| {
            let stored = progress.iter().find(|p| p.collection == collection.name());
            let webhook = webhooks.iter().find(|(c, ..)| *c == collection);
            CollectionHealth {
                collection: collection.name().to_owned(),
                synced_through: stored.and_then(|p| p.synced_through),
                last_attempt_at: stored.and_then(|p| p.last_attempt_at).map(unix_time),
                error: stored.and_then(|p| p.last_error.clone()),
                refused: stored.and_then(|p| p.refusal),
                webhook: webhook.map_or(WebhookState::Off, |(_, state, _)| *state),
                last_event_at: webhook.and_then(|(.., last)| *last).map(unix_time),
            }
        })
        .collect();
    let set_aside = store
        .set_aside(user_id)
        .await?
        .into_iter()
        .map(|document| SetAsideDocument {
            collection: document.collection,
            reason: document.reason,
            set_aside_at: unix_time(document.quarantined_at),
            document: document.raw,
        })
        .collect();
    Ok(web::Json(SyncHealth {
        next_sync_at: next_sync_at(&store, &syncer, user_id).await?,
        collections,
        set_aside,
    }))
}

/// Starts syncing now (in the background); poll `GET /api/sync` for progress.
#[utoipa::path(
    tag = "sync",
    security(("session_cookie" = [])),
    params(("X-Requested-With" = String, Header, description = "Any non-empty value (CSRF defence)")),
    responses(
        (status = 202, description = "Started, or already running", body = SyncStatus),
        (status = 401, description = "Not signed in", body = ApiErrorBody),
        (status = 403, description = "API keys are read-only, or a cross-site request", body = ApiErrorBody),
    )
)]
#[post("/sync")]
pub async fn start_sync(
    caller: Caller,
    store: web::Data<Store>,
    syncer: web::Data<Syncer>,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.account()?.clone();
    // The lease is taken before answering, so the answer (and every poll after it) already
    // says "running"; only the work itself goes to the background.
    if let Some(started) = syncer.begin(&user_id).await? {
        syncer
            .clone()
            .into_inner()
            .spawn_started(user_id.clone(), started);
    }
    Ok(HttpResponse::Accepted().json(status(&store, &syncer, &user_id).await?))
}
