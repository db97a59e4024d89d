//! Cairn's own settings (`cairn_settings`): JSON values by key, shared by
//! every instance on the database.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::Value;

use super::entities::setting;
use crate::error::Result;
use crate::time::now;

/// The value stored under `key`, if any.
pub async fn get(conn: &impl ConnectionTrait, key: &str) -> Result<Option<Value>> {
    Ok(setting::Entity::find_by_id(key.to_owned())
        .one(conn)
        .await?
        .map(|row| row.value))
}

/// Stores `value` under `key`, replacing what was there.
pub async fn put(conn: &impl ConnectionTrait, key: &str, value: Value) -> Result<()> {
    setting::Entity::insert(setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value),
        updated_at: Set(now()),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .update_columns([setting::Column::Value, setting::Column::UpdatedAt])
            .to_owned(),
    )
    .exec(conn)
    .await?;
    Ok(())
}
