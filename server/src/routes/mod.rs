//! Routes, one module per area, each with its own `configure`.

pub mod health;
pub mod management;
