//! The schema's metadata rows: one per content type (its Strapi definition and
//! field ids) and one per component, in `cairn_content_types` and
//! `cairn_components`.

use std::collections::BTreeMap;

use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::build::build;
use super::ddl::{Plan, Step};
use super::model::{
    ComponentDef, ComponentSource, ContentTypeDef, ContentTypeSource, SchemaSources,
};
use super::registry::Schema;
use crate::db::entities::{component, content_type};
use crate::error::{Error, Result};
use crate::time::now;

/// Reads the schema in force.
pub async fn load(conn: &impl ConnectionTrait) -> Result<Schema> {
    let type_rows = content_type::Entity::find().all(conn).await?;
    let component_rows = component::Entity::find().all(conn).await?;
    let mut sources = SchemaSources::default();
    let mut field_ids = BTreeMap::new();
    for row in type_rows {
        let def: ContentTypeDef = serde_json::from_str(&row.schema)
            .map_err(|e| Error::internal(format!("stored schema of {}: {e}", row.uid)))?;
        let ids: BTreeMap<String, String> = serde_json::from_str(&row.field_ids)
            .map_err(|e| Error::internal(format!("stored field ids of {}: {e}", row.uid)))?;
        field_ids.insert(row.uid.clone(), ids);
        sources.content_types.push(ContentTypeSource {
            origin: format!("stored schema › {}", row.uid),
            uid: row.uid,
            def,
        });
    }
    for row in component_rows {
        let def: ComponentDef = serde_json::from_str(&row.schema)
            .map_err(|e| Error::internal(format!("stored schema of {}: {e}", row.uid)))?;
        sources.components.push(ComponentSource {
            origin: format!("stored schema › {}", row.uid),
            uid: row.uid,
            def,
        });
    }
    let schema = build(&sources).map_err(|errors| {
        Error::internal(format!("the stored schema no longer validates: {errors}"))
    })?;
    Ok(schema.with_field_ids(field_ids))
}

/// Writes the metadata of every type and component the plan touches.
pub async fn save(conn: &impl ConnectionTrait, plan: &Plan) -> Result<()> {
    let timestamp = now();
    for step in &plan.steps {
        match step {
            Step::CreateComponent { uid } | Step::UpdateComponent { uid } => {
                let component = plan.target.component(uid).ok_or_else(|| {
                    Error::internal(format!("plan names missing component {uid}"))
                })?;
                let schema = serde_json::to_string(&component.def).map_err(Error::internal)?;
                component::Entity::insert(component::ActiveModel {
                    uid: Set(uid.clone()),
                    schema: Set(schema),
                    created_at: Set(timestamp),
                    updated_at: Set(timestamp),
                    ..Default::default()
                })
                .on_conflict(
                    OnConflict::column(component::Column::Uid)
                        .update_columns([component::Column::Schema, component::Column::UpdatedAt])
                        .to_owned(),
                )
                .exec(conn)
                .await?;
            }
            Step::DropComponent { uid } => {
                component::Entity::delete_many()
                    .filter(component::Column::Uid.eq(uid.as_str()))
                    .exec(conn)
                    .await?;
            }
            Step::CreateType { uid, .. } | Step::AlterType { uid, .. } => {
                if let Step::AlterType {
                    renamed_from: Some(old_uid),
                    ..
                } = step
                {
                    content_type::Entity::delete_many()
                        .filter(content_type::Column::Uid.eq(old_uid.as_str()))
                        .exec(conn)
                        .await?;
                }
                let content_type = plan
                    .target
                    .content_type(uid)
                    .ok_or_else(|| Error::internal(format!("plan names missing type {uid}")))?;
                content_type::Entity::insert(content_type::ActiveModel {
                    uid: Set(uid.clone()),
                    table_name: Set(content_type.table.clone()),
                    schema: Set(serde_json::to_string(&content_type.def).map_err(Error::internal)?),
                    field_ids: Set(
                        serde_json::to_string(&content_type.field_ids).map_err(Error::internal)?
                    ),
                    created_at: Set(timestamp),
                    updated_at: Set(timestamp),
                    ..Default::default()
                })
                .on_conflict(
                    OnConflict::column(content_type::Column::Uid)
                        .update_columns([
                            content_type::Column::TableName,
                            content_type::Column::Schema,
                            content_type::Column::FieldIds,
                            content_type::Column::UpdatedAt,
                        ])
                        .to_owned(),
                )
                .exec(conn)
                .await?;
            }
            Step::DropType { uid, .. } => {
                content_type::Entity::delete_many()
                    .filter(content_type::Column::Uid.eq(uid.as_str()))
                    .exec(conn)
                    .await?;
            }
        }
    }
    Ok(())
}
