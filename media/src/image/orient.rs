//! Decoding, with the pixels turned upright: cameras store sensor rows as
//! shot and record the rotation in EXIF; derived images carry no EXIF, so
//! the rotation is applied to the pixels.

use std::io::{BufRead, BufReader, Cursor, Seek};
use std::path::Path;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder};

use super::probe::{self, undecodable};
use super::{Format, Limits, Pixels};
use crate::error::{MediaError, Result};

/// Decodes an image within `limits` and applies its EXIF orientation.
pub fn decode<R: BufRead + Seek>(reader: R, format: Format, limits: &Limits) -> Result<Pixels> {
    let mut decoder = probe::open(reader, format, limits)?;
    // Unreadable EXIF is no reason to refuse the pixels.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(undecodable)?;
    image.apply_orientation(orientation);
    Ok(Pixels::from_image(image))
}

pub fn decode_bytes(bytes: &[u8], format: Format, limits: &Limits) -> Result<Pixels> {
    decode(Cursor::new(bytes), format, limits)
}

pub fn decode_file(path: &Path, format: Format, limits: &Limits) -> Result<Pixels> {
    let file = std::fs::File::open(path).map_err(|e| MediaError::io(path.display(), e))?;
    decode(BufReader::new(file), format, limits)
}
