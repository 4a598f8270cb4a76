//! Runs the Oura simulator on its own, for manual testing:
//!
//! ```text
//! cargo run -p oura-simulator -- --port 3031 \
//!     --client-id demo --client-secret demo-secret \
//!     --redirect-uri http://127.0.0.1:3030/auth/callback
//! ```

use std::net::TcpListener;

use anyhow::{Context, bail};
use oura_simulator::{ClientRegistration, Simulator, SimulatorConfig};

const USAGE: &str = "usage: oura-simulator [--port N] [--client-id ID] [--client-secret SECRET] \
                     [--redirect-uri URI]...";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let mut port = 3031u16;
    let mut client = ClientRegistration {
        client_id: "demo".into(),
        client_secret: "demo-secret".into(),
        redirect_uris: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .with_context(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--port" => port = value()?.parse().context("--port takes a number")?,
            "--client-id" => client.client_id = value()?,
            "--client-secret" => client.client_secret = value()?,
            "--redirect-uri" => client.redirect_uris.push(value()?),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    if client.redirect_uris.is_empty() {
        client
            .redirect_uris
            .push("http://127.0.0.1:3030/auth/callback".into());
    }
    let listener = TcpListener::bind(("127.0.0.1", port))
        .with_context(|| format!("Failed to bind 127.0.0.1:{port}"))?;
    let config = SimulatorConfig {
        clients: vec![client.clone()],
        ..SimulatorConfig::default()
    };
    let simulator = Simulator::start(listener, config)?;
    println!("Oura simulator listening on {}", simulator.base_url());
    println!("  authorize: {}", simulator.authorize_url());
    println!("  token:     {}", simulator.token_url());
    println!(
        "  client:    {} / {} -> {}",
        client.client_id,
        client.client_secret,
        client.redirect_uris.join(", ")
    );
    tokio::signal::ctrl_c().await?;
    simulator.stop().await;
    Ok(())
}
