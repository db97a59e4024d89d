//! API tokens for apps: shown once at creation, kept as a SHA-256 hash.
//!
//! Tokens carry 256 bits of randomness, so a fast hash is enough: there is
//! nothing to brute-force, and checking one costs a lookup, not an argon2 run.

use std::sync::Arc;
use std::time::Duration;

use rand::RngCore;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::db::entities::api_token;
use crate::error::{Error, Result};
use crate::flights::Flights;
use crate::time::{format_datetime, now};

/// Every token starts with this, so secret scanners and people recognise one.
pub const TOKEN_PREFIX: &str = "cairn_";

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenKind {
    /// Read published content.
    ReadOnly,
    /// Read and write all content, drafts included.
    FullAccess,
}

impl TokenKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::ReadOnly => "read-only",
            TokenKind::FullAccess => "full-access",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "read-only" => Some(TokenKind::ReadOnly),
            "full-access" => Some(TokenKind::FullAccess),
            _ => None,
        }
    }
}

/// A token as listed: never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub description: String,
    #[serde(rename = "type")]
    pub kind: TokenKind,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub created_at: String,
}

impl ApiToken {
    fn from_model(model: api_token::Model) -> Result<Self> {
        Ok(ApiToken {
            kind: TokenKind::parse(&model.kind).ok_or_else(|| {
                Error::internal(format!(
                    "token {} has unknown type {}",
                    model.id, model.kind
                ))
            })?,
            id: model.id,
            name: model.name,
            description: model.description,
            expires_at: model.expires_at.map(format_datetime),
            last_used_at: model.last_used_at.map(format_datetime),
            created_at: format_datetime(model.created_at),
        })
    }
}

/// A new token and its secret, which is never shown again.
#[derive(Debug, Clone)]
pub struct CreatedToken {
    pub token: ApiToken,
    pub secret: String,
}

fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Creates a token. `lifetime` None means it never expires.
pub async fn create(
    conn: &impl ConnectionTrait,
    name: &str,
    description: &str,
    kind: TokenKind,
    lifetime: Option<Duration>,
) -> Result<CreatedToken> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 255 {
        return Err(Error::field("name", "must be between 1 and 255 characters"));
    }
    if api_token::Entity::find()
        .filter(api_token::Column::Name.eq(name))
        .one(conn)
        .await?
        .is_some()
    {
        return Err(Error::field(
            "name",
            format!("a token named `{name}` already exists"),
        ));
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = format!("{TOKEN_PREFIX}{}", hex::encode(bytes));
    let timestamp = now();
    let expires_at = match lifetime {
        Some(lifetime) => Some(
            timestamp
                + chrono::Duration::from_std(lifetime)
                    .map_err(|_| Error::field("duration", "is too long"))?,
        ),
        None => None,
    };
    let model = api_token::ActiveModel {
        name: Set(name.to_owned()),
        description: Set(description.to_owned()),
        kind: Set(kind.as_str().to_owned()),
        token_hash: Set(digest(&secret)),
        expires_at: Set(expires_at),
        last_used_at: Set(None),
        created_at: Set(timestamp),
        updated_at: Set(timestamp),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(CreatedToken {
        token: ApiToken::from_model(model)?,
        secret,
    })
}

/// How long a checked token is trusted without asking the database. A token
/// revoked by another process stops working within this time.
pub const TOKEN_CACHE_TTL: Duration = Duration::from_secs(30);

/// Tokens checked recently, by digest of their secret. Shared, so that a
/// request's check copies no strings.
pub struct TokenCache {
    checked: moka::sync::Cache<[u8; 32], Option<Arc<ApiToken>>>,
    /// Checks under way. When a busy token's entry expires, every request in
    /// flight misses at once: they wait for one check instead of all reading
    /// the row and, once a minute, all updating it, one after the other.
    flights: Flights<[u8; 32]>,
}

impl Default for TokenCache {
    fn default() -> Self {
        TokenCache {
            checked: moka::sync::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(TOKEN_CACHE_TTL)
                .build(),
            flights: Flights::default(),
        }
    }
}

impl TokenCache {
    /// `verify`, remembered for `TOKEN_CACHE_TTL` (unknown secrets too, so
    /// that guessing costs no queries). Expiry is checked on every call.
    pub async fn verify(
        &self,
        conn: &impl ConnectionTrait,
        secret: &str,
    ) -> Result<Option<Arc<ApiToken>>> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let key: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        let token = match self.checked.get(&key) {
            Some(token) => token,
            None => {
                let _turn = self.flights.turn(key).await;
                match self.checked.get(&key) {
                    Some(token) => token,
                    None => {
                        let token = verify(conn, secret).await?.map(Arc::new);
                        self.checked.insert(key, token.clone());
                        token
                    }
                }
            }
        };
        Ok(token.filter(|t| {
            t.expires_at
                .as_deref()
                .is_none_or(|at| at > format_datetime(now()).as_str())
        }))
    }

    /// Forgets every checked token, after a revocation.
    pub fn forget(&self) {
        self.checked.invalidate_all();
    }
}

/// The token a request presents, if it exists and has not expired.
pub async fn verify(conn: &impl ConnectionTrait, secret: &str) -> Result<Option<ApiToken>> {
    if !secret.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let model = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(digest(secret)))
        .one(conn)
        .await?;
    let Some(model) = model else {
        return Ok(None);
    };
    if model.expires_at.is_some_and(|at| at <= now()) {
        return Ok(None);
    }
    // One write a minute at most, so reads stay reads.
    if model
        .last_used_at
        .is_none_or(|at| now() - at > chrono::Duration::minutes(1))
    {
        let mut active: api_token::ActiveModel = model.clone().into();
        active.last_used_at = Set(Some(now()));
        active.update(conn).await?;
    }
    Ok(Some(ApiToken::from_model(model)?))
}

pub async fn list(conn: &impl ConnectionTrait) -> Result<Vec<ApiToken>> {
    api_token::Entity::find()
        .order_by_asc(api_token::Column::Name)
        .all(conn)
        .await?
        .into_iter()
        .map(ApiToken::from_model)
        .collect()
}

/// Deletes a token by name; `false` when there was none.
pub async fn revoke(conn: &impl ConnectionTrait, name: &str) -> Result<bool> {
    let result = api_token::Entity::delete_many()
        .filter(api_token::Column::Name.eq(name))
        .exec(conn)
        .await?;
    Ok(result.rows_affected > 0)
}

/// Parses durations such as `30d`, `12h` or `1w`.
pub fn parse_duration(text: &str) -> Result<Duration> {
    humantime::parse_duration(text).map_err(|e| {
        Error::field(
            "duration",
            format!("`{text}` is not a duration such as 30d or 12h: {e}"),
        )
    })
}
