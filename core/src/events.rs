//! Change signals: a counter that moves whenever content or the schema
//! changes, so that caches of published responses know when they are stale.
//!
//! In one process the counter moves right after the change commits. On
//! PostgreSQL every change also sends `NOTIFY cairn_changes` inside its
//! transaction (delivered on commit), and each instance that watches the
//! channel moves its own counter, so a publish on one instance is visible on
//! the next request to any other.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::ConnectionTrait;
use sea_orm::sqlx::postgres::PgListener;

use crate::db::{Backend, Db};
use crate::error::Result;

/// The notification channel on PostgreSQL.
pub const CHANNEL: &str = "cairn_changes";

/// How many changes this process knows of.
#[derive(Debug, Default)]
pub struct Changes {
    generation: AtomicU64,
}

impl Changes {
    /// The current generation; any change makes it larger.
    pub fn current(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub(crate) fn bump(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

/// Tells other instances, when the transaction commits, that content changed.
pub(crate) async fn notify(conn: &impl ConnectionTrait, backend: Backend) -> Result<()> {
    if backend == Backend::Postgres {
        conn.execute_unprepared("NOTIFY cairn_changes").await?;
    }
    Ok(())
}

/// Moves `changes` whenever another instance (or this one) notifies; only
/// on PostgreSQL, where several instances can share a database. The task
/// reconnects after a lost connection and counts that as a change, since
/// notifications may have been missed meanwhile. It ends with the pool, or
/// when the database itself is gone.
pub(crate) fn watch(db: &Db, changes: Arc<Changes>) {
    if db.backend() != Backend::Postgres {
        return;
    }
    let pool = db.conn().get_postgres_connection_pool().clone();
    tokio::spawn(async move {
        loop {
            let listen = async {
                let mut listener = PgListener::connect_with(&pool).await?;
                listener.listen(CHANNEL).await?;
                loop {
                    listener.recv().await?;
                    changes.bump();
                }
            };
            let result: std::result::Result<(), sea_orm::sqlx::Error> = listen.await;
            if let Err(error) = result {
                let database_gone = error
                    .as_database_error()
                    .and_then(|e| e.code())
                    .is_some_and(|code| code == "3D000");
                if pool.is_closed() || database_gone {
                    return;
                }
                tracing::warn!(%error, "lost the change notifications; reconnecting");

                changes.bump();
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    });
}
