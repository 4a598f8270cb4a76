//! `GET /api/sync` and `POST /api/sync`.

use actix_web::{HttpResponse, get, post, web};
use shared::{ApiErrorBody, SyncState, SyncStatus};

use crate::auth::Caller;
use crate::domain::{UserId, unix_time};
use crate::error::ApiError;
use crate::store::Store;
use crate::sync::Syncer;

async fn status(store: &Store, user_id: &UserId) -> Result<SyncStatus, ApiError> {
    Ok(match store.sync_run(user_id).await? {
        None => SyncStatus {
            state: SyncState::Never,
            windows_done: 0,
            windows_total: 0,
            last_synced_at: None,
            error: None,
        },
        Some(run) => SyncStatus {
            state: run.state,
            windows_done: run.windows_done,
            windows_total: run.windows_total,
            last_synced_at: run.last_success_at.map(unix_time),
            error: run.error,
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
) -> Result<web::Json<SyncStatus>, ApiError> {
    Ok(web::Json(status(&store, caller.account()?).await?))
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
        let (syncer, user) = (syncer.into_inner(), user_id.clone());
        actix_web::rt::spawn(async move {
            if let Err(error) = syncer.complete(&user, started).await {
                tracing::warn!(user_id = %user, %error, "sync failed");
            }
        });
    }
    Ok(HttpResponse::Accepted().json(status(&store, &user_id).await?))
}
