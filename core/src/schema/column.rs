//! How attributes are stored: column types, and the one function that maps
//! a kind to its storage.

use sea_orm::sea_query::ColumnDef;

use super::attribute::Kind;

/// Text columns hold at least this many characters, as in Strapi.
pub const DEFAULT_STRING_LENGTH: u64 = 255;

/// Decimal attributes are stored exactly with this precision and scale.
pub const DECIMAL_PRECISION: u32 = 18;
pub const DECIMAL_SCALE: u32 = 6;

/// A column type, independent of the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Varchar(u64),
    Text,
    Integer,
    BigInteger,
    Double,
    Decimal,
    Boolean,
    Date,
    Time,
    TimestampTz,
    Json,
}

impl ColumnType {
    /// A nullable column definition: values are validated by the engine, and
    /// drafts may be incomplete.
    pub fn definition(self, name: &str) -> ColumnDef {
        let mut column = ColumnDef::new(name.to_owned());
        match self {
            ColumnType::Varchar(length) => {
                column.string_len(u32::try_from(length).unwrap_or(u32::MAX))
            }
            ColumnType::Text => column.text(),
            ColumnType::Integer => column.integer(),
            ColumnType::BigInteger => column.big_integer(),
            ColumnType::Double => column.double(),
            ColumnType::Decimal => column.decimal_len(DECIMAL_PRECISION, DECIMAL_SCALE),
            ColumnType::Boolean => column.boolean(),
            ColumnType::Date => column.date(),
            ColumnType::Time => column.time(),
            ColumnType::TimestampTz => column.timestamp_with_time_zone(),
            ColumnType::Json => column.json_binary(),
        };
        column.null();
        column
    }

    /// The SQL type name for casts during a table rebuild or an ALTER.
    pub fn sql_name(self, sqlite: bool) -> String {
        match (self, sqlite) {
            (ColumnType::Varchar(length), _) => format!("varchar({length})"),
            (ColumnType::Text, _) => "text".into(),
            (ColumnType::Integer, _) => "integer".into(),
            (ColumnType::BigInteger, _) => "bigint".into(),
            (ColumnType::Double, true) => "real".into(),
            (ColumnType::Double, false) => "double precision".into(),
            (ColumnType::Decimal, _) => format!("decimal({DECIMAL_PRECISION}, {DECIMAL_SCALE})"),
            (ColumnType::Boolean, true) => "integer".into(),
            (ColumnType::Boolean, false) => "boolean".into(),
            (ColumnType::Date, _) => "date".into(),
            (ColumnType::Time, _) => "time".into(),
            (ColumnType::TimestampTz, true) => "text".into(),
            (ColumnType::TimestampTz, false) => "timestamp with time zone".into(),
            (ColumnType::Json, true) => "text".into(),
            (ColumnType::Json, false) => "jsonb".into(),
        }
    }

    /// Whether SQLite stores both types the same way, so no rebuild is needed.
    pub fn same_on_sqlite(self, other: ColumnType) -> bool {
        let text_like = |t: ColumnType| matches!(t, ColumnType::Varchar(_) | ColumnType::Text);
        self == other || (text_like(self) && text_like(other))
    }
}

/// How an attribute's values are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// A column of the type's table.
    Column(ColumnType),
    /// Rows of a link table: relations that own their side, and media.
    Links,
    /// Nothing on this side: the inverse side of a relation reads the owner's links.
    Inverse,
}

/// The one mapping from attribute kind to storage: scalars in the column
/// their kind names, components and dynamic zones as JSON, relations and
/// media in link tables.
pub fn storage(kind: &Kind) -> Storage {
    match kind {
        Kind::Scalar(scalar) => Storage::Column(scalar.column()),
        Kind::Component(_) | Kind::DynamicZone(_) => Storage::Column(ColumnType::Json),
        Kind::Media(_) => Storage::Links,
        Kind::Relation(relation) if relation.is_owner() => Storage::Links,
        Kind::Relation(_) => Storage::Inverse,
    }
}
