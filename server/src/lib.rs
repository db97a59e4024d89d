//! The `cairn` binary's library: the command line and the HTTP layer.
//!
//! `main.rs` only parses arguments and calls [`cli::run`]; tests call the same
//! function, and start the same HTTP application through [`app::serve`].

pub mod app;
pub mod cli;
pub mod http;
pub mod openapi;
pub mod routes;
pub mod telemetry;
