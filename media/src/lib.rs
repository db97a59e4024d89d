//! Cairn's media layer: storage backends (local folder, S3) and the image
//! pipeline (probe, orient, resize, encode, placeholders) as pure functions
//! over bytes. It never depends on the content engine: `cairn-core` owns the
//! `cairn_files` rows and calls this crate for bytes and pixels.

pub mod content_type;
pub mod error;
pub mod image;
pub mod signature;
pub mod spool;
pub mod storage;
pub mod transform;

pub use error::{MediaError, Result};
