use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Uploaded files. Media attributes of content types link to this table.
#[derive(DeriveIden)]
enum CairnFiles {
    Table,
    Id,
    DocumentId,
    Name,
    AlternativeText,
    Caption,
    Width,
    Height,
    Formats,
    Hash,
    Ext,
    Mime,
    Size,
    Url,
    PreviewUrl,
    Provider,
    ProviderMetadata,
    FolderPath,
    FocalPoint,
    Blurhash,
    DominantColor,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CairnFiles::Table)
                    .col(big_integer(CairnFiles::Id).auto_increment().primary_key())
                    .col(string_len_uniq(CairnFiles::DocumentId, 32))
                    .col(string_len(CairnFiles::Name, 255))
                    .col(text_null(CairnFiles::AlternativeText))
                    .col(text_null(CairnFiles::Caption))
                    .col(integer_null(CairnFiles::Width))
                    .col(integer_null(CairnFiles::Height))
                    .col(json_binary_null(CairnFiles::Formats))
                    .col(string_len_uniq(CairnFiles::Hash, 255))
                    .col(string_len(CairnFiles::Ext, 32))
                    .col(string_len(CairnFiles::Mime, 255))
                    .col(big_integer(CairnFiles::Size))
                    .col(text(CairnFiles::Url))
                    .col(text_null(CairnFiles::PreviewUrl))
                    .col(string_len(CairnFiles::Provider, 64))
                    .col(json_binary_null(CairnFiles::ProviderMetadata))
                    .col(string_len(CairnFiles::FolderPath, 1024))
                    .col(json_binary_null(CairnFiles::FocalPoint))
                    .col(string_len_null(CairnFiles::Blurhash, 128))
                    .col(string_len_null(CairnFiles::DominantColor, 16))
                    .col(timestamp_with_time_zone(CairnFiles::CreatedAt))
                    .col(timestamp_with_time_zone(CairnFiles::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CairnFiles::Table).to_owned())
            .await
    }
}
