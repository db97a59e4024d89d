//! What an app paints before the image arrives: a blurhash (a blurred
//! preview in about 30 characters) and the dominant colour.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{PixelType, ResizeAlg, ResizeOptions, Resizer};

use super::Pixels;

/// Blurhash components along the longer and shorter side.
const COMPONENTS: (u32, u32) = (4, 3);
/// Both are computed on a copy this many pixels across at most: blurhash
/// costs pixels x components, and the dominant colour needs no detail.
const SAMPLE: u32 = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    pub blurhash: String,
    /// `#rrggbb`; `None` for a fully transparent image.
    pub dominant_color: Option<String>,
}

pub fn placeholder(pixels: &Pixels) -> Placeholder {
    let sample = sample(pixels);
    let (x, y) = if sample.width >= sample.height {
        COMPONENTS
    } else {
        (COMPONENTS.1, COMPONENTS.0)
    };
    let rgba = sample.to_rgba();
    Placeholder {
        blurhash: blurhash::encode(x, y, sample.width, sample.height, &rgba).unwrap_or_default(),
        dominant_color: dominant_color(&rgba),
    }
}

/// A small copy (the image itself when already small).
fn sample(pixels: &Pixels) -> Pixels {
    let longer = pixels.width.max(pixels.height);
    if longer <= SAMPLE {
        return pixels.clone();
    }
    let scale = f64::from(SAMPLE) / f64::from(longer);
    let width = ((f64::from(pixels.width) * scale).round() as u32).max(1);
    let height = ((f64::from(pixels.height) * scale).round() as u32).max(1);
    let pixel_type = if pixels.alpha {
        PixelType::U8x4
    } else {
        PixelType::U8x3
    };
    let resized = ImageRef::new(pixels.width, pixels.height, &pixels.data, pixel_type)
        .ok()
        .and_then(|input| {
            let mut output = Image::new(width, height, pixel_type);
            let options = ResizeOptions::new().resize_alg(ResizeAlg::Nearest);
            Resizer::new()
                .resize(&input, &mut output, &options)
                .ok()
                .map(|()| output.into_vec())
        });
    match resized {
        Some(data) => Pixels {
            width,
            height,
            alpha: pixels.alpha,
            data,
        },
        None => pixels.clone(),
    }
}

/// The average colour of the most common colour bucket (4 bits per channel),
/// ignoring mostly transparent pixels.
fn dominant_color(rgba: &[u8]) -> Option<String> {
    let mut buckets = vec![(0u32, [0u64; 3]); 4096];
    for pixel in rgba.chunks_exact(4).filter(|p| p[3] >= 128) {
        let index = (usize::from(pixel[0] >> 4) << 8)
            | (usize::from(pixel[1] >> 4) << 4)
            | usize::from(pixel[2] >> 4);
        let bucket = &mut buckets[index];
        bucket.0 += 1;
        for (sum, value) in bucket.1.iter_mut().zip(pixel) {
            *sum += u64::from(*value);
        }
    }
    let (count, sums) = buckets.into_iter().max_by_key(|(count, _)| *count)?;
    if count == 0 {
        return None;
    }
    let average = |sum: u64| sum / u64::from(count);
    Some(format!(
        "#{:02x}{:02x}{:02x}",
        average(sums[0]),
        average(sums[1]),
        average(sums[2])
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_describe_the_image() {
        // Mostly green with a red stripe.
        let mut data = Vec::new();
        for _ in 0..100 {
            for x in 0..200 {
                data.extend_from_slice(if x < 30 {
                    &[200, 10, 10]
                } else {
                    &[20, 180, 40]
                });
            }
        }
        let placeholder = placeholder(&Pixels {
            width: 200,
            height: 100,
            alpha: false,
            data,
        });
        assert_eq!(placeholder.dominant_color.as_deref(), Some("#14b428"));
        assert!(
            (20..=40).contains(&placeholder.blurhash.len()),
            "{}",
            placeholder.blurhash
        );
        let transparent = Pixels {
            width: 2,
            height: 2,
            alpha: true,
            data: vec![0; 16],
        };
        assert_eq!(super::placeholder(&transparent).dominant_color, None);
    }
}
