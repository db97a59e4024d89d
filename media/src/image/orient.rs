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

/// Decodes an image for a variant that resizes its source by `scale` (at
/// most 1). JPEGs are decoded at the smallest DCT scale (1/2, 1/4 or 1/8)
/// that still holds every pixel the variant needs, as libvips and sharp
/// shrink on load: an 800-pixel variant of a 12-megapixel photo decodes a
/// sixteenth of the pixels, in a fraction of the time and memory. Other
/// formats, and JPEGs in CMYK or 16 bits, are decoded whole.
pub fn decode_bytes_for(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    scale: f64,
) -> Result<Pixels> {
    if format == Format::Jpeg
        && scale <= 0.5
        && let Some(pixels) = decode_jpeg_scaled(bytes, limits, scale)?
    {
        return Ok(pixels);
    }
    decode_bytes(bytes, format, limits)
}

fn decode_jpeg_scaled(bytes: &[u8], limits: &Limits, scale: f64) -> Result<Option<Pixels>> {
    // The same checks as a whole decode, and the EXIF orientation.
    let mut probe = probe::open(Cursor::new(bytes), Format::Jpeg, limits)?;
    let orientation = probe.orientation().unwrap_or(Orientation::NoTransforms);
    let (width, height) = probe.dimensions();
    let wanted = |side: u32| {
        let side = (f64::from(side) * scale).ceil().max(1.0);
        // Bounded by a u16 JPEG dimension; the cast saturates anyway.
        side.min(f64::from(u16::MAX)) as u16
    };
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    let (scaled_width, scaled_height) = decoder
        .scale(wanted(width), wanted(height))
        .map_err(undecodable)?;
    let data = decoder.decode().map_err(undecodable)?;
    let Some(info) = decoder.info() else {
        return Ok(None);
    };
    let (w, h) = (u32::from(scaled_width), u32::from(scaled_height));
    let image = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => {
            image::RgbImage::from_raw(w, h, data).map(DynamicImage::ImageRgb8)
        }
        jpeg_decoder::PixelFormat::L8 => {
            image::GrayImage::from_raw(w, h, data).map(DynamicImage::ImageLuma8)
        }
        jpeg_decoder::PixelFormat::L16 | jpeg_decoder::PixelFormat::CMYK32 => None,
    };
    Ok(image.map(|mut image| {
        image.apply_orientation(orientation);
        Pixels::from_image(image)
    }))
}

pub fn decode_file(path: &Path, format: Format, limits: &Limits) -> Result<Pixels> {
    let file = std::fs::File::open(path).map_err(|e| MediaError::io(path.display(), e))?;
    decode(BufReader::new(file), format, limits)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG whose left half is red and right half blue.
    fn halves(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, _| {
            if x < width / 2 {
                image::Rgb([220, 20, 20])
            } else {
                image::Rgb([20, 20, 220])
            }
        });
        let mut bytes = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(image)
            .write_to(&mut bytes, image::ImageFormat::Jpeg)
            .expect("encode");
        bytes.into_inner()
    }

    fn limits() -> Limits {
        Limits {
            max_pixels: 50_000_000,
            max_decode_bytes: 512 * 1024 * 1024,
        }
    }

    #[test]
    fn jpegs_decode_at_the_smallest_scale_that_holds_the_variant() {
        let jpeg = halves(1600, 1200);
        let quarter = decode_bytes_for(&jpeg, Format::Jpeg, &limits(), 0.2).expect("decode");
        assert_eq!((quarter.width, quarter.height), (400, 300), "1/4 holds 0.2");
        let pixel = |p: &Pixels, x: u32, y: u32| {
            let at = ((y * p.width + x) as usize) * p.channels();
            [p.data[at], p.data[at + 1], p.data[at + 2]]
        };
        assert!(pixel(&quarter, 50, 150)[0] > 180, "red stays left");
        assert!(pixel(&quarter, 350, 150)[2] > 180, "blue stays right");
        let half = decode_bytes_for(&jpeg, Format::Jpeg, &limits(), 0.3).expect("decode");
        assert_eq!(
            (half.width, half.height),
            (800, 600),
            "1/4 is too small for 0.3"
        );
        let whole = decode_bytes_for(&jpeg, Format::Jpeg, &limits(), 0.8).expect("decode");
        assert_eq!((whole.width, whole.height), (1600, 1200));
    }

    #[test]
    fn scaled_decoding_keeps_the_size_limit() {
        let jpeg = halves(1600, 1200);
        let tight = Limits {
            max_pixels: 1_000_000,
            ..limits()
        };
        assert!(decode_bytes_for(&jpeg, Format::Jpeg, &tight, 0.1).is_err());
    }
}
