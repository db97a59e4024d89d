//! The stable API Cairn plugins compile against: lifecycle hooks, event
//! subscribers, routes, custom field types, admin pages and scheduled jobs.
//!
//! It depends on neither the database layer nor the content engine, so that
//! plugins keep compiling as Cairn's internals change. The API itself arrives
//! with the plugin issue.
