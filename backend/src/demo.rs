//! Demo mode: with no Oura credentials configured, the app starts its built-in Oura simulator
//! and talks to it through the very same code path it uses for the real Oura.

use std::net::TcpListener;

use anyhow::Context as _;
use oura_simulator::{ClientRegistration, Simulator, SimulatorConfig};
use rand::distr::{Alphanumeric, SampleString as _};
use secrecy::SecretString;
use url::Url;

use crate::config::{DEFAULT_SCOPES, OuraSettings};

/// The client id demo mode registers with its simulator.
pub const DEMO_CLIENT_ID: &str = "oura-dashboard-demo";

/// Starts the simulator on 127.0.0.1:`port`, with this app registered as its one client.
pub fn start_simulator(port: u16, redirect_uri: &Url) -> anyhow::Result<(OuraSettings, Simulator)> {
    let listener = TcpListener::bind(("127.0.0.1", port)).with_context(|| {
        format!(
            "Failed to bind the demo Oura simulator to 127.0.0.1:{port} (set DEMO_SIMULATOR_PORT)"
        )
    })?;
    let client_secret = Alphanumeric.sample_string(&mut rand::rng(), 40);
    let simulator = Simulator::start(
        listener,
        SimulatorConfig {
            clients: vec![ClientRegistration {
                client_id: DEMO_CLIENT_ID.into(),
                client_secret: client_secret.clone(),
                redirect_uris: vec![redirect_uri.to_string()],
            }],
            ..SimulatorConfig::default()
        },
    )
    .context("Failed to start the demo Oura simulator")?;
    let url = |s: String| Url::parse(&s).context("simulator URL");
    let settings = OuraSettings {
        client_id: DEMO_CLIENT_ID.into(),
        client_secret: SecretString::from(client_secret),
        authorize_url: url(simulator.authorize_url())?,
        token_url: url(simulator.token_url())?,
        revoke_url: Some(url(simulator.revoke_url())?),
        api_base_url: url(simulator.base_url().to_owned())?,
        issuer: Some(simulator.issuer()),
        scopes: DEFAULT_SCOPES
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
    };
    Ok((settings, simulator))
}

/// The start-up banner: demo mode must be impossible to miss.
pub fn announce(public_url: &Url, simulator: &Simulator) {
    let line = "=".repeat(78);
    tracing::warn!(
        "\n{line}\n  DEMO MODE: no OURA_CLIENT_ID is set, so this app uses its built-in Oura\n  \
         simulator at {sim}. The data is simulated; nothing reaches Oura.\n\n  \
         Open {public_url} and sign in (any username works).\n  \
         A token for curl:  curl -s -X POST {sim}{direct} -d user=demo\n  \
         To use your real Oura account, see README.md, \"Using your Oura account\".\n{line}",
        sim = simulator.base_url(),
        direct = oura_simulator::DIRECT_TOKEN_PATH,
    );
}
