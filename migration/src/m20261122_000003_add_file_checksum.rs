use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The SHA-256 of each file's content: strong ETags for originals and the
/// variants derived from them, and a check that a stored object is intact.
#[derive(DeriveIden)]
enum CairnFiles {
    Table,
    Sha256,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CairnFiles::Table)
                    .add_column(string_len_null(CairnFiles::Sha256, 64))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CairnFiles::Table)
                    .drop_column(CairnFiles::Sha256)
                    .to_owned(),
            )
            .await
    }
}
