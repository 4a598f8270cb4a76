//! `GET /api/insights`.

use actix_web::{HttpRequest, HttpResponse, get, web};
use shared::{ApiErrorBody, Insight};
use time::OffsetDateTime;

use super::cache::{ResponseCache, warehouse_answer};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::read_model;
use crate::store::Store;

/// A few observations computed from your last year of data, each with its sample size.
#[utoipa::path(
    tag = "dashboard",
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The insights", body = Vec<Insight>),
        (status = 304, description = "Unchanged: the `ETag` sent in `If-None-Match` is current"),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/insights")]
pub async fn get_insights(
    request: HttpRequest,
    caller: Caller,
    store: web::Data<Store>,
    cache: web::Data<ResponseCache>,
) -> Result<HttpResponse, ApiError> {
    let today = OffsetDateTime::now_utc().date();
    let user_id = caller.account()?;
    let key = format!("insights/{today}");
    warehouse_answer(&request, &store, &cache, user_id, &key, || {
        read_model::insights(&store, user_id, today)
    })
    .await
}
