use actix_web::{HttpResponse, get};

/// Liveness: answers without touching Oura.
#[utoipa::path(tag = "health", responses((status = 200, description = "The server is up")))]
#[get("/healthz")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(serde_json::json!({ "status": "ok" }))
}
