//! Logging: a tracing subscriber configured from `[log]`, `RUST_LOG` first.

use cairn_core::config::{LogConfig, LogFormat};
use tracing_subscriber::EnvFilter;

/// Starts logging. One-shot commands (`quiet`) log warnings and errors only,
/// so their own output stays readable.
pub fn init(config: &LogConfig, quiet: bool) {
    let level = if quiet { "warn" } else { config.level.as_str() };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second initialisation (tests run commands in one process) is harmless.
    let _ = match config.format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
