//! Cairn through its public interfaces, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin;
mod cli;
mod content;

mod draft_publish;
mod entries;
mod indexes;
mod locales;
mod management;
mod management_content;
mod media;
mod relations;
mod schema_apply;
mod schema_evolution;
mod versions;
