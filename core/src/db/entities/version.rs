use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "cairn_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub type_uid: String,
    pub document_id: String,
    pub locale: String,
    pub status: String,
    pub reason: String,
    pub data: Json,
    pub created_at: DateTimeUtc,
    pub created_by_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
