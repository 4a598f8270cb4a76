//! The OpenAPI 3 document of the JSON API, generated from the route handlers themselves.

use actix_web::{HttpResponse, web};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "oura-dashboard API",
        description = "Your Oura data, served by your own oura-dashboard. Errors share one shape: `ApiErrorBody`."
    ),
    components(schemas(shared::ApiErrorBody, shared::ErrorCode, shared::DailyColumns)),
    modifiers(&SecuritySchemes)
)]
/// The OpenAPI document of the JSON API.
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "oura_session",
                "Set by signing in at /auth/login (`__Host-oura_session` when served over https)",
            ))),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal API key (`odk_...`), created in Settings; read-only",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "oura_bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An Oura access token"))
                    .build(),
            ),
        );
    }
}

/// Serves the document collected while the routes were registered.
pub async fn serve(document: web::Data<String>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document.get_ref().clone())
}
