//! SeaORM entities for Cairn's system tables (created by the `migration` crate).
//!
//! They stay inside the engine: services turn them into their own response
//! types, so a column added here never leaks into the API by accident.

pub mod admin_draft;
pub mod admin_session;
pub mod admin_user;
pub mod api_token;
pub mod component;
pub mod content_type;
pub mod file;
pub mod locale;
pub mod setting;
pub mod version;
