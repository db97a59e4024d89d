//! Filters and sorts, checked against the schema and the caller's access,
//! compiled to SeaQuery expressions. Every identifier comes from the schema;
//! every value is a bound parameter.
//!
//! - A scalar field compares its column; `id`, `documentId`, `locale`,
//!   `createdAt`, `updatedAt` and `publishedAt` are fields too.
//! - A path through a relation becomes `EXISTS` over the link table joined to
//!   the target's rows in the reader's state and locale, so filters on drafts
//!   see drafts and published reads see published targets only.
//! - A path into a component reads its JSON (`json_extract` on SQLite, `#>>`
//!   on PostgreSQL); a repeatable component matches when any item does.
//! - Private and password fields cannot be filtered or sorted on, so filters
//!   cannot probe them; types the caller may not read cannot be crossed.

use std::cell::Cell;
use std::collections::BTreeSet;

use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, Func, JoinType, LikeExpr, Order, Query, SelectStatement, SimpleExpr,
};
use serde_json::Value;

use super::ast::Status;
use super::ast::{Filter, Operand, Operator, Sort};
use crate::db::Backend;
use crate::error::{Path, ValidationErrors};
use crate::schema::attribute::{Attribute, Kind};
use crate::schema::codec;
use crate::schema::column::{ColumnType, Storage, storage};
use crate::schema::registry::{Component, ContentType, Field, Schema};
use crate::schema::system::{
    DOCUMENT_ID, ID, LOCALE, PUBLISHED, SOURCE_ID, TARGET_DOCUMENT_ID, system_field,
};

/// Which content types a caller may read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Readable {
    #[default]
    All,
    Only(BTreeSet<String>),
}

impl Readable {
    pub fn allows(&self, uid: &str) -> bool {
        match self {
            Readable::All => true,
            Readable::Only(uids) => uids.contains(uid),
        }
    }
}

/// What compiling needs to know about the read.
pub struct Scope<'a> {
    pub schema: &'a Schema,
    pub backend: Backend,
    pub status: Status,
    /// The locale related rows are read in when the source row has none.
    pub locale: &'a str,
    pub readable: &'a Readable,
}

impl Scope<'_> {
    /// The published flag of `content_type`'s rows this read sees.
    pub fn published(&self, content_type: &ContentType) -> bool {
        self.status == Status::Published || !content_type.draft_and_publish
    }
}

/// A sort key compiled: the expression to order by, how, and what it holds
/// (for cursors).
#[derive(Debug, Clone)]
pub struct SortKey {
    pub expr: SimpleExpr,
    pub descending: bool,
    pub column: ColumnType,
    /// The key reads a value inside a component's JSON.
    pub json: bool,
}

/// The joins sort keys need, to add to the main select.
#[derive(Debug, Clone)]
pub struct SortJoin {
    pub link_table: String,
    pub link_alias: String,
    pub target_table: String,
    pub target_alias: String,
    pub target_published: bool,
    /// The target's locale: a fixed one, or the source row's.
    pub target_locale: Option<String>,
}

pub struct Compiler<'a> {
    scope: &'a Scope<'a>,
    aliases: Cell<usize>,
    errors: ValidationErrors,
}

/// A column reference and what it stores.
struct Operandable {
    expr: SimpleExpr,
    column: ColumnType,
    /// Values inside JSON compare as JSON scalars.
    json: bool,
}

impl<'a> Compiler<'a> {
    pub fn new(scope: &'a Scope<'a>) -> Self {
        Compiler {
            scope,
            aliases: Cell::new(0),
            errors: ValidationErrors::default(),
        }
    }

    pub fn into_errors(self) -> ValidationErrors {
        self.errors
    }

    fn alias(&self, prefix: &str) -> String {
        let n = self.aliases.get();
        self.aliases.set(n + 1);
        format!("{prefix}{n}")
    }

    fn fail(&mut self, path: Path, message: impl Into<String>) {
        self.errors.push(path, message);
    }

    /// The condition `filter` puts on rows of `content_type` under `alias`.
    pub fn filter(
        &mut self,
        content_type: &ContentType,
        alias: &str,
        filter: &Filter,
        path: &Path,
    ) -> Option<SimpleExpr> {
        match filter {
            Filter::And(items) | Filter::Or(items) => {
                let parts: Vec<SimpleExpr> = items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| self.filter(content_type, alias, item, &path.child(i)))
                    .collect();
                let and = matches!(filter, Filter::And(_));
                parts
                    .into_iter()
                    .reduce(|a, b| if and { a.and(b) } else { a.or(b) })
            }
            Filter::Not(inner) => self
                .filter(content_type, alias, inner, path)
                .map(|e| e.not()),
            Filter::Condition {
                path: fields,
                operator,
                operand,
            } => {
                let full_path = fields
                    .iter()
                    .fold(path.clone(), |p, f| p.child(f))
                    .child(operator.name());
                self.condition(content_type, alias, fields, *operator, operand, &full_path)
            }
        }
    }

    fn condition(
        &mut self,
        content_type: &ContentType,
        alias: &str,
        fields: &[String],
        operator: Operator,
        operand: &Operand,
        path: &Path,
    ) -> Option<SimpleExpr> {
        let (name, rest) = fields.split_first()?;
        if let Some(system) = system_field(name) {
            if !rest.is_empty() {
                self.fail(path.clone(), format!("`{name}` has no fields"));
                return None;
            }
            let target = Operandable {
                expr: Expr::col((Alias::new(alias), Alias::new(system.0))),
                column: system.1,
                json: false,
            };
            return self.compare(target, operator, operand, path);
        }
        let Some(field) = content_type.field(name) else {
            self.fail(
                path.clone(),
                format!("`{name}` is not a field of {}", content_type.display_name()),
            );
            return None;
        };
        if field.attribute.is_hidden() {
            self.fail(
                path.clone(),
                format!("cannot filter on private field `{name}`"),
            );
            return None;
        }
        match (&field.attribute.kind, field.storage) {
            (Kind::Relation(relation), _) => {
                let target = self.scope.schema.content_type(&relation.target)?;

                if !self.scope.readable.allows(&target.uid) {
                    self.fail(
                        path.clone(),
                        format!(
                            "cannot filter through `{name}`: {} is not readable",
                            target.display_name()
                        ),
                    );
                    return None;
                }
                let (exists, target_alias) =
                    self.relation_exists(content_type, alias, field, target)?;
                if rest.is_empty() {
                    return match (operator, operand) {
                        (Operator::Null, Operand::Flag(flag))
                        | (Operator::NotNull, Operand::Flag(flag)) => {
                            let empty = (operator == Operator::Null) == *flag;
                            let exists = Expr::exists(exists);
                            Some(if empty { exists.not() } else { exists })
                        }
                        _ => {
                            self.fail(
                                path.clone(),
                                format!("compare a field of `{name}`, e.g. {name}.documentId"),
                            );
                            None
                        }
                    };
                }
                let inner = self.condition(target, &target_alias, rest, operator, operand, path)?;
                let mut exists = exists;
                exists.and_where(inner);
                Some(Expr::exists(exists))
            }
            (Kind::Media(_), _) => {
                let link = field.link.as_ref()?;
                if !rest.is_empty() || !matches!(operator, Operator::Null | Operator::NotNull) {
                    self.fail(
                        path.clone(),
                        format!("media field `{name}` can only be tested with $null or $notNull"),
                    );
                    return None;
                }
                let exists = Expr::exists(
                    Query::select()
                        .expr(Expr::val(1))
                        .from(Alias::new(&link.table))
                        .and_where(
                            Expr::col((Alias::new(&link.table), Alias::new(SOURCE_ID)))
                                .equals((Alias::new(alias), Alias::new(ID))),
                        )
                        .to_owned(),
                );
                let flag = matches!(operand, Operand::Flag(true));
                let empty = (operator == Operator::Null) == flag;
                Some(if empty { exists.not() } else { exists })
            }
            (Kind::Component(reference), _) => {
                let column: SimpleExpr = Expr::col((Alias::new(alias), Alias::new(&field.column)));
                if rest.is_empty() {
                    return self.null_test(column, operator, operand, path, name);
                }
                let component = self.scope.schema.component(&reference.component)?.clone();
                if reference.repeatable {
                    self.any_item(column, &component, rest, operator, operand, path)
                } else {
                    let target = self.json_leaf(column, &component, rest, path)?;
                    self.compare(target, operator, operand, path)
                }
            }
            (Kind::DynamicZone(_), _) => {
                let column: SimpleExpr = Expr::col((Alias::new(alias), Alias::new(&field.column)));
                if rest.is_empty() {
                    return self.null_test(column, operator, operand, path, name);
                }
                self.fail(
                    path.clone(),
                    format!("dynamic zone `{name}` cannot be filtered by its content"),
                );
                None
            }
            (_, Storage::Column(column_type)) => {
                if !rest.is_empty() {
                    self.fail(path.clone(), format!("`{name}` has no fields"));
                    return None;
                }
                let target = Operandable {
                    expr: Expr::col((Alias::new(alias), Alias::new(&field.column))),
                    column: column_type,
                    json: false,
                };
                self.compare(target, operator, operand, path)
            }
            _ => None,
        }
    }

    fn null_test(
        &mut self,
        column: SimpleExpr,
        operator: Operator,
        operand: &Operand,
        path: &Path,
        name: &str,
    ) -> Option<SimpleExpr> {
        match (operator, operand) {
            (Operator::Null, Operand::Flag(flag)) | (Operator::NotNull, Operand::Flag(flag)) => {
                let null = (operator == Operator::Null) == *flag;
                Some(if null {
                    column.is_null()
                } else {
                    column.is_not_null()
                })
            }
            _ => {
                self.fail(
                    path.clone(),
                    format!("compare a field of `{name}`, or test it with $null"),
                );
                None
            }
        }
    }

    /// `SELECT 1 FROM link JOIN target …` in the reader's scope, correlated
    /// with the row under `alias`; returns it and the target's alias.
    fn relation_exists(
        &self,
        source: &ContentType,
        alias: &str,
        field: &Field,
        target: &ContentType,
    ) -> Option<(SelectStatement, String)> {
        let link = field.link.as_ref()?;
        let link_alias = self.alias("l");
        let target_alias = self.alias("t");
        let (l, t, a) = (
            Alias::new(&link_alias),
            Alias::new(&target_alias),
            Alias::new(alias),
        );
        let mut select = Query::select();
        select
            .expr(Expr::val(1))
            .from_as(Alias::new(&link.table), l.clone());
        if link.inverse {
            // The target type owns the links: its rows are the sources.
            select
                .join_as(
                    JoinType::InnerJoin,
                    Alias::new(&target.table),
                    t.clone(),
                    Expr::col((t.clone(), Alias::new(ID)))
                        .equals((l.clone(), Alias::new(SOURCE_ID))),
                )
                .and_where(
                    Expr::col((l, Alias::new(TARGET_DOCUMENT_ID)))
                        .equals((a.clone(), Alias::new(DOCUMENT_ID))),
                );
        } else {
            select
                .join_as(
                    JoinType::InnerJoin,
                    Alias::new(&target.table),
                    t.clone(),
                    Expr::col((t.clone(), Alias::new(DOCUMENT_ID)))
                        .equals((l.clone(), Alias::new(TARGET_DOCUMENT_ID))),
                )
                .and_where(
                    Expr::col((l, Alias::new(SOURCE_ID))).equals((a.clone(), Alias::new(ID))),
                );
        }
        select.and_where(
            Expr::col((t.clone(), Alias::new(PUBLISHED))).eq(self.scope.published(target)),
        );
        select.and_where(self.locale_match(source, &a, target, &t));
        Some((select, target_alias))
    }

    /// The target row's locale: the source row's when both are localized,
    /// the request's when only the target is, none otherwise.
    fn locale_match(
        &self,
        source: &ContentType,
        source_alias: &Alias,
        target: &ContentType,
        target_alias: &Alias,
    ) -> SimpleExpr {
        let column = Expr::col((target_alias.clone(), Alias::new(LOCALE)));
        match (source.localized, target.localized) {
            (true, true) => column.equals((source_alias.clone(), Alias::new(LOCALE))),
            (false, true) => column.eq(self.scope.locale),
            (_, false) => column.eq(""),
        }
    }

    /// Any item of a repeatable component matches.
    fn any_item(
        &mut self,
        column: SimpleExpr,
        component: &Component,
        rest: &[String],
        operator: Operator,
        operand: &Operand,
        path: &Path,
    ) -> Option<SimpleExpr> {
        let item_alias = self.alias("j");
        let item = Alias::new(&item_alias);
        let (function, value_column) = match self.scope.backend {
            Backend::Sqlite => ("json_each", Expr::col((item.clone(), Alias::new("value")))),
            Backend::Postgres => (
                "jsonb_array_elements",
                Expr::col((item.clone(), Alias::new("value"))),
            ),
        };
        let target = self.json_leaf(value_column, component, rest, path)?;
        let condition = self.compare(target, operator, operand, path)?;
        let select = Query::select()
            .expr(Expr::val(1))
            .from_function(Func::cust(Alias::new(function)).arg(column), item)
            .and_where(condition)
            .to_owned();
        Some(Expr::exists(select))
    }

    /// The value at `rest` inside a component's JSON.
    fn json_leaf(
        &mut self,
        column: SimpleExpr,
        component: &Component,
        rest: &[String],
        path: &Path,
    ) -> Option<Operandable> {
        let mut current = component.clone();
        let mut keys = Vec::new();
        let mut remaining = rest;
        loop {
            let (name, tail) = remaining.split_first()?;
            let Some(attribute) = current.attribute(name).cloned() else {
                self.fail(
                    path.clone(),
                    format!("`{name}` is not a field of component {}", current.uid),
                );
                return None;
            };
            keys.push(name.clone());
            if attribute.is_hidden() {
                self.fail(
                    path.clone(),
                    format!("cannot filter on private field `{name}`"),
                );
                return None;
            }
            match (&attribute.kind, tail.is_empty()) {
                (Kind::Component(reference), false) if !reference.repeatable => {
                    current = self
                        .scope
                        .schema
                        .component(&reference.component)?
                        .as_ref()
                        .clone();
                    remaining = tail;
                }
                (_, false) => {
                    self.fail(
                        path.clone(),
                        format!("`{name}` cannot be filtered into here"),
                    );
                    return None;
                }
                (_, true) => return self.json_operand(column, &keys, &attribute, path),
            }
        }
    }

    fn json_operand(
        &mut self,
        column: SimpleExpr,
        keys: &[String],
        attribute: &Attribute,
        path: &Path,
    ) -> Option<Operandable> {
        let kind = &attribute.kind;
        let Storage::Column(column_type) = storage(kind) else {
            self.fail(
                path.clone(),
                format!("`{}` cannot be filtered inside a component", attribute.name),
            );
            return None;
        };
        if !kind.is_comparable() {
            self.fail(
                path.clone(),
                format!("`{}` holds JSON and cannot be compared", attribute.name),
            );
            return None;
        }
        let expr: SimpleExpr = match self.scope.backend {
            Backend::Sqlite => Func::cust(Alias::new("json_extract"))
                .arg(column)
                .arg(Expr::val(format!("$.{}", keys.join("."))))
                .into(),
            Backend::Postgres => {
                let path =
                    Expr::val(format!("{{{}}}", keys.join(","))).cast_as(Alias::new("text[]"));
                let text: SimpleExpr = Expr::cust_with_exprs("($1 #>> $2)", [column, path]);
                match column_type {
                    ColumnType::Integer
                    | ColumnType::BigInteger
                    | ColumnType::Double
                    | ColumnType::Decimal => text.cast_as(Alias::new("double precision")),
                    ColumnType::Boolean => text.cast_as(Alias::new("boolean")),
                    _ => text,
                }
            }
        };
        Some(Operandable {
            expr,
            column: column_type,
            json: true,
        })
    }

    /// `target <operator> operand`, with the operand typed by the field.
    fn compare(
        &mut self,
        target: Operandable,
        operator: Operator,
        operand: &Operand,
        path: &Path,
    ) -> Option<SimpleExpr> {
        let textual = matches!(target.column, ColumnType::Varchar(_) | ColumnType::Text);
        if operator.is_textual() && !textual {
            self.fail(
                path.clone(),
                format!("`{}` works on text fields only", operator.name()),
            );
            return None;
        }
        if matches!(target.column, ColumnType::Json)
            && !matches!(operator, Operator::Null | Operator::NotNull)
        {
            self.fail(
                path.clone(),
                "JSON fields can only be tested with $null or $notNull",
            );
            return None;
        }
        let Operandable { expr, .. } = &target;
        let expr = expr.clone();
        Some(match (operator, operand) {
            (Operator::Null, Operand::Flag(flag)) => {
                if *flag {
                    expr.is_null()
                } else {
                    expr.is_not_null()
                }
            }
            (Operator::NotNull, Operand::Flag(flag)) => {
                if *flag {
                    expr.is_not_null()
                } else {
                    expr.is_null()
                }
            }
            (Operator::In | Operator::NotIn, Operand::Many(values)) => {
                let values = values
                    .iter()
                    .map(|v| self.value(&target, v, path))
                    .collect::<Option<Vec<_>>>()?;
                if operator == Operator::In {
                    expr.is_in(values)
                } else {
                    expr.is_not_in(values)
                }
            }
            (Operator::Between, Operand::Many(values)) => {
                let low = self.value(&target, values.first()?, path)?;
                let high = self.value(&target, values.get(1)?, path)?;
                expr.between(low, high)
            }
            (_, Operand::One(text)) => self.scalar(target, operator, text, path)?,
            _ => {
                self.fail(path.clone(), "the operand does not fit the operator");
                return None;
            }
        })
    }

    fn scalar(
        &mut self,
        target: Operandable,
        operator: Operator,
        text: &str,
        path: &Path,
    ) -> Option<SimpleExpr> {
        let expr = target.expr.clone();
        let lower = |e: SimpleExpr| -> SimpleExpr { Func::lower(e).into() };
        let pattern = |prefix: &str, suffix: &str| format!("{prefix}{}{suffix}", escape_like(text));
        let like = |e: SimpleExpr, pattern: String| -> SimpleExpr {
            lower(e).like(LikeExpr::new(pattern.to_lowercase()).escape('\\'))
        };
        // PostgreSQL's substr and right take `integer` lengths.
        let characters = i32::try_from(text.chars().count()).unwrap_or(i32::MAX);

        Some(match operator {
            Operator::Eq => expr.eq(self.value(&target, text, path)?),
            Operator::Ne => expr.ne(self.value(&target, text, path)?),
            Operator::Lt => expr.lt(self.value(&target, text, path)?),
            Operator::Lte => expr.lte(self.value(&target, text, path)?),
            Operator::Gt => expr.gt(self.value(&target, text, path)?),
            Operator::Gte => expr.gte(self.value(&target, text, path)?),
            Operator::Eqi => lower(expr).eq(lower(Expr::val(text))),
            Operator::Nei => lower(expr).ne(lower(Expr::val(text))),
            Operator::Contains | Operator::NotContains => {
                let function = match self.scope.backend {
                    Backend::Sqlite => "instr",
                    Backend::Postgres => "strpos",
                };
                let found = SimpleExpr::from(
                    Func::cust(Alias::new(function))
                        .arg(expr)
                        .arg(Expr::val(text)),
                )
                .gt(0);
                if operator == Operator::Contains {
                    found
                } else {
                    found.not()
                }
            }
            Operator::Containsi => like(expr, pattern("%", "%")),
            Operator::NotContainsi => like(expr, pattern("%", "%")).not(),
            Operator::StartsWith => SimpleExpr::from(
                Func::cust(Alias::new("substr"))
                    .arg(expr)
                    .arg(Expr::val(1))
                    .arg(Expr::val(characters)),
            )
            .eq(text),
            Operator::EndsWith => {
                let tail: SimpleExpr = match self.scope.backend {
                    Backend::Sqlite => Func::cust(Alias::new("substr"))
                        .arg(expr)
                        .arg(Expr::val(-characters))
                        .into(),
                    Backend::Postgres => Func::cust(Alias::new("right"))
                        .arg(expr)
                        .arg(Expr::val(characters))
                        .into(),
                };
                // `substr(x, -0)` is the whole string; an empty suffix matches.
                if characters == 0 {
                    Expr::val(true)
                } else {
                    tail.eq(text)
                }
            }
            Operator::StartsWithi => like(expr, pattern("", "%")),
            Operator::EndsWithi => like(expr, pattern("%", "")),
            Operator::In
            | Operator::NotIn
            | Operator::Between
            | Operator::Null
            | Operator::NotNull => {
                self.fail(path.clone(), "the operand does not fit the operator");
                return None;
            }
        })
    }

    /// The text of a filter value as a typed, bound value of the field.
    fn value(&mut self, target: &Operandable, text: &str, path: &Path) -> Option<SimpleExpr> {
        let json = match codec::operand(target.column, text) {
            Ok(value) => value,
            Err(message) => {
                self.fail(path.clone(), message);
                return None;
            }
        };
        if target.json {
            // JSON holds canonical text for dates and plain JSON scalars.
            return Some(match (&json, self.scope.backend) {
                (Value::Bool(b), Backend::Sqlite) => Expr::val(i64::from(*b)),
                (Value::Bool(b), Backend::Postgres) => Expr::val(*b),
                (Value::Number(n), _) => Expr::val(n.as_f64().unwrap_or_default()),
                (Value::String(s), _) => Expr::val(s.clone()),
                _ => Expr::val(json.to_string()),
            });
        }
        match codec::bind(target.column, &json) {
            Ok(value) => Some(Expr::val(value)),
            Err(message) => {
                self.fail(path.clone(), message);
                None
            }
        }
    }

    /// Sort keys for rows of `content_type` under `alias`, and the joins they need.
    pub fn sort(
        &mut self,
        content_type: &ContentType,
        alias: &str,
        sorts: &[Sort],
        path: &Path,
    ) -> (Vec<SortKey>, Vec<SortJoin>) {
        let mut keys = Vec::new();
        let mut joins = Vec::new();
        for sort in sorts {
            let key_path = path.child(sort.path.join("."));
            if let Some((expr, column, json)) =
                self.sort_expr(content_type, alias, &sort.path, &key_path, &mut joins)
            {
                keys.push(SortKey {
                    expr,
                    descending: sort.descending,
                    column,
                    json,
                });
            }
        }
        (keys, joins)
    }

    fn sort_expr(
        &mut self,
        content_type: &ContentType,
        alias: &str,
        fields: &[String],
        path: &Path,
        joins: &mut Vec<SortJoin>,
    ) -> Option<(SimpleExpr, ColumnType, bool)> {
        let (name, rest) = fields.split_first()?;
        if let Some((column, column_type)) = system_field(name)
            && rest.is_empty()
        {
            return Some((
                Expr::col((Alias::new(alias), Alias::new(column))),
                column_type,
                false,
            ));
        }
        let Some(field) = content_type.field(name) else {
            self.fail(
                path.clone(),
                format!("`{name}` is not a field of {}", content_type.display_name()),
            );
            return None;
        };
        if field.attribute.is_hidden() {
            self.fail(
                path.clone(),
                format!("cannot sort by private field `{name}`"),
            );
            return None;
        }
        match (&field.attribute.kind, field.storage, rest.is_empty()) {
            (Kind::Relation(relation), Storage::Links, false) if !relation.kind.is_multiple() => {
                let target = self.scope.schema.content_type(&relation.target)?;
                if !self.scope.readable.allows(&target.uid) {
                    self.fail(
                        path.clone(),
                        format!(
                            "cannot sort through `{name}`: {} is not readable",
                            target.display_name()
                        ),
                    );
                    return None;
                }
                let link = field.link.as_ref()?;
                let join = SortJoin {
                    link_table: link.table.clone(),
                    link_alias: self.alias("sl"),
                    target_table: target.table.clone(),
                    target_alias: self.alias("st"),
                    target_published: self.scope.published(target),
                    target_locale: match (content_type.localized, target.localized) {
                        (true, true) => None,
                        (false, true) => Some(self.scope.locale.to_owned()),
                        (_, false) => Some(String::new()),
                    },
                };
                let target_alias = join.target_alias.clone();
                joins.push(join);
                self.sort_expr(target, &target_alias, rest, path, joins)
            }
            (Kind::Component(reference), _, false) if !reference.repeatable => {
                let component = self.scope.schema.component(&reference.component)?.clone();
                let column: SimpleExpr = Expr::col((Alias::new(alias), Alias::new(&field.column)));
                self.json_leaf(column, &component, rest, path)
                    .map(|o| (o.expr, o.column, true))
            }
            (_, Storage::Column(column_type), true) if field.attribute.kind.is_comparable() => {
                Some((
                    Expr::col((Alias::new(alias), Alias::new(&field.column))),
                    column_type,
                    false,
                ))
            }
            _ => {
                self.fail(
                    path.clone(),
                    format!("cannot sort by `{}`", fields.join(".")),
                );
                None
            }
        }
    }
}

/// Adds sort keys and their joins to a select. Nulls sort the way the
/// database sorts them (lowest on SQLite, highest on PostgreSQL): asking for
/// another order would keep either database from reading the order off an
/// index.
pub fn apply_sort(
    select: &mut SelectStatement,
    main_alias: &str,
    keys: &[SortKey],
    joins: &[SortJoin],
) {
    for join in joins {
        let (l, t) = (Alias::new(&join.link_alias), Alias::new(&join.target_alias));
        select.join_as(
            JoinType::LeftJoin,
            Alias::new(&join.link_table),
            l.clone(),
            Expr::col((l.clone(), Alias::new(SOURCE_ID)))
                .equals((Alias::new(main_alias), Alias::new(ID))),
        );
        let locale = match &join.target_locale {
            Some(locale) => Expr::col((t.clone(), Alias::new(LOCALE))).eq(locale.as_str()),
            None => Expr::col((t.clone(), Alias::new(LOCALE)))
                .equals((Alias::new(main_alias), Alias::new(LOCALE))),
        };
        select.join_as(
            JoinType::LeftJoin,
            Alias::new(&join.target_table),
            t.clone(),
            Expr::col((t.clone(), Alias::new(DOCUMENT_ID)))
                .equals((l, Alias::new(TARGET_DOCUMENT_ID)))
                .and(Expr::col((t, Alias::new(PUBLISHED))).eq(join.target_published))
                .and(locale),
        );
    }
    for key in keys {
        let order = if key.descending {
            Order::Desc
        } else {
            Order::Asc
        };
        select.order_by_expr(key.expr.clone(), order);
    }
}

/// The last sort key: the row id, in the direction of the key before it, so
/// that an index on the sorted column (which ends in the row id) serves the
/// whole order.
pub fn tie_breaker(table: &str, keys: &[SortKey]) -> SortKey {
    SortKey {
        expr: Expr::col((Alias::new(table), Alias::new(ID))),
        descending: keys.last().is_some_and(|k| k.descending),
        column: ColumnType::BigInteger,
        json: false,
    }
}

/// `%`, `_` and `\` taken literally in a LIKE pattern escaped with `\`.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
