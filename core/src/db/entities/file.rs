use sea_orm::entity::prelude::*;

/// An uploaded file; media attributes link to it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "cairn_files")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub document_id: String,
    pub name: String,
    pub alternative_text: Option<String>,
    pub caption: Option<String>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub formats: Option<Json>,
    /// The original's storage name without extension (Strapi's `hash`).
    #[sea_orm(unique)]
    pub hash: String,
    pub ext: String,
    pub mime: String,
    /// Bytes.
    pub size: i64,
    pub url: String,
    pub preview_url: Option<String>,
    pub provider: String,
    pub provider_metadata: Option<Json>,
    pub folder_path: String,
    pub focal_point: Option<Json>,
    pub blurhash: Option<String>,
    pub dominant_color: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// SHA-256 of the content, hex.
    pub sha256: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
