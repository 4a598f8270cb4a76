use actix_web::{HttpResponse, delete, web};
use shared::ApiErrorBody;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::oura::OuraOAuth;
use crate::store::Store;

/// Deletes your account: your user, Oura tokens, sessions, API keys and any stored data.
/// Your Oura token is revoked at Oura where Oura supports it.
#[utoipa::path(
    tag = "account",
    security(("session_cookie" = [])),
    params(("X-Requested-With" = String, Header, description = "Any non-empty value (CSRF defence)")),
    responses(
        (status = 204, description = "Deleted; you are signed out"),
        (status = 401, description = "Not signed in", body = ApiErrorBody),
        (status = 403, description = "Only a signed-in browser session may delete the account", body = ApiErrorBody),
    )
)]
#[delete("/account")]
pub async fn delete_account(
    caller: Caller,
    store: web::Data<Store>,
    oauth: web::Data<OuraOAuth>,
) -> Result<HttpResponse, ApiError> {
    let Caller::Session { session, user_id } = &caller else {
        return Err(ApiError::Forbidden(
            "Sign in with your browser to delete your account.".into(),
        ));
    };
    if let Some(tokens) = store.tokens(user_id).await? {
        // The refresh token is the long-lived one; revoking it ends the grant at Oura.
        oauth
            .revoke(
                tokens
                    .refresh_token
                    .as_ref()
                    .unwrap_or(&tokens.access_token),
            )
            .await;
    }
    store.delete_user(user_id).await?;
    session.sign_out();
    tracing::info!("account deleted");
    Ok(HttpResponse::NoContent().finish())
}
