use sea_orm::entity::prelude::*;

use crate::db::cells::{Cells, Decode};

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

/// Decodes the rows of `Entity::find()` (every column, in field order) for
/// `Db::read`, so that SQLite reads them on the calling thread.
pub struct Rows;

impl Decode for Rows {
    type Output = Model;

    fn decode<C: Cells>(&self, row: &C, _index: usize) -> crate::error::Result<Model> {
        Ok(Model {
            id: row.cell(0)?,
            document_id: row.cell(1)?,
            name: row.cell(2)?,
            alternative_text: row.cell(3)?,
            caption: row.cell(4)?,
            width: row.cell(5)?,
            height: row.cell(6)?,
            formats: row.cell(7)?,
            hash: row.cell(8)?,
            ext: row.cell(9)?,
            mime: row.cell(10)?,
            size: row.cell(11)?,
            url: row.cell(12)?,
            preview_url: row.cell(13)?,
            provider: row.cell(14)?,
            provider_metadata: row.cell(15)?,
            folder_path: row.cell(16)?,
            focal_point: row.cell(17)?,
            blurhash: row.cell(18)?,
            dominant_color: row.cell(19)?,
            created_at: row.cell(20)?,
            updated_at: row.cell(21)?,
            sha256: row.cell(22)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ActiveModelTrait, IntoActiveModel, QueryOrder, QueryTrait};

    use super::*;
    use crate::config::DatabaseConfig;
    use crate::db::Db;

    #[tokio::test]
    async fn rows_decode_on_the_calling_thread_as_the_entity_does() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let config = DatabaseConfig {
            url: format!("sqlite://{}/files.db", folder.path().display()),
            ..DatabaseConfig::default()
        };
        let db = Db::connect(&config).await.expect("database");
        db.migrate().await.expect("system tables");
        let at = chrono::DateTime::parse_from_rfc3339("2026-03-01T10:20:30.125Z")
            .expect("time")
            .to_utc();
        let full = Model {
            id: 1,
            document_id: "f1".into(),
            name: "cover.jpg".into(),
            alternative_text: Some("A cover".into()),
            caption: None,
            width: Some(4000),
            height: Some(3000),
            formats: Some(serde_json::json!({"small": {"width": 500}})),
            hash: "cover_1".into(),
            ext: ".jpg".into(),
            mime: "image/jpeg".into(),
            size: 2_200_000,
            url: "/uploads/cover_1.jpg".into(),
            preview_url: None,
            provider: "local".into(),
            provider_metadata: None,
            folder_path: "/".into(),
            focal_point: Some(serde_json::json!({"x": 0.5, "y": 0.25})),
            blurhash: Some("LEHV6nWB2yk8".into()),
            dominant_color: Some("#aabbcc".into()),
            created_at: at,
            updated_at: at,
            sha256: Some("ab".repeat(32)),
        };
        let sparse = Model {
            id: 2,
            document_id: "f2".into(),
            hash: "notes_2".into(),
            width: None,
            height: None,
            formats: None,
            alternative_text: None,
            focal_point: None,
            blurhash: None,
            dominant_color: None,
            sha256: None,
            ..full.clone()
        };
        for model in [&full, &sparse] {
            model
                .clone()
                .into_active_model()
                .reset_all()
                .insert(db.conn())
                .await
                .expect("insert");
        }
        let select = db
            .backend()
            .db_backend()
            .build(&Entity::find().order_by_asc(Column::Id).into_query());
        let inline = db
            .inline
            .as_ref()
            .expect("a file database reads inline")
            .read(&select, &Rows)
            .expect("not declined");
        assert_eq!(inline, vec![full, sparse]);
        let pooled = db.conn().query_all_raw(select).await.expect("pool");
        let pooled: Vec<Model> = pooled
            .iter()
            .map(|row| Rows.decode(row, 0))
            .collect::<crate::error::Result<_>>()
            .expect("decode");
        assert_eq!(pooled, inline);
    }
}
