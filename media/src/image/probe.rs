//! Before decoding: the image's declared size against the pixel cap, and a
//! JPEG's structure (the JPEG decoder tolerates truncated files and would
//! fill the missing part with grey).

use std::io::{BufRead, Seek, SeekFrom};

use image::{ImageDecoder, ImageReader};

use super::{Format, Limits};
use crate::error::{MediaError, Result};

pub(crate) fn undecodable(error: impl std::fmt::Display) -> MediaError {
    MediaError::Undecodable(error.to_string())
}

/// A decoder for `reader`, once the declared size is within `limits`.
/// Nothing the size of the image is allocated before that check.
pub fn open<'a, R: BufRead + Seek + 'a>(
    mut reader: R,
    format: Format,
    limits: &Limits,
) -> Result<impl ImageDecoder + 'a> {
    let image_format = match format {
        Format::Jpeg => {
            check_jpeg(&mut reader)?;
            image::ImageFormat::Jpeg
        }
        Format::Png => image::ImageFormat::Png,
        Format::Gif => image::ImageFormat::Gif,
        Format::Webp => image::ImageFormat::WebP,
        Format::Avif => {
            return Err(MediaError::NotTransformable {
                mime: format.mime().to_owned(),
            });
        }
    };
    let mut reader = ImageReader::with_format(reader, image_format);
    let mut caps = image::Limits::default();
    caps.max_alloc = Some(limits.max_decode_bytes);
    reader.limits(caps);
    let decoder = reader.into_decoder().map_err(|error| match error {
        image::ImageError::Limits(_) => MediaError::Undecodable(format!(
            "decoding it needs more than the {}-byte memory limit",
            limits.max_decode_bytes
        )),
        other => undecodable(other),
    })?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(MediaError::TooManyPixels {
            width,
            height,
            max: limits.max_pixels,
        });
    }
    if width == 0 || height == 0 {
        return Err(MediaError::Undecodable("the image has no pixels".into()));
    }
    Ok(decoder)
}

/// Walks a JPEG's segments up to its end marker: a file cut short is
/// refused. Bytes after the end marker (as in motion photos) are allowed.
fn check_jpeg<R: BufRead + Seek>(reader: &mut R) -> Result<()> {
    let corrupt = || MediaError::Undecodable("the JPEG's segments are corrupt".into());
    if read_byte(reader)? != Some(0xFF) || read_byte(reader)? != Some(0xD8) {
        return Err(MediaError::Undecodable(
            "the JPEG does not start with SOI".into(),
        ));
    }
    let mut in_scan = false;
    loop {
        if in_scan {
            skip_to_marker(reader)?;
        }
        match read_byte(reader)? {
            Some(0xFF) => {}
            Some(_) => return Err(corrupt()),
            None => return Err(truncated()),
        }
        let mut marker = read_byte(reader)?.ok_or_else(truncated)?;
        while marker == 0xFF {
            marker = read_byte(reader)?.ok_or_else(truncated)?;
        }
        match marker {
            0xD9 => break,
            // Stuffed zeros and restart markers belong to entropy-coded data.
            0x00 if in_scan => {}
            0x01 | 0xD0..=0xD7 => {}
            0x00 => return Err(corrupt()),
            _ => {
                let high = read_byte(reader)?.ok_or_else(truncated)?;
                let low = read_byte(reader)?.ok_or_else(truncated)?;
                let length = u16::from_be_bytes([high, low]);
                if length < 2 {
                    return Err(corrupt());
                }
                let here = reader.stream_position().map_err(jpeg_io)?;
                let end = reader.seek(SeekFrom::End(0)).map_err(jpeg_io)?;
                let next = here + u64::from(length - 2);
                if next > end {
                    return Err(truncated());
                }
                reader.seek(SeekFrom::Start(next)).map_err(jpeg_io)?;
                in_scan = marker == 0xDA;
            }
        }
    }
    reader.seek(SeekFrom::Start(0)).map_err(jpeg_io)?;
    Ok(())
}

fn truncated() -> MediaError {
    MediaError::Undecodable("the JPEG is truncated".into())
}

fn jpeg_io(error: std::io::Error) -> MediaError {
    MediaError::io("the JPEG", error)
}

fn read_byte(reader: &mut impl BufRead) -> Result<Option<u8>> {
    let byte = reader.fill_buf().map_err(jpeg_io)?.first().copied();
    if byte.is_some() {
        reader.consume(1);
    }
    Ok(byte)
}

/// Skips entropy-coded data up to the next 0xFF, a buffer at a time.
fn skip_to_marker(reader: &mut impl BufRead) -> Result<()> {
    loop {
        let buffer = reader.fill_buf().map_err(jpeg_io)?;
        if buffer.is_empty() {
            return Err(truncated());
        }
        match buffer.iter().position(|&b| b == 0xFF) {
            Some(at) => {
                reader.consume(at);
                return Ok(());
            }
            None => {
                let length = buffer.len();
                reader.consume(length);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;

    fn jpeg() -> Vec<u8> {
        let mut bytes = Vec::new();
        let image =
            image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
        let encoded =
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90).encode_image(&image);
        assert!(encoded.is_ok());
        bytes
    }

    const LIMITS: Limits = Limits {
        max_pixels: 10_000,
        max_decode_bytes: 1 << 20,
    };

    #[test]
    fn whole_jpegs_pass_and_truncated_ones_do_not() {
        let whole = jpeg();
        assert!(open(Cursor::new(&whole), Format::Jpeg, &LIMITS).is_ok());
        let mut trailing = whole.clone();
        trailing.extend_from_slice(b"appended video");
        assert!(open(Cursor::new(&trailing), Format::Jpeg, &LIMITS).is_ok());
        for cut in [whole.len() - 2, whole.len() / 2, 20, 3] {
            assert!(
                matches!(
                    open(Cursor::new(&whole[..cut]), Format::Jpeg, &LIMITS),
                    Err(MediaError::Undecodable(_))
                ),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn images_over_the_pixel_cap_are_refused_before_decoding() {
        let tight = Limits {
            max_pixels: 64 * 48 - 1,
            ..LIMITS
        };
        assert!(matches!(
            open(Cursor::new(&jpeg()), Format::Jpeg, &tight),
            Err(MediaError::TooManyPixels {
                width: 64,
                height: 48,
                ..
            })
        ));
    }
}
