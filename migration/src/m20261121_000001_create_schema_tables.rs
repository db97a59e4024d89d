use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CairnContentTypes {
    Table,
    Id,
    Uid,
    TableName,
    Schema,
    FieldIds,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CairnComponents {
    Table,
    Id,
    Uid,
    Schema,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CairnSettings {
    Table,
    Key,
    Value,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CairnContentTypes::Table)
                    .col(
                        big_integer(CairnContentTypes::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(string_len_uniq(CairnContentTypes::Uid, 255))
                    .col(string_len_uniq(CairnContentTypes::TableName, 63))
                    .col(json_binary(CairnContentTypes::Schema))
                    .col(json_binary(CairnContentTypes::FieldIds))
                    .col(timestamp_with_time_zone(CairnContentTypes::CreatedAt))
                    .col(timestamp_with_time_zone(CairnContentTypes::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CairnComponents::Table)
                    .col(
                        big_integer(CairnComponents::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(string_len_uniq(CairnComponents::Uid, 255))
                    .col(json_binary(CairnComponents::Schema))
                    .col(timestamp_with_time_zone(CairnComponents::CreatedAt))
                    .col(timestamp_with_time_zone(CairnComponents::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CairnSettings::Table)
                    .col(string_len(CairnSettings::Key, 255).primary_key())
                    .col(json_binary(CairnSettings::Value))
                    .col(timestamp_with_time_zone(CairnSettings::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CairnSettings::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CairnComponents::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CairnContentTypes::Table).to_owned())
            .await
    }
}
