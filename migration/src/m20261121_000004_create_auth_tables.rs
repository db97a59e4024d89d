use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CairnAdminUsers {
    Table,
    Id,
    Email,
    Firstname,
    Lastname,
    PasswordHash,
    IsActive,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CairnApiTokens {
    Table,
    Id,
    Name,
    Description,
    Kind,
    TokenHash,
    ExpiresAt,
    LastUsedAt,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CairnAdminUsers::Table)
                    .col(
                        big_integer(CairnAdminUsers::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(string_len_uniq(CairnAdminUsers::Email, 255))
                    .col(string_len(CairnAdminUsers::Firstname, 255))
                    .col(string_len(CairnAdminUsers::Lastname, 255))
                    .col(string_len(CairnAdminUsers::PasswordHash, 255))
                    .col(boolean(CairnAdminUsers::IsActive))
                    .col(timestamp_with_time_zone(CairnAdminUsers::CreatedAt))
                    .col(timestamp_with_time_zone(CairnAdminUsers::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CairnApiTokens::Table)
                    .col(
                        big_integer(CairnApiTokens::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(string_len_uniq(CairnApiTokens::Name, 255))
                    .col(text(CairnApiTokens::Description))
                    .col(string_len(CairnApiTokens::Kind, 32))
                    .col(string_len_uniq(CairnApiTokens::TokenHash, 128))
                    .col(timestamp_with_time_zone_null(CairnApiTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(CairnApiTokens::LastUsedAt))
                    .col(timestamp_with_time_zone(CairnApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone(CairnApiTokens::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CairnApiTokens::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CairnAdminUsers::Table).to_owned())
            .await
    }
}
