//! Routes, one module per area, each with its own `configure`.

pub mod content;
pub mod health;
pub mod management;
pub mod openapi;
pub mod upload;
pub mod uploads;
