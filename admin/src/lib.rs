//! Cairn's admin UI: server-rendered askama pages and their actix handlers,
//! mounted at `/admin`. It talks to the content engine (`cairn-core`) only.
//!
//! The UI arrives with its own issue (shell, sign-in, content-type builder);
//! the crate exists now so that the dependency graph the design fixes,
//! server -> admin -> core, holds from the start.
