//! Administrators of the admin UI and the management API.

use std::sync::LazyLock;

use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde::Serialize;

use super::password;
use crate::db::entities::admin_user;
use crate::error::{Error, Result, ValidationErrors};
use crate::time::{format_datetime, now};

/// Shortest accepted password.
pub const MIN_PASSWORD_LENGTH: usize = 8;
/// Longest accepted password (hashing cost grows with length).
pub const MAX_PASSWORD_LENGTH: usize = 256;

/// An administrator as the API shows one: never the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminUser {
    pub id: i64,
    pub email: String,
    pub firstname: String,
    pub lastname: String,
    pub is_active: bool,
    pub created_at: String,
}

impl From<admin_user::Model> for AdminUser {
    fn from(model: admin_user::Model) -> Self {
        AdminUser {
            id: model.id,
            email: model.email,
            firstname: model.firstname,
            lastname: model.lastname,
            is_active: model.is_active,
            created_at: format_datetime(model.created_at),
        }
    }
}

impl AdminUser {
    /// How other administrators see this one: the name, or the email
    /// when there is none.
    pub fn display_name(&self) -> String {
        let name = format!("{} {}", self.firstname, self.lastname);
        let name = name.trim();
        if name.is_empty() {
            self.email.clone()
        } else {
            name.to_owned()
        }
    }
}

/// What creating an administrator takes.
#[derive(Debug, Clone, Default)]
pub struct NewAdmin {
    pub email: String,
    pub password: String,
    pub firstname: String,
    pub lastname: String,
}

/// Checks a new administrator; every failing field is reported.
pub fn check(new: &NewAdmin) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let email = new.email.trim();
    let at = email.find('@');
    if email.is_empty()
        || at.is_none_or(|i| i == 0 || !email[i + 1..].contains('.'))
        || email.chars().any(char::is_whitespace)
    {
        errors.push("email", "must be a valid email address");
    }
    if let Err(message) = check_password(&new.password) {
        errors.push("password", message);
    }
    if new.firstname.chars().count() > 255 {
        errors.push("firstname", "must be at most 255 characters");
    }
    if new.lastname.chars().count() > 255 {
        errors.push("lastname", "must be at most 255 characters");
    }
    errors.into_result()
}

/// A password's length rules.
fn check_password(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_LENGTH {
        Err(format!("must be at least {MIN_PASSWORD_LENGTH} characters"))
    } else if length > MAX_PASSWORD_LENGTH {
        Err(format!("must be at most {MAX_PASSWORD_LENGTH} characters"))
    } else {
        Ok(())
    }
}

/// Creates an administrator. Emails are unique, compared case-insensitively.
pub async fn create(conn: &impl ConnectionTrait, new: &NewAdmin) -> Result<AdminUser> {
    check(new)?;
    let email = new.email.trim().to_lowercase();
    if find_by_email(conn, &email).await?.is_some() {
        return Err(Error::field(
            "email",
            format!("an administrator with email {email} already exists"),
        ));
    }
    let timestamp = now();
    let model = admin_user::ActiveModel {
        email: Set(email),
        firstname: Set(new.firstname.trim().to_owned()),
        lastname: Set(new.lastname.trim().to_owned()),
        password_hash: Set(password::hash(&new.password)?),
        is_active: Set(true),
        created_at: Set(timestamp),
        updated_at: Set(timestamp),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(model.into())
}

/// The active administrator with these credentials. The same error answers
/// a wrong email and a wrong password.
pub async fn authenticate(
    conn: &impl ConnectionTrait,
    email: &str,
    password: &str,
) -> Result<AdminUser> {
    let user = find_by_email(conn, &email.trim().to_lowercase()).await?;
    match user {
        Some(user) if user.is_active && password::verify(password, &user.password_hash) => {
            Ok(user.into())
        }
        Some(_) => Err(Error::InvalidCredentials),
        None => {
            // Spend the same time as a real check, so timing does not tell
            // which emails exist.
            password::verify(password, &DUMMY_HASH);
            Err(Error::InvalidCredentials)
        }
    }
}

/// A real hash of nothing in particular, verified against when the email is
/// unknown.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| password::hash("cairn timing guard").unwrap_or_default());

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<Option<AdminUser>> {
    Ok(admin_user::Entity::find_by_id(id)
        .one(conn)
        .await?
        .filter(|u| u.is_active)
        .map(AdminUser::from))
}

/// The name an administrator's saves are shown with, deactivated or not.
pub async fn name_of(conn: &impl ConnectionTrait, id: i64) -> Result<Option<String>> {
    Ok(admin_user::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(|model| AdminUser::from(model).display_name()))
}

async fn find_by_email(
    conn: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<admin_user::Model>> {
    Ok(admin_user::Entity::find()
        .filter(admin_user::Column::Email.eq(email))
        .one(conn)
        .await?)
}

/// How many administrators exist; none means the first-run setup is open.
pub async fn count(conn: &impl ConnectionTrait) -> Result<u64> {
    Ok(admin_user::Entity::find().count(conn).await?)
}

/// Every administrator, active or not, by email.
pub async fn list(conn: &impl ConnectionTrait) -> Result<Vec<AdminUser>> {
    Ok(admin_user::Entity::find()
        .order_by_asc(admin_user::Column::Email)
        .all(conn)
        .await?
        .into_iter()
        .map(AdminUser::from)
        .collect())
}

async fn model(conn: &impl ConnectionTrait, id: i64) -> Result<admin_user::Model> {
    admin_user::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::RecordNotFound {
            kind: "administrator",
            key: id.to_string(),
        })
}

/// Lets an administrator sign in again, or stops them: a deactivated
/// administrator's sessions stop working at once (they are checked against
/// the account on every request). The last active administrator cannot be
/// deactivated, or nobody could sign in.
pub async fn set_active(conn: &impl ConnectionTrait, id: i64, active: bool) -> Result<AdminUser> {
    let current = model(conn, id).await?;
    if !active && current.is_active {
        let others = admin_user::Entity::find()
            .filter(admin_user::Column::IsActive.eq(true))
            .filter(admin_user::Column::Id.ne(id))
            .count(conn)
            .await?;
        if others == 0 {
            return Err(Error::InvalidState(
                "the last active administrator cannot be deactivated".to_owned(),
            ));
        }
    }
    let mut changed: admin_user::ActiveModel = current.into();
    changed.is_active = Set(active);
    changed.updated_at = Set(now());
    Ok(changed.update(conn).await?.into())
}

/// Gives an administrator a new password and ends their sessions.
pub async fn set_password(conn: &impl ConnectionTrait, id: i64, password: &str) -> Result<()> {
    check_password(password).map_err(|message| Error::field("password", message))?;
    let mut changed: admin_user::ActiveModel = model(conn, id).await?.into();
    changed.password_hash = Set(password::hash(password)?);
    changed.updated_at = Set(now());
    changed.update(conn).await?;
    super::sessions::end_all(conn, id).await
}
