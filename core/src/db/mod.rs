//! The database: one pool, SQLite or PostgreSQL, and Cairn's system tables.

pub mod cells;
pub mod entities;
pub mod errors;
mod inline;
pub mod settings;

use std::path::Path as FsPath;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    SqliteTransactionMode, Statement, StatementBuilder, TransactionOptions, TransactionTrait,
};

use self::cells::Decode;
use self::inline::InlineReads;
use crate::config::DatabaseConfig;
use crate::error::{Error, Result};

/// The two databases Cairn runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn db_backend(self) -> DbBackend {
        match self {
            Backend::Sqlite => DbBackend::Sqlite,
            Backend::Postgres => DbBackend::Postgres,
        }
    }
}

/// A pooled connection plus what the engine needs to know about it.
#[derive(Debug, Clone)]
pub struct Db {
    conn: DatabaseConnection,
    backend: Backend,
    url: String,
    clock: Arc<SchemaClock>,
    statements: Arc<AtomicU64>,
    /// SQLite reads outside transactions, on the calling thread.
    inline: Option<Arc<InlineReads>>,
}

/// When the schema last changed. Pooled connections keep prepared statements
/// whose result types a schema change can invalidate, so connections opened
/// before the last change are replaced when next acquired.
#[derive(Debug)]
struct SchemaClock {
    origin: Instant,
    /// Nanoseconds from `origin` to the last change; 0 when none happened.
    changed: AtomicU64,
}

impl SchemaClock {
    fn mark(&self) {
        let nanos = u64::try_from(self.origin.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.changed.store(nanos.max(1), Ordering::Release);
    }

    /// Whether a connection of this age was opened before the last change.
    fn predates_change(&self, age: Duration) -> bool {
        let changed = self.changed.load(Ordering::Acquire);
        changed != 0 && self.origin.elapsed().saturating_sub(age) <= Duration::from_nanos(changed)
    }
}

const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a pooled connection may sit idle before it is pinged on its
/// way out of the pool.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(30);

impl Db {
    /// Connects, creating the SQLite file and its folder when they are missing.
    pub async fn connect(config: &DatabaseConfig) -> Result<Db> {
        let backend = backend_of(&config.url)?;
        let clock = Arc::new(SchemaClock {
            origin: Instant::now(),
            changed: AtomicU64::new(0),
        });
        let mut options = ConnectOptions::new(config.url.clone());
        options
            .max_connections(pool_size(config.max_connections, backend))
            .acquire_timeout(config.acquire_timeout)
            // sqlx pings a connection as it goes back to the pool; pinging
            // it again on the way out was a second round trip per statement
            // (uncached reads on PostgreSQL 15-20 % slower). Only one idle
            // long enough for a server or firewall to have dropped it is
            // pinged before use.
            .test_before_acquire_if_idle_for(IDLE_BEFORE_PING)
            .sqlx_logging(false);
        match backend {
            Backend::Sqlite => {
                ensure_sqlite_folder(&config.url)?;
                let clock = clock.clone();
                options
                    .map_sqlx_sqlite_opts(|opts| sqlite_options(opts, true))
                    .map_sqlx_sqlite_before_acquire(move |_, meta| {
                        let fresh = !clock.predates_change(meta.age);
                        Box::pin(async move { Ok(fresh) })
                    });
            }
            Backend::Postgres => {
                let clock = clock.clone();
                options.map_sqlx_postgres_before_acquire(move |_, meta| {
                    let fresh = !clock.predates_change(meta.age);
                    Box::pin(async move { Ok(fresh) })
                });
            }
        }
        let mut conn = Database::connect(options).await.map_err(|e| {
            Error::Config(format!(
                "cannot connect to {}: {e}",
                redact_password(&config.url)
            ))
        })?;
        let statements = Arc::new(AtomicU64::new(0));
        let counter = statements.clone();
        conn.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::Relaxed);
        });
        let inline = match backend {
            Backend::Sqlite => InlineReads::new(&config.url, clock.clone(), statements.clone()),
            Backend::Postgres => None,
        };
        Ok(Db {
            conn,
            backend,
            url: config.url.clone(),
            clock,
            statements,
            inline: inline.map(Arc::new),
        })
    }

    /// Runs a read outside any transaction and decodes its rows: on SQLite
    /// on the calling thread where it can (see `inline`), otherwise through
    /// the pool.
    pub async fn read<D: Decode>(
        &self,
        statement: Statement,
        decoder: &D,
    ) -> Result<Vec<D::Output>> {
        if let Some(rows) = self
            .inline
            .as_ref()
            .and_then(|inline| inline.read(&statement, decoder))
        {
            return Ok(rows);
        }
        let rows = self.conn.query_all_raw(statement).await?;
        rows.iter()
            .enumerate()
            .map(|(index, row)| decoder.decode(row, index))
            .collect()
    }

    /// `read` for a statement built with sea-query.
    pub async fn read_query<D: Decode>(
        &self,
        statement: &impl StatementBuilder,
        decoder: &D,
    ) -> Result<Vec<D::Output>> {
        self.read(self.backend.db_backend().build(statement), decoder)
            .await
    }

    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// How many statements the pool has run since start-up: the figure that
    /// shows whether a request's query count grows with its result.
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// Replaces the pooled connections opened until now as they are next
    /// acquired: after a schema change, whose tables they may have cached
    /// statements for, and after an HTTP server stops, since a PostgreSQL
    /// connection opened by one of its workers belongs to that worker's
    /// runtime, which stops with it.
    pub fn renew_connections(&self) {
        self.clock.mark();
    }

    /// Applies pending system-table migrations.
    pub async fn migrate(&self) -> Result<()> {
        Migrator::up(&self.conn, None).await?;
        Ok(())
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock
    /// at once, so that two writers wait for each other instead of failing
    /// when the first read turns into a write.
    pub async fn begin_write(&self) -> Result<DatabaseTransaction> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        Ok(self.conn.begin_with_options(options).await?)
    }

    /// A connection for schema changes. On SQLite it is a separate connection
    /// with foreign keys off, as SQLite's table-rebuild procedure requires:
    /// dropping the old copy of a table must not cascade into its link tables.
    /// Foreign keys are checked again before the change commits.
    pub(crate) async fn schema_connection(&self) -> Result<DatabaseConnection> {
        match self.backend {
            Backend::Postgres => Ok(self.conn.clone()),
            Backend::Sqlite => {
                let mut options = ConnectOptions::new(self.url.clone());
                options
                    .max_connections(1)
                    .min_connections(1)
                    .sqlx_logging(false)
                    .map_sqlx_sqlite_opts(|opts| sqlite_options(opts, false));
                Ok(Database::connect(options).await?)
            }
        }
    }

    pub async fn ping(&self) -> Result<()> {
        self.conn.ping().await?;
        Ok(())
    }

    pub async fn close(self) -> Result<()> {
        self.conn.close().await?;
        Ok(())
    }
}

fn sqlite_options(opts: SqliteConnectOptions, foreign_keys: bool) -> SqliteConnectOptions {
    opts.create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(SQLITE_BUSY_TIMEOUT)
        .foreign_keys(foreign_keys)
}

/// The pool size: the configured one, or with 0 one that suits the
/// backend. Each SQLite connection runs on its own thread with its own page
/// cache, and SQLite's reads are bound by the cores, so more connections
/// than cores only add memory and scheduling; PostgreSQL's wait on the
/// network and the server, so they overlap.
fn pool_size(configured: u32, backend: Backend) -> u32 {
    match (configured, backend) {
        (0, Backend::Sqlite) => {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            u32::try_from(cores * 2).unwrap_or(u32::MAX).max(4)
        }
        (0, Backend::Postgres) => 16,
        (configured, _) => configured,
    }
}

fn backend_of(url: &str) -> Result<Backend> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(Error::Config(format!(
            "database.url must start with sqlite:// or postgres://, got `{}`",
            redact_password(url)
        )))
    }
}

fn ensure_sqlite_folder(url: &str) -> Result<()> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| Error::Config(format!("invalid SQLite URL `{url}`: {e}")))?;
    let file = options.get_filename();
    if file == FsPath::new(":memory:") {
        return Ok(());
    }
    if let Some(folder) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|e| Error::io(folder.display(), e))?;
    }
    Ok(())
}

/// The URL with its password replaced, for messages and logs.
pub fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Runs a query and returns the first column of the first row as an integer.
pub async fn scalar_i64<S: StatementBuilder + Sync>(
    conn: &impl ConnectionTrait,
    statement: &S,
) -> Result<Option<i64>> {
    let row = conn.query_one(statement).await?;
    Ok(match row {
        Some(row) => row.try_get_by_index::<Option<i64>>(0)?,
        None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact_password("postgres://cairn:s3cret@db:5432/cairn"),
            "postgres://cairn:***@db:5432/cairn"
        );
        assert_eq!(
            redact_password("sqlite://./data/cairn.db"),
            "sqlite://./data/cairn.db"
        );
    }
}
