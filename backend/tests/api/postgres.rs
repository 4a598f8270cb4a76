//! Throw-away PostgreSQL schemas for tests: one per app, named after this test process, and
//! those of earlier runs dropped at the first use.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{Connection as _, Executor as _, PgConnection, Row as _};
use tokio::sync::OnceCell;

const PREFIX: &str = "oura_test_";

/// The URL of PostgreSQL for tests that always need it.
pub fn server_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|url| url.starts_with("postgres"))
        .unwrap_or_else(|| "postgres://root@127.0.0.1:5432/test".to_owned())
}

async fn connect(url: &str) -> PgConnection {
    PgConnection::connect(url).await.unwrap_or_else(|error| {
        panic!(
            "PostgreSQL is needed for this test but is not reachable at {url}: {error}. \
             Start it, or set TEST_DATABASE_URL to a server that accepts the connection."
        )
    })
}

/// Drops the schemas of test processes that are no longer running.
async fn drop_stale_schemas(url: &str) {
    let mut connection = connect(url).await;
    let rows = sqlx::query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'oura\\_test\\_%'")
        .fetch_all(&mut connection)
        .await
        .expect("list test schemas");
    for row in rows {
        let name: String = row.get("nspname");
        let pid = name
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        let alive = pid.is_some_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            let _ = connection
                .execute(format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE").as_str())
                .await;
        }
    }
}

/// A URL whose connections use a new, empty schema.
pub async fn fresh_schema_url(url: &str) -> String {
    static CLEANED: OnceCell<()> = OnceCell::const_new();
    static NEXT: AtomicU32 = AtomicU32::new(0);
    CLEANED.get_or_init(|| drop_stale_schemas(url)).await;
    let schema = format!(
        "{PREFIX}{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut connection = connect(url).await;
    connection
        .execute(format!("CREATE SCHEMA \"{schema}\"").as_str())
        .await
        .expect("create a test schema");
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}options=-c%20search_path%3D{schema}")
}
