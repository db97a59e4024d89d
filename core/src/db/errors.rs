//! Classification of database errors on their way into the engine.

use sea_orm::{DbErr, SqlErr};

/// The text of a unique-constraint violation: on PostgreSQL it names the
/// constraint, on SQLite the `table.column` list. `None` for other errors.
pub fn unique_violation(error: &DbErr) -> Option<String> {
    match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(message)) => Some(message),
        _ => None,
    }
}
