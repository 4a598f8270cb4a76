//! One file to deploy: the binary, started as `deploy/oura-dashboard.service` starts it (an
//! empty working directory, an environment file, nothing else), serves the web app it
//! carries, makes its database, and stops cleanly on SIGTERM.

use std::collections::HashMap;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;

/// The unit's `Key=value` settings (the last one of each key).
fn unit_settings() -> HashMap<String, String> {
    let unit = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../deploy/oura-dashboard.service"
    ))
    .expect("deploy/oura-dashboard.service");
    unit.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect()
}

/// An environment file as systemd reads it: `KEY=value` lines, `#` comments.
fn environment_file(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect()
}

#[tokio::test]
async fn the_binary_alone_serves_the_app_from_an_empty_directory() {
    let unit = unit_settings();
    assert_eq!(
        unit["ExecStart"], "/usr/local/bin/oura-dashboard",
        "no arguments"
    );
    assert!(unit.contains_key("EnvironmentFile") && unit.contains_key("WorkingDirectory"));
    assert_eq!(unit["KillSignal"], "SIGTERM");
    let working_directory =
        std::env::temp_dir().join(format!("oura-dashboard-deploy-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&working_directory);
    std::fs::create_dir_all(&working_directory).unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // Demo mode: no Oura application is needed to see the app served.
    let env = environment_file(&format!(
        "# /etc/oura-dashboard.env\nBIND_ADDRESS=127.0.0.1:{port}\nDEMO_SIMULATOR_PORT=0\nRUST_LOG=warn\n"
    ));

    let mut process = Command::new(env!("CARGO_BIN_EXE_oura-dashboard"))
        .current_dir(&working_directory)
        .env_clear()
        .envs(env)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let address = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut up = false;
    for _ in 0..300 {
        if client
            .get(format!("{address}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let index = client.get(&address).send().await.unwrap();
    let index_status = index.status();
    let html = index.text().await.unwrap();
    let wasm = html
        .split(['"', '\''])
        .find(|part| part.starts_with('/') && part.ends_with("_bg.wasm"))
        .map(str::to_owned);
    let night = client
        .get(format!("{address}/night/2026-01-31"))
        .send()
        .await
        .unwrap();
    let wasm_response = match &wasm {
        Some(wasm) => Some(
            client
                .get(format!("{address}{wasm}"))
                .header("Accept-Encoding", "br")
                .send()
                .await
                .unwrap(),
        ),
        None => None,
    };
    let killed = Command::new("kill")
        .args(["-TERM", &process.id().to_string()])
        .status()
        .unwrap();
    let exit = tokio::task::spawn_blocking(move || process.wait())
        .await
        .unwrap()
        .unwrap();
    let left: Vec<String> = std::fs::read_dir(&working_directory)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let _ = std::fs::remove_dir_all(&working_directory);

    assert!(up, "the binary did not become ready");
    assert_eq!(
        index_status,
        StatusCode::OK,
        "the binary carries no web app: build it before the server \
         (`trunk build --release --cargo-profile wasm-release`, as scripts/test does)\n{html}"
    );
    let wasm = wasm_response.expect("index.html names the wasm");
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(
        wasm.headers()["content-encoding"],
        "br",
        "pre-compressed, built in"
    );
    assert!(wasm.bytes().await.unwrap().len() > 10_000);
    assert_eq!(
        night.status(),
        StatusCode::OK,
        "a client-side route is the app's page"
    );
    assert!(
        left.iter().any(|name| name == "oura-dashboard.db"),
        "the database is made in the working directory: {left:?}"
    );
    assert!(killed.success());
    assert!(exit.success(), "SIGTERM ends it with 0: {exit:?}");
}
