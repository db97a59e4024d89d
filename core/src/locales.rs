//! The locales content can be written in, and which one is the default.

use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use serde::Serialize;

use crate::db::Db;
use crate::db::entities::locale;
use crate::error::{Error, Result};
use crate::time::now;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Locale {
    pub code: String,
    pub name: String,
    pub is_default: bool,
}

impl From<locale::Model> for Locale {
    fn from(model: locale::Model) -> Self {
        Locale {
            code: model.code,
            name: model.name,
            is_default: model.is_default,
        }
    }
}

/// The default locale, remembered until the next change: reads ask for it
/// on every request. Any change (here or, through notifications, on another
/// instance) moves the generation and the next read asks the database again.
#[derive(Debug, Default)]
pub struct DefaultLocale {
    cached: std::sync::Mutex<Option<(u64, String)>>,
}

impl DefaultLocale {
    pub async fn get(&self, conn: &impl ConnectionTrait, generation: u64) -> Result<String> {
        if let Ok(cached) = self.cached.lock()
            && let Some((at, code)) = cached.as_ref()
            && *at == generation
        {
            return Ok(code.clone());
        }
        let code = default_code(conn).await?;
        if let Ok(mut cached) = self.cached.lock() {
            *cached = Some((generation, code.clone()));
        }
        Ok(code)
    }
}

/// The default locale's code.
pub async fn default_code(conn: &impl ConnectionTrait) -> Result<String> {
    locale::Entity::find()
        .filter(locale::Column::IsDefault.eq(true))
        .one(conn)
        .await?
        .map(|l| l.code)
        .ok_or_else(|| Error::internal("no default locale is configured"))
}

/// Every configured locale, the default first.
pub async fn list(conn: &impl ConnectionTrait) -> Result<Vec<Locale>> {
    Ok(locale::Entity::find()
        .order_by_desc(locale::Column::IsDefault)
        .order_by_asc(locale::Column::Code)
        .all(conn)
        .await?
        .into_iter()
        .map(Locale::from)
        .collect())
}

pub async fn exists(conn: &impl ConnectionTrait, code: &str) -> Result<bool> {
    Ok(locale::Entity::find()
        .filter(locale::Column::Code.eq(code))
        .one(conn)
        .await?
        .is_some())
}

/// Checks a locale code: a BCP 47 tag such as `en`, `fr-CA` or `zh-Hans`.
pub fn check_code(code: &str) -> Result<(), String> {
    let mut parts = code.split('-');
    let language_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_lowercase()));
    let rest_ok =
        parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if language_ok && rest_ok && code.len() <= 35 {
        Ok(())
    } else {
        Err(format!(
            "`{code}` is not a locale code: use a BCP 47 tag such as en, fr-CA or zh-Hans"
        ))
    }
}

/// Adds a locale; the first one added with `is_default` becomes the default.
pub async fn create(db: &Db, code: &str, name: &str, is_default: bool) -> Result<Locale> {
    check_code(code).map_err(|message| Error::field("code", message))?;
    if name.trim().is_empty() {
        return Err(Error::field("name", "name cannot be empty"));
    }
    let txn = db.begin_write().await?;
    if exists(&txn, code).await? {
        return Err(Error::field(
            "code",
            format!("locale `{code}` already exists"),
        ));
    }
    if is_default {
        clear_default(&txn).await?;
    }
    let model = locale::ActiveModel {
        code: Set(code.to_owned()),
        name: Set(name.trim().to_owned()),
        is_default: Set(is_default),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(model.into())
}

/// Makes `code` the default locale.
pub async fn set_default(db: &Db, code: &str) -> Result<Locale> {
    let txn = db.begin_write().await?;
    let model = find(&txn, code).await?;
    clear_default(&txn).await?;
    let mut active = model.into_active_model();
    active.is_default = Set(true);
    let model = active.update(&txn).await?;
    txn.commit().await?;
    Ok(model.into())
}

/// Removes a locale. The default locale cannot be removed; content written in
/// the locale must be deleted first.
pub(crate) async fn delete(db: &Db, code: &str, rows_in_locale: u64) -> Result<()> {
    let conn = db.conn();
    let model = find(conn, code).await?;
    if model.is_default {
        return Err(Error::InvalidState(format!(
            "`{code}` is the default locale; make another locale the default first"
        )));
    }
    if rows_in_locale > 0 {
        return Err(Error::InvalidState(format!(
            "{rows_in_locale} entries are written in `{code}`; delete them first"
        )));
    }
    locale::Entity::delete_by_id(model.id).exec(conn).await?;
    Ok(())
}

async fn find(conn: &impl ConnectionTrait, code: &str) -> Result<locale::Model> {
    locale::Entity::find()
        .filter(locale::Column::Code.eq(code))
        .one(conn)
        .await?
        .ok_or_else(|| Error::LocaleNotFound {
            code: code.to_owned(),
        })
}

async fn clear_default(conn: &impl ConnectionTrait) -> Result<()> {
    locale::Entity::update_many()
        .col_expr(
            locale::Column::IsDefault,
            sea_orm::sea_query::Expr::value(false),
        )
        .filter(locale::Column::IsDefault.eq(true))
        .exec(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_code;

    #[test]
    fn locale_codes_are_bcp47_tags() {
        assert!(check_code("en").is_ok());
        assert!(check_code("fr-CA").is_ok());
        assert!(check_code("zh-Hans").is_ok());
        assert!(check_code("EN").is_err());
        assert!(check_code("english").is_err());
        assert!(check_code("en_US").is_err());
    }
}
