//! Link rows: the relations and media of entries.
//!
//! A link joins a source row (a draft or published row, in one locale) to a
//! target document (or file). Each row keeps its own links, so a draft's
//! relations change without touching the published row until it is
//! published. The inverse side of a relation (`mappedBy`) has no links of its
//! own: it reads and writes the owner's.

use std::collections::BTreeSet;

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use serde_json::Value;

use super::validate::{LinkInput, Placement, Target};
use crate::error::{Error, Path, Result, ValidationErrors};
use crate::schema::attribute::{Kind, Relation};
use crate::schema::registry::{ContentType, Field, Link, Schema};
use crate::schema::system::{
    DOCUMENT_ID, FILE_ID, ID, LOCALE, POSITION, PUBLISHED, SOURCE_ID, TARGET_DOCUMENT_ID,
};

fn col(name: &str) -> Expr {
    Expr::col(Alias::new(name))
}

fn target_column(link: &Link) -> &'static str {
    if link.media {
        FILE_ID
    } else {
        TARGET_DOCUMENT_ID
    }
}

fn target_value(target: &Target) -> sea_orm::Value {
    match target {
        Target::Document(id) => id.clone().into(),
        Target::File(id) => (*id).into(),
    }
}

/// The targets a row links to through `link`, in order.
pub async fn targets(
    conn: &impl ConnectionTrait,
    link: &Link,
    source_id: i64,
) -> Result<Vec<Target>> {
    let select = Query::select()
        .column(Alias::new(target_column(link)))
        .from(Alias::new(&link.table))
        .and_where(col(SOURCE_ID).eq(source_id))
        .order_by(Alias::new(POSITION), Order::Asc)
        .order_by(Alias::new(ID), Order::Asc)
        .to_owned();
    let rows = conn.query_all(&select).await?;
    rows.iter()
        .map(|row| {
            Ok(if link.media {
                Target::File(row.try_get_by_index::<i64>(0)?)
            } else {
                Target::Document(row.try_get_by_index::<String>(0)?)
            })
        })
        .collect()
}

/// The list that results from applying `input` to `current`.
pub fn resolve(current: Vec<Target>, input: &LinkInput) -> Vec<Target> {
    let mut list = match input {
        LinkInput::Set(targets) => targets.clone(),
        LinkInput::Patch {
            connect,
            disconnect,
        } => {
            let mut list = current;
            list.retain(|t| !disconnect.contains(t));
            for (target, placement) in connect {
                list.retain(|t| t != target);
                let index = match placement {
                    Placement::End => list.len(),
                    Placement::Start => 0,
                    Placement::Before(other) => {
                        list.iter().position(|t| t == other).unwrap_or(list.len())
                    }
                    Placement::After(other) => list
                        .iter()
                        .position(|t| t == other)
                        .map_or(list.len(), |i| i + 1),
                };
                list.insert(index, target.clone());
            }
            list
        }
    };
    let mut seen = BTreeSet::new();
    list.retain(|t| seen.insert(t.clone()));
    list
}

/// Replaces a row's links through `link` with `targets`, in that order.
pub async fn replace(
    conn: &impl ConnectionTrait,
    link: &Link,
    source_id: i64,
    targets: &[Target],
) -> Result<()> {
    conn.execute(
        &Query::delete()
            .from_table(Alias::new(&link.table))
            .and_where(col(SOURCE_ID).eq(source_id))
            .to_owned(),
    )
    .await?;
    if targets.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert.into_table(Alias::new(&link.table)).columns([
        Alias::new(SOURCE_ID),
        Alias::new(target_column(link)),
        Alias::new(POSITION),
    ]);
    for (position, target) in targets.iter().enumerate() {
        insert.values_panic([
            source_id.into(),
            target_value(target).into(),
            (position as i32).into(),
        ]);
    }
    conn.execute(&insert).await?;
    Ok(())
}

/// For relations whose targets belong to one source at most: takes the
/// targets away from the other rows of the same state and locale.
pub async fn release_targets(
    conn: &impl ConnectionTrait,
    owner: &ContentType,
    link: &Link,
    targets: &[Target],
    keep_source: i64,
    row_scope: (bool, &str),
) -> Result<()> {
    let ids: Vec<sea_orm::Value> = targets.iter().map(target_value).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let (published, locale) = row_scope;
    conn.execute(
        &Query::delete()
            .from_table(Alias::new(&link.table))
            .and_where(col(TARGET_DOCUMENT_ID).is_in(ids))
            .and_where(col(SOURCE_ID).ne(keep_source))
            .and_where(
                col(SOURCE_ID).in_subquery(
                    Query::select()
                        .column(Alias::new(ID))
                        .from(Alias::new(&owner.table))
                        .and_where(col(PUBLISHED).eq(published))
                        .and_where(col(LOCALE).eq(locale))
                        .to_owned(),
                ),
            )
            .to_owned(),
    )
    .await?;
    Ok(())
}

/// Copies every owned link of row `from` onto row `to`, replacing `to`'s.
pub async fn copy_all(
    conn: &impl ConnectionTrait,
    content_type: &ContentType,
    from: i64,
    to: i64,
) -> Result<()> {
    for (_, link) in content_type.owned_links() {
        conn.execute(
            &Query::delete()
                .from_table(Alias::new(&link.table))
                .and_where(col(SOURCE_ID).eq(to))
                .to_owned(),
        )
        .await?;
        let target = target_column(link);
        conn.execute(
            &Query::insert()
                .into_table(Alias::new(&link.table))
                .columns([
                    Alias::new(SOURCE_ID),
                    Alias::new(target),
                    Alias::new(POSITION),
                ])
                .select_from(
                    Query::select()
                        .expr(Expr::val(to))
                        .column(Alias::new(target))
                        .column(Alias::new(POSITION))
                        .from(Alias::new(&link.table))
                        .and_where(col(SOURCE_ID).eq(from))
                        .to_owned(),
                )
                .map_err(|e| Error::internal(e.to_string()))?
                .to_owned(),
        )
        .await?;
    }
    Ok(())
}

/// Removes every link that points at a deleted document.
pub async fn forget_document(
    conn: &impl ConnectionTrait,
    schema: &Schema,
    uid: &str,
    document_id: &str,
) -> Result<()> {
    for (_, _, link) in schema.links_targeting(uid) {
        conn.execute(
            &Query::delete()
                .from_table(Alias::new(&link.table))
                .and_where(col(TARGET_DOCUMENT_ID).eq(document_id))
                .to_owned(),
        )
        .await?;
    }
    Ok(())
}

/// The rows of `owner` that edits apply to in `locale`: drafts with draft &
/// publish, the only row otherwise.
pub fn editable_scope<'a>(owner: &ContentType, locale: &'a str) -> (bool, &'a str) {
    let published = !owner.draft_and_publish;
    let locale = if owner.localized { locale } else { "" };
    (published, locale)
}

/// Writes the inverse side of a relation: `field` (with `mappedBy`) of the
/// document `document_id`, through the owner's links.
pub async fn write_inverse(
    conn: &impl ConnectionTrait,
    schema: &Schema,
    field: &Field,
    document_id: &str,
    locale: &str,
    input: &LinkInput,
) -> Result<()> {
    let (Kind::Relation(relation), Some(link)) = (&field.attribute.kind, &field.link) else {
        return Err(Error::internal(format!(
            "{} is not an inverse relation",
            field.name()
        )));
    };
    let owner = schema
        .content_type(&relation.target)
        .ok_or_else(|| Error::internal(format!("missing owner type {}", relation.target)))?;
    let owner_relation = owner_relation(owner, relation)?;
    // A type without locales writes to the default locale of a localized owner.
    let default_locale;
    let locale = if locale.is_empty() && owner.localized {
        default_locale = crate::locales::default_code(conn).await?;
        default_locale.as_str()
    } else {
        locale
    };
    let (published, owner_locale) = editable_scope(owner, locale);
    let o = Alias::new("o");
    let l = Alias::new("l");
    let current_select = Query::select()
        .column((o.clone(), Alias::new(DOCUMENT_ID)))
        .from_as(Alias::new(&link.table), l.clone())
        .join_as(
            sea_orm::sea_query::JoinType::InnerJoin,
            Alias::new(&owner.table),
            o.clone(),
            Expr::col((o.clone(), Alias::new(ID))).equals((l.clone(), Alias::new(SOURCE_ID))),
        )
        .and_where(Expr::col((l.clone(), Alias::new(TARGET_DOCUMENT_ID))).eq(document_id))
        .and_where(Expr::col((o.clone(), Alias::new(PUBLISHED))).eq(published))
        .and_where(Expr::col((o.clone(), Alias::new(LOCALE))).eq(owner_locale))
        .order_by((o, Alias::new(ID)), Order::Asc)
        .to_owned();
    let current: Vec<Target> = conn
        .query_all(&current_select)
        .await?
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).map(Target::Document))
        .collect::<std::result::Result<_, _>>()?;
    let wanted = resolve(current.clone(), input);
    let removed: Vec<sea_orm::Value> = current
        .iter()
        .filter(|t| !wanted.contains(t))
        .map(target_value)
        .collect();
    if !removed.is_empty() {
        conn.execute(
            &Query::delete()
                .from_table(Alias::new(&link.table))
                .and_where(col(TARGET_DOCUMENT_ID).eq(document_id))
                .and_where(
                    col(SOURCE_ID).in_subquery(
                        Query::select()
                            .column(Alias::new(ID))
                            .from(Alias::new(&owner.table))
                            .and_where(col(DOCUMENT_ID).is_in(removed))
                            .and_where(col(PUBLISHED).eq(published))
                            .and_where(col(LOCALE).eq(owner_locale))
                            .to_owned(),
                    ),
                )
                .to_owned(),
        )
        .await?;
    }
    let mut errors = ValidationErrors::default();
    for target in wanted.iter().filter(|t| !current.contains(t)) {
        let Target::Document(owner_document) = target else {
            continue;
        };
        let row = conn
            .query_one(
                &Query::select()
                    .column(Alias::new(ID))
                    .from(Alias::new(&owner.table))
                    .and_where(col(DOCUMENT_ID).eq(owner_document.as_str()))
                    .and_where(col(PUBLISHED).eq(published))
                    .and_where(col(LOCALE).eq(owner_locale))
                    .to_owned(),
            )
            .await?;
        let Some(row) = row else {
            errors.push(
                Path::from(field.name()),
                format!("`{owner_document}` has no editable entry in locale `{locale}`"),
            );
            continue;
        };
        let source_id = row.try_get_by_index::<i64>(0)?;
        let mut list = if owner_relation.kind.is_multiple() {
            targets(conn, link, source_id).await?
        } else {
            Vec::new()
        };
        list.push(Target::Document(document_id.to_owned()));
        replace(conn, link, source_id, &list).await?;
    }
    errors.into_result()?;
    Ok(())
}

fn owner_relation<'a>(owner: &'a ContentType, inverse: &Relation) -> Result<&'a Relation> {
    let name = inverse.mapped_by.as_deref().unwrap_or_default();
    match owner.field(name).map(|f| &f.attribute.kind) {
        Some(Kind::Relation(relation)) => Ok(relation),
        _ => Err(Error::internal(format!(
            "{} has no owner field {name}",
            owner.uid
        ))),
    }
}

/// The stored form of a field's links in a version snapshot.
pub fn snapshot_value(targets: &[Target], multiple: bool) -> Value {
    let values: Vec<Value> = targets
        .iter()
        .map(|t| match t {
            Target::Document(id) => Value::String(id.clone()),
            Target::File(id) => Value::from(*id),
        })
        .collect();
    if multiple {
        Value::Array(values)
    } else {
        values.into_iter().next().unwrap_or(Value::Null)
    }
}
