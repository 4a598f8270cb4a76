use actix_web::{HttpResponse, delete, get, post, web};
use shared::{API_KEY_NAME_MAX, ApiErrorBody, ApiKey, CreatedApiKey, NewApiKey};

use crate::auth::Caller;
use crate::domain::unix_time;
use crate::error::ApiError;
use crate::store::Store;
use crate::store::api_keys::ApiKeyRecord;

impl From<ApiKeyRecord> for ApiKey {
    fn from(record: ApiKeyRecord) -> Self {
        Self {
            id: record.id,
            name: record.name,
            created_at: unix_time(record.created_at),
            last_used_at: record.last_used_at.map(unix_time),
        }
    }
}

/// Your personal API keys (never their secrets).
#[utoipa::path(
    tag = "api keys",
    security(("session_cookie" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The keys, oldest first", body = Vec<ApiKey>),
        (status = 401, description = "Not signed in, or an invalid API key", body = ApiErrorBody),
        (status = 403, description = "Called with an Oura token instead", body = ApiErrorBody),
    )
)]
#[get("/keys")]
pub async fn list(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<Vec<ApiKey>>, ApiError> {
    let keys = store.api_keys(caller.account()?).await?;
    Ok(web::Json(keys.into_iter().map(ApiKey::from).collect()))
}

/// Creates a named API key. The response holds its secret, this once.
#[utoipa::path(
    tag = "api keys",
    security(("session_cookie" = [])),
    request_body = NewApiKey,
    params(("X-Requested-With" = String, Header, description = "Any non-empty value (CSRF defence)")),
    responses(
        (status = 201, description = "Created; store the secret now", body = CreatedApiKey),
        (status = 400, description = "Malformed JSON", body = ApiErrorBody),
        (status = 401, description = "Not signed in", body = ApiErrorBody),
        (status = 403, description = "API keys are read-only, or a cross-site request", body = ApiErrorBody),
        (status = 422, description = "The name is empty or too long", body = ApiErrorBody),
    )
)]
#[post("/keys")]
pub async fn create(
    caller: Caller,
    store: web::Data<Store>,
    body: web::Json<NewApiKey>,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.account()?;
    let name = body.name.trim();
    if name.is_empty()
        || name.chars().count() > API_KEY_NAME_MAX
        || name.chars().any(char::is_control)
    {
        return Err(ApiError::InvalidInput(format!(
            "A key name is 1 to {API_KEY_NAME_MAX} characters, without control characters."
        )));
    }
    let created = store.create_api_key(user_id, name).await?;
    tracing::info!(key_id = %created.record.id, "API key created");
    Ok(HttpResponse::Created().json(CreatedApiKey {
        key: created.record.into(),
        secret: secrecy::ExposeSecret::expose_secret(&created.secret).to_owned(),
    }))
}

/// Revokes one of your API keys; it stops working at once.
#[utoipa::path(
    tag = "api keys",
    security(("session_cookie" = [])),
    params(
        ("id" = String, Path, description = "The key's id"),
        ("X-Requested-With" = String, Header, description = "Any non-empty value (CSRF defence)"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not signed in", body = ApiErrorBody),
        (status = 403, description = "API keys are read-only, or a cross-site request", body = ApiErrorBody),
        (status = 404, description = "You have no key with this id", body = ApiErrorBody),
    )
)]
#[delete("/keys/{id}")]
pub async fn revoke(
    caller: Caller,
    store: web::Data<Store>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.account()?;
    if !store.revoke_api_key(user_id, &id).await? {
        return Err(ApiError::NoSuch("API key"));
    }
    tracing::info!(key_id = %id, "API key revoked");
    Ok(HttpResponse::NoContent().finish())
}
