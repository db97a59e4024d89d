//! What an administrator chose in the admin and expects to find again (the
//! columns of a list), kept in `cairn_settings` under their user id, so
//! every instance and every browser they sign in from sees the same.

use sea_orm::ConnectionTrait;
use serde_json::Value;

use crate::db::settings;
use crate::error::Result;

fn key(user: i64, name: &str) -> String {
    format!("preferences:{user}:{name}")
}

/// The stored value of preference `name`, if the user set one.
pub async fn load(conn: &impl ConnectionTrait, user: i64, name: &str) -> Result<Option<Value>> {
    settings::get(conn, &key(user, name)).await
}

/// Sets preference `name` for `user`, replacing what was there.
pub async fn save(conn: &impl ConnectionTrait, user: i64, name: &str, value: Value) -> Result<()> {
    settings::put(conn, &key(user, name), value).await
}
