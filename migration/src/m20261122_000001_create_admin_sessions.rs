use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CairnAdminUsers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CairnAdminSessions {
    Table,
    Id,
    TokenHash,
    UserId,
    Flash,
    CreatedAt,
    ExpiresAt,
}

/// A draft's document is JSON kept as text: PostgreSQL's `jsonb` (and a JSON
/// value bound as a parameter) reorders object keys, and the order of a
/// draft's attributes is the order of its fields.
#[derive(DeriveIden)]
enum CairnAdminDrafts {
    Table,
    Id,
    SessionId,
    Key,
    Document,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CairnAdminSessions::Table)
                    .col(
                        big_integer(CairnAdminSessions::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(string_len_uniq(CairnAdminSessions::TokenHash, 64))
                    .col(big_integer(CairnAdminSessions::UserId))
                    .col(text_null(CairnAdminSessions::Flash))
                    .col(timestamp_with_time_zone(CairnAdminSessions::CreatedAt))
                    .col(timestamp_with_time_zone(CairnAdminSessions::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CairnAdminSessions::Table, CairnAdminSessions::UserId)
                            .to(CairnAdminUsers::Table, CairnAdminUsers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("cairn_admin_sessions_expires_at")
                    .table(CairnAdminSessions::Table)
                    .col(CairnAdminSessions::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CairnAdminDrafts::Table)
                    .col(
                        big_integer(CairnAdminDrafts::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(big_integer(CairnAdminDrafts::SessionId))
                    .col(string_len(CairnAdminDrafts::Key, 255))
                    .col(text(CairnAdminDrafts::Document))
                    .col(timestamp_with_time_zone(CairnAdminDrafts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CairnAdminDrafts::Table, CairnAdminDrafts::SessionId)
                            .to(CairnAdminSessions::Table, CairnAdminSessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("cairn_admin_drafts_session_key")
                    .table(CairnAdminDrafts::Table)
                    .col(CairnAdminDrafts::SessionId)
                    .col(CairnAdminDrafts::Key)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CairnAdminDrafts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CairnAdminSessions::Table).to_owned())
            .await
    }
}
