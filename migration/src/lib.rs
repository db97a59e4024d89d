//! Migrations for Cairn's own `cairn_*` system tables.
//!
//! Content-type tables are not migrated here: they are data, created and altered
//! at run time by `cairn-core`'s schema planner. Migrations never import live
//! entities; each one describes its tables with its own identifiers so that it
//! keeps meaning the same thing as the code around it changes.

pub use sea_orm_migration::prelude::*;

mod m20261121_000001_create_schema_tables;
mod m20261121_000002_create_locales;
mod m20261121_000003_create_versions;
mod m20261121_000004_create_auth_tables;
mod m20261121_000005_create_files;
mod m20261122_000001_create_admin_sessions;
mod m20261122_000002_store_schemas_as_text;
mod m20261122_000003_add_file_checksum;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_create_schema_tables::Migration),
            Box::new(m20261121_000002_create_locales::Migration),
            Box::new(m20261121_000003_create_versions::Migration),
            Box::new(m20261121_000004_create_auth_tables::Migration),
            Box::new(m20261121_000005_create_files::Migration),
            Box::new(m20261122_000001_create_admin_sessions::Migration),
            Box::new(m20261122_000002_store_schemas_as_text::Migration),
            Box::new(m20261122_000003_add_file_checksum::Migration),
        ]
    }

    fn migration_table_name() -> DynIden {
        "cairn_migrations".into_iden()
    }
}
