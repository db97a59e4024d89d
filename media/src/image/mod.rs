//! The image pipeline, as pure functions over bytes and pixels:
//!
//! 1. [`probe`]: check the declared size before anything is allocated
//!    (decompression bombs are refused) and that a JPEG is whole;
//! 2. [`orient`]: decode under memory limits and turn the pixels upright
//!    following the EXIF orientation;
//! 3. [`resize`]: plan the box, the crop (around the focal point) and the
//!    padding of a fit, and resize with SIMD;
//! 4. [`encode`]: JPEG, PNG, lossy WebP (libwebp) or AVIF (rav1e), with no
//!    metadata at all, so nothing of the original's EXIF (GPS…) survives;
//! 5. [`placeholder`]: a blurhash and the dominant colour, for apps to paint
//!    before the image arrives.

pub mod encode;
pub mod orient;
pub mod placeholder;
pub mod probe;
pub mod resize;

use serde::{Deserialize, Serialize};

/// Image formats Cairn reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    Webp,
    Avif,
}

impl Format {
    pub fn from_mime(mime: &str) -> Option<Format> {
        match mime {
            "image/jpeg" => Some(Format::Jpeg),
            "image/png" => Some(Format::Png),
            "image/gif" => Some(Format::Gif),
            "image/webp" => Some(Format::Webp),
            "image/avif" => Some(Format::Avif),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Gif => "image/gif",
            Format::Webp => "image/webp",
            Format::Avif => "image/avif",
        }
    }

    /// The extension of files in this format, without the dot.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Gif => "gif",
            Format::Webp => "webp",
            Format::Avif => "avif",
        }
    }

    /// Whether Cairn decodes it (AVIF is written, not read: decoding it
    /// needs dav1d, a C library).
    pub fn is_decodable(self) -> bool {
        !matches!(self, Format::Avif)
    }

    /// The format derived images of this one are written in by default:
    /// the same, except GIF, whose variants are single PNG frames.
    pub fn derived(self) -> Format {
        match self {
            Format::Gif => Format::Png,
            other => other,
        }
    }

    /// Whether encoding keeps transparency.
    pub fn has_alpha(self) -> bool {
        !matches!(self, Format::Jpeg)
    }
}

/// How an image fills a box of width x height (as in sharp and CSS
/// `object-fit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fit {
    /// Fills the box, cropping what overflows (around the focal point).
    Cover,
    /// Fits inside the box, padded to fill it.
    Contain,
    /// Fits inside the box; the result may be smaller on one side.
    Inside,
    /// Covers the box; the result may be larger on one side.
    Outside,
    /// Stretched to the box, ignoring the aspect ratio.
    Fill,
}

impl Fit {
    pub fn name(self) -> &'static str {
        match self {
            Fit::Cover => "cover",
            Fit::Contain => "contain",
            Fit::Inside => "inside",
            Fit::Outside => "outside",
            Fit::Fill => "fill",
        }
    }
}

/// Decoding caps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest width x height decoded.
    pub max_pixels: u64,
    /// Most memory one decode may allocate.
    pub max_decode_bytes: u64,
}

/// Decoded 8-bit pixels: RGB, or RGBA when the image has transparency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    pub data: Vec<u8>,
}

impl Pixels {
    pub fn channels(&self) -> usize {
        if self.alpha { 4 } else { 3 }
    }

    pub(crate) fn from_image(image: image::DynamicImage) -> Pixels {
        let (width, height) = (image.width(), image.height());
        if image.color().has_alpha() {
            Pixels {
                width,
                height,
                alpha: true,
                data: image.into_rgba8().into_raw(),
            }
        } else {
            Pixels {
                width,
                height,
                alpha: false,
                data: image.into_rgb8().into_raw(),
            }
        }
    }

    /// The same pixels with an alpha channel.
    pub fn to_rgba(&self) -> Vec<u8> {
        if self.alpha {
            return self.data.clone();
        }
        let mut rgba = Vec::with_capacity(self.data.len() / 3 * 4);
        for pixel in self.data.chunks_exact(3) {
            rgba.extend_from_slice(pixel);
            rgba.push(u8::MAX);
        }
        rgba
    }

    /// The same pixels without alpha, composed over white.
    pub fn to_rgb(&self) -> Vec<u8> {
        if !self.alpha {
            return self.data.clone();
        }
        let mut rgb = Vec::with_capacity(self.data.len() / 4 * 3);
        for pixel in self.data.chunks_exact(4) {
            let alpha = u16::from(pixel[3]);
            for &channel in &pixel[..3] {
                let blended = (u16::from(channel) * alpha + 255 * (255 - alpha) + 127) / 255;
                rgb.push(u8::try_from(blended).unwrap_or(u8::MAX));
            }
        }
        rgb
    }
}

/// Where the subject of an image is, as fractions of its width and height
/// from the top left; cover crops keep it in view.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FocalPoint {
    pub x: f64,
    pub y: f64,
}

impl Default for FocalPoint {
    fn default() -> Self {
        FocalPoint { x: 0.5, y: 0.5 }
    }
}

impl FocalPoint {
    pub fn is_valid(self) -> bool {
        (0.0..=1.0).contains(&self.x) && (0.0..=1.0).contains(&self.y)
    }
}
