//! The management API the admin UI and tools use: sign-in, schema, locales.
//! Everything but sign-in needs an admin session token.

mod auth;
mod locales;
mod schema;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/management")
            .configure(auth::configure)
            .configure(schema::configure)
            .configure(locales::configure),
    );
}
