//! Admin UI sessions: a random token in a cookie, kept server-side as a
//! SHA-256 hash so that a leaked table cannot be replayed, and revoked by
//! deleting its row.
//!
//! Each session has a CSRF token derived from its secret token: forms carry
//! it in a hidden field, and it is compared in constant time. Deriving it
//! keeps nothing more at rest, and a page never shows the session token.

use std::time::Duration;

use rand::RngCore;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

use super::admin_users::{self, AdminUser};
use crate::db::entities::admin_session;
use crate::error::{Error, Result};
use crate::time::{Timestamp, now};

/// A signed-in administrator's session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The row id: what server-side data (drafts, flash) hangs on.
    pub id: i64,
    pub user: AdminUser,
    /// The token every state-changing form must carry.
    pub csrf_token: String,
    /// A message for the next page, set by the previous action.
    pub flash: Option<String>,
    pub expires_at: Timestamp,
}

impl Session {
    /// Whether `given` is this session's CSRF token, compared in constant time.
    pub fn csrf_matches(&self, given: &str) -> bool {
        constant_time_eq(self.csrf_token.as_bytes(), given.as_bytes())
    }
}

/// A random secret of 256 bits, hex-encoded: session tokens and the
/// double-submit CSRF token of pages shown before sign-in.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Compares two secrets without stopping at the first difference, so the
/// time taken does not tell how much of a guess was right.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

fn digest(label: &str, token: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(label.as_bytes());
    hasher.update([0]);
    hasher.update(token.as_bytes());
    hex::encode(hasher.finalize())
}

fn token_hash(token: &str) -> String {
    digest("cairn-admin-session", token)
}

fn csrf_token(token: &str) -> String {
    digest("cairn-admin-csrf", token)
}

/// Opens a session for `user` lasting `ttl`; returns the secret token for the
/// cookie (shown nowhere else) and the session. Expired sessions are removed
/// on the way.
pub async fn create(
    conn: &impl ConnectionTrait,
    user: AdminUser,
    ttl: Duration,
) -> Result<(String, Session)> {
    let timestamp = now();
    admin_session::Entity::delete_many()
        .filter(admin_session::Column::ExpiresAt.lte(timestamp))
        .exec(conn)
        .await?;
    let token = random_token();
    let expires_at = timestamp
        + chrono::Duration::from_std(ttl)
            .map_err(|_| Error::Config("auth.admin_token_ttl is too long".into()))?;
    let model = admin_session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user.id),
        flash: Set(None),
        created_at: Set(timestamp),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let session = Session {
        id: model.id,
        user,
        csrf_token: csrf_token(&token),
        flash: None,
        expires_at,
    };
    Ok((token, session))
}

/// The live session a token opens: not expired, its administrator active.
pub async fn find(conn: &impl ConnectionTrait, token: &str) -> Result<Option<Session>> {
    let Some(model) = admin_session::Entity::find()
        .filter(admin_session::Column::TokenHash.eq(token_hash(token)))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    if model.expires_at <= now() {
        admin_session::Entity::delete_by_id(model.id)
            .exec(conn)
            .await?;
        return Ok(None);
    }
    let Some(user) = admin_users::find(conn, model.user_id).await? else {
        return Ok(None);
    };
    Ok(Some(Session {
        id: model.id,
        user,
        csrf_token: csrf_token(token),
        flash: model.flash,
        expires_at: model.expires_at,
    }))
}

/// Ends the session a token opens, if any.
pub async fn delete(conn: &impl ConnectionTrait, token: &str) -> Result<()> {
    admin_session::Entity::delete_many()
        .filter(admin_session::Column::TokenHash.eq(token_hash(token)))
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends every session of an administrator.
pub async fn end_all(conn: &impl ConnectionTrait, user_id: i64) -> Result<()> {
    admin_session::Entity::delete_many()
        .filter(admin_session::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Sets (or with `None` clears) the message the session's next page shows.
pub async fn set_flash(
    conn: &impl ConnectionTrait,
    session_id: i64,
    message: Option<String>,
) -> Result<()> {
    admin_session::Entity::update_many()
        .col_expr(admin_session::Column::Flash, Expr::value(message))
        .filter(admin_session::Column::Id.eq(session_id))
        .exec(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
    }

    #[test]
    fn stored_hash_and_csrf_token_differ_from_the_token_and_each_other() {
        let token = random_token();
        assert_eq!(token.len(), 64);
        assert_ne!(token_hash(&token), token);
        assert_ne!(csrf_token(&token), token_hash(&token));
        assert_eq!(csrf_token(&token), csrf_token(&token));
        assert_ne!(random_token(), token);
    }
}
