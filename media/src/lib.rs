//! Cairn's media layer: storage backends (local folder, S3) and the image
//! pipeline (probe, orient, resize, encode, placeholders) as pure functions
//! over bytes. It never depends on the content engine.
//!
//! Uploads and image variants arrive with their own issue; the engine already
//! links media fields to the `cairn_files` table this crate's uploads fill.
