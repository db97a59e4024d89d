//! Applying a plan: every step and the metadata in one transaction.
//!
//! PostgreSQL alters columns in place. SQLite gets one ALTER per step, and a
//! table rebuild (create a copy, move the rows with casts, drop, rename) when a
//! column changes type, following SQLite's documented procedure: foreign keys
//! are off on the connection that runs it and checked before commit.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, Func, JoinType, Query, SelectStatement, SimpleExpr, Table,
};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, SqliteTransactionMode,
    StatementBuilder, TransactionOptions, TransactionTrait,
};

use super::plan::{Change, Plan, Step};
use super::tables::{IndexSpec, create_link_table, create_table, indexes};
use crate::db::errors::unique_violation;
use crate::db::{Backend, Db};
use crate::error::{Error, Result, ValidationErrors};
use crate::schema::codec::bind;
use crate::schema::column::ColumnType;
use crate::schema::registry::{ContentType, Field};
use crate::schema::store;
use crate::schema::system::{
    self, DOCUMENT_ID, FILE_ID, ID, LOCALE, POSITION, PUBLISHED, PUBLISHED_AT, SOURCE_ID,
    TARGET_DOCUMENT_ID,
};
use crate::time::now;

/// Applies `plan`. Steps that remove data need `allow_drop`.
pub async fn apply(db: &Db, plan: &Plan, allow_drop: bool) -> Result<()> {
    let loss = plan.data_loss();
    if !loss.is_empty() && !allow_drop {
        return Err(Error::DestructivePlan { steps: loss });
    }
    if plan.is_empty() {
        return Ok(());
    }
    let conn = db.schema_connection().await?;
    let result = run(&conn, db.backend(), plan).await;
    if db.backend() == Backend::Sqlite {
        conn.close().await?;
    }
    result
}

async fn run(conn: &DatabaseConnection, backend: Backend, plan: &Plan) -> Result<()> {
    let txn = conn
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await?;
    if backend == Backend::Postgres {
        // Dates widened to datetimes become midnight UTC, whatever the server's zone.
        txn.execute_unprepared("SET LOCAL TIME ZONE 'UTC'").await?;
    }
    let executor = Executor {
        txn: &txn,
        backend,
        default_locale: crate::locales::default_code(&txn).await?,
    };
    for step in &plan.steps {
        executor.step(step, plan).await?;
    }
    if backend == Backend::Sqlite {
        let violations = txn
            .query_all_raw(sqlite_statement("PRAGMA foreign_key_check"))
            .await?;
        if !violations.is_empty() {
            return Err(Error::internal(format!(
                "the schema change would leave {} rows pointing at missing rows",
                violations.len()
            )));
        }
    }
    store::save(&txn, plan).await?;
    txn.commit().await?;
    Ok(())
}

fn sqlite_statement(sql: &str) -> sea_orm::Statement {
    sea_orm::Statement::from_string(sea_orm::DbBackend::Sqlite, sql)
}

struct Executor<'a> {
    txn: &'a DatabaseTransaction,
    backend: Backend,
    default_locale: String,
}

fn col(name: &str) -> Expr {
    Expr::col(Alias::new(name))
}

impl Executor<'_> {
    async fn exec(&self, statement: &impl StatementBuilder) -> Result<()> {
        self.txn.execute(statement).await?;
        Ok(())
    }

    async fn step(&self, step: &Step, plan: &Plan) -> Result<()> {
        match step {
            Step::CreateComponent { .. }
            | Step::UpdateComponent { .. }
            | Step::DropComponent { .. } => Ok(()),
            Step::CreateType { uid, .. } => {
                let content_type = lookup(plan.target.content_type(uid), uid)?;
                self.exec(&create_table(content_type, &content_type.table))
                    .await?;
                for (_, link) in content_type.owned_links() {
                    self.exec(&create_link_table(&content_type.table, link))
                        .await?;
                }
                for index in indexes(content_type) {
                    self.create_index(&index, uid).await?;
                }
                Ok(())
            }
            Step::DropType { uid, .. } => {
                let content_type = lookup(plan.current.content_type(uid), uid)?;
                for (_, link) in content_type.owned_links() {
                    self.exec(&Table::drop().table(Alias::new(&link.table)).to_owned())
                        .await?;
                }
                self.exec(
                    &Table::drop()
                        .table(Alias::new(&content_type.table))
                        .to_owned(),
                )
                .await?;
                self.exec(
                    &Query::delete()
                        .from_table(Alias::new("cairn_versions"))
                        .and_where(col("type_uid").eq(uid.as_str()))
                        .to_owned(),
                )
                .await
            }
            Step::AlterType {
                uid,
                renamed_from,
                changes,
                ..
            } => {
                let old_uid = renamed_from.as_deref().unwrap_or(uid);
                let old = lookup(plan.current.content_type(old_uid), old_uid)?;
                let new = lookup(plan.target.content_type(uid), uid)?;
                self.alter(old, new, changes).await?;
                if renamed_from.is_some() {
                    self.exec(
                        &Query::update()
                            .table(Alias::new("cairn_versions"))
                            .value(Alias::new("type_uid"), uid.as_str())
                            .and_where(col("type_uid").eq(old_uid))
                            .to_owned(),
                    )
                    .await?;
                }
                Ok(())
            }
        }
    }

    async fn alter(&self, old: &ContentType, new: &ContentType, changes: &[Change]) -> Result<()> {
        let fields = FieldMap::new(old, new, changes);
        let table = new.table.as_str();
        let existing = indexes(old);
        let wanted = indexes(new);
        for index in existing.iter().filter(|i| !wanted.contains(i)) {
            self.exec(&index.drop()).await?;
        }
        if old.table != new.table {
            self.exec(
                &Table::rename()
                    .table(Alias::new(&old.table), Alias::new(table))
                    .to_owned(),
            )
            .await?;
        }
        for (old_field, new_field) in &fields.matched {
            if let (Some(from), Some(to)) = (&old_field.link, &new_field.link)
                && !from.inverse
                && from.table != to.table
            {
                self.exec(
                    &Table::rename()
                        .table(Alias::new(&from.table), Alias::new(&to.table))
                        .to_owned(),
                )
                .await?;
            }
        }
        let rebuilt = self.backend == Backend::Sqlite && fields.retyped_on_sqlite();
        if rebuilt {
            self.rebuild(new, &fields).await?;
        } else {
            self.alter_columns(table, &fields).await?;
        }
        for field in &fields.dropped {
            if let Some(link) = field.link.as_ref().filter(|l| !l.inverse) {
                self.exec(&Table::drop().table(Alias::new(&link.table)).to_owned())
                    .await?;
            }
        }
        for field in &fields.added {
            if let Some(link) = field.link.as_ref().filter(|l| !l.inverse) {
                self.exec(&create_link_table(table, link)).await?;
            }
        }
        for change in changes {
            self.type_option(new, change).await?;
        }
        for index in &wanted {
            let gone = rebuilt && index.table == table;
            if gone || !existing.contains(index) {
                self.create_index(index, &new.uid).await?;
            }
        }
        Ok(())
    }

    /// Creates an index; a unique index that existing rows violate is the
    /// schema's problem, reported on its attribute.
    async fn create_index(&self, index: &IndexSpec, uid: &str) -> Result<()> {
        match self.txn.execute(&index.create()).await {
            Ok(_) => Ok(()),
            Err(error) => match (&index.attribute, unique_violation(&error)) {
                (Some(attribute), Some(_)) => Err(Error::InvalidSchema(ValidationErrors::single(
                    [uid, "attributes", attribute.as_str()],
                    format!("cannot make `{attribute}` unique: some entries share a value"),
                ))),
                _ => Err(error.into()),
            },
        }
    }

    /// Column renames, additions, type changes and drops, one ALTER each.
    async fn alter_columns(&self, table: &str, fields: &FieldMap<'_>) -> Result<()> {
        let t = Alias::new(table);
        for (old_field, new_field) in &fields.matched {
            let (Some(from), Some(to)) = (old_field.column_type(), new_field.column_type()) else {
                continue;
            };
            if old_field.column != new_field.column {
                self.exec(
                    &Table::alter()
                        .table(t.clone())
                        .rename_column(Alias::new(&old_field.column), Alias::new(&new_field.column))
                        .to_owned(),
                )
                .await?;
            }
            if from != to && self.backend == Backend::Postgres {
                self.exec(
                    &Table::alter()
                        .table(t.clone())
                        .modify_column(to.definition(&new_field.column))
                        .to_owned(),
                )
                .await?;
            }
        }
        for field in &fields.added {
            let Some(column_type) = field.column_type() else {
                continue;
            };
            self.exec(
                &Table::alter()
                    .table(t.clone())
                    .add_column(column_type.definition(&field.column))
                    .to_owned(),
            )
            .await?;
            if let Some(default) = &field.attribute.default {
                let value = bind(column_type, default).map_err(Error::internal)?;
                self.exec(
                    &Query::update()
                        .table(t.clone())
                        .value(Alias::new(&field.column), value)
                        .to_owned(),
                )
                .await?;
            }
        }
        for field in &fields.dropped {
            if field.column_type().is_some() {
                self.exec(
                    &Table::alter()
                        .table(t.clone())
                        .drop_column(Alias::new(&field.column))
                        .to_owned(),
                )
                .await?;
            }
        }
        Ok(())
    }

    /// SQLite's rebuild: a new table with the final columns, the rows copied
    /// across with casts, the old table dropped and the new one renamed.
    async fn rebuild(&self, new: &ContentType, fields: &FieldMap<'_>) -> Result<()> {
        let table = new.table.as_str();
        let temporary = format!("{table}__rebuild");
        self.exec(&create_table(new, &temporary)).await?;
        let mut columns: Vec<Alias> = system::COLUMNS.iter().map(|c| Alias::new(*c)).collect();
        let mut select = Query::select();
        select.from(Alias::new(table));
        for column in system::COLUMNS {
            select.column(Alias::new(column));
        }
        for (old_field, new_field) in &fields.matched {
            let (Some(from), Some(to)) = (old_field.column_type(), new_field.column_type()) else {
                continue;
            };
            columns.push(Alias::new(&new_field.column));
            select.expr(sqlite_cast(&old_field.column, from, to));
        }
        for field in &fields.added {
            if let (Some(column_type), Some(default)) =
                (field.column_type(), &field.attribute.default)
            {
                columns.push(Alias::new(&field.column));
                select.expr(Expr::val(
                    bind(column_type, default).map_err(Error::internal)?,
                ));
            }
        }
        self.exec(
            &Query::insert()
                .into_table(Alias::new(&temporary))
                .columns(columns)
                .select_from(select)
                .map_err(|e| Error::internal(e.to_string()))?
                .to_owned(),
        )
        .await?;
        self.exec(&Table::drop().table(Alias::new(table)).to_owned())
            .await?;
        self.exec(
            &Table::rename()
                .table(Alias::new(&temporary), Alias::new(table))
                .to_owned(),
        )
        .await
    }

    /// Data moves for type-level option changes.
    async fn type_option(&self, content_type: &ContentType, change: &Change) -> Result<()> {
        let t = Alias::new(&content_type.table);
        match change {
            Change::EnableDraftAndPublish => {
                let mut select = Query::select();
                select.from(t.clone());
                let mut columns = Vec::new();
                for column in system::COLUMNS.iter().filter(|c| **c != ID) {
                    columns.push(Alias::new(*column));
                    match *column {
                        PUBLISHED => select.expr(Expr::val(false)),
                        PUBLISHED_AT => {
                            select.expr(Expr::value(sea_orm::Value::ChronoDateTimeUtc(None)))
                        }
                        other => select.column(Alias::new(other)),
                    };
                }
                for (field, _) in content_type.column_fields() {
                    columns.push(Alias::new(&field.column));
                    select.column(Alias::new(&field.column));
                }
                select.and_where(col(PUBLISHED).eq(true));
                self.exec(
                    &Query::insert()
                        .into_table(t.clone())
                        .columns(columns)
                        .select_from(select)
                        .map_err(|e| Error::internal(e.to_string()))?
                        .to_owned(),
                )
                .await?;
                self.copy_links_to_drafts(content_type).await
            }
            Change::DisableDraftAndPublish { .. } => {
                let doomed = Query::select()
                    .column(Alias::new(ID))
                    .from(t.clone())
                    .and_where(col(PUBLISHED).eq(false))
                    .and_where(
                        Expr::tuple([col(DOCUMENT_ID), col(LOCALE)]).in_subquery(
                            Query::select()
                                .columns([Alias::new(DOCUMENT_ID), Alias::new(LOCALE)])
                                .from(t.clone())
                                .and_where(col(PUBLISHED).eq(true))
                                .to_owned(),
                        ),
                    )
                    .to_owned();
                self.delete_rows(content_type, doomed).await?;
                self.exec(
                    &Query::update()
                        .table(t)
                        .value(Alias::new(PUBLISHED), true)
                        .value(Alias::new(PUBLISHED_AT), now())
                        .and_where(col(PUBLISHED).eq(false))
                        .to_owned(),
                )
                .await
            }
            Change::EnableI18n => {
                self.exec(
                    &Query::update()
                        .table(t)
                        .value(Alias::new(LOCALE), self.default_locale.as_str())
                        .to_owned(),
                )
                .await
            }
            Change::DisableI18n { .. } => {
                let doomed = Query::select()
                    .column(Alias::new(ID))
                    .from(t.clone())
                    .and_where(col(LOCALE).ne(self.default_locale.as_str()))
                    .to_owned();
                self.delete_rows(content_type, doomed).await?;
                self.exec(
                    &Query::update()
                        .table(t)
                        .value(Alias::new(LOCALE), "")
                        .to_owned(),
                )
                .await
            }
            _ => Ok(()),
        }
    }

    /// Deletes rows and their links. Links go first and explicitly: foreign
    /// keys (and their cascades) are off during a SQLite schema change.
    async fn delete_rows(&self, content_type: &ContentType, ids: SelectStatement) -> Result<()> {
        for (_, link) in content_type.owned_links() {
            self.exec(
                &Query::delete()
                    .from_table(Alias::new(&link.table))
                    .and_where(col(SOURCE_ID).in_subquery(ids.clone()))
                    .to_owned(),
            )
            .await?;
        }
        self.exec(
            &Query::delete()
                .from_table(Alias::new(&content_type.table))
                .and_where(col(ID).in_subquery(ids))
                .to_owned(),
        )
        .await
    }

    /// Gives the new draft rows the links of their published rows.
    async fn copy_links_to_drafts(&self, content_type: &ContentType) -> Result<()> {
        let table = content_type.table.as_str();
        for (_, link) in content_type.owned_links() {
            let target = if link.media {
                FILE_ID
            } else {
                TARGET_DOCUMENT_ID
            };
            let published = Alias::new("p");
            let draft = Alias::new("d");
            let links = Alias::new("l");
            let select = Query::select()
                .column((draft.clone(), Alias::new(ID)))
                .column((links.clone(), Alias::new(target)))
                .column((links.clone(), Alias::new(POSITION)))
                .from_as(Alias::new(&link.table), links.clone())
                .join_as(
                    JoinType::InnerJoin,
                    Alias::new(table),
                    published.clone(),
                    Expr::col((published.clone(), Alias::new(ID)))
                        .equals((links.clone(), Alias::new(SOURCE_ID))),
                )
                .join_as(
                    JoinType::InnerJoin,
                    Alias::new(table),
                    draft.clone(),
                    Expr::col((draft.clone(), Alias::new(DOCUMENT_ID)))
                        .equals((published.clone(), Alias::new(DOCUMENT_ID)))
                        .and(
                            Expr::col((draft.clone(), Alias::new(LOCALE)))
                                .equals((published.clone(), Alias::new(LOCALE))),
                        )
                        .and(Expr::col((draft.clone(), Alias::new(PUBLISHED))).eq(false)),
                )
                .and_where(Expr::col((published, Alias::new(PUBLISHED))).eq(true))
                .to_owned();
            self.exec(
                &Query::insert()
                    .into_table(Alias::new(&link.table))
                    .columns([
                        Alias::new(SOURCE_ID),
                        Alias::new(target),
                        Alias::new(POSITION),
                    ])
                    .select_from(select)
                    .map_err(|e| Error::internal(e.to_string()))?
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

/// The expression that carries a value across a SQLite rebuild.
fn sqlite_cast(column: &str, from: ColumnType, to: ColumnType) -> SimpleExpr {
    let value = col(column);
    if from.same_on_sqlite(to) {
        return value;
    }
    match (from, to) {
        // sqlx writes datetimes as RFC 3339 text; a date becomes its midnight UTC.
        (ColumnType::Date, ColumnType::TimestampTz) => Func::cust(Alias::new("strftime"))
            .arg(Expr::val("%Y-%m-%dT%H:%M:%S+00:00"))
            .arg(value)
            .into(),
        (_, to) => value.cast_as(Alias::new(to.sql_name(true))),
    }
}

fn lookup<'a, T>(found: Option<&'a std::sync::Arc<T>>, uid: &str) -> Result<&'a T> {
    found
        .map(|arc| arc.as_ref())
        .ok_or_else(|| Error::internal(format!("the plan names `{uid}`, which its schema lacks")))
}

/// How the fields of the old and new versions of a type correspond.
struct FieldMap<'a> {
    matched: Vec<(&'a Field, &'a Field)>,
    added: Vec<&'a Field>,
    dropped: Vec<&'a Field>,
}

impl<'a> FieldMap<'a> {
    fn new(old: &'a ContentType, new: &'a ContentType, changes: &[Change]) -> Self {
        let renames: BTreeMap<&str, &str> = changes
            .iter()
            .filter_map(|c| match c {
                Change::RenameField { from, to } => Some((to.as_str(), from.as_str())),
                _ => None,
            })
            .collect();
        let added_names: BTreeSet<&str> = changes
            .iter()
            .filter_map(|c| match c {
                Change::AddField { name, .. } => Some(name.as_str()),
                _ => None,
            })
            .collect();
        let dropped_names: BTreeSet<&str> = changes
            .iter()
            .filter_map(|c| match c {
                Change::DropField { name, .. } => Some(name.as_str()),
                _ => None,
            })
            .collect();
        let matched = new
            .fields
            .iter()
            .filter(|f| !added_names.contains(f.name()))
            .filter_map(|f| {
                let old_name = renames.get(f.name()).copied().unwrap_or(f.name());
                old.field(old_name).map(|o| (o, f))
            })
            .collect();
        FieldMap {
            matched,
            added: new
                .fields
                .iter()
                .filter(|f| added_names.contains(f.name()))
                .collect(),
            dropped: old
                .fields
                .iter()
                .filter(|f| dropped_names.contains(f.name()))
                .collect(),
        }
    }

    /// Whether a column changes in a way SQLite can only do by rebuilding.
    fn retyped_on_sqlite(&self) -> bool {
        self.matched
            .iter()
            .any(|(old, new)| match (old.column_type(), new.column_type()) {
                (Some(from), Some(to)) => !from.same_on_sqlite(to),
                _ => false,
            })
    }
}
