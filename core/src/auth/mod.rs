//! Who may do what: admin users (argon2id passwords, signed session tokens)
//! and API tokens (hashed at rest, shown once).

pub mod admin_users;
pub mod api_tokens;
pub mod jwt;
pub mod password;
pub mod permissions;
