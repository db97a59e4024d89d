//! Field kinds: what a value of each attribute type is. Each kind lives in a
//! file of its own, behind [`FieldKind`], and has one line in [`KINDS`]:
//! its column, how values are checked and put in canonical form, its
//! OpenAPI schema, its settings and widget in the admin, and what the engine
//! may do with its values ([`Capabilities`]).
//!
//! These are the kinds whose values live in a column of the type's table.
//! Relations, media, components and dynamic zones shape the engine itself
//! (link tables, population, nested validation) and are variants of
//! [`Kind`](super::attribute::Kind) that the engine handles where it needs to.

mod biginteger;
mod blocks;
mod boolean;
mod date;
mod datetime;
mod decimal;
mod email;
mod enumeration;
mod float;
mod integer;
mod json;
mod openapi;
mod options;
mod password;
mod richtext;
pub mod rules;
pub mod settings;
mod string;
mod text;
mod time;
mod uid;
pub mod widget;

use std::fmt;
use std::sync::Arc;

use serde_json::{Map, Value};
use utoipa::openapi::schema::Schema;

pub use openapi::Values;
pub use options::Options;
pub use settings::{Input, Setting};
pub use widget::Widget;

use super::column::ColumnType;

/// Every built-in kind. A new kind is a file in this folder and a line here.
pub static KINDS: &[&KindDef] = &[
    &string::KIND,
    &text::KIND,
    &richtext::KIND,
    &blocks::KIND,
    &email::KIND,
    &password::KIND,
    &uid::KIND,
    &integer::KIND,
    &biginteger::KIND,
    &float::KIND,
    &decimal::KIND,
    &boolean::KIND,
    &date::KIND,
    &time::KIND,
    &datetime::KIND,
    &enumeration::KIND,
    &json::KIND,
];

/// The kind a schema file's `type` names, by name or alias.
pub fn find(type_name: &str) -> Option<&'static KindDef> {
    KINDS
        .iter()
        .copied()
        .find(|kind| kind.name == type_name || kind.aliases.contains(&type_name))
}

/// A kind as the registry knows it: what it is called, how the builder
/// presents it, what it allows, and how a schema file's options become an
/// instance.
pub struct KindDef {
    /// The attribute type as Strapi's schema files write it.
    pub name: &'static str,
    /// Other names schema files use for it.
    pub aliases: &'static [&'static str],
    /// Its name in the admin's builder.
    pub label: &'static str,
    /// What it is for, in a few words.
    pub hint: &'static str,
    /// The options the builder offers for it, in order.
    pub settings: &'static [Setting],
    pub capabilities: Capabilities,
    /// The kinds whose stored values become values of this one in place,
    /// without loss, when a field changes type (its own name included).
    pub converts_from: &'static [&'static str],
    /// Reads an attribute's options; `None` when they cannot make an
    /// instance (the problems are in `options`).
    pub parse: fn(&mut Options<'_>) -> Option<Arc<dyn FieldKind>>,
}

/// What a kind allows, the same for every field of the kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    pub unique: Unique,
    /// A `default` may be declared.
    pub default: bool,
    /// Values are compared and sorted; otherwise filters only test for null.
    pub comparable: bool,
    /// Stored hashed; never returned, selected, filtered or sorted on.
    pub secret: bool,
    /// A uid may be generated from it.
    pub slug_source: bool,
}

impl Capabilities {
    /// What most kinds allow.
    pub const PLAIN: Capabilities = Capabilities {
        unique: Unique::Optional,
        default: true,
        comparable: true,
        secret: false,
        slug_source: false,
    };
}

/// Whether fields of a kind may be, or always are, unique.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unique {
    Never,
    Optional,
    Always,
}

/// One field kind with its options: a `string` with its length rules, an
/// `enumeration` with its values.
pub trait FieldKind: fmt::Debug + Send + Sync {
    /// The registry's entry for the kind.
    fn def(&self) -> &'static KindDef;

    /// The column values are stored in.
    fn column(&self) -> ColumnType;

    /// Checks a value (never null) against the kind and its options, and
    /// returns its canonical JSON, as it is stored and returned.
    fn normalize(&self, value: &Value) -> Result<Value, String>;

    /// The OpenAPI schema of a value (never null): as reads return it, or
    /// as writes must give it.
    fn json_schema(&self, values: Values) -> Schema;

    /// A plausible value of the field `field`, for examples in the API's
    /// description; `None` when no short example says anything useful.
    fn example(&self, field: &str) -> Option<Value>;

    /// How an editor types a value.
    fn widget(&self) -> Widget;

    /// The field an empty value is generated from, if any.
    fn source_field(&self) -> Option<&str> {
        None
    }
}

/// A scalar attribute's kind with the options it declared. Two compare
/// equal when they are of one kind and declare the same options.
#[derive(Clone)]
pub struct Scalar {
    kind: Arc<dyn FieldKind>,
    declared: Map<String, Value>,
}

impl Scalar {
    /// Reads the options of an attribute of kind `def`.
    pub fn parse(def: &KindDef, options: &mut Options<'_>) -> Option<Scalar> {
        let kind = (def.parse)(options)?;
        Some(Scalar {
            kind,
            declared: options.declared(),
        })
    }

    pub fn name(&self) -> &'static str {
        self.kind.def().name
    }

    pub fn capabilities(&self) -> Capabilities {
        self.kind.def().capabilities
    }

    /// An option as the schema file declared it (`maxLength`, `min`).
    pub fn option(&self, name: &str) -> Option<&Value> {
        self.declared.get(name)
    }

    /// Whether this kind's stored values become values of `to` without loss.
    pub fn converts_to(&self, to: &Scalar) -> bool {
        to.kind.def().converts_from.contains(&self.name())
    }
}

impl std::ops::Deref for Scalar {
    type Target = dyn FieldKind;

    fn deref(&self) -> &Self::Target {
        self.kind.as_ref()
    }
}

impl PartialEq for Scalar {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name() && self.declared == other.declared
    }
}

impl fmt::Debug for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{:?}", self.name(), self.declared)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kind(raw: Value) -> Scalar {
        let object = raw.as_object().cloned().unwrap_or_default();
        let type_name = object["type"].as_str().unwrap_or_default().to_owned();
        let def = find(&type_name).unwrap_or_else(|| panic!("no kind {type_name}"));
        Scalar::parse(def, &mut Options::new(&object)).unwrap_or_else(|| panic!("{raw}"))
    }

    #[test]
    fn every_kind_is_found_by_its_name_and_keeps_its_own_values() {
        for def in KINDS {
            assert_eq!(find(def.name).map(|d| d.name), Some(def.name));
            assert!(def.converts_from.contains(&def.name), "{}", def.name);
        }
        assert_eq!(find("timestamp").map(|d| d.name), Some("datetime"));
    }

    #[test]
    fn temporal_values_take_strapi_canonical_forms() {
        assert_eq!(
            kind(json!({"type": "datetime"})).normalize(&json!("2024-03-01T10:20:30.123456+02:00")),
            Ok(json!("2024-03-01T08:20:30.123Z"))
        );
        assert_eq!(
            kind(json!({"type": "time"})).normalize(&json!("09:30")),
            Ok(json!("09:30:00.000"))
        );
        assert!(
            kind(json!({"type": "date"}))
                .normalize(&json!("2024-02-30"))
                .is_err()
        );
    }

    #[test]
    fn numbers_respect_their_type_and_bounds() {
        let bounded = kind(json!({"type": "integer", "min": 0, "max": 10}));
        assert!(bounded.normalize(&json!(3.5)).is_err());
        assert!(bounded.normalize(&json!(11)).is_err());
        assert_eq!(bounded.normalize(&json!(10)), Ok(json!(10)));
        assert_eq!(
            kind(json!({"type": "biginteger"})).normalize(&json!("9007199254740993")),
            Ok(json!("9007199254740993"))
        );
        assert!(
            kind(json!({"type": "decimal"}))
                .normalize(&json!(1.1234567))
                .is_err()
        );
    }

    #[test]
    fn strings_fit_their_column() {
        let long = json!("x".repeat(256));
        assert!(kind(json!({"type": "string"})).normalize(&long).is_err());
        assert!(kind(json!({"type": "text"})).normalize(&long).is_ok());
        assert_eq!(
            kind(json!({"type": "string", "maxLength": 300})).column(),
            ColumnType::Varchar(300)
        );
    }

    #[test]
    fn conversions_widen_and_never_lose_values() {
        let integer = kind(json!({"type": "integer"}));
        let float = kind(json!({"type": "float"}));
        let string = kind(json!({"type": "string"}));
        let password = kind(json!({"type": "password"}));
        assert!(integer.converts_to(&float));
        assert!(!float.converts_to(&integer));
        assert!(integer.converts_to(&string));
        assert!(!string.converts_to(&password));
        assert!(!password.converts_to(&string));
    }
}
