//! SQLite reads on the calling thread.
//!
//! sqlx runs each SQLite connection on a thread of its own: a statement is
//! sent there and its rows are sent back, at least two context switches and
//! a copy of every value per statement. For a page of rows read through an
//! index that costs several times SQLite's own work (docs/benchmarks.md).
//! Reads outside transactions run here instead, on read-only rusqlite
//! connections to the same file, on the thread that asks; WAL lets them
//! read beside the pool's writer.
//!
//! A read that runs past its budget is interrupted and declined, as is one
//! with a parameter type this module does not bind exactly as sqlx does; the
//! caller then runs it through the pool. So a long scan holds a worker
//! thread for at most the budget, and results never depend on the path.

use std::borrow::Cow;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rusqlite::types::{ToSqlOutput, Value as Param, ValueRef};
use rusqlite::{Connection, OpenFlags};
use sea_orm::Statement;
use sea_orm::sea_query::Value;
use sea_orm::sqlx::sqlite::SqliteConnectOptions;

use super::SchemaClock;
use super::cells::Decode;

/// How long a read may run on the calling thread before it is handed to
/// the pool: longer than an indexed page of rows takes, short enough not to
/// stall the other requests of an HTTP worker.
const BUDGET: Duration = Duration::from_millis(2);

/// SQLite virtual-machine steps between two looks at the clock.
const STEPS_BETWEEN_CHECKS: i32 = 1_000;

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 64;

/// Read-only connections to one SQLite file, lent to one read at a time.
pub(super) struct InlineReads {
    path: PathBuf,
    idle: Mutex<Vec<Idle>>,
    clock: Arc<SchemaClock>,
    statements: Arc<AtomicU64>,
}

impl std::fmt::Debug for InlineReads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InlineReads")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

struct Idle {
    conn: Connection,
    opened: Instant,
}

impl InlineReads {
    /// `None` for an in-memory database, which other connections cannot see.
    pub(super) fn new(
        url: &str,
        clock: Arc<SchemaClock>,
        statements: Arc<AtomicU64>,
    ) -> Option<InlineReads> {
        if url.contains(":memory:") || url.contains("mode=memory") {
            return None;
        }
        let options = SqliteConnectOptions::from_str(url).ok()?;
        let path = options.get_filename();

        Some(InlineReads {
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::new()),
            clock,
            statements,
        })
    }

    /// Runs `statement` and decodes its rows, or declines (`None`): the read
    /// ran past the budget, used a parameter this path does not bind, or
    /// failed in any way. The pool then runs it and reports any error.
    pub(super) fn read<D: Decode>(
        &self,
        statement: &Statement,
        decoder: &D,
    ) -> Option<Vec<D::Output>> {
        let values = statement.values.as_ref().map_or(&[][..], |v| &v.0);
        let sql = with_empty_text_inline(&statement.sql, values)?;
        let params = params(values)?;
        let idle = self.take()?;
        let deadline = Instant::now() + BUDGET;
        let rows = idle
            .conn
            .progress_handler(
                STEPS_BETWEEN_CHECKS,
                Some(move || Instant::now() > deadline),
            )
            .ok()
            .and_then(|()| run(&idle.conn, &sql, &params, decoder));
        // A connection whose handler cannot be cleared is not lent again.
        if idle
            .conn
            .progress_handler(STEPS_BETWEEN_CHECKS, None::<fn() -> bool>)
            .is_ok()
        {
            self.idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(idle);
        }

        if rows.is_some() {
            self.statements.fetch_add(1, Ordering::Relaxed);
        }
        rows
    }

    /// An idle connection opened after the last schema change, or a new one.
    fn take(&self) -> Option<Idle> {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        while let Some(candidate) = idle.pop() {
            if !self.clock.predates_change(candidate.opened.elapsed()) {
                return Some(candidate);
            }
        }
        drop(idle);
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .ok()?;
        // A read that would wait for a lock is declined at once: the pool
        // waits instead.
        conn.execute_batch("PRAGMA query_only = ON; PRAGMA busy_timeout = 0;")
            .ok()?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Some(Idle {
            conn,
            opened: Instant::now(),
        })
    }
}

fn run<D: Decode>(
    conn: &Connection,
    sql: &str,
    params: &[ToSqlOutput<'_>],
    decoder: &D,
) -> Option<Vec<D::Output>> {
    let mut statement = conn.prepare_cached(sql).ok()?;
    let mut rows = statement
        .query(rusqlite::params_from_iter(params.iter()))
        .ok()?;
    let mut decoded = Vec::new();
    while let Some(row) = rows.next().ok()? {
        decoded.push(decoder.decode(row, decoded.len()).ok()?);
    }
    Some(decoded)
}

/// `sql` with each placeholder of an empty text value written as the
/// literal `''`, or `None` when the placeholders do not match the values.
///
/// rusqlite binds an empty string as a static pointer to nothing (0x1), and
/// SQLite hands that pointer to `memcmp` at every comparison with the
/// value: a read of a type without locales (`locale = ''`) compares it at
/// each index key it passes. glibc's AVX-512 `memcmp` loads through the
/// pointer under an empty mask, which AMD Zen CPUs serve with a
/// fault-suppression assist of about 90 ns; a page of 25 articles took three
/// times as long (docs/benchmarks.md). A literal has a real pointer.
fn with_empty_text_inline<'a>(sql: &'a str, values: &[Value]) -> Option<Cow<'a, str>> {
    if !values.iter().any(is_empty_text) {
        return Some(Cow::Borrowed(sql));
    }
    let mut written = String::with_capacity(sql.len() + values.len());
    let mut values = values.iter();
    let mut quote = None;
    let mut copied = 0;
    // The bytes looked at are ASCII, so every index is a char boundary.
    for (at, byte) in sql.bytes().enumerate() {
        match (byte, quote) {
            (b'\'' | b'"', None) => quote = Some(byte),
            (byte, Some(open)) if byte == open => quote = None,
            (b'?', None) if is_empty_text(values.next()?) => {
                written.push_str(&sql[copied..at]);
                written.push_str("''");
                copied = at + 1;
            }
            _ => {}
        }
    }
    written.push_str(&sql[copied..]);
    values.next().is_none().then_some(Cow::Owned(written))
}

fn is_empty_text(value: &Value) -> bool {
    matches!(value, Value::String(Some(text)) if text.is_empty())
}

/// The statement's values as rusqlite binds them, where that is what sqlx
/// binds: integers, floats, booleans (as integers), text and blobs, the
/// last two borrowed. Dates, decimals and JSON are encoded by sqlx's own
/// rules, so statements with them are declined. Empty texts are left out:
/// `with_empty_text_inline` writes them into the SQL.
fn params(values: &[Value]) -> Option<Vec<ToSqlOutput<'_>>> {
    let integer = |n: Option<i64>| ToSqlOutput::Owned(n.map_or(Param::Null, Param::Integer));
    values
        .iter()
        .filter(|value| !is_empty_text(value))
        .map(|value| {
            Some(match value {
                Value::Bool(v) => integer(v.map(i64::from)),
                Value::TinyInt(v) => integer(v.map(i64::from)),
                Value::SmallInt(v) => integer(v.map(i64::from)),
                Value::Int(v) => integer(v.map(i64::from)),
                Value::BigInt(v) => integer(*v),
                Value::TinyUnsigned(v) => integer(v.map(i64::from)),
                Value::SmallUnsigned(v) => integer(v.map(i64::from)),
                Value::Unsigned(v) => integer(v.map(i64::from)),
                Value::BigUnsigned(v) => match v {
                    None => integer(None),
                    Some(n) => integer(Some(i64::try_from(*n).ok()?)),
                },
                Value::Float(v) => {
                    ToSqlOutput::Owned(v.map_or(Param::Null, |n| Param::Real(n.into())))
                }
                Value::Double(v) => ToSqlOutput::Owned(v.map_or(Param::Null, Param::Real)),
                Value::String(v) => v.as_deref().map_or(ToSqlOutput::Owned(Param::Null), |s| {
                    ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes()))
                }),
                Value::Char(v) => {
                    ToSqlOutput::Owned(v.map_or(Param::Null, |c| Param::Text(c.to_string())))
                }
                Value::Bytes(v) => v.as_deref().map_or(ToSqlOutput::Owned(Param::Null), |b| {
                    ToSqlOutput::Borrowed(ValueRef::Blob(b))
                }),
                _ => return None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    use sea_orm::{ConnectionTrait, DbBackend};

    use super::*;
    use crate::config::DatabaseConfig;
    use crate::db::Db;
    use crate::db::cells::{Cells, Columns};
    use crate::error::Result;

    /// Every cell of a row of `kinds`, read the way the engine reads them.
    struct Everything;

    type Decoded = (
        i64,
        Option<String>,
        Option<bool>,
        Option<f64>,
        Option<String>,
    );

    impl Decode for Everything {
        type Output = (Decoded, Option<serde_json::Value>);

        fn decode<C: Cells>(&self, row: &C, _index: usize) -> Result<Self::Output> {
            Ok((
                (
                    row.cell(0)?,
                    row.cell(1)?,
                    row.cell(2)?,
                    row.cell(3)?,
                    row.timestamp(4)?,
                ),
                row.cell(5)?,
            ))
        }
    }

    async fn database() -> (tempfile::TempDir, Db) {
        let folder = tempfile::tempdir().expect("temporary folder");
        let config = DatabaseConfig {
            url: format!("sqlite://{}/inline.db", folder.path().display()),
            ..DatabaseConfig::default()
        };
        let db = Db::connect(&config).await.expect("database");
        db.conn()
            .execute_unprepared(
                "CREATE TABLE kinds (id integer PRIMARY KEY, name text, flag boolean, \
                 amount real, at timestamp_with_timezone_text, data json_text);
                 INSERT INTO kinds VALUES
                   (1, 'plain', 1, 2.5, '2024-03-01T10:20:30.123+00:00', '{\"a\":[1,2]}'),
                   (2, 'naïve ✓', 0, NULL, '2024-03-01 10:20:30', 'null'),
                   (3, NULL, NULL, -0.25, '2024-03-01T12:20:30.5+02:00', NULL);",
            )
            .await
            .expect("table");
        (folder, db)
    }

    fn select_all() -> sea_orm::Statement {
        let select = Query::select()
            .columns(["id", "name", "flag", "amount", "at", "data"].map(Alias::new))
            .from(Alias::new("kinds"))
            .order_by(Alias::new("id"), sea_orm::Order::Asc)
            .to_owned();
        DbBackend::Sqlite.build(&select)
    }

    fn inline(db: &Db) -> &InlineReads {
        db.inline.as_deref().expect("a file database reads inline")
    }

    #[tokio::test]
    async fn reads_on_the_calling_thread_decode_as_the_pool_does() {
        let (_folder, db) = database().await;
        let inline_rows = inline(&db)
            .read(&select_all(), &Everything)
            .expect("read inline");
        let pooled: Vec<_> = db
            .conn()
            .query_all_raw(select_all())
            .await
            .expect("read through the pool")
            .iter()
            .enumerate()
            .map(|(index, row)| Everything.decode(row, index))
            .collect::<Result<_>>()
            .expect("decode");
        assert_eq!(inline_rows, pooled);
        assert_eq!(
            inline_rows[0].0.4.as_deref(),
            Some("2024-03-01T10:20:30.123Z")
        );
        assert_eq!(
            inline_rows[2].0.4.as_deref(),
            Some("2024-03-01T10:20:30.500Z")
        );
        assert_eq!(inline_rows[0].1, Some(serde_json::json!({"a": [1, 2]})));
    }

    #[tokio::test]
    async fn reads_see_what_the_pool_committed() {
        let (_folder, db) = database().await;
        let count = DbBackend::Sqlite.build(
            Query::select()
                .expr(Expr::col(Alias::new("id")).count())
                .from(Alias::new("kinds")),
        );
        let counted = |db: &Db| inline(db).read(&count, &Columns::<(i64,)>::new());
        assert_eq!(counted(&db), Some(vec![(3,)]));
        db.conn()
            .execute_unprepared("INSERT INTO kinds (id, name) VALUES (4, 'new')")
            .await
            .expect("insert");
        assert_eq!(counted(&db), Some(vec![(4,)]));
    }

    #[tokio::test]
    async fn reads_past_the_budget_are_handed_to_the_pool() {
        let (_folder, db) = database().await;
        // Counts to ten million: far past the budget on any machine.
        let long = sea_orm::Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) \
             SELECT count(*) FROM n",
            [10_000_000_i64.into()],
        );
        let columns = Columns::<(i64,)>::new();
        assert_eq!(inline(&db).read(&long, &columns), None);
        assert_eq!(
            db.read(long, &columns).await.expect("the pool reads it"),
            vec![(10_000_000,)]
        );
        // The interrupted connection is lent again, with no budget left over.
        assert_eq!(
            inline(&db)
                .read(&select_all(), &Everything)
                .map(|rows| rows.len()),
            Some(3)
        );
    }

    #[tokio::test]
    async fn empty_texts_are_written_into_the_sql_and_match_as_bound_ones_do() {
        let (_folder, db) = database().await;
        db.conn()
            .execute_unprepared("INSERT INTO kinds (id, name, flag) VALUES (4, '', 1), (5, '', 0)")
            .await
            .expect("rows");
        // A quoted `?` is not a placeholder; the empty texts are, wherever they come.
        let statement = sea_orm::Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT id FROM kinds WHERE name = ? AND ifnull(flag, 0) = ? \
             AND '?' || \"name\" <> ? AND name || 'it''s?' = ? ORDER BY id",
            ["".into(), 1_i64.into(), "?".into(), "".into()],
        );
        assert_eq!(
            with_empty_text_inline(&statement.sql, &statement.values.as_ref().unwrap().0)
                .as_deref(),
            Some(
                "SELECT id FROM kinds WHERE name = '' AND ifnull(flag, 0) = ? \
                 AND '?' || \"name\" <> ? AND name || 'it''s?' = '' ORDER BY id"
            ),
            "the first and last values are empty"
        );
        let columns = Columns::<(i64,)>::new();
        let statement = sea_orm::Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT id FROM kinds WHERE name = ? AND ifnull(flag, 0) = ? AND name || ? = ? ORDER BY id",
            ["".into(), 1_i64.into(), "".into(), "".into()],
        );
        assert_eq!(inline(&db).read(&statement, &columns), Some(vec![(4,)]));
        assert_eq!(
            db.read(statement, &columns).await.expect("read"),
            vec![(4,)]
        );
        // More placeholders than values, or fewer: declined, not misread.
        assert_eq!(with_empty_text_inline("SELECT ? = ?", &["".into()]), None);
        assert_eq!(
            with_empty_text_inline("SELECT ?", &["".into(), "".into()]),
            None
        );
    }

    #[tokio::test]
    async fn parameters_sqlx_encodes_its_own_way_are_declined() {
        let (_folder, db) = database().await;
        let select = Query::select()
            .column(Alias::new("id"))
            .from(Alias::new("kinds"))
            .and_where(Expr::col(Alias::new("at")).lt(chrono::Utc::now()))
            .to_owned();
        let columns = Columns::<(i64,)>::new();
        assert_eq!(
            inline(&db).read(&DbBackend::Sqlite.build(&select), &columns),
            None
        );
    }

    #[test]
    fn in_memory_databases_read_through_the_pool() {
        let clock = Arc::new(SchemaClock {
            origin: Instant::now(),
            changed: AtomicU64::new(0),
        });
        let statements = Arc::new(AtomicU64::new(0));
        assert!(InlineReads::new("sqlite::memory:", clock.clone(), statements.clone()).is_none());
        assert!(InlineReads::new("sqlite://cairn.db", clock, statements).is_some());
    }
}
