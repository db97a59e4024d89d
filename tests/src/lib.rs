//! The test harness: a real Cairn (engine, CLI and HTTP server) on a database
//! of its own, SQLite in a temporary folder or a fresh PostgreSQL database.
//!
//! Each test gets its own database and media store, so tests run in
//! parallel without locks. Scenarios are written once and run on both
//! backends with [`backend_tests!`]; media scenarios also run against a real
//! S3-compatible server with [`media_tests!`].

#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod browser;
pub mod images;

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use cairn_core::auth::api_tokens::{self, TokenKind};
use cairn_core::files::{FileInfo, Upload};
use cairn_core::schema::ddl::{ChangeRequest, Plan};
use cairn_core::schema::load;
use cairn_core::{AppContext, Config};
use clap::Parser;
use rand::Rng;
use sea_orm::{ConnectionTrait, Database};
use tempfile::TempDir;

pub use serde_json::{Map, Value, json};

/// What a scenario returns: `?` works on any error.
pub type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// The database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where a test keeps its media.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    /// A folder inside the test's temporary folder.
    Local,
    /// The S3-compatible server named by `CAIRN_TEST_S3_*`, under a key
    /// prefix of the test's own.
    S3,
}

/// A throwaway database, removed when dropped.
pub struct TestDb {
    pub url: String,
    postgres: Option<(String, String)>,
}

impl TestDb {
    async fn create(backend: Backend, folder: &Path) -> TestDb {
        match backend {
            Backend::Sqlite => TestDb {
                url: format!("sqlite://{}", folder.join("cairn.db").display()),
                postgres: None,
            },
            Backend::Postgres => {
                let base = std::env::var("CAIRN_TEST_DATABASE_URL")
                    .expect("CAIRN_TEST_DATABASE_URL must point at a PostgreSQL server");
                let name = format!("cairn_t_{}", random_suffix());
                let server = Database::connect(&base)
                    .await
                    .expect("connect to PostgreSQL");
                server
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create the test database");
                server.close().await.ok();
                TestDb {
                    url: replace_database(&base, &name),
                    postgres: Some((base, name)),
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((base, name)) = self.postgres.take() else {
            return;
        };
        // Drop may run inside a runtime; a thread of its own can block.
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let server = Database::connect(&base).await?;
                server
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await?;
                server.close().await
            })?;
            Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
        });
        if let Ok(Err(error)) = cleanup.join() {
            eprintln!("could not drop a test database: {error}");
        }
    }
}

fn random_suffix() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..12)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// `postgres://user@host:port/old?x` with the database replaced by `name`.
fn replace_database(url: &str, name: &str) -> String {
    let (without_query, query) = match url.split_once('?') {
        Some((before, after)) => (before, format!("?{after}")),
        None => (url, String::new()),
    };
    let authority_start = without_query.find("://").map_or(0, |i| i + 3);
    let base = match without_query[authority_start..].find('/') {
        Some(slash) => &without_query[..authority_start + slash],
        None => without_query,
    };
    format!("{base}/{name}{query}")
}

/// A running engine on its own database, with its configuration on disk so
/// that CLI commands can use the same database.
pub struct TestApp {
    pub context: AppContext,
    pub backend: Backend,
    pub store: Store,
    pub folder: TempDir,
    pub config_path: PathBuf,
    db: TestDb,
    /// The `[media]` keys and tables that choose the store.
    media: (String, String),
    /// Extra `[media]` settings of the test.
    media_extra: String,
    /// Extra TOML sections of the test.
    extra: String,
}

impl TestApp {
    pub async fn start(backend: Backend) -> TestApp {
        Self::start_with(backend, Store::Local).await
    }

    pub async fn start_with(backend: Backend, store: Store) -> TestApp {
        let folder = tempfile::tempdir().expect("temporary folder");
        let db = TestDb::create(backend, folder.path()).await;
        let config_path = folder.path().join("cairn.toml");
        let media = match store {
            Store::Local => (
                format!(
                    "local_folder = \"{}\"\n",
                    folder.path().join("uploads").display()
                ),
                String::new(),
            ),
            Store::S3 => {
                let var = |name: &str| {
                    std::env::var(name)
                        .unwrap_or_else(|_| panic!("{name} must be set for S3 tests"))
                };
                (
                    "storage = \"s3\"\n".to_owned(),
                    format!(
                        "[media.s3]\nendpoint = \"{}\"\nbucket = \"{}\"\naccess_key_id = \"{}\"\nsecret_access_key = \"{}\"\nforce_path_style = true\nprefix = \"cairn-t-{}\"\n",
                        var("CAIRN_TEST_S3_ENDPOINT"),
                        var("CAIRN_TEST_S3_BUCKET"),
                        var("CAIRN_TEST_S3_ACCESS_KEY_ID"),
                        var("CAIRN_TEST_S3_SECRET_ACCESS_KEY"),
                        random_suffix(),
                    ),
                )
            }
        };
        let app_config = Self::config_text(&db.url, &media, "", "");
        std::fs::write(&config_path, app_config).expect("write the test configuration");
        let context = AppContext::start(Self::config_of(&config_path))
            .await
            .expect("start Cairn");
        TestApp {
            context,
            backend,
            store,
            folder,
            config_path,
            db,
            media,
            media_extra: String::new(),
            extra: String::new(),
        }
    }

    fn config_text(url: &str, media: &(String, String), media_extra: &str, extra: &str) -> String {
        // The store's keys, the test's settings (keys, then perhaps preset
        // tables), then the store's tables.
        format!(
            "[database]\nurl = \"{url}\"\nmax_connections = 5\n\n[log]\nlevel = \"warn\"\n\n{extra}\n\n[media]\n{}\n{media_extra}\n{}",
            media.0, media.1
        )
    }

    fn write_config(&self) {
        let text = Self::config_text(&self.db.url, &self.media, &self.media_extra, &self.extra);
        std::fs::write(&self.config_path, text).expect("write the configuration");
    }

    /// Restarts with extra configuration (TOML sections other than
    /// `[media]`) on the same database.
    pub async fn reconfigure(&mut self, extra: &str) {
        self.extra = extra.to_owned();
        self.write_config();
        self.restart().await;
    }

    /// Restarts with extra `[media]` settings (keys only) on the same
    /// database and store.
    pub async fn reconfigure_media(&mut self, settings: &str) {
        self.media_extra = settings.to_owned();
        self.write_config();
        self.restart().await;
    }

    fn config_of(path: &Path) -> Config {
        Config::load(Some(path)).expect("load the test configuration")
    }

    pub fn database_url(&self) -> &str {
        &self.db.url
    }

    /// A fresh context on the same database, as after a restart.
    pub async fn restart(&mut self) {
        self.context.close().await.expect("close the pool");
        self.context = AppContext::start(Self::config_of(&self.config_path))
            .await
            .expect("restart Cairn");
    }

    /// Whether a table exists in the test database.
    pub async fn table_exists(&self, table: &str) -> bool {
        let conn = self.context.db().conn();
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1"
            }
            Backend::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = $1"
            }
        };
        let statement = sea_orm::Statement::from_sql_and_values(
            conn.get_database_backend(),
            sql,
            [table.into()],
        );
        let row = conn
            .query_one_raw(statement)
            .await
            .expect("query the catalogue")
            .expect("a count");
        row.try_get_by_index::<i64>(0).expect("an integer") > 0
    }

    /// The columns of an index, in order, comma-separated; `None` when the
    /// database has no index of that name.
    pub async fn index_columns(&self, index: &str) -> Option<String> {
        let conn = self.context.db().conn();
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT group_concat(name, ',') FROM \
                 (SELECT name FROM pragma_index_info($1) ORDER BY seqno)"
            }
            Backend::Postgres => {
                "SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM pg_class c \
                 JOIN pg_index i ON i.indexrelid = c.oid \
                 CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum \
                 WHERE c.relname = $1"
            }
        };
        let statement = sea_orm::Statement::from_sql_and_values(
            conn.get_database_backend(),
            sql,
            [index.into()],
        );
        conn.query_one_raw(statement)
            .await
            .expect("query the catalogue")
            .and_then(|row| row.try_get_by_index::<Option<String>>(0).expect("a text"))
    }

    /// Runs a statement that returns nothing, e.g. to seed rows in bulk.
    pub async fn execute(&self, sql: &str) {
        self.context
            .db()
            .conn()
            .execute_unprepared(sql)
            .await
            .unwrap_or_else(|e| panic!("run {sql}: {e}"));
    }

    /// Runs a query returning one integer, e.g. a count.
    pub async fn scalar(&self, sql: &str, values: Vec<sea_orm::Value>) -> i64 {
        let conn = self.context.db().conn();
        let statement =
            sea_orm::Statement::from_sql_and_values(conn.get_database_backend(), sql, values);
        let row = conn
            .query_one_raw(statement)
            .await
            .expect("run the query")
            .expect("one row");
        row.try_get_by_index::<i64>(0).expect("an integer")
    }

    /// Uploads a file through the files service, as `POST /api/upload`
    /// does, and returns it as the API shows it.
    pub async fn upload(&self, name: &str, bytes: &[u8]) -> Map<String, Value> {
        let files = self.context.files();
        let mut spool = files.spool().expect("a spool");
        spool.write(bytes).await.expect("spool the file");
        let file = spool.finish().await.expect("finish the spool");
        let mut created = files
            .upload(vec![Upload {
                file,
                file_name: name.to_owned(),
                info: FileInfo::default(),
            }])
            .await
            .unwrap_or_else(|e| panic!("upload {name}: {e}"));
        created.remove(0)
    }

    /// Every key in the test's media store.
    pub async fn stored_keys(&self) -> Vec<String> {
        self.context
            .files()
            .storage()
            .list(None)
            .await
            .expect("list the store")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// An API token of `kind` (`read-only` or `full-access`), as sent.
    pub async fn token(&self, kind: &str) -> String {
        let kind = TokenKind::parse(kind).expect("a token kind");
        api_tokens::create(self.context.db().conn(), &random_suffix(), "", kind, None)
            .await
            .expect("create a token")
            .secret
    }

    /// The path of a fixture under `tests/fixtures`.
    pub fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(name)
    }

    /// Applies a fixture folder or file, confirming drops.
    pub async fn apply_fixture(&self, name: &str) -> Plan {
        let request = ChangeRequest {
            sources: load::load(&Self::fixture(name)).expect("load the fixture"),
            ..ChangeRequest::default()
        };
        self.context
            .apply_schema(&request, true)
            .await
            .unwrap_or_else(|e| panic!("apply fixture {name}: {e}"))
    }

    /// Runs a `cairn` command in-process against this database; `Ok` holds
    /// what it printed, `Err` the message the terminal would show.
    pub async fn cli(&self, args: &[&str]) -> Result<String, String> {
        let mut argv = vec![
            "cairn",
            "--config",
            self.config_path.to_str().expect("utf-8 path"),
        ];
        argv.extend_from_slice(args);
        let cli = cairn_server::cli::Cli::try_parse_from(argv).map_err(|e| e.to_string())?;
        let mut output = Vec::new();
        let result = cairn_server::cli::run(cli, &mut output).await;
        let printed = String::from_utf8_lossy(&output).into_owned();
        match result {
            Ok(()) => Ok(printed),
            Err(error) => Err(format!("{printed}{}", cairn_server::cli::describe(&error))),
        }
    }

    /// Starts the HTTP server on a free loopback port.
    pub async fn serve(&self) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let address = listener.local_addr().expect("local address");
        let server =
            cairn_server::app::serve(self.context.clone(), listener).expect("start the server");
        let handle = server.handle();
        tokio::spawn(server);
        TestServer {
            base: format!("http://{address}"),
            client: reqwest::Client::new(),
            handle,
            db: self.context.db().clone(),
        }
    }
}

/// Asserts that `found` (path, message pairs of a validation error) holds
/// an error at `path` whose message contains `fragment`.
pub fn assert_failure(found: &[(String, String)], path: &str, fragment: &str) {
    assert!(
        found.iter().any(|(p, m)| p == path && m.contains(fragment)),
        "no error at `{path}` containing {fragment:?} in {found:#?}"
    );
}

/// The definition of the type with this singular name, to edit in a test.
pub fn type_def<'a>(
    sources: &'a mut cairn_core::schema::SchemaSources,
    singular_name: &str,
) -> &'a mut cairn_core::schema::ContentTypeDef {
    sources
        .content_types
        .iter_mut()
        .find(|s| s.def.info.singular_name == singular_name)
        .map(|s| &mut s.def)
        .unwrap_or_else(|| panic!("no type {singular_name} in the sources"))
}

/// A running HTTP server and a client for it.
pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    handle: cairn_server::app::ServerHandle,
    db: cairn_core::db::Db,
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends a request and returns the status and the JSON body (`Null` when empty).
    pub async fn send(&self, request: reqwest::RequestBuilder) -> (u16, Value) {
        let response = request.send().await.expect("send the request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("read the body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, body)
    }

    /// Stops the server once its requests are answered. Its workers'
    /// runtimes end a moment later: the connections they opened are not
    /// lent again, or the test's next query could meet a runtime shutting
    /// down.
    pub async fn stop(self) {
        self.handle.stop(true).await;
        self.db.renew_connections();
    }
}

/// Runs each scenario on SQLite and, when `CAIRN_TEST_DATABASE_URL` is set,
/// on PostgreSQL: `scenario::sqlite` and `scenario::postgres`.
#[macro_export]
macro_rules! backend_tests {
    ($(async fn $name:ident($app:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn scenario($app: $crate::TestApp) -> $crate::TestResult {
                    $body;
                    Ok(())
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() -> $crate::TestResult {
                    scenario($crate::TestApp::start($crate::Backend::Sqlite).await).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(not(cairn_pg), ignore = "set CAIRN_TEST_DATABASE_URL to run on PostgreSQL")]
                async fn postgres() -> $crate::TestResult {
                    scenario($crate::TestApp::start($crate::Backend::Postgres).await).await
                }
            }
        )*
    };
}

/// Runs each media scenario on SQLite and PostgreSQL with the local store,
/// and on SQLite with an S3-compatible server when `CAIRN_TEST_S3_ENDPOINT`
/// is set: `scenario::sqlite`, `scenario::postgres`, `scenario::s3`.
#[macro_export]
macro_rules! media_tests {
    ($(async fn $name:ident($app:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                #[allow(unused_mut)]
                async fn scenario(mut $app: $crate::TestApp) -> $crate::TestResult {
                    $body;
                    Ok(())
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() -> $crate::TestResult {
                    scenario($crate::TestApp::start($crate::Backend::Sqlite).await).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(not(cairn_pg), ignore = "set CAIRN_TEST_DATABASE_URL to run on PostgreSQL")]
                async fn postgres() -> $crate::TestResult {
                    scenario($crate::TestApp::start($crate::Backend::Postgres).await).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(not(cairn_s3), ignore = "set CAIRN_TEST_S3_ENDPOINT to run against an S3 server")]
                async fn s3() -> $crate::TestResult {
                    scenario($crate::TestApp::start_with($crate::Backend::Sqlite, $crate::Store::S3).await).await
                }
            }
        )*
    };
}

/// A JSON object literal as a `Map`, for entry data.
#[macro_export]
macro_rules! data {
    ($($json:tt)+) => {
        match $crate::json!($($json)+) {
            $crate::Value::Object(map) => map,
            other => panic!("data! needs an object, got {other}"),
        }
    };
}
