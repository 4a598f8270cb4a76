//! `ring_configuration`: every ring the person has set up, with no date range (Oura's list is
//! short and comes whole).

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;
use time::Duration;

use super::generate;
use super::{authorize_collection, document_id};
use crate::faults::FaultTarget;
use crate::state::SimState;

pub(crate) async fn list(request: HttpRequest, sim: web::Data<SimState>) -> HttpResponse {
    let grant = match authorize_collection(
        &request,
        &sim,
        FaultTarget::Daily,
        "daily",
        "ring_configuration",
    )
    .await
    {
        Ok(grant) => grant,
        Err(response) => return response,
    };
    let user = &grant.user;
    let first = generate::first_day(user);
    let size = 6 + i64::from(user.age % 8);
    // Everyone began with a Gen3; those who began over three years ago have since moved to a
    // Gen4, set up two years after the first.
    let mut rings = vec![json!({
        "id": document_id(user, "ring_configuration", first),
        "color": "silver",
        "design": "heritage",
        "firmware_version": "2.9.21",
        "hardware_type": "gen3",
        "set_up_at": format!("{first}T12:00:00+00:00"),
        "size": size,
    })];
    let upgraded = first + Duration::days(730);
    if upgraded < time::macros::date!(2025 - 11 - 01) {
        rings.push(json!({
            "id": document_id(user, "ring_configuration", upgraded),
            "color": "stealth_black",
            "design": "horizon",
            "firmware_version": "3.1.4",
            "hardware_type": "gen4",
            "set_up_at": format!("{upgraded}T12:00:00+00:00"),
            "size": size,
        }));
    }
    HttpResponse::Ok().json(json!({ "data": rings, "next_token": null }))
}
