//! How each attribute kind is stored: one function maps a kind to its column.

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

/// The one mapping from attribute kind to storage.
pub fn storage(kind: &Kind) -> Storage {
    let string = |max_length: Option<u64>| {
        Storage::Column(ColumnType::Varchar(
            max_length.unwrap_or(0).max(DEFAULT_STRING_LENGTH),
        ))
    };
    match kind {
        Kind::String(rules) | Kind::Email(rules) | Kind::Uid { rules, .. } => {
            string(rules.max_length)
        }
        Kind::Enumeration(values) => string(values.iter().map(|v| v.len() as u64).max()),
        // Argon2id hashes are short and fixed; the rules apply to the password.
        Kind::Password(_) => string(None),
        Kind::Text(_) | Kind::RichText(_) => Storage::Column(ColumnType::Text),
        Kind::Integer(_) => Storage::Column(ColumnType::Integer),
        Kind::BigInteger(_) => Storage::Column(ColumnType::BigInteger),
        Kind::Float(_) => Storage::Column(ColumnType::Double),
        Kind::Decimal(_) => Storage::Column(ColumnType::Decimal),
        Kind::Boolean => Storage::Column(ColumnType::Boolean),
        Kind::Date => Storage::Column(ColumnType::Date),
        Kind::Time => Storage::Column(ColumnType::Time),
        Kind::DateTime => Storage::Column(ColumnType::TimestampTz),
        Kind::Blocks | Kind::Json | Kind::Component(_) | Kind::DynamicZone(_) => {
            Storage::Column(ColumnType::Json)
        }
        Kind::Media(_) => Storage::Links,
        Kind::Relation(relation) if relation.is_owner() => Storage::Links,
        Kind::Relation(_) => Storage::Inverse,
    }
}

/// Whether every value of kind `from` has an exact counterpart in kind `to`.
///
/// Kinds that share a column type convert in place; the others are the
/// widening casts below. Everything else is refused: the data would not
/// survive the trip.
pub fn is_lossless(from: &Kind, to: &Kind) -> bool {
    use Kind::*;
    let textual = |k: &Kind| matches!(k, String(_) | Text(_) | RichText(_) | Email(_) | Uid { .. });
    match (from, to) {
        (Password(_), Password(_)) => true,
        (Password(_), _) | (_, Password(_)) => false,
        (String(_) | Email(_) | Uid { .. } | Enumeration(_), String(_) | Email(_) | Uid { .. }) => {
            true
        }
        (String(_) | Email(_) | Uid { .. } | Enumeration(_), Text(_) | RichText(_)) => true,
        (Text(_) | RichText(_), Text(_) | RichText(_)) => true,
        (String(_) | Email(_) | Uid { .. } | Enumeration(_), Enumeration(_)) => true,
        (Integer(_), Integer(_) | BigInteger(_) | Float(_) | Decimal(_)) => true,
        (BigInteger(_), BigInteger(_)) => true,
        (Float(_), Float(_)) => true,
        (Decimal(_), Decimal(_)) => true,
        (Integer(_) | BigInteger(_) | Float(_) | Decimal(_) | Date | Time | DateTime, to)
            if textual(to) =>
        {
            matches!(to, String(_) | Text(_) | RichText(_))
        }
        (Boolean, Boolean) | (Date, Date) | (Time, Time) | (DateTime, DateTime) => true,
        (Date, DateTime) => true,
        (Json, Json) | (Blocks, Blocks) | (Blocks, Json) => true,
        _ => false,
    }
}
