//! Fits: from a source size and a requested box to the crop, the resized
//! size and the canvas, then the resize itself (fast_image_resize: SIMD
//! convolution, Lanczos3, alpha-aware).
//!
//! Images are never enlarged: when a fit would scale the image up, the box
//! shrinks by the same factor, so its aspect ratio holds and no pixels are
//! invented.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

use super::{Fit, FocalPoint, Pixels};
use crate::error::{MediaError, Result};

/// A requested box: either side may be left to the aspect ratio.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub fit: Fit,
}

/// What a fit does to a given source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    /// The source region used: left, top, width, height.
    pub crop: (f64, f64, f64, f64),
    /// The size the region is resized to.
    pub width: u32,
    pub height: u32,
    /// The output size (larger than the resized image for `contain`).
    pub canvas: (u32, u32),
}

fn round(value: f64) -> u32 {
    // Sizes here are bounded by u32 inputs; the cast saturates anyway.
    (value.round() as u32).max(1)
}

impl Plan {
    /// How much the source region shrinks: 1 when it is kept at full size.
    pub fn scale(&self) -> f64 {
        let (_, _, width, height) = self.crop;
        (f64::from(self.width) / width.max(1.0))
            .max(f64::from(self.height) / height.max(1.0))
            .min(1.0)
    }
}

impl Target {
    pub fn plan(&self, source: (u32, u32), focal: FocalPoint) -> Plan {
        let (sw, sh) = (f64::from(source.0), f64::from(source.1));
        let whole = (0.0, 0.0, sw, sh);
        let scaled = |scale: f64| {
            let scale = scale.min(1.0);
            (round(sw * scale), round(sh * scale))
        };
        let (w, h) = match (self.width, self.height) {
            (None, None) => {
                return Plan {
                    crop: whole,
                    width: source.0,
                    height: source.1,
                    canvas: source,
                };
            }
            (Some(w), None) => {
                let (w, h) = scaled(f64::from(w) / sw);
                return Plan {
                    crop: whole,
                    width: w,
                    height: h,
                    canvas: (w, h),
                };
            }
            (None, Some(h)) => {
                let (w, h) = scaled(f64::from(h) / sh);
                return Plan {
                    crop: whole,
                    width: w,
                    height: h,
                    canvas: (w, h),
                };
            }
            (Some(w), Some(h)) => (f64::from(w), f64::from(h)),
        };
        match self.fit {
            Fit::Inside => {
                let (w, h) = scaled((w / sw).min(h / sh));
                Plan {
                    crop: whole,
                    width: w,
                    height: h,
                    canvas: (w, h),
                }
            }
            Fit::Outside => {
                let (w, h) = scaled((w / sw).max(h / sh));
                Plan {
                    crop: whole,
                    width: w,
                    height: h,
                    canvas: (w, h),
                }
            }
            Fit::Fill => {
                let (w, h) = (round(w.min(sw)), round(h.min(sh)));
                Plan {
                    crop: whole,
                    width: w,
                    height: h,
                    canvas: (w, h),
                }
            }
            Fit::Contain => {
                let scale = (w / sw).min(h / sh);
                let shrink = scale.max(1.0);
                let (box_w, box_h) = (round(w / shrink), round(h / shrink));
                let (iw, ih) = scaled(scale);
                Plan {
                    crop: whole,
                    width: iw.min(box_w),
                    height: ih.min(box_h),
                    canvas: (box_w, box_h),
                }
            }
            Fit::Cover => {
                let scale = (w / sw).max(h / sh);
                let shrink = scale.max(1.0);
                let (box_w, box_h) = (round(w / shrink), round(h / shrink));
                // The largest region of the box's aspect ratio, centred on
                // the focal point as far as the edges allow.
                let aspect = f64::from(box_w) / f64::from(box_h);
                let (cw, ch) = if sw / sh > aspect {
                    (sh * aspect, sh)
                } else {
                    (sw, sw / aspect)
                };
                let left = (focal.x * sw - cw / 2.0).clamp(0.0, sw - cw);
                let top = (focal.y * sh - ch / 2.0).clamp(0.0, sh - ch);
                Plan {
                    crop: (left, top, cw, ch),
                    width: box_w,
                    height: box_h,
                    canvas: (box_w, box_h),
                }
            }
        }
    }
}

/// Applies a plan. `contain` pads with transparency when `alpha_canvas`,
/// with white otherwise.
pub fn apply(source: &Pixels, plan: &Plan, alpha_canvas: bool) -> Result<Pixels> {
    let failed = |e: &dyn std::fmt::Display| MediaError::Encode {
        format: "pixels",
        message: format!("resize failed: {e}"),
    };
    let pixel_type = if source.alpha {
        PixelType::U8x4
    } else {
        PixelType::U8x3
    };
    let untouched = plan.crop == (0.0, 0.0, f64::from(source.width), f64::from(source.height))
        && (plan.width, plan.height) == (source.width, source.height);
    let resized = if untouched {
        source.clone()
    } else {
        let input = ImageRef::new(source.width, source.height, &source.data, pixel_type)
            .map_err(|e| failed(&e))?;
        let mut output = Image::new(plan.width, plan.height, pixel_type);
        let (left, top, width, height) = plan.crop;
        let options = ResizeOptions::new()
            .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
            .crop(left, top, width, height);
        Resizer::new()
            .resize(&input, &mut output, &options)
            .map_err(|e| failed(&e))?;
        Pixels {
            width: plan.width,
            height: plan.height,
            alpha: source.alpha,
            data: output.into_vec(),
        }
    };
    if plan.canvas == (plan.width, plan.height) {
        return Ok(resized);
    }
    Ok(pad(&resized, plan.canvas, alpha_canvas))
}

/// Centres `image` on a canvas of `size`.
fn pad(image: &Pixels, size: (u32, u32), alpha_canvas: bool) -> Pixels {
    let alpha = image.alpha || alpha_canvas;
    let channels = if alpha { 4 } else { 3 };
    let background: &[u8] = if alpha_canvas {
        &[0, 0, 0, 0]
    } else {
        &[255, 255, 255, 255]
    };
    let (cw, ch) = (size.0 as usize, size.1 as usize);
    let mut data = Vec::with_capacity(cw * ch * channels);
    for _ in 0..cw * ch {
        data.extend_from_slice(&background[..channels]);
    }
    let rows = if alpha {
        image.to_rgba()
    } else {
        image.to_rgb()
    };
    let (iw, ih) = (image.width as usize, image.height as usize);
    let (left, top) = ((cw - iw) / 2, (ch - ih) / 2);
    for y in 0..ih {
        let from = y * iw * channels;
        let to = ((top + y) * cw + left) * channels;
        data[to..to + iw * channels].copy_from_slice(&rows[from..from + iw * channels]);
    }
    Pixels {
        width: size.0,
        height: size.1,
        alpha,
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(width: Option<u32>, height: Option<u32>, fit: Fit, source: (u32, u32)) -> Plan {
        Target { width, height, fit }.plan(source, FocalPoint::default())
    }

    fn size(plan: Plan) -> (u32, u32) {
        plan.canvas
    }

    #[test]
    fn fits_follow_sharp_and_never_enlarge() {
        let source = (4000, 3000);
        assert_eq!(size(plan(Some(800), None, Fit::Inside, source)), (800, 600));
        assert_eq!(size(plan(None, Some(300), Fit::Cover, source)), (400, 300));
        assert_eq!(
            size(plan(Some(800), Some(800), Fit::Inside, source)),
            (800, 600)
        );
        assert_eq!(
            size(plan(Some(800), Some(800), Fit::Outside, source)),
            (1067, 800)
        );
        assert_eq!(
            size(plan(Some(800), Some(800), Fit::Cover, source)),
            (800, 800)
        );
        assert_eq!(
            size(plan(Some(800), Some(800), Fit::Contain, source)),
            (800, 800)
        );
        assert_eq!(plan(Some(800), Some(800), Fit::Contain, source).height, 600);
        assert_eq!(
            size(plan(Some(800), Some(100), Fit::Fill, source)),
            (800, 100)
        );
        // Larger than the source: the box shrinks, keeping its aspect ratio.
        assert_eq!(
            size(plan(Some(8000), None, Fit::Inside, source)),
            (4000, 3000)
        );
        assert_eq!(
            size(plan(Some(6000), Some(6000), Fit::Cover, source)),
            (3000, 3000)
        );
        assert_eq!(
            size(plan(Some(100), Some(100), Fit::Cover, (50, 20))),
            (20, 20)
        );
    }

    #[test]
    fn cover_crops_keep_the_focal_point_in_view() {
        let target = Target {
            width: Some(100),
            height: Some(100),
            fit: Fit::Cover,
        };
        let left = target.plan((400, 100), FocalPoint { x: 0.0, y: 0.5 });
        assert_eq!(left.crop, (0.0, 0.0, 100.0, 100.0));
        let right = target.plan((400, 100), FocalPoint { x: 0.8, y: 0.5 });
        assert_eq!(right.crop, (270.0, 0.0, 100.0, 100.0));
        let edge = target.plan((400, 100), FocalPoint { x: 1.0, y: 0.5 });
        assert_eq!(edge.crop, (300.0, 0.0, 100.0, 100.0));
    }

    #[test]
    fn contain_pads_and_cover_crops_pixels() -> Result<()> {
        // Left half red, right half blue.
        let mut data = Vec::new();
        for _ in 0..10 {
            for x in 0..40 {
                data.extend_from_slice(if x < 20 { &[255, 0, 0] } else { &[0, 0, 255] });
            }
        }
        let source = Pixels {
            width: 40,
            height: 10,
            alpha: false,
            data,
        };
        let target = Target {
            width: Some(10),
            height: Some(10),
            fit: Fit::Cover,
        };
        let cropped = apply(
            &source,
            &target.plan((40, 10), FocalPoint { x: 0.0, y: 0.5 }),
            false,
        )?;
        assert_eq!((cropped.width, cropped.height), (10, 10));
        assert_eq!(
            &cropped.data[..3],
            &[255, 0, 0],
            "the crop keeps the left, red side"
        );
        let contain = Target {
            width: Some(20),
            height: Some(20),
            fit: Fit::Contain,
        };
        let padded = apply(
            &source,
            &contain.plan((40, 10), FocalPoint::default()),
            true,
        )?;
        assert_eq!((padded.width, padded.height, padded.alpha), (20, 20, true));
        assert_eq!(
            &padded.data[..4],
            &[0, 0, 0, 0],
            "the padding is transparent"
        );
        Ok(())
    }
}
