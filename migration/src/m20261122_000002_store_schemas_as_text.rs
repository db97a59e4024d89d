//! Schema definitions as text: PostgreSQL's `jsonb` sorts object keys, and a
//! content type's attribute order is part of its definition (the order the
//! API returns fields in and the builder shows them). SQLite already stores
//! these columns as text.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CairnContentTypes {
    Table,
    Schema,
    FieldIds,
}

#[derive(DeriveIden)]
enum CairnComponents {
    Table,
    Schema,
}

async fn retype(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    column: impl IntoIden,
    text: bool,
) -> Result<(), DbErr> {
    let mut definition = ColumnDef::new(column);
    if text {
        definition.text();
    } else {
        definition.json_binary();
    }
    manager
        .alter_table(
            Table::alter()
                .table(table)
                .modify_column(definition.not_null())
                .to_owned(),
        )
        .await
}

async fn retype_all(manager: &SchemaManager<'_>, text: bool) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    retype(
        manager,
        CairnContentTypes::Table,
        CairnContentTypes::Schema,
        text,
    )
    .await?;
    retype(
        manager,
        CairnContentTypes::Table,
        CairnContentTypes::FieldIds,
        text,
    )
    .await?;
    retype(
        manager,
        CairnComponents::Table,
        CairnComponents::Schema,
        text,
    )
    .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        retype_all(manager, true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        retype_all(manager, false).await
    }
}
