//! Cairn's content engine: configuration, the database, content types as real
//! tables, entries with draft & publish, locales and versions, and auth.
//!
//! Nothing here knows about HTTP: the server and the admin UI call the
//! engine through [`AppContext`].

pub mod auth;
pub mod config;
pub mod context;
pub mod db;
pub mod entries;
pub mod error;
pub mod events;
pub mod files;
pub mod flights;
pub mod locales;
pub mod query;
pub mod schema;
pub mod time;

/// The media layer the files service is built on, for callers that need
/// its types (byte ranges, storage keys, variant parameters).
pub use cairn_media as media;

pub use config::Config;
pub use context::AppContext;
pub use error::{Error, Result};
