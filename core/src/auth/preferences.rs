//! What an administrator chose in the admin and expects to find again (the
//! columns of a list), kept in `cairn_settings` under their user id, so
//! every instance and every browser they sign in from sees the same.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::Value;

use crate::db::entities::setting;
use crate::error::Result;
use crate::time::now;

fn key(user: i64, name: &str) -> String {
    format!("preferences:{user}:{name}")
}

/// The stored value of preference `name`, if the user set one.
pub async fn load(conn: &impl ConnectionTrait, user: i64, name: &str) -> Result<Option<Value>> {
    Ok(setting::Entity::find_by_id(key(user, name))
        .one(conn)
        .await?
        .map(|row| row.value))
}

/// Sets preference `name` for `user`, replacing what was there.
pub async fn save(conn: &impl ConnectionTrait, user: i64, name: &str, value: Value) -> Result<()> {
    setting::Entity::insert(setting::ActiveModel {
        key: Set(key(user, name)),
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
