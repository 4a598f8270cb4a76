//! The OAuth 2.0 side of Oura's identity provider: the consent page and the token endpoint.

mod authorize;
mod direct;
mod params;
mod token;

use actix_web::web;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource(crate::AUTHORIZE_PATH)
            .route(web::get().to(authorize::show_consent_page))
            .route(web::post().to(authorize::decide)),
    )
    .route(crate::TOKEN_PATH, web::post().to(token::token))
    .route(crate::REVOKE_PATH, web::post().to(token::revoke))
    .route(crate::DIRECT_TOKEN_PATH, web::post().to(direct::issue));
}
