//! [`Application`]: the one way to build and start the server, used by `main` and by every test.

use std::net::TcpListener;
use std::sync::Arc;

use actix_session::SessionMiddleware;
use actix_session::config::{PersistentSession, TtlExtensionPolicy};
use actix_session::storage::RedisSessionStore;
use actix_web::cookie::{Key, SameSite, time::Duration as CookieDuration};
use actix_web::dev::Server;
use actix_web::middleware::{Compress, DefaultHeaders, from_fn};
use actix_web::{App, HttpServer, web};
use anyhow::Context as _;
use oura_simulator::Simulator;
use rand::RngCore as _;
use secrecy::ExposeSecret as _;
use utoipa::OpenApi as _;
use utoipa_actix_web::{AppExt as _, scope};

use crate::auth::{self, csrf};
use crate::config::{MetricsAccess, OuraMode, OuraSettings, Settings};
use crate::demo;
use crate::error;
use crate::metrics::Metrics;
use crate::oura::{self, OuraApi, OuraOAuth, UserTokens};
use crate::routes::{
    account, api_keys, daily, events, export, health, heart_rate, insights,
    metrics as metrics_route, openapi, profile, session, sleep, spa, sync as sync_routes,
    webhooks as webhook_routes,
};
use crate::store::{SessionBackend, SqlSessionStore, Store, TokenCipher, redact};
use crate::sync::Syncer;
use crate::telemetry;
use crate::webhooks;
use crate::webhooks::watch::WebhookWatch;

/// How long shutdown waits for running syncs to reach a page boundary.
const SHUTDOWN_PATIENCE: std::time::Duration = std::time::Duration::from_secs(30);

/// The server, built and bound, with what tests need to reach into.
pub struct Application {
    port: u16,
    server: Server,
    /// In demo mode, the built-in Oura simulator the app talks to.
    simulator: Option<Simulator>,
    store: Store,
    syncer: Arc<Syncer>,
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
        // One secret, two independent keys: cookie signing and token encryption at rest.
        let secret = match settings.session_key_bytes() {
            Some(bytes) => bytes.to_vec(),
            None => {
                let mut random = vec![0u8; 64];
                rand::rng().fill_bytes(&mut random);
                random
            }
        };
        let store = Store::connect(
            settings.database_url.expose_secret(),
            TokenCipher::derive(&secret),
        )
        .await?;
        tracing::info!(database = %redact(settings.database_url.expose_secret()), "database ready");
        // A minute past the login's own deadline, so a late callback is told it expired
        // rather than that it is unknown.
        let pending_login_ttl = CookieDuration::seconds(
            i64::try_from(settings.login_timeout.as_secs())
                .unwrap_or(i64::MAX)
                .saturating_add(60),
        );
        let sessions = match &settings.redis_url {
            Some(url) => SessionBackend::redis(
                RedisSessionStore::new_pooled(redis_pool(url.expose_secret())?)
                    .await
                    .context("Failed to connect to Redis (REDIS_URL)")?,
                pending_login_ttl,
            ),
            None => SessionBackend::sql(SqlSessionStore::new(store.clone()), pending_login_ttl),
        };
        let (server, syncer) = run(
            listener,
            settings,
            &oura_settings,
            Key::derive_from(&secret),
            sessions,
            store.clone(),
        )?;
        Ok(Self {
            port,
            server,
            simulator,
            store,
            syncer,
        })
    }

    /// The port it listens on (the real one when 0 was asked for).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The built-in simulator, in demo mode.
    pub fn simulator(&self) -> Option<&Simulator> {
        self.simulator.as_ref()
    }

    /// The database handle.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Serves until SIGINT/SIGTERM: then no new connection is accepted, running syncs stop at
    /// a page boundary and release their leases, and in-flight requests finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        let mut server = std::pin::pin!(self.server);
        let result = tokio::select! {
            result = &mut server => result,
            () = shutdown_signal() => {
                tracing::info!("shutting down: finishing requests, stopping syncs at a page");
                // The server future must go on being polled for the stop to be carried out.
                let stopping = async {
                    handle.pause().await;
                    // The workers stop only after the syncs: a pooled database connection
                    // opened by a worker dies with it (PostgreSQL), and a sync may hold one.
                    self.syncer.stop(SHUTDOWN_PATIENCE).await;
                    handle.stop(true).await;
                };
                let (result, ()) = tokio::join!(server, stopping);
                result
            }
        };
        if let Some(simulator) = self.simulator {
            simulator.stop().await;
        }
        result
    }
}

/// SIGINT or SIGTERM.
async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut terminate) => {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

fn run(
    listener: TcpListener,
    settings: Settings,
    oura_settings: &OuraSettings,
    key: Key,
    sessions: SessionBackend,
    store: Store,
) -> anyhow::Result<(Server, Arc<Syncer>)> {
    let http = oura::http_client(settings.upstream_connect_timeout, settings.upstream_timeout)
        .context("Failed to build the HTTP client for Oura")?;
    let metrics = match settings.metrics {
        MetricsAccess::Off => None,
        MetricsAccess::Open | MetricsAccess::Token(_) => Some(Metrics::new()?),
    };
    let oauth = Arc::new(OuraOAuth::new(
        oura_settings,
        &settings.redirect_uri(),
        http.clone(),
    )?);
    let tokens = Arc::new(UserTokens::new(store.clone(), Arc::clone(&oauth)));
    let mut syncer = Syncer::new(
        store.clone(),
        OuraApi::new(http.clone(), oura_settings.api_base_url.clone())
            .with_metrics(metrics.clone()),
        Arc::clone(&tokens),
        settings.sync.clone(),
    );
    // With Redis at hand (for the sessions), the rate budget's counts go there too: every
    // request to Oura takes a turn at them, and the database has enough to do.
    if let Some(url) = &settings.redis_url {
        syncer =
            syncer.with_budget_in_redis(redis_pool(url.expose_secret())?, &oura_settings.client_id);
    }
    if settings.webhook_callback_url.is_some() {
        syncer = syncer.with_webhook_watch(WebhookWatch::new(
            store.clone(),
            settings.webhook_silence,
            settings.poll_interval(),
        ));
    }
    let syncer = Arc::new(syncer);
    if let Some(interval) = settings.sync_interval {
        Arc::clone(&syncer).schedule(interval);
    }
    // Webhooks: Oura's events are taken at /webhooks/oura and applied by the syncer; the
    // subscriptions are made (and renewed) in the background once the server answers.
    let webhooks = settings.webhook_callback_url.as_ref().map(|callback_url| {
        Arc::new(webhooks::subscriptions::Subscriber::new(
            http.clone(),
            oura_settings.api_base_url.clone(),
            oura_settings.client_id.clone(),
            oura_settings.client_secret.clone(),
            callback_url.clone(),
        ))
        .keep_subscribed();
        web::Data::new(webhook_routes::WebhookReceiver {
            client_secret: oura_settings.client_secret.clone(),
            verification_token: webhooks::verification_token(
                oura_settings.client_secret.expose_secret(),
            ),
            replays: webhooks::ReplayGuard::default(),
            queue: webhooks::ChangeQueue::start(Arc::clone(&syncer)),
        })
    });
    let tokens = web::Data::from(tokens);
    let running_syncer = Arc::clone(&syncer);
    let syncer = web::Data::from(syncer);
    let oauth = web::Data::from(oauth);
    let store = web::Data::new(store);
    let cache = web::Data::new(crate::routes::cache::ResponseCache::default());
    let limits = web::Data::new(auth::RateLimits::default());
    let api = web::Data::new(
        OuraApi::new(http, oura_settings.api_base_url.clone()).with_metrics(metrics.clone()),
    );
    let metrics = metrics.map(web::Data::new);
    let spa_files = web::Data::new(match &settings.static_dir {
        Some(dir) => spa::SpaFiles::Dir(dir.clone()),
        None => spa::SpaFiles::Embedded,
    });
    let dependencies = web::Data::new(
        health::Dependencies::new(settings.redis_url.as_ref())
            .context("REDIS_URL is not a Redis URL")?,
    );
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
    let https = settings.public_url.scheme() == "https";
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
                    .service(api_keys::list)
                    .service(api_keys::create)
                    .service(api_keys::revoke)
                    .service(account::delete_account)
                    .service(sync_routes::get_sync)
                    .service(sync_routes::start_sync)
                    .service(sync_routes::get_sync_health)
                    .service(daily::get_daily)
                    .service(daily::get_summary)
                    .service(events::get_events)
                    .service(events::get_rings)
                    .service(export::export)
                    .service(sleep::get_night)
                    .service(insights::get_insights)
                    .service(heart_rate::get_heart_rate)
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
            .service(health::ready)
            .split_for_parts();
        let document = api_doc.to_pretty_json().unwrap_or_default();
        let app = match &metrics {
            Some(metrics) => app.app_data(metrics.clone()),
            None => app,
        };
        let app = match &webhooks {
            Some(receiver) => app.app_data(receiver.clone()),
            None => app,
        };
        app.app_data(web::Data::new(document))
            .app_data(settings.clone())
            .app_data(oauth.clone())
            .app_data(api.clone())
            .app_data(tokens.clone())
            .app_data(store.clone())
            .app_data(syncer.clone())
            .app_data(cache.clone())
            .app_data(dependencies.clone())
            .app_data(limits.clone())
            .app_data(json_errors())
            .app_data(query_errors())
            .app_data(spa_files.clone())
            .route("/metrics", web::get().to(metrics_route::serve))
            .service(
                web::resource(webhooks::WEBHOOK_PATH)
                    .app_data(web::PayloadConfig::new(webhook_routes::MAX_EVENT_BYTES))
                    .wrap(no_store())
                    .route(web::get().to(webhook_routes::verify))
                    .route(web::post().to(webhook_routes::receive)),
            )
            .route("/", web::get().to(spa::index))
            .route(spa::ASSET_ROUTE, web::get().to(spa::asset))
            .default_service(web::to(spa::file_or_index))
            .wrap(from_fn(error::catch_panics))
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
                            // Renewed when due (`TypedSession::user`), not on every read.
                            .session_ttl_extension_policy(TtlExtensionPolicy::OnStateChanges),
                    )
                    .build(),
            )
            .wrap(Compress::default())
            .wrap(security_headers(https))
            .wrap(from_fn(telemetry::trace_requests))
    })
    // The app handles SIGINT/SIGTERM itself (`run_until_stopped`), to stop syncs at once.
    .disable_signals()
    .shutdown_timeout(10)
    .listen(listener)?
    .run();
    Ok((server, running_syncer))
}

/// Headers on every response. `Strict-Transport-Security` only when the app is served over
/// https: browsers then refuse plain http to it for a year.
fn security_headers(https: bool) -> DefaultHeaders {
    let headers = if https {
        DefaultHeaders::new().add((
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        DefaultHeaders::new()
    };
    headers
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

/// Malformed JSON bodies get the one error shape too.
fn json_errors() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(16 * 1024)
        .error_handler(|error, _| {
            crate::error::ApiError::BadRequest(format!("The JSON body is not valid: {error}"))
                .into()
        })
}

/// Malformed query strings get the one error shape too.
fn query_errors() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error, _| {
        crate::error::ApiError::BadRequest(format!("The query is not valid: {error}")).into()
    })
}

/// A pool of Redis connections for the sessions: a connection that broke is replaced by a
/// new one at the next request, so the app recovers as soon as Redis is back, and no request
/// waits longer than a few seconds for it.
fn redis_pool(url: &str) -> anyhow::Result<deadpool_redis::Pool> {
    let timeout = Some(std::time::Duration::from_secs(2));
    let mut config = deadpool_redis::Config::from_url(url);
    config.pool = Some(deadpool_redis::PoolConfig {
        max_size: 16,
        timeouts: deadpool_redis::Timeouts {
            wait: timeout,
            create: timeout,
            recycle: timeout,
        },
        ..deadpool_redis::PoolConfig::default()
    });
    config
        .create_pool(Some(deadpool_redis::Runtime::Tokio1))
        .context("REDIS_URL is not a Redis URL")
}

fn no_store() -> DefaultHeaders {
    DefaultHeaders::new().add(("Cache-Control", "no-store"))
}
