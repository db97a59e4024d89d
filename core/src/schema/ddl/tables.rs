//! The DDL of content-type tables, link tables and their indexes, built with
//! SeaQuery from the validated schema.

use sea_orm::sea_query::{
    Alias, ColumnDef, ForeignKey, ForeignKeyAction, Index, IndexCreateStatement,
    IndexDropStatement, Table, TableCreateStatement,
};

use crate::schema::attribute::Kind;
use crate::schema::column::ColumnType;
use crate::schema::naming::index_name;
use crate::schema::registry::{ContentType, Field, Link};
use crate::schema::system::{
    CREATED_AT, CREATED_BY_ID, DOCUMENT_ID, DOCUMENT_ID_LENGTH, FILE_ID, FILES_TABLE, ID, LOCALE,
    POSITION, PUBLISHED, PUBLISHED_AT, SOURCE_ID, TARGET_DOCUMENT_ID, UPDATED_AT, UPDATED_BY_ID,
};

/// `CREATE TABLE` for a content type, under `table` (its own name, or a
/// temporary one during a SQLite rebuild).
pub fn create_table(content_type: &ContentType, table: &str) -> TableCreateStatement {
    let mut statement = Table::create();
    statement
        .table(Alias::new(table))
        .col(
            ColumnDef::new(Alias::new(ID))
                .big_integer()
                .not_null()
                .auto_increment()
                .primary_key(),
        )
        .col(
            ColumnDef::new(Alias::new(DOCUMENT_ID))
                .string_len(DOCUMENT_ID_LENGTH)
                .not_null(),
        )
        .col(
            ColumnDef::new(Alias::new(LOCALE))
                .string_len(35)
                .not_null()
                .default(""),
        )
        .col(ColumnDef::new(Alias::new(PUBLISHED)).boolean().not_null())
        .col(
            ColumnDef::new(Alias::new(PUBLISHED_AT))
                .timestamp_with_time_zone()
                .null(),
        )
        .col(
            ColumnDef::new(Alias::new(CREATED_AT))
                .timestamp_with_time_zone()
                .not_null(),
        )
        .col(
            ColumnDef::new(Alias::new(UPDATED_AT))
                .timestamp_with_time_zone()
                .not_null(),
        )
        .col(
            ColumnDef::new(Alias::new(CREATED_BY_ID))
                .big_integer()
                .null(),
        )
        .col(
            ColumnDef::new(Alias::new(UPDATED_BY_ID))
                .big_integer()
                .null(),
        );
    // Wide values go last: SQLite reads a row's columns in order, so scans
    // and lookups of the narrow columns skip the long text after them.
    let (narrow, wide): (Vec<_>, Vec<_>) = content_type
        .column_fields()
        .partition(|(_, column_type)| !matches!(column_type, ColumnType::Text | ColumnType::Json));
    for (field, column_type) in narrow.into_iter().chain(wide) {
        statement.col(column_type.definition(&field.column));
    }
    statement.to_owned()
}

/// `CREATE TABLE` for the link table of an owning relation or a media field.
pub fn create_link_table(owner_table: &str, link: &Link) -> TableCreateStatement {
    let mut statement = Table::create();
    statement
        .table(Alias::new(&link.table))
        .col(
            ColumnDef::new(Alias::new(ID))
                .big_integer()
                .not_null()
                .auto_increment()
                .primary_key(),
        )
        .col(
            ColumnDef::new(Alias::new(SOURCE_ID))
                .big_integer()
                .not_null(),
        )
        .col(ColumnDef::new(Alias::new(POSITION)).integer().not_null())
        .foreign_key(
            ForeignKey::create()
                .from(Alias::new(&link.table), Alias::new(SOURCE_ID))
                .to(Alias::new(owner_table), Alias::new(ID))
                .on_delete(ForeignKeyAction::Cascade),
        );
    if link.media {
        statement
            .col(ColumnDef::new(Alias::new(FILE_ID)).big_integer().not_null())
            .foreign_key(
                ForeignKey::create()
                    .from(Alias::new(&link.table), Alias::new(FILE_ID))
                    .to(Alias::new(FILES_TABLE), Alias::new(ID))
                    .on_delete(ForeignKeyAction::Cascade),
            );
    } else {
        statement.col(
            ColumnDef::new(Alias::new(TARGET_DOCUMENT_ID))
                .string_len(DOCUMENT_ID_LENGTH)
                .not_null(),
        );
    }
    statement.to_owned()
}

/// An index Cairn maintains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexSpec {
    pub name: String,
    pub table: String,
    pub columns: Vec<String>,
    pub unique: bool,
    /// The attribute a unique index enforces, for error messages.
    pub attribute: Option<String>,
}

impl IndexSpec {
    fn new(prefix: &str, table: &str, suffix: &str, columns: &[&str], unique: bool) -> Self {
        IndexSpec {
            name: index_name(prefix, table, suffix),
            table: table.to_owned(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            unique,
            attribute: None,
        }
    }

    pub fn create(&self) -> IndexCreateStatement {
        let mut statement = Index::create();
        statement.name(&self.name).table(Alias::new(&self.table));
        for column in &self.columns {
            statement.col(Alias::new(column));
        }
        if self.unique {
            statement.unique();
        }
        statement.to_owned()
    }

    pub fn drop(&self) -> IndexDropStatement {
        Index::drop()
            .name(&self.name)
            .table(Alias::new(&self.table))
            .to_owned()
    }
}

/// Every index of a content type's table and of the link tables it owns.
///
/// Unique attributes are unique per locale and state: a draft and its
/// published copy share their values.
pub fn indexes(content_type: &ContentType) -> Vec<IndexSpec> {
    let table = content_type.table.as_str();
    let declared = declared_indexes(content_type);
    let mut specs = vec![IndexSpec::new(
        "uq",
        table,
        "document",
        &[DOCUMENT_ID, LOCALE, PUBLISHED],
        true,
    )];
    let (kept, _) = built_in_indexes(table, &declared);
    specs.extend(kept);
    specs.extend(declared);
    for field in &content_type.fields {
        if field.attribute.unique && field.column_type().is_some() {
            let mut spec = IndexSpec::new(
                "uq",
                table,
                &field.column,
                &[field.column.as_str(), LOCALE, PUBLISHED],
                true,
            );
            spec.attribute = Some(field.name().to_owned());
            specs.push(spec);
        }
    }
    for (field, link) in content_type.owned_links() {
        specs.extend(link_indexes(field, link));
    }
    specs
}

/// The built-in indexes a content type's declared ones replace: a database
/// may still hold them from before the declarations or from an earlier rule.
pub fn superseded_indexes(content_type: &ContentType) -> Vec<IndexSpec> {
    let declared = declared_indexes(content_type);
    built_in_indexes(&content_type.table, &declared).1
}

fn declared_indexes(content_type: &ContentType) -> Vec<IndexSpec> {
    let table = content_type.table.as_str();
    content_type
        .indexes
        .iter()
        .map(|declared| {
            let mut columns = vec![PUBLISHED, LOCALE];
            columns.extend(declared.columns.iter().map(String::as_str));
            if !columns.contains(&ID) {
                columns.push(ID);
            }
            IndexSpec::new("ix", table, &declared.name(), &columns, false)
        })
        .collect()
}

/// The built-in indexes of a table, split into those kept and those a
/// declared index replaces. A declared index that begins with a built-in one
/// serves every read the built-in one does. Keeping both costs every write,
/// and SQLite's planner picks the narrower one, then reads the table at each
/// key it passes for the columns the wider one holds (docs/benchmarks.md).
fn built_in_indexes(table: &str, declared: &[IndexSpec]) -> (Vec<IndexSpec>, Vec<IndexSpec>) {
    [
        IndexSpec::new("ix", table, "listing", &[PUBLISHED, LOCALE, ID], false),
        // Lists of newest published entries are the common delivery read.
        IndexSpec::new(
            "ix",
            table,
            "published_at",
            &[PUBLISHED, LOCALE, PUBLISHED_AT, ID],
            false,
        ),
    ]
    .into_iter()
    .partition(|spec| {
        !declared
            .iter()
            .any(|d| d.columns.starts_with(&spec.columns))
    })
}

fn link_indexes(field: &Field, link: &Link) -> Vec<IndexSpec> {
    let table = link.table.as_str();
    let target = if link.media {
        FILE_ID
    } else {
        TARGET_DOCUMENT_ID
    };
    let single = match &field.attribute.kind {
        Kind::Relation(relation) => !relation.kind.is_multiple(),
        Kind::Media(media) => !media.multiple,
        _ => false,
    };
    let mut specs = vec![IndexSpec::new("ix", table, "target", &[target], false)];
    if single {
        specs.push(IndexSpec::new("uq", table, "source", &[SOURCE_ID], true));
    } else {
        specs.push(IndexSpec::new(
            "uq",
            table,
            "pair",
            &[SOURCE_ID, target],
            true,
        ));
        specs.push(IndexSpec::new(
            "ix",
            table,
            "order",
            &[SOURCE_ID, POSITION],
            false,
        ));
    }
    specs
}
