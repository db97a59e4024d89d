//! Start-up reconciliation of the indexes Cairn maintains with those the
//! database holds. Schema changes diff indexes by the rules of the running
//! version, so a database that an earlier rule built, or that lost an index
//! by hand, is put right here once instead of drifting for good.

use std::collections::HashSet;

use sea_orm::{ConnectionTrait, Statement};

use super::tables::{IndexSpec, indexes, superseded_indexes};
use crate::db::{Backend, Db};
use crate::error::Result;
use crate::schema::Schema;

/// Drops the built-in indexes that declared ones replace and creates the
/// indexes that are missing, in one transaction. Costs one catalogue query
/// when there is nothing to do.
pub async fn reconcile_indexes(db: &Db, schema: &Schema) -> Result<()> {
    let (superseded, missing) = pending(db, schema).await?;
    if superseded.is_empty() && missing.is_empty() {
        return Ok(());
    }
    if let Err(error) = put_right(db, &superseded, &missing).await {
        // Another instance starting at the same time may have got there
        // first: PostgreSQL's IF NOT EXISTS does not cover a concurrent
        // CREATE INDEX.
        let (superseded, missing) = pending(db, schema).await?;
        if !superseded.is_empty() || !missing.is_empty() {
            return Err(error);
        }
    }
    Ok(())
}

/// The superseded indexes the database holds and the indexes it lacks.
async fn pending(db: &Db, schema: &Schema) -> Result<(Vec<IndexSpec>, Vec<IndexSpec>)> {
    let present = index_names(db).await?;
    let mut superseded = Vec::new();
    let mut missing = Vec::new();
    for content_type in schema.content_types() {
        superseded.extend(
            superseded_indexes(content_type)
                .into_iter()
                .filter(|spec| present.contains(&spec.name)),
        );
        missing.extend(
            indexes(content_type)
                .into_iter()
                .filter(|spec| !present.contains(&spec.name)),
        );
    }
    Ok((superseded, missing))
}

async fn put_right(db: &Db, superseded: &[IndexSpec], missing: &[IndexSpec]) -> Result<()> {
    let txn = db.begin_write().await?;
    for spec in superseded {
        txn.execute(spec.drop().if_exists()).await?;
        tracing::info!(index = %spec.name, "dropped an index a declared one replaces");
    }
    for spec in missing {
        txn.execute(spec.create().if_not_exists()).await?;
        tracing::info!(index = %spec.name, "created a missing index");
    }
    txn.commit().await?;
    Ok(())
}

/// The names of every index in the database (the current schema on
/// PostgreSQL); index names are unique there, whatever their table.
async fn index_names(db: &Db) -> Result<HashSet<String>> {
    let sql = match db.backend() {
        Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'index'",
        Backend::Postgres => "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()",
    };
    let conn = db.conn();
    let rows = conn
        .query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await?;
    rows.iter()
        .map(|row| Ok(row.try_get_by_index::<String>(0)?))
        .collect()
}
