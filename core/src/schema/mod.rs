//! Content types and components: the Strapi file format, validation, the
//! compiled registry, storage of each kind, and schema changes.

pub mod attribute;
pub mod build;
pub mod codec;
pub mod column;
pub mod ddl;
pub mod drafts;
pub mod indexes;
pub mod kinds;
pub mod load;
pub mod model;
pub mod naming;
pub mod registry;
pub mod request;
pub mod store;
pub mod system;

pub use attribute::{Attribute, Kind};
pub use model::{ComponentDef, ContentTypeDef, SchemaSources, TypeKind};
pub use registry::{Component, ContentType, Field, Link, Schema};
