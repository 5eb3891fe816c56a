//! Test helpers (a dev-dependency only). A fresh database of each kind for every test: SQLite in a temporary directory, and a new
//! PostgreSQL database on the server named by `SUPERBILL_TEST_PG` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), dropped when the test ends. No mocks.

use std::sync::atomic::{AtomicU32, Ordering};

use store::Store;

static N: AtomicU32 = AtomicU32::new(0);

/// The PostgreSQL server the tests use.
pub fn pg_admin_url() -> String {
    std::env::var("SUPERBILL_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A test database (its URL; the SQLite file or PostgreSQL database goes away with it).
pub struct TestDb {
    /// The database URL.
    pub url: String,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// A SQLite database in a new temporary directory.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("superbill.db").display());
        TestDb { url, pg_name: None, _dir: Some(dir) }
    }

    /// A new PostgreSQL database.
    pub async fn postgres() -> TestDb {
        let name = format!(
            "sbtest_{}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        let admin = pg_admin_url();
        sqlx::any::install_default_drivers();
        let mut conn =
            <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await.unwrap_or_else(|e| {
                panic!("PostgreSQL at {admin} (set SUPERBILL_TEST_PG; .ci/run starts one): {e}")
            });
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
        let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin.clone());
        TestDb { url: format!("{base}/{name}"), pg_name: Some(name), _dir: None }
    }

    /// Opens it (migrating).
    pub async fn store(&self) -> Store {
        Store::open(&self.url).await.unwrap()
    }

    /// Drops the PostgreSQL database.
    pub async fn finish(self) {
        if let Some(name) = &self.pg_name {
            let mut conn =
                <sqlx::AnyConnection as sqlx::Connection>::connect(&pg_admin_url()).await.unwrap();
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await;
        }
    }
}

/// Runs a test body on a fresh SQLite and a fresh PostgreSQL database.
pub async fn on(kind: &str, body: impl AsyncFnOnce(&TestDb)) {
    let db = if kind == "sqlite" { TestDb::sqlite().await } else { TestDb::postgres().await };
    body(&db).await;
    db.finish().await;
}

/// `both!(name, async |db| { … })`: the test on each database.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::on("sqlite", $body).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::on("postgres", $body).await;
            }
        }
    };
}

/// A valid NPI (Luhn check digit with the 80840 prefix) from eight digits after a leading 1.
pub fn npi(n: u32) -> String {
    let first9 = format!("1{:08}", n % 100_000_000);
    let bytes: [u8; 9] = first9.as_bytes().try_into().unwrap();
    format!("{first9}{}", claim_model::Npi::check_digit(&bytes) as char)
}

/// The sample release the repository ships (`fixtures/sample`), installed into `dir` and opened.
pub fn sample_library(dir: &std::path::Path) -> code_sets::Library {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files: Vec<std::path::PathBuf> = std::fs::read_dir(repo.join("fixtures/sample"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml" || e == "txt"))
        .collect();
    let data = releases::DataDir::new(dir);
    data.import(&files, None).unwrap();
    data.open_for_lookup(None).unwrap()
}
