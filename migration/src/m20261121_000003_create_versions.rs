use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CairnVersions {
    Table,
    Id,
    TypeUid,
    DocumentId,
    Locale,
    Status,
    Reason,
    Data,
    CreatedAt,
    CreatedById,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CairnVersions::Table)
                    .col(
                        big_integer(CairnVersions::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(string_len(CairnVersions::TypeUid, 255))
                    .col(string_len(CairnVersions::DocumentId, 32))
                    .col(string_len(CairnVersions::Locale, 35))
                    .col(string_len(CairnVersions::Status, 16))
                    .col(string_len(CairnVersions::Reason, 16))
                    .col(json_binary(CairnVersions::Data))
                    .col(timestamp_with_time_zone(CairnVersions::CreatedAt))
                    .col(big_integer_null(CairnVersions::CreatedById))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_cairn_versions_document")
                    .table(CairnVersions::Table)
                    .col(CairnVersions::TypeUid)
                    .col(CairnVersions::DocumentId)
                    .col(CairnVersions::Locale)
                    .col(CairnVersions::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CairnVersions::Table).to_owned())
            .await
    }
}
