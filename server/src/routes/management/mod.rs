//! The management API the admin UI and tools use: sign-in, schema, locales,
//! the public role's permissions, and content as editors manage it.
//! Everything but sign-in needs an admin session token.

pub mod auth;
pub mod content;
pub mod locales;
pub mod permissions;
pub mod schema;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/management")
            .configure(auth::configure)
            .configure(schema::configure)
            .configure(locales::configure)
            .configure(permissions::configure)
            .configure(content::configure),
    );
}
