//! The two reference servers Cairn's figures are read against. Each is a
//! minimal actix-web server, built by the benchmark and run in a process of
//! its own, answering Q1's exact response bytes:
//!
//! - the **ceiling** answers from memory: the fastest answer this machine
//!   gives to Q1's request. Every figure is reported as a ratio to it.
//! - the **floor** first reads Q1's page from the benchmark's database with
//!   the one statement any server must run for it (the shown columns of the
//!   26 matching rows, the 26th saying whether a page follows, in the order
//!   the declared index gives), then answers the same bytes. No server can
//!   answer an uncached Q1 faster than that on this database: the distance
//!   from the floor to Cairn's uncached Q1 is Cairn's own work.

use std::cell::RefCell;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};
use rusqlite::types::ValueRef;
use sea_orm::sqlx::Row;
use sea_orm::sqlx::postgres::{PgPool, PgPoolOptions};
use sea_orm::sqlx::sqlite::SqliteConnectOptions;

use crate::Outcome;

/// Q1's page on SQLite: the rows and columns Q1 shows, with the empty
/// locale written as a literal as Cairn writes it (`core/src/db/inline.rs`).
const SQLITE_Q1: &str = r#"SELECT "id", "document_id", "title", "slug", "views", "published_at" FROM "articles" WHERE "published" = 1 AND "locale" = '' AND "views" > ?1 ORDER BY "published_at" DESC, "id" DESC LIMIT 26 OFFSET 50"#;

/// Q1's page on PostgreSQL, a prepared statement as Cairn's are.
const POSTGRES_Q1: &str = r#"SELECT "id", "document_id", "title", "slug", "views", "published_at" FROM "articles" WHERE "published" = $1 AND "locale" = $2 AND "views" > $3 ORDER BY "published_at" DESC, "id" DESC LIMIT 26 OFFSET 50"#;

/// Q1's filter value, `views > 5000`.
const MIN_VIEWS: i32 = 5000;

/// Runs a reference server until killed: the floor when it has a
/// `database` (Cairn's URL) to read Q1's page from, else the ceiling.
pub fn serve(port: u16, body: PathBuf, database: Option<String>) -> Outcome {
    let bytes = web::Bytes::from(std::fs::read(body)?);
    actix_web::rt::System::new().block_on(async move {
        let pages = match database {
            Some(database) => Some(Pages::connect(&database).await?),
            None => None,
        };
        // A floor that reads nothing measures nothing.
        if let Some(pages) = &pages
            && pages.read().await? == 0
        {
            return Err("the floor read no rows: Q1's page is empty".into());
        }
        HttpServer::new(move || {
            let (bytes, pages) = (bytes.clone(), pages.clone());
            App::new().default_service(web::to(move || {
                let (bytes, pages) = (bytes.clone(), pages.clone());
                async move {
                    if let Some(pages) = pages
                        && let Err(error) = pages.read().await
                    {
                        return HttpResponse::InternalServerError().body(error.to_string());
                    }
                    json(bytes)
                }
            }))
        })
        .bind(("127.0.0.1", port))?
        .run()
        .await?;
        Outcome::Ok(())
    })
}

fn json(bytes: web::Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(bytes)
}

/// Where the floor reads Q1's page.
#[derive(Clone)]
enum Pages {
    /// On each HTTP worker's thread, through a query-only connection of its
    /// own, as Cairn reads SQLite.
    Sqlite(PathBuf),
    /// Through a pool of connections, as Cairn reads PostgreSQL.
    Postgres(PgPool),
}

thread_local! {
    static SQLITE: RefCell<Option<rusqlite::Connection>> = const { RefCell::new(None) };
}

impl Pages {
    async fn connect(database: &str) -> Outcome<Pages> {
        if database.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(database)?;
            Ok(Pages::Sqlite(options.get_filename().to_path_buf()))
        } else {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .connect(database)
                .await?;
            Ok(Pages::Postgres(pool))
        }
    }

    /// Reads Q1's page, every value of it; the rows read.
    async fn read(&self) -> Outcome<usize> {
        match self {
            Pages::Sqlite(path) => SQLITE.with_borrow_mut(|connection| {
                let connection = match connection {
                    Some(connection) => connection,
                    None => connection.insert(open_sqlite(path)?),
                };
                read_sqlite(connection)
            }),
            Pages::Postgres(pool) => {
                let rows = sea_orm::sqlx::query(POSTGRES_Q1)
                    .bind(true)
                    .bind("")
                    .bind(MIN_VIEWS)
                    .fetch_all(pool)
                    .await?;
                let mut bytes = 0;
                for row in &rows {
                    for column in 0..row.len() {
                        let value = row.try_get_raw(column)?;
                        bytes += value.as_bytes().map_or(0, <[u8]>::len);
                    }
                }
                std::hint::black_box(bytes);
                Ok(rows.len())
            }
        }
    }
}

fn open_sqlite(path: &Path) -> Outcome<rusqlite::Connection> {
    let connection = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.execute_batch("PRAGMA query_only = ON; PRAGMA busy_timeout = 1000;")?;
    Ok(connection)
}

fn read_sqlite(connection: &rusqlite::Connection) -> Outcome<usize> {
    let mut statement = connection.prepare_cached(SQLITE_Q1)?;
    let mut rows = statement.query([MIN_VIEWS])?;
    let (mut count, mut bytes) = (0, 0);
    while let Some(row) = rows.next()? {
        count += 1;
        for column in 0..row.as_ref().column_count() {
            bytes += match row.get_ref(column)? {
                ValueRef::Text(text) | ValueRef::Blob(text) => text.len(),
                _ => 8,
            };
        }
    }
    std::hint::black_box(bytes);
    Ok(count)
}

/// A reference server running in a process of its own, killed when dropped.
pub struct Reference {
    child: Child,
    port: u16,
    _body: tempfile::NamedTempFile,
}

impl Reference {
    /// The ceiling, answering `body`.
    pub async fn ceiling(body: &str) -> Outcome<Reference> {
        Reference::start("ceiling", &[], body).await
    }

    /// The floor, reading Q1's page from `database` and answering `body`.
    pub async fn floor(body: &str, database: &str) -> Outcome<Reference> {
        Reference::start("floor", &["--database", database], body).await
    }

    async fn start(command: &str, args: &[&str], body: &str) -> Outcome<Reference> {
        let file = tempfile::NamedTempFile::new()?;
        std::fs::write(file.path(), body)?;
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        // A build during a run replaces this executable; say so when it has.
        let executable = std::env::current_exe()?;
        let mut child = Command::new(&executable)
            .args([command, "--port", &port.to_string()])
            .args(args)
            .arg("--body")
            .arg(file.path())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| {
                format!(
                    "starting the {command} server from {}: {e}",
                    executable.display()
                )
            })?;
        for _ in 0..5000 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(Reference {
                    child,
                    port,
                    _body: file,
                });
            }
            if let Some(status) = child.try_wait()? {
                return Err(format!("the {command} server stopped: {status}").into());
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let _ = child.kill();
        Err(format!("the {command} server did not start").into())
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Reference {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
