//! `GET /api/insights`.

use actix_web::{get, web};
use shared::{ApiErrorBody, Insight};
use time::OffsetDateTime;

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
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/insights")]
pub async fn get_insights(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<Vec<Insight>>, ApiError> {
    let today = OffsetDateTime::now_utc().date();
    Ok(web::Json(
        read_model::insights(&store, caller.account()?, today).await?,
    ))
}
