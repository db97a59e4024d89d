//! Encoders for derived images. None of them writes metadata: no EXIF, no
//! XMP, no ICC profile, so nothing of the original (GPS position, camera
//! serial) reaches a variant.
//!
//! JPEG and PNG come from the `image` crate, lossy WebP from libwebp (the
//! `image` crate writes only lossless WebP, several times larger for
//! photos), AVIF from rav1e through ravif.

use image::ImageEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};

use super::{Format, Pixels};
use crate::error::{MediaError, Result};

/// rav1e's speed preset: 1 is slowest and smallest, 10 fastest. Variants
/// are rendered while a client waits, so a fast preset, at the cost of
/// somewhat larger files than the slow ones would make.
const AVIF_SPEED: u8 = 7;

/// Encodes `pixels` as `format`; `quality` (1 to 100) applies to JPEG,
/// WebP and AVIF.
pub fn encode(pixels: &Pixels, format: Format, quality: u8) -> Result<Vec<u8>> {
    let failed = |message: String| MediaError::Encode {
        format: format.ext(),
        message,
    };
    let quality = quality.clamp(1, 100);
    match format {
        Format::Jpeg => {
            let mut out = Vec::new();
            JpegEncoder::new_with_quality(&mut out, quality)
                .write_image(
                    &pixels.to_rgb(),
                    pixels.width,
                    pixels.height,
                    image::ExtendedColorType::Rgb8,
                )
                .map_err(|e| failed(e.to_string()))?;
            Ok(out)
        }
        Format::Png => {
            let mut out = Vec::new();
            let color = if pixels.alpha {
                image::ExtendedColorType::Rgba8
            } else {
                image::ExtendedColorType::Rgb8
            };
            PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive)
                .write_image(&pixels.data, pixels.width, pixels.height, color)
                .map_err(|e| failed(e.to_string()))?;
            Ok(out)
        }
        Format::Webp => {
            let encoder = if pixels.alpha {
                webp::Encoder::from_rgba(&pixels.data, pixels.width, pixels.height)
            } else {
                webp::Encoder::from_rgb(&pixels.data, pixels.width, pixels.height)
            };
            let encoded = encoder
                .encode_simple(false, f32::from(quality))
                .map_err(|e| failed(format!("{e:?}")))?;
            Ok(encoded.to_vec())
        }
        Format::Avif => {
            let width = pixels.width as usize;
            let height = pixels.height as usize;
            let encoder = ravif::Encoder::new()
                .with_quality(f32::from(quality))
                .with_alpha_quality(f32::from(quality))
                .with_speed(AVIF_SPEED);
            let encoded = if pixels.alpha {
                let rgba: Vec<ravif::RGBA8> = pixels
                    .data
                    .chunks_exact(4)
                    .map(|p| ravif::RGBA8::new(p[0], p[1], p[2], p[3]))
                    .collect();
                encoder.encode_rgba(ravif::Img::new(&rgba[..], width, height))
            } else {
                let rgb: Vec<ravif::RGB8> = pixels
                    .data
                    .chunks_exact(3)
                    .map(|p| ravif::RGB8::new(p[0], p[1], p[2]))
                    .collect();
                encoder.encode_rgb(ravif::Img::new(&rgb[..], width, height))
            };
            Ok(encoded.map_err(|e| failed(e.to_string()))?.avif_file)
        }
        Format::Gif => Err(failed("derived images are never GIF".into())),
    }
}
