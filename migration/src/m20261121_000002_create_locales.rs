use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CairnLocales {
    Table,
    Id,
    Code,
    Name,
    IsDefault,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CairnLocales::Table)
                    .col(big_integer(CairnLocales::Id).auto_increment().primary_key())
                    .col(string_len_uniq(CairnLocales::Code, 35))
                    .col(string_len(CairnLocales::Name, 255))
                    .col(boolean(CairnLocales::IsDefault))
                    .col(timestamp_with_time_zone(CairnLocales::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // Every installation starts with one locale so that localized types work
        // before anyone visits the locale settings.
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(CairnLocales::Table)
                    .columns([
                        CairnLocales::Code,
                        CairnLocales::Name,
                        CairnLocales::IsDefault,
                        CairnLocales::CreatedAt,
                    ])
                    .values_panic([
                        "en".into(),
                        "English (en)".into(),
                        true.into(),
                        Expr::current_timestamp(),
                    ])
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CairnLocales::Table).to_owned())
            .await
    }
}
