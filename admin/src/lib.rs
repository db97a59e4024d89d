//! Cairn's admin UI: server-rendered askama pages and their actix handlers,
//! mounted at `/admin`. It talks to the content engine (`cairn-core`) only.
//!
//! Every flow works with plain forms and POST-redirect-GET; `static/admin.js`
//! only enhances (API ids derived while typing, confirmations, the theme
//! toggle). Sessions live server-side (`cairn_core::auth::sessions`), every
//! POST carries a CSRF token, and the builder keeps its working copy of a
//! schema change per session (`cairn_core::schema::drafts`) until it is
//! reviewed and applied through the same engine call as `cairn schema apply`.

mod assets;
mod attribute_form;
mod content;
mod error;
mod form;
mod pages;
mod routes;
mod session;
mod type_form;

use actix_web::web;

/// Mounts the admin UI at `/admin`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/admin")
            .app_data(form::config())
            .configure(routes::assets::configure)
            .configure(routes::setup::configure)
            .configure(routes::auth::configure)
            .configure(routes::shell::configure)
            .configure(routes::content::configure)
            .configure(routes::history::configure)
            .configure(routes::entry::configure)
            .configure(routes::builder::configure)
            .configure(routes::settings::configure)
            .configure(routes::media::configure)
            .default_service(web::to(routes::shell::not_found)),
    );
}
