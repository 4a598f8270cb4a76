//! `oura-dashboard`: reads its settings, starts the server, serves until stopped.

use anyhow::Context as _;
use backend::config::Settings;
use backend::startup::Application;
use backend::{demo, telemetry};

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    if let Err(error) = dotenvy::dotenv()
        && !error.not_found()
    {
        return Err(error).context("Failed to read .env");
    }
    telemetry::init();
    let settings = Settings::from_env().context("Invalid configuration (see .env.example)")?;
    let public_url = settings.public_url.clone();
    let app = Application::build(settings).await?;
    match app.simulator() {
        Some(simulator) => demo::announce(&public_url, simulator),
        None => tracing::info!("oura-dashboard listening on {public_url}"),
    }
    app.run_until_stopped().await.context("Server failed")
}
