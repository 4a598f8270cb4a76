//! `GET /api/sleep/{day}`: a night.

use actix_web::{get, web};
use shared::{ApiErrorBody, Night};

use super::params;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::read_model;
use crate::store::Store;

/// A night: the sleep periods filed under `day` with their stages (for a hypnogram), heart
/// rate and HRV, from the warehouse.
#[utoipa::path(
    tag = "dashboard",
    params(("day" = String, Path, description = "`YYYY-MM-DD`, the morning the night ended")),
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The periods, earliest first (none: no data for that night)", body = Night),
        (status = 400, description = "The day is not a date", body = ApiErrorBody),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead of an account", body = ApiErrorBody),
    )
)]
#[get("/sleep/{day}")]
pub async fn get_night(
    caller: Caller,
    store: web::Data<Store>,
    day: web::Path<String>,
) -> Result<web::Json<Night>, ApiError> {
    let day = params::day("day", &day)?;
    Ok(web::Json(
        read_model::night(&store, caller.account()?, day).await?,
    ))
}
