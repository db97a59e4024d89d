//! uid fields: slugs generated from their target field, kept unique.

use std::collections::BTreeSet;

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};

use crate::error::Result;
use crate::schema::registry::{ContentType, Field};
use crate::schema::system::{DOCUMENT_ID, LOCALE, PUBLISHED};

/// Where a uid must be unique: other documents of the type, in the same
/// locale and state.
pub struct Scope<'a> {
    pub content_type: &'a ContentType,
    pub field: &'a Field,
    pub locale: &'a str,
    pub published: bool,
    pub document_id: &'a str,
}

/// The slug of `source`, with `-1`, `-2`… appended until no other document
/// uses it. `None` when `source` has nothing to make a slug of.
pub async fn available(
    conn: &impl ConnectionTrait,
    scope: &Scope<'_>,
    source: &str,
) -> Result<Option<String>> {
    let base = slug::slugify(source);
    if base.is_empty() {
        return Ok(None);
    }
    let column = Alias::new(&scope.field.column);
    let taken_rows = conn
        .query_all(
            &Query::select()
                .column(column.clone())
                .from(Alias::new(&scope.content_type.table))
                .and_where(
                    Expr::col(column.clone())
                        .eq(base.as_str())
                        .or(Expr::col(column).like(format!("{base}-%"))),
                )
                .and_where(Expr::col(Alias::new(LOCALE)).eq(scope.locale))
                .and_where(Expr::col(Alias::new(PUBLISHED)).eq(scope.published))
                .and_where(Expr::col(Alias::new(DOCUMENT_ID)).ne(scope.document_id))
                .to_owned(),
        )
        .await?;
    let taken: BTreeSet<String> = taken_rows
        .iter()
        .map(|row| row.try_get_by_index::<String>(0))
        .collect::<std::result::Result<_, _>>()?;
    if !taken.contains(&base) {
        return Ok(Some(base));
    }
    Ok((1..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken.contains(candidate)))
}

impl super::Entries {
    /// The uid field `field` would take from `text` in `locale`'s editable
    /// state: its slug, with `-1`, `-2`… appended until no document but
    /// `document_id` uses it. `None` when `text` has nothing to make a slug
    /// of. A `text` that is its own answer is free to use as it is.
    pub async fn propose_uid(
        &self,
        field: &str,
        text: &str,
        document_id: Option<&str>,
        locale: Option<&str>,
    ) -> Result<Option<String>> {
        let conn = self.db.conn();
        let ct = &self.content_type;
        let field = ct
            .field(field)
            .filter(|f| f.attribute.kind.scalar().is_some_and(|s| s.name() == "uid"))
            .ok_or_else(|| {
                crate::Error::field(
                    "field",
                    format!("{} has no uid field `{field}`", ct.display_name()),
                )
            })?;
        let locale = self.locale(conn, locale).await?;
        let scope = Scope {
            content_type: ct,
            field,
            locale: &locale,
            published: crate::query::Status::Draft.reads_published(ct),
            document_id: document_id.unwrap_or_default(),
        };
        available(conn, &scope, text).await
    }
}
