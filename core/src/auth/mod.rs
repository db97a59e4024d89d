//! Who may do what: admin users (argon2id passwords, signed session tokens
//! for the management API, cookie sessions for the admin UI, throttled
//! sign-in) and API tokens (hashed at rest, shown once).

pub mod admin_users;
pub mod api_tokens;
pub mod jwt;
pub mod password;
pub mod permissions;
pub mod preferences;
pub mod sessions;
pub mod throttle;
