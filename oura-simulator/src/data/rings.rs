//! `ring_configuration`: every ring the person has set up, with no date range (Oura's list is
//! short and comes whole).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;
use time::Duration;

use super::generate;
use super::{authorize, document_id};
use crate::faults::FaultTarget;
use crate::responses::api_error;
use crate::state::SimState;

pub(crate) async fn list(request: HttpRequest, sim: web::Data<SimState>) -> HttpResponse {
    let grant = match authorize(&request, &sim, FaultTarget::Daily).await {
        Ok(grant) => grant,
        Err(response) => return response,
    };
    if !grant.scopes.iter().any(|s| s == "daily") {
        return api_error(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "This token lacks the daily scope.",
        );
    }
    if let Some(refused) = super::refusal(&grant.user, "ring_configuration") {
        return refused;
    }
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
