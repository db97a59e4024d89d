//! Signed session tokens for admin users (HS256).

use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What an admin session token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminClaims {
    /// The admin user's id.
    pub sub: i64,
    pub iat: u64,
    pub exp: u64,
    /// Always `admin`, so that other tokens signed with the same secret
    /// (app users, later) are never taken for admin sessions.
    pub aud: String,
}

const AUDIENCE: &str = "admin";

/// Signs a session token for `user_id`, valid for `ttl`.
pub fn issue(secret: &[u8], user_id: i64, ttl: Duration) -> Result<String> {
    let now = jsonwebtoken::get_current_timestamp();
    let claims = AdminClaims {
        sub: user_id,
        iat: now,
        exp: now + ttl.as_secs(),
        aud: AUDIENCE.to_owned(),
    };
    encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret),
    )
    .map_err(|e| Error::internal(format!("cannot sign token: {e}")))
}

/// Checks a session token's signature, expiry and audience.
pub fn verify(secret: &[u8], token: &str) -> Result<AdminClaims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&[AUDIENCE]);
    validation.leeway = 5;
    decode::<AdminClaims>(token, &DecodingKey::from_secret(secret), &validation)
        .map(|data| data.claims)
        .map_err(|e| Error::Unauthorized(format!("invalid admin token: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_reject_other_secrets() -> Result<()> {
        let token = issue(b"secret-one", 7, Duration::from_secs(60))?;
        assert_eq!(verify(b"secret-one", &token)?.sub, 7);
        assert!(verify(b"secret-two", &token).is_err());
        assert!(verify(b"secret-one", "not.a.token").is_err());
        Ok(())
    }
}
