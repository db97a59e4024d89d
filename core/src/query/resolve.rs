//! Field paths checked against the schema and the caller's access: the one
//! place where a name in `filters`, `sort`, `fields` or `populate` becomes a
//! system field, a column, a relation hop, a link test or a path into a
//! component's JSON, and where private fields and unreadable types are
//! refused. What comes out is typed: filter values are bound to the type of
//! what they are compared with, so compiling cannot fail.
//!
//! Nothing is dropped: a name that does not resolve, for any reason, is an
//! error at its parameter path, and a filter with an error in any part is
//! refused whole.

use std::collections::BTreeSet;

use sea_orm::sea_query::Value as SqlValue;
use serde_json::Value;

use super::ast::{Filter, Operand, Operator, Populate, PopulateField, Sort};
use crate::error::{Error, Path, Result, ValidationErrors};
use crate::schema::attribute::{Attribute, ComponentRef, Kind};
use crate::schema::codec;
use crate::schema::column::{ColumnType, Storage};
use crate::schema::registry::{Component, ContentType, Field, Link, Schema};
use crate::schema::system::system_field;

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

/// A relation crossed by a path: from rows of `source` through `link` to
/// documents of `target`.
#[derive(Debug, Clone, Copy)]
pub struct Hop<'s> {
    pub source: &'s ContentType,
    pub field: &'s Field,
    pub link: &'s Link,
    pub target: &'s ContentType,
}

/// Where a path ends.
#[derive(Debug, Clone)]
pub enum Leaf<'s> {
    /// `id`, `documentId`, `locale`, `createdAt`, `updatedAt`, `publishedAt`.
    System {
        column: &'static str,
        column_type: ColumnType,
    },
    /// A column of the type's table.
    Column {
        field: &'s Field,
        column_type: ColumnType,
    },
    /// A relation itself: whether it links to anything.
    Related(Hop<'s>),
    /// A media field: whether it holds any file.
    Media { field: &'s Field, link: &'s Link },
    /// A component or dynamic zone as a whole: whether it is set.
    Structured { field: &'s Field },
    /// A value inside a component's JSON, at `keys`; in any item when the
    /// component is repeatable.
    Nested {
        field: &'s Field,
        keys: Vec<String>,
        column_type: ColumnType,
        repeatable: bool,
    },
}

/// A path resolved: the relations it crosses, then where it ends.
#[derive(Debug, Clone)]
pub struct FieldPath<'s> {
    pub hops: Vec<Hop<'s>>,
    pub leaf: Leaf<'s>,
}

/// A filter resolved: the same tree, each condition a typed test.
#[derive(Debug, Clone)]
pub enum Condition<'s> {
    All(Vec<Condition<'s>>),
    Any(Vec<Condition<'s>>),
    Not(Box<Condition<'s>>),
    Test { path: FieldPath<'s>, test: Test },
}

/// What a condition asks of the value at its path.
#[derive(Debug, Clone)]
pub enum Test {
    /// `$null` and `$notNull`: whether the value is absent (no value, no link).
    Absent(bool),
    Compare(Comparison, Literal),
    /// `$in` (or `$notIn` when negated).
    In {
        values: Vec<Literal>,
        negated: bool,
    },
    Between(Literal, Literal),
    /// An operator on text, with the text as given.
    Text(TextOperator, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextOperator {
    Eqi,
    Nei,
    Contains,
    NotContains,
    Containsi,
    NotContainsi,
    StartsWith,
    StartsWithi,
    EndsWith,
    EndsWithi,
}

/// A filter value typed by what it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// Bound as the column's type.
    Column(SqlValue),
    /// Compared with a value inside JSON, in its canonical JSON form.
    Json(Value),
}

/// A sort key resolved: the single relations it crosses, then a value.
#[derive(Debug, Clone)]
pub struct SortPath<'s> {
    pub hops: Vec<Hop<'s>>,
    pub leaf: SortLeaf<'s>,
    pub descending: bool,
}

/// What a sort key orders by.
#[derive(Debug, Clone)]
pub enum SortLeaf<'s> {
    /// A system or field column.
    Column {
        column: &'s str,
        column_type: ColumnType,
    },
    /// A value inside a single component's JSON.
    Nested {
        column: &'s str,
        keys: Vec<String>,
        column_type: ColumnType,
    },
}

/// A field to populate, with how to read it and, for relations, its target.
#[derive(Debug, Clone)]
pub struct Populated<'s> {
    pub field: &'s Field,
    pub node: PopulateField,
    pub target: Option<&'s ContentType>,
}

/// What a path is used for: it decides what it may reach, and the words of
/// its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Filter,
    Sort,
}

impl Purpose {
    fn verb(self) -> &'static str {
        match self {
            Purpose::Filter => "filter on",
            Purpose::Sort => "sort by",
        }
    }

    fn through(self) -> &'static str {
        match self {
            Purpose::Filter => "filter through",
            Purpose::Sort => "sort through",
        }
    }
}

/// Resolves paths of one read against a schema, for one caller.
pub struct Resolver<'s> {
    schema: &'s Schema,
    readable: &'s Readable,
    /// The caller sees private fields (the admin UI); secrets stay hidden.
    include_private: bool,
    errors: ValidationErrors,
}

impl<'s> Resolver<'s> {
    pub fn new(schema: &'s Schema, readable: &'s Readable, include_private: bool) -> Self {
        Resolver {
            schema,
            readable,
            include_private,
            errors: ValidationErrors::default(),
        }
    }

    /// Every path that did not resolve, with its message.
    pub fn into_errors(self) -> ValidationErrors {
        self.errors
    }

    /// The condition `filter` puts on rows of `content_type`; `None` when
    /// any part of it fails, each failure kept at its parameter path.
    pub fn filter(
        &mut self,
        content_type: &'s ContentType,
        filter: &Filter,
    ) -> Option<Condition<'s>> {
        match filter {
            Filter::And(items) | Filter::Or(items) => {
                // Every item is resolved, so every failing one is reported.
                let parts: Vec<Option<Condition<'s>>> = items
                    .iter()
                    .map(|item| self.filter(content_type, item))
                    .collect();
                let parts: Vec<Condition<'s>> = parts.into_iter().collect::<Option<_>>()?;
                Some(if matches!(filter, Filter::And(_)) {
                    Condition::All(parts)
                } else {
                    Condition::Any(parts)
                })
            }
            Filter::Not(inner) => self
                .filter(content_type, inner)
                .map(|inner| Condition::Not(Box::new(inner))),
            Filter::Condition {
                path,
                operator,
                operand,
                at,
            } => {
                let resolved = self
                    .path(content_type, path, Purpose::Filter)
                    .and_then(|path| {
                        let name = path_name(&path.leaf);
                        let test = test(&path.leaf, *operator, operand, &name)?;
                        Ok(Condition::Test { path, test })
                    });
                match resolved {
                    Ok(condition) => Some(condition),
                    Err(message) => {
                        self.errors.push(Path::clone(at), message);
                        None
                    }
                }
            }
        }
    }

    /// The sort keys `sorts` name on rows of `content_type`.
    pub fn sort(
        &mut self,
        content_type: &'s ContentType,
        sorts: &[Sort],
        at: &Path,
    ) -> Vec<SortPath<'s>> {
        let mut keys = Vec::new();
        for sort in sorts {
            let resolved = self
                .path(content_type, &sort.path, Purpose::Sort)
                .and_then(|path| {
                    let leaf = match path.leaf {
                        Leaf::System {
                            column,
                            column_type,
                        } => SortLeaf::Column {
                            column,
                            column_type,
                        },
                        Leaf::Column { field, column_type } => SortLeaf::Column {
                            column: &field.column,
                            column_type,
                        },
                        Leaf::Nested {
                            field,
                            keys,
                            column_type,
                            repeatable: false,
                        } => SortLeaf::Nested {
                            column: &field.column,
                            keys,
                            column_type,
                        },
                        Leaf::Nested { .. }
                        | Leaf::Related(_)
                        | Leaf::Media { .. }
                        | Leaf::Structured { .. } => {
                            return Err(format!("cannot sort by `{}`", sort.path.join(".")));
                        }
                    };
                    Ok(SortPath {
                        hops: path.hops,
                        leaf,
                        descending: sort.descending,
                    })
                });
            match resolved {
                Ok(key) => keys.push(key),
                Err(message) => self.errors.push(at.child(sort.path.join(".")), message),
            }
        }
        keys
    }

    /// Checks the scalar `fields` a read returns (all when `None`).
    pub fn fields(&mut self, content_type: &ContentType, fields: Option<&[String]>, at: &Path) {
        for name in fields.unwrap_or_default() {
            if system_field(name).is_some() {
                continue;
            }
            let message = match content_type.field(name) {
                None => format!("`{name}` is not a field of {}", content_type.display_name()),
                Some(field) if !self.sees(&field.attribute) => format!("`{name}` is private"),
                Some(field)
                    if field.column_type().is_none() || field.attribute.kind.is_structured() =>
                {
                    format!("`{name}` is not a scalar field; populate it instead")
                }
                Some(_) => continue,
            };
            self.errors.push(at.child(name), message);
        }
    }

    /// The fields `populate` names on `content_type`, `*` expanded: an
    /// explicit field that cannot be populated is an error (a type the
    /// caller may not read is forbidden); `*` skips what the caller may not
    /// see.
    pub fn populate(
        &self,
        content_type: &'s ContentType,
        populate: &Populate,
        at: &Path,
    ) -> Result<Vec<Populated<'s>>> {
        for name in populate.fields.keys() {
            if content_type.field(name).is_none() {
                return Err(Error::field(
                    at.child(name),
                    format!("`{name}` is not a field of {}", content_type.display_name()),
                ));
            }
        }
        let mut chosen = Vec::new();
        for field in &content_type.fields {
            let explicit = populate.fields.get(field.name());
            if explicit.is_none() && !populate.all {
                continue;
            }
            let refuse = |message: String| -> Result<Vec<Populated<'s>>> {
                Err(Error::field(at.child(field.name()), message))
            };
            if !self.sees(&field.attribute) {
                if explicit.is_some() {
                    return refuse(format!("`{}` is private", field.name()));
                }
                continue;
            }
            if !field.attribute.kind.is_populatable() {
                if explicit.is_some() {
                    return refuse(format!(
                        "`{}` is not a relation, media, component or dynamic zone",
                        field.name()
                    ));
                }
                continue;
            }
            let target = match &field.attribute.kind {
                Kind::Relation(relation) => {
                    let Some(target) = self.schema.content_type(&relation.target) else {
                        return refuse(missing_target(&relation.target));
                    };
                    if !self.readable.allows(&target.uid) {
                        if explicit.is_some() {
                            return Err(Error::Forbidden(format!(
                                "cannot populate `{}`: {} is not readable",
                                field.name(),
                                relation.target
                            )));
                        }
                        continue;
                    }
                    if field.link.is_none() {
                        return refuse(no_links(field));
                    }
                    Some(target.as_ref())
                }
                Kind::Media(_) if field.link.is_none() => return refuse(no_links(field)),
                Kind::Scalar(_) | Kind::Media(_) | Kind::Component(_) | Kind::DynamicZone(_) => {
                    None
                }
            };
            chosen.push(Populated {
                field,
                node: explicit.cloned().unwrap_or_default(),
                target,
            });
        }
        Ok(chosen)
    }

    /// The definition of component `uid`; an error at `at` when the schema
    /// lacks it.
    pub fn component(&self, uid: &str, at: &Path) -> Result<&'s Component> {
        self.schema
            .component(uid)
            .map(AsRef::as_ref)
            .ok_or_else(|| Error::field(at.clone(), missing_component(uid)))
    }

    /// The target of a relation inside a component, if the caller may read
    /// it; an error when the schema lacks it.
    pub fn related(&self, uid: &str, at: &Path) -> Result<Option<&'s ContentType>> {
        let target = self
            .schema
            .content_type(uid)
            .ok_or_else(|| Error::field(at.clone(), missing_target(uid)))?;
        Ok(self.readable.allows(&target.uid).then_some(target.as_ref()))
    }

    /// Resolves a filter or sort path, hop by hop.
    fn path(
        &self,
        content_type: &'s ContentType,
        fields: &[String],
        purpose: Purpose,
    ) -> std::result::Result<FieldPath<'s>, String> {
        let mut hops = Vec::new();
        let mut current = content_type;
        let mut rest = fields;
        loop {
            let Some((name, tail)) = rest.split_first() else {
                return Err("names no field".to_owned());
            };
            if let Some((column, column_type)) = system_field(name) {
                if tail.is_empty() {
                    let leaf = Leaf::System {
                        column,
                        column_type,
                    };
                    return Ok(FieldPath { hops, leaf });
                }
                if purpose == Purpose::Filter {
                    return Err(format!("`{name}` has no fields"));
                }
            }
            let Some(field) = current.field(name) else {
                return Err(format!(
                    "`{name}` is not a field of {}",
                    current.display_name()
                ));
            };
            self.visible(&field.attribute, purpose)?;
            let leaf = match (purpose, &field.attribute.kind, tail.is_empty()) {
                (_, Kind::Relation(relation), false)
                    if purpose == Purpose::Filter
                        || (!relation.kind.is_multiple() && field.storage == Storage::Links) =>
                {
                    let hop = self.hop(current, field, purpose)?;
                    current = hop.target;
                    hops.push(hop);
                    rest = tail;
                    continue;
                }
                (Purpose::Filter, Kind::Relation(_), true) => {
                    Leaf::Related(self.hop(current, field, purpose)?)
                }
                (Purpose::Filter, Kind::Media(_), _) => {
                    if !tail.is_empty() {
                        return Err(format!(
                            "media field `{name}` can only be tested with $null or $notNull"
                        ));
                    }
                    let link = field.link.as_ref().ok_or_else(|| no_links(field))?;
                    Leaf::Media { field, link }
                }
                (Purpose::Filter, Kind::Component(_) | Kind::DynamicZone(_), true) => {
                    Leaf::Structured { field }
                }
                (_, Kind::Component(reference), false)
                    if purpose == Purpose::Filter || !reference.repeatable =>
                {
                    self.nested(field, reference, tail, purpose)?
                }
                (Purpose::Filter, Kind::DynamicZone(_), false) => {
                    return Err(format!(
                        "dynamic zone `{name}` cannot be filtered by its content"
                    ));
                }
                (Purpose::Filter, Kind::Scalar(_), false) => {
                    return Err(format!("`{name}` has no fields"));
                }
                (_, Kind::Scalar(_), true)
                    if purpose == Purpose::Filter || field.attribute.kind.is_comparable() =>
                {
                    let column_type = field.column_type().ok_or_else(|| no_column(field))?;
                    Leaf::Column { field, column_type }
                }
                _ => return Err(format!("cannot sort by `{}`", rest.join("."))),
            };
            return Ok(FieldPath { hops, leaf });
        }
    }

    /// Whether the caller may see `attribute`: secrets never, private
    /// fields when the caller sees them.
    pub fn sees(&self, attribute: &Attribute) -> bool {
        !attribute.kind.is_secret() && (!attribute.private || self.include_private)
    }

    /// Refuses a path through what the caller may not see.
    fn visible(&self, attribute: &Attribute, purpose: Purpose) -> std::result::Result<(), String> {
        if self.sees(attribute) {
            Ok(())
        } else {
            Err(format!(
                "cannot {} private field `{}`",
                purpose.verb(),
                attribute.name
            ))
        }
    }

    /// The relation `field` of `source`, crossed.
    fn hop(
        &self,
        source: &'s ContentType,
        field: &'s Field,
        purpose: Purpose,
    ) -> std::result::Result<Hop<'s>, String> {
        let Kind::Relation(relation) = &field.attribute.kind else {
            return Err(format!("`{}` is not a relation", field.name()));
        };
        let target = self
            .schema
            .content_type(&relation.target)
            .ok_or_else(|| missing_target(&relation.target))?;
        if !self.readable.allows(&target.uid) {
            return Err(format!(
                "cannot {} `{}`: {} is not readable",
                purpose.through(),
                field.name(),
                target.display_name()
            ));
        }
        let link = field.link.as_ref().ok_or_else(|| no_links(field))?;
        Ok(Hop {
            source,
            field,
            link,
            target,
        })
    }

    /// A path into a component's JSON: through single nested components to
    /// a comparable value.
    fn nested(
        &self,
        field: &'s Field,
        reference: &ComponentRef,
        rest: &[String],
        purpose: Purpose,
    ) -> std::result::Result<Leaf<'s>, String> {
        let mut component = self
            .schema
            .component(&reference.component)
            .ok_or_else(|| missing_component(&reference.component))?;
        let mut keys = Vec::new();
        let mut remaining = rest;
        loop {
            let Some((name, tail)) = remaining.split_first() else {
                return Err("names no field".to_owned());
            };
            let Some(attribute) = component.attribute(name) else {
                return Err(format!(
                    "`{name}` is not a field of component {}",
                    component.uid
                ));
            };
            keys.push(name.clone());
            self.visible(attribute, purpose)?;
            match (&attribute.kind, tail.is_empty()) {
                (Kind::Component(inner), false) if !inner.repeatable => {
                    component = self
                        .schema
                        .component(&inner.component)
                        .ok_or_else(|| missing_component(&inner.component))?;
                    remaining = tail;
                }
                (_, false) => return Err(format!("`{name}` cannot be filtered into here")),
                (Kind::Scalar(scalar), true) if scalar.capabilities().comparable => {
                    return Ok(Leaf::Nested {
                        field,
                        keys,
                        column_type: scalar.column(),
                        repeatable: reference.repeatable,
                    });
                }
                (Kind::Scalar(_) | Kind::Component(_) | Kind::DynamicZone(_), true) => {
                    return Err(format!("`{name}` holds JSON and cannot be compared"));
                }
                (Kind::Relation(_) | Kind::Media(_), true) => {
                    return Err(format!("`{name}` cannot be filtered inside a component"));
                }
            }
        }
    }
}

/// The name a condition's messages use: the field its path ends at (a
/// system field's own name never appears in them).
fn path_name(leaf: &Leaf<'_>) -> String {
    match leaf {
        Leaf::Related(hop) => hop.field.name().to_owned(),
        Leaf::Column { field, .. }
        | Leaf::Media { field, .. }
        | Leaf::Structured { field }
        | Leaf::Nested { field, .. } => field.name().to_owned(),
        Leaf::System { column, .. } => (*column).to_owned(),
    }
}

/// The test `operator` with `operand` makes of the value at `leaf`.
fn test(
    leaf: &Leaf<'_>,
    operator: Operator,
    operand: &Operand,
    name: &str,
) -> std::result::Result<Test, String> {
    let absent = match (operator, operand) {
        (Operator::Null, Operand::Flag(flag)) => Some(*flag),
        (Operator::NotNull, Operand::Flag(flag)) => Some(!*flag),
        _ => None,
    };
    let (column_type, nested) = match leaf {
        Leaf::Related(_) => {
            return absent
                .map(Test::Absent)
                .ok_or_else(|| format!("compare a field of `{name}`, e.g. {name}.documentId"));
        }
        Leaf::Media { .. } => {
            return absent.map(Test::Absent).ok_or_else(|| {
                format!("media field `{name}` can only be tested with $null or $notNull")
            });
        }
        Leaf::Structured { .. } => {
            return absent
                .map(Test::Absent)
                .ok_or_else(|| format!("compare a field of `{name}`, or test it with $null"));
        }
        Leaf::System { column_type, .. } | Leaf::Column { column_type, .. } => {
            (*column_type, false)
        }
        Leaf::Nested { column_type, .. } => (*column_type, true),
    };
    let textual = matches!(column_type, ColumnType::Varchar(_) | ColumnType::Text);
    if operator.is_textual() && !textual {
        return Err(format!("`{}` works on text fields only", operator.name()));
    }
    if let Some(absent) = absent {
        return Ok(Test::Absent(absent));
    }
    if column_type == ColumnType::Json {
        return Err("JSON fields can only be tested with $null or $notNull".into());
    }
    let literal = |text: &str| literal(column_type, nested, text);
    let mismatch = || "the operand does not fit the operator".to_owned();
    Ok(match (operator, operand) {
        (Operator::In | Operator::NotIn, Operand::Many(values)) => Test::In {
            values: values
                .iter()
                .map(|v| literal(v))
                .collect::<std::result::Result<_, _>>()?,
            negated: operator == Operator::NotIn,
        },
        (Operator::Between, Operand::Many(values)) => match values.as_slice() {
            [low, high] => Test::Between(literal(low)?, literal(high)?),
            _ => return Err(mismatch()),
        },
        (_, Operand::One(text)) => match comparison(operator) {
            Some(comparison) => Test::Compare(comparison, literal(text)?),
            None => Test::Text(text_operator(operator).ok_or_else(mismatch)?, text.clone()),
        },
        _ => return Err(mismatch()),
    })
}

/// A filter value's text typed for its column, or for the JSON it is
/// compared with inside a component.
fn literal(
    column_type: ColumnType,
    nested: bool,
    text: &str,
) -> std::result::Result<Literal, String> {
    let value = codec::operand(column_type, text)?;
    if nested {
        return Ok(Literal::Json(value));
    }
    codec::bind(column_type, &value).map(Literal::Column)
}

fn comparison(operator: Operator) -> Option<Comparison> {
    Some(match operator {
        Operator::Eq => Comparison::Eq,
        Operator::Ne => Comparison::Ne,
        Operator::Lt => Comparison::Lt,
        Operator::Lte => Comparison::Lte,
        Operator::Gt => Comparison::Gt,
        Operator::Gte => Comparison::Gte,
        _ => return None,
    })
}

fn text_operator(operator: Operator) -> Option<TextOperator> {
    Some(match operator {
        Operator::Eqi => TextOperator::Eqi,
        Operator::Nei => TextOperator::Nei,
        Operator::Contains => TextOperator::Contains,
        Operator::NotContains => TextOperator::NotContains,
        Operator::Containsi => TextOperator::Containsi,
        Operator::NotContainsi => TextOperator::NotContainsi,
        Operator::StartsWith => TextOperator::StartsWith,
        Operator::StartsWithi => TextOperator::StartsWithi,
        Operator::EndsWith => TextOperator::EndsWith,
        Operator::EndsWithi => TextOperator::EndsWithi,
        _ => return None,
    })
}

fn missing_target(uid: &str) -> String {
    format!("relation target `{uid}` is not a content type")
}

fn missing_component(uid: &str) -> String {
    format!("component `{uid}` is not defined")
}

fn no_links(field: &Field) -> String {
    format!("`{}` has no link table", field.name())
}

fn no_column(field: &Field) -> String {
    format!("`{}` has no column", field.name())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::config::ApiConfig;
    use crate::query::from_query_string;
    use crate::schema::build::build;
    use crate::schema::model::{ContentTypeSource, SchemaSources};

    /// Articles with a category, a private note and a password.
    fn schema() -> Schema {
        let source = |uid: &str, def: Value| ContentTypeSource {
            uid: uid.to_owned(),
            origin: uid.to_owned(),
            def: serde_json::from_value(def).unwrap_or_else(|e| panic!("{uid}: {e}")),
        };
        let sources = SchemaSources {
            content_types: vec![
                source(
                    "api::category.category",
                    json!({"kind": "collectionType",
                           "info": {"singularName": "category", "pluralName": "categories", "displayName": "Category"},
                           "attributes": {"name": {"type": "string"}}}),
                ),
                source(
                    "api::article.article",
                    json!({"kind": "collectionType",
                    "info": {"singularName": "article", "pluralName": "articles", "displayName": "Article"},
                    "attributes": {
                        "title": {"type": "string"},
                        "note": {"type": "string", "private": true},
                        "secret": {"type": "password"},
                        "category": {"type": "relation", "relation": "manyToOne", "target": "api::category.category"}
                    }}),
                ),
            ],
            components: Vec::new(),
        };
        build(&sources).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The same schema without categories: the article's relation points
    /// at nothing, as it would if a schema in force and a type ever
    /// disagreed.
    fn without_target() -> Schema {
        let full = schema();
        let article = full
            .content_type("api::article.article")
            .map(|t| t.as_ref().clone())
            .unwrap_or_else(|| panic!("no article"));
        Schema::new(vec![article], Vec::new())
    }

    fn errors(schema: &Schema, query: &str, include_private: bool) -> Vec<(String, String)> {
        let limits = ApiConfig::default().query_limits();
        let query = from_query_string(query, &limits).unwrap_or_else(|e| panic!("{e}"));
        let article = schema
            .content_type("api::article.article")
            .unwrap_or_else(|| panic!("no article"));
        let readable = Readable::All;
        let mut resolver = Resolver::new(schema, &readable, include_private);
        let condition = query.filters.as_ref().map(|f| resolver.filter(article, f));
        resolver.sort(article, &query.sort, &Path::from("sort"));
        let found: Vec<(String, String)> = resolver
            .into_errors()
            .errors
            .into_iter()
            .map(|e| (e.path.to_string(), e.message))
            .collect();
        // A filter with an error never resolves to a narrower one.
        if !found.is_empty() && query.filters.is_some() {
            assert!(
                !matches!(condition, Some(Some(_))),
                "a failing filter resolved anyway"
            );
        }
        found
    }

    #[test]
    fn a_relation_whose_target_is_missing_is_refused_not_skipped() {
        let schema = without_target();
        let message = "relation target `api::category.category` is not a content type";
        assert_eq!(
            errors(&schema, "filters[category][name][$eq]=News", false),
            vec![("filters.category.name.$eq".to_owned(), message.to_owned())]
        );
        assert_eq!(
            errors(
                &schema,
                "filters[$or][0][title][$eq]=a&filters[$or][1][category][$null]=true",
                false
            ),
            vec![(
                "filters.$or.1.category.$null".to_owned(),
                message.to_owned()
            )]
        );
        assert_eq!(
            errors(&schema, "sort=category.name:asc", false),
            vec![("sort.category.name".to_owned(), message.to_owned())]
        );
        let article = schema
            .content_type("api::article.article")
            .unwrap_or_else(|| panic!("no article"));
        let readable = Readable::All;
        let resolver = Resolver::new(&schema, &readable, false);
        let populated = resolver.populate(article, &Populate::all(), &Path::from("populate"));
        assert!(
            matches!(&populated, Err(Error::Validation(e)) if e.errors[0].message == message),
            "{populated:?}"
        );
    }

    #[test]
    fn every_failing_condition_fails_the_whole_filter() {
        let schema = schema();
        assert_eq!(
            errors(
                &schema,
                "filters[$or][0][title][$eq]=a&filters[$or][1][nope][$eq]=b&filters[$not][category][gone][$eq]=c",
                false
            ),
            vec![
                (
                    "filters.$or.1.nope.$eq".to_owned(),
                    "`nope` is not a field of Article".to_owned()
                ),
                (
                    "filters.$not.category.gone.$eq".to_owned(),
                    "`gone` is not a field of Category".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn private_fields_are_for_callers_who_see_them_and_secrets_for_nobody() {
        let schema = schema();
        let private = "cannot filter on private field `note`";
        assert_eq!(
            errors(&schema, "filters[note][$eq]=x", false),
            vec![("filters.note.$eq".to_owned(), private.to_owned())]
        );
        assert!(errors(&schema, "filters[note][$eq]=x", true).is_empty());
        for include_private in [false, true] {
            assert_eq!(
                errors(
                    &schema,
                    "filters[secret][$eq]=x&sort=secret",
                    include_private
                ),
                vec![
                    (
                        "filters.secret.$eq".to_owned(),
                        "cannot filter on private field `secret`".to_owned()
                    ),
                    (
                        "sort.secret".to_owned(),
                        "cannot sort by private field `secret`".to_owned()
                    ),
                ]
            );
        }
    }
}
