//! The columns Cairn adds to every content-type table and link table.

use rand::Rng;

use super::column::ColumnType;

/// Row id (one per document, locale and state).
pub const ID: &str = "id";
/// The stable id shared by all rows of a document.
pub const DOCUMENT_ID: &str = "document_id";
/// The row's locale; empty in types that are not localized.
pub const LOCALE: &str = "locale";
/// Whether the row is the published state (or the only state, without draft & publish).
pub const PUBLISHED: &str = "published";
pub const PUBLISHED_AT: &str = "published_at";
pub const CREATED_AT: &str = "created_at";
pub const UPDATED_AT: &str = "updated_at";
pub const CREATED_BY_ID: &str = "created_by_id";
pub const UPDATED_BY_ID: &str = "updated_by_id";

/// Every system column of a content-type table, in table order.
pub const COLUMNS: [&str; 9] = [
    ID,
    DOCUMENT_ID,
    LOCALE,
    PUBLISHED,
    PUBLISHED_AT,
    CREATED_AT,
    UPDATED_AT,
    CREATED_BY_ID,
    UPDATED_BY_ID,
];

/// The system columns an insert writes, in table order: all but the row
/// id, which the database gives.
pub const INSERTED: &[&str] = COLUMNS.split_at(1).1;

/// Link tables: the owning row, the target (a document or a file), the order.
pub const SOURCE_ID: &str = "source_id";
pub const TARGET_DOCUMENT_ID: &str = "target_document_id";
pub const FILE_ID: &str = "file_id";
pub const POSITION: &str = "position";

/// The table uploaded files live in.
pub const FILES_TABLE: &str = "cairn_files";

/// Length of a document id.
pub const DOCUMENT_ID_LENGTH: u32 = 24;

/// A new document id: 24 lower-case letters and digits, as Strapi's.
pub fn new_document_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..DOCUMENT_ID_LENGTH)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// The fields every row has: API name -> column and type.
pub fn system_field(name: &str) -> Option<(&'static str, ColumnType)> {
    Some(match name {
        "id" => (ID, ColumnType::BigInteger),
        "documentId" => (DOCUMENT_ID, ColumnType::Varchar(24)),
        "locale" => (LOCALE, ColumnType::Varchar(35)),
        "createdAt" => (CREATED_AT, ColumnType::TimestampTz),
        "updatedAt" => (UPDATED_AT, ColumnType::TimestampTz),
        "publishedAt" => (PUBLISHED_AT, ColumnType::TimestampTz),
        _ => return None,
    })
}
