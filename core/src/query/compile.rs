//! Resolved filters and sorts (`resolve`) as SeaQuery expressions. Every
//! identifier comes from the schema; every value is a bound parameter.
//! Nothing here can fail: what could not be resolved never gets here.
//!
//! - A system field or a column compares its column.
//! - A relation hop becomes `EXISTS` over the link table joined to the
//!   target's rows in the reader's state and locale, so filters on drafts
//!   see drafts and published reads see published targets only.
//! - A value inside a component reads its JSON (`json_extract` on SQLite,
//!   `#>>` on PostgreSQL); a repeatable component matches when any item does.

use std::cell::Cell;

use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, Func, JoinType, LikeExpr, Order, Query, SelectStatement, SimpleExpr,
};
use serde_json::Value;

use super::ast::Status;
use super::resolve::{
    Comparison, Condition, FieldPath, Hop, Leaf, Literal, SortLeaf, SortPath, Test, TextOperator,
};
use crate::db::Backend;
use crate::schema::column::ColumnType;
use crate::schema::system::{DOCUMENT_ID, ID, LOCALE, PUBLISHED, SOURCE_ID, TARGET_DOCUMENT_ID};

/// What compiling needs to know about the read.
pub struct Scope<'a> {
    pub backend: Backend,
    pub status: Status,
    /// The locale related rows are read in when the source row has none.
    pub locale: &'a str,
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
}

impl<'a> Compiler<'a> {
    pub fn new(scope: &'a Scope<'a>) -> Self {
        Compiler {
            scope,
            aliases: Cell::new(0),
        }
    }

    fn alias(&self, prefix: &str) -> String {
        let n = self.aliases.get();
        self.aliases.set(n + 1);
        format!("{prefix}{n}")
    }

    /// The SQL of `condition` on the row under `alias`.
    pub fn condition(&self, alias: &str, condition: &Condition<'_>) -> SimpleExpr {
        match condition {
            Condition::All(parts) | Condition::Any(parts) => {
                let all = matches!(condition, Condition::All(_));
                parts
                    .iter()
                    .map(|part| self.condition(alias, part))
                    .reduce(|a, b| if all { a.and(b) } else { a.or(b) })
                    .unwrap_or_else(|| Expr::val(all))
            }
            Condition::Not(inner) => self.condition(alias, inner).not(),
            Condition::Test { path, test } => self.test(alias, path, test),
        }
    }

    /// The test at the end of `path`, inside `EXISTS` for each relation it crosses.
    fn test(&self, alias: &str, path: &FieldPath<'_>, test: &Test) -> SimpleExpr {
        let mut selects = Vec::with_capacity(path.hops.len());
        let mut row = alias.to_owned();
        for hop in &path.hops {
            let (select, target_alias) = self.related_rows(hop, &row);
            selects.push(select);
            row = target_alias;
        }
        let mut expr = self.leaf_test(&row, &path.leaf, test);
        while let Some(mut select) = selects.pop() {
            select.and_where(expr);
            expr = Expr::exists(select);
        }
        expr
    }

    fn leaf_test(&self, alias: &str, leaf: &Leaf<'_>, test: &Test) -> SimpleExpr {
        let row = Alias::new(alias);
        match leaf {
            Leaf::System { column, .. } => {
                self.compare(Expr::col((row, Alias::new(*column))), test)
            }
            Leaf::Column { field, .. } | Leaf::Structured { field } => {
                self.compare(Expr::col((row, Alias::new(&field.column))), test)
            }
            Leaf::Related(hop) => {
                let (select, _) = self.related_rows(hop, alias);
                absence(Expr::exists(select), test)
            }
            Leaf::Media { link, .. } => {
                let linked = Expr::exists(
                    Query::select()
                        .expr(Expr::val(1))
                        .from(Alias::new(&link.table))
                        .and_where(
                            Expr::col((Alias::new(&link.table), Alias::new(SOURCE_ID)))
                                .equals((row, Alias::new(ID))),
                        )
                        .to_owned(),
                );
                absence(linked, test)
            }
            Leaf::Nested {
                field,
                keys,
                column_type,
                repeatable,
            } => {
                let column: SimpleExpr = Expr::col((row, Alias::new(&field.column)));
                if !repeatable {
                    return self.compare(self.json_value(column, keys, *column_type), test);
                }
                let item_alias = self.alias("j");
                let item = Alias::new(&item_alias);
                let function = match self.scope.backend {
                    Backend::Sqlite => "json_each",
                    Backend::Postgres => "jsonb_array_elements",
                };
                let value = Expr::col((item.clone(), Alias::new("value")));
                let matches = self.compare(self.json_value(value, keys, *column_type), test);
                Expr::exists(
                    Query::select()
                        .expr(Expr::val(1))
                        .from_function(Func::cust(Alias::new(function)).arg(column), item)
                        .and_where(matches)
                        .to_owned(),
                )
            }
        }
    }

    /// `SELECT 1 FROM link JOIN target …` in the reader's scope, correlated
    /// with the row under `alias`; returns it and the target's alias.
    fn related_rows(&self, hop: &Hop<'_>, alias: &str) -> (SelectStatement, String) {
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
            .from_as(Alias::new(&hop.link.table), l.clone());
        if hop.link.inverse {
            // The target type owns the links: its rows are the sources.
            select
                .join_as(
                    JoinType::InnerJoin,
                    Alias::new(&hop.target.table),
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
                    Alias::new(&hop.target.table),
                    t.clone(),
                    Expr::col((t.clone(), Alias::new(DOCUMENT_ID)))
                        .equals((l.clone(), Alias::new(TARGET_DOCUMENT_ID))),
                )
                .and_where(
                    Expr::col((l, Alias::new(SOURCE_ID))).equals((a.clone(), Alias::new(ID))),
                );
        }
        select.and_where(
            Expr::col((t.clone(), Alias::new(PUBLISHED)))
                .eq(self.scope.status.reads_published(hop.target)),
        );
        let locale = Expr::col((t, Alias::new(LOCALE)));
        select.and_where(match target_locale(hop, self.scope.locale) {
            Some(fixed) => locale.eq(fixed),
            None => locale.equals((a, Alias::new(LOCALE))),
        });
        (select, target_alias)
    }

    /// The value at `keys` inside a component's JSON, typed for comparison.
    fn json_value(
        &self,
        column: SimpleExpr,
        keys: &[String],
        column_type: ColumnType,
    ) -> SimpleExpr {
        match self.scope.backend {
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
        }
    }

    /// `expr` under `test`.
    fn compare(&self, expr: SimpleExpr, test: &Test) -> SimpleExpr {
        match test {
            Test::Absent(true) => expr.is_null(),
            Test::Absent(false) => expr.is_not_null(),
            Test::Compare(comparison, literal) => {
                let value = self.literal(literal);
                match comparison {
                    Comparison::Eq => expr.eq(value),
                    Comparison::Ne => expr.ne(value),
                    Comparison::Lt => expr.lt(value),
                    Comparison::Lte => expr.lte(value),
                    Comparison::Gt => expr.gt(value),
                    Comparison::Gte => expr.gte(value),
                }
            }
            Test::In { values, negated } => {
                let values: Vec<SimpleExpr> = values.iter().map(|v| self.literal(v)).collect();
                if *negated {
                    expr.is_not_in(values)
                } else {
                    expr.is_in(values)
                }
            }
            Test::Between(low, high) => expr.between(self.literal(low), self.literal(high)),
            Test::Text(operator, text) => self.text(expr, *operator, text),
        }
    }

    fn text(&self, expr: SimpleExpr, operator: TextOperator, text: &str) -> SimpleExpr {
        let lower = |e: SimpleExpr| -> SimpleExpr { Func::lower(e).into() };
        let pattern = |prefix: &str, suffix: &str| format!("{prefix}{}{suffix}", escape_like(text));
        let like = |e: SimpleExpr, pattern: String| -> SimpleExpr {
            lower(e).like(LikeExpr::new(pattern.to_lowercase()).escape('\\'))
        };
        // PostgreSQL's substr and right take `integer` lengths.
        let characters = i32::try_from(text.chars().count()).unwrap_or(i32::MAX);
        match operator {
            TextOperator::Eqi => lower(expr).eq(lower(Expr::val(text))),
            TextOperator::Nei => lower(expr).ne(lower(Expr::val(text))),
            TextOperator::Contains | TextOperator::NotContains => {
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
                if operator == TextOperator::Contains {
                    found
                } else {
                    found.not()
                }
            }
            TextOperator::Containsi => like(expr, pattern("%", "%")),
            TextOperator::NotContainsi => like(expr, pattern("%", "%")).not(),
            TextOperator::StartsWith => SimpleExpr::from(
                Func::cust(Alias::new("substr"))
                    .arg(expr)
                    .arg(Expr::val(1))
                    .arg(Expr::val(characters)),
            )
            .eq(text),
            TextOperator::EndsWith => {
                // `substr(x, -0)` is the whole string; an empty suffix matches.
                if characters == 0 {
                    return Expr::val(true);
                }
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
                tail.eq(text)
            }
            TextOperator::StartsWithi => like(expr, pattern("", "%")),
            TextOperator::EndsWithi => like(expr, pattern("%", "")),
        }
    }

    /// A typed value: bound as its column's type, or as JSON holds it
    /// (canonical text for dates, numbers, booleans as each database stores them).
    fn literal(&self, literal: &Literal) -> SimpleExpr {
        match literal {
            Literal::Column(value) => Expr::val(value.clone()),
            Literal::Json(json) => match (json, self.scope.backend) {
                (Value::Bool(b), Backend::Sqlite) => Expr::val(i64::from(*b)),
                (Value::Bool(b), Backend::Postgres) => Expr::val(*b),
                (Value::Number(n), _) => Expr::val(n.as_f64().unwrap_or_default()),
                (Value::String(s), _) => Expr::val(s.clone()),
                _ => Expr::val(json.to_string()),
            },
        }
    }

    /// Sort keys for rows of a type under `alias`, and the joins they need.
    pub fn sort(&self, alias: &str, sorts: &[SortPath<'_>]) -> (Vec<SortKey>, Vec<SortJoin>) {
        let mut keys = Vec::with_capacity(sorts.len() + 1);
        let mut joins = Vec::new();
        for sort in sorts {
            let mut row = alias.to_owned();
            for hop in &sort.hops {
                let join = SortJoin {
                    link_table: hop.link.table.clone(),
                    link_alias: self.alias("sl"),
                    target_table: hop.target.table.clone(),
                    target_alias: self.alias("st"),
                    target_published: self.scope.status.reads_published(hop.target),
                    target_locale: target_locale(hop, self.scope.locale).map(str::to_owned),
                };
                row = join.target_alias.clone();
                joins.push(join);
            }
            let table = Alias::new(&row);
            let (expr, column, json) = match &sort.leaf {
                SortLeaf::Column {
                    column,
                    column_type,
                } => (Expr::col((table, Alias::new(*column))), *column_type, false),
                SortLeaf::Nested {
                    column,
                    keys,
                    column_type,
                } => (
                    self.json_value(Expr::col((table, Alias::new(*column))), keys, *column_type),
                    *column_type,
                    true,
                ),
            };
            keys.push(SortKey {
                expr,
                descending: sort.descending,
                column,
                json,
            });
        }
        (keys, joins)
    }
}

/// `$null` and `$notNull` on whether anything is linked.
fn absence(linked: SimpleExpr, test: &Test) -> SimpleExpr {
    match test {
        Test::Absent(true) => linked.not(),
        _ => linked,
    }
}

/// The locale of the target rows a hop reaches: the source row's when both
/// types are localized (`None`), the read's when only the target is, none
/// otherwise.
fn target_locale<'a>(hop: &Hop<'_>, read_locale: &'a str) -> Option<&'a str> {
    match (hop.source.localized, hop.target.localized) {
        (true, true) => None,
        (false, true) => Some(read_locale),
        (_, false) => Some(""),
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
pub(crate) fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
