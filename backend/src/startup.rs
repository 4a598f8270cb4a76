//! [`Application`]: the one way to build and start the server, used by `main` and by every test.

use std::net::TcpListener;

use actix_session::SessionMiddleware;
use actix_session::config::{PersistentSession, TtlExtensionPolicy};
use actix_web::cookie::{Key, SameSite, time::Duration as CookieDuration};
use actix_web::dev::Server;
use actix_web::middleware::{Compress, DefaultHeaders, Logger, from_fn};
use actix_web::{App, HttpServer, web};
use anyhow::Context as _;
use oura_simulator::Simulator;
use utoipa::OpenApi as _;
use utoipa_actix_web::{AppExt as _, scope};

use crate::auth::{self, csrf};
use crate::config::{OuraMode, OuraSettings, Settings};
use crate::demo;
use crate::error;
use crate::oura::{self, OuraApi, OuraOAuth};
use crate::routes::{health, openapi, profile, session, spa};
use crate::store::MemorySessionStore;

pub struct Application {
    port: u16,
    server: Server,
    /// In demo mode, the built-in Oura simulator the app talks to.
    simulator: Option<Simulator>,
    sessions: MemorySessionStore,
}

impl Application {
    /// Binds `settings.bind_address` and builds the server.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.bind_address).with_context(|| {
            format!(
                "Failed to bind {} (is the port in use? set BIND_ADDRESS)",
                settings.bind_address
            )
        })?;
        Self::from_listener(settings, listener).await
    }

    /// Builds the server on an already bound listener (tests bind port 0).
    pub async fn from_listener(
        mut settings: Settings,
        listener: TcpListener,
    ) -> anyhow::Result<Self> {
        let port = listener.local_addr()?.port();
        if settings.public_url.port() == Some(0) {
            let _ = settings.public_url.set_port(Some(port));
        }
        let (oura_settings, simulator) = match &settings.oura {
            OuraMode::Configured(oura) => (oura.as_ref().clone(), None),
            OuraMode::Demo { simulator_port } => {
                let (oura, simulator) =
                    demo::start_simulator(*simulator_port, &settings.redirect_uri())?;
                (oura, Some(simulator))
            }
        };
        let key = match settings.session_key_bytes() {
            Some(bytes) => Key::derive_from(bytes),
            None => Key::generate(),
        };
        let sessions = MemorySessionStore::default();
        let server = run(listener, settings, &oura_settings, key, sessions.clone())?;
        Ok(Self {
            port,
            server,
            simulator,
            sessions,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn simulator(&self) -> Option<&Simulator> {
        self.simulator.as_ref()
    }

    pub fn sessions(&self) -> &MemorySessionStore {
        &self.sessions
    }

    /// Serves until SIGINT/SIGTERM; in-flight requests finish first.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        if let Some(simulator) = self.simulator {
            simulator.stop().await;
        }
        result
    }
}

fn run(
    listener: TcpListener,
    settings: Settings,
    oura_settings: &OuraSettings,
    key: Key,
    sessions: MemorySessionStore,
) -> anyhow::Result<Server> {
    let http = oura::http_client(settings.upstream_connect_timeout, settings.upstream_timeout)
        .context("Failed to build the HTTP client for Oura")?;
    let oauth = web::Data::new(OuraOAuth::new(
        oura_settings,
        &settings.redirect_uri(),
        http.clone(),
    )?);
    let api = web::Data::new(OuraApi::new(http, oura_settings.api_base_url.clone()));
    let spa_dir = web::Data::new(spa::SpaDir(settings.static_dir.clone()));
    let secure = settings.session.cookie_secure;
    // `__Host-` makes browsers insist on Secure, Path=/ and no Domain (RFC 6265bis).
    let cookie_name = if secure {
        "__Host-oura_session"
    } else {
        "oura_session"
    };
    let idle = CookieDuration::seconds(
        i64::try_from(settings.session.idle_timeout.as_secs()).unwrap_or(i64::MAX),
    );
    let settings = web::Data::new(settings);

    let server = HttpServer::new(move || {
        let (app, api_doc) = App::new()
            .into_utoipa_app()
            .openapi(openapi::ApiDoc::openapi())
            .service(
                scope::scope("/api")
                    .wrap(no_store())
                    .service(profile::get_profile)
                    .service(session::get_session)
                    .route("/openapi.json", web::get().to(openapi::serve))
                    .default_service(web::to(error::not_found)),
            )
            .service(
                scope::scope("/auth")
                    .wrap(no_store())
                    .service(auth::login::start)
                    .service(auth::callback::receive)
                    .service(auth::logout::end)
                    .default_service(web::to(error::not_found)),
            )
            .service(health::health)
            .split_for_parts();
        let document = api_doc.to_pretty_json().unwrap_or_default();
        app.app_data(web::Data::new(document))
            .app_data(settings.clone())
            .app_data(oauth.clone())
            .app_data(api.clone())
            .app_data(spa_dir.clone())
            .route("/", web::get().to(spa::index))
            .service(spa::assets(&spa_dir.0))
            .wrap(from_fn(csrf::require_same_origin))
            .wrap(
                SessionMiddleware::builder(sessions.clone(), key.clone())
                    .cookie_name(cookie_name.to_owned())
                    .cookie_secure(secure)
                    .cookie_http_only(true)
                    // Lax, so the session (and its pending login) survives the top-level
                    // redirect back from Oura; CSRF is handled by `csrf`.
                    .cookie_same_site(SameSite::Lax)
                    .cookie_path("/".to_owned())
                    .cookie_domain(None)
                    .session_lifecycle(
                        PersistentSession::default()
                            .session_ttl(idle)
                            .session_ttl_extension_policy(TtlExtensionPolicy::OnEveryRequest),
                    )
                    .build(),
            )
            .wrap(Compress::default())
            .wrap(security_headers())
            // Path only: query strings carry OAuth codes and state, which must not be logged.
            .wrap(
                Logger::new("%{route}xi %s %b %Dms").custom_request_replace("route", |req| {
                    format!("{} {}", req.method(), req.path())
                }),
            )
    })
    .listen(listener)?
    .run();
    Ok(server)
}

fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        // Routes that serve HTML set their own, looser policy; everything else needs nothing.
        .add((
            "Content-Security-Policy",
            "default-src 'none'; frame-ancestors 'none'",
        ))
}

fn no_store() -> DefaultHeaders {
    DefaultHeaders::new().add(("Cache-Control", "no-store"))
}
