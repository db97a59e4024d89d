//! Variant URLs: `/uploads/{file}?w=800&h=600&fit=cover&fm=webp&q=80&dpr=2`
//! or `?preset=card`. A [`Request`] is what the URL says, checked for form;
//! the [`Policy`] decides whether it may be rendered (presets and sizes, or
//! a signature) and turns it into a [`Variant`]: pixel sizes, a concrete
//! format and a cache key that equal requests share.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{MediaError, Result};
use crate::image::resize::Target;
use crate::image::{Fit, Format};
use crate::signature;

/// A format a URL may ask for; `auto` picks from the Accept header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestedFormat {
    #[serde(alias = "jpg")]
    Jpeg,
    Png,
    Webp,
    Avif,
    Auto,
}

/// A named variant, from configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Preset {
    /// Box width in pixels; none: from the height and the aspect ratio.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Box height in pixels; none: from the width and the aspect ratio.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// How the image fills the box; default `cover` with both sides given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fit: Option<Fit>,
    /// Output format; default the original's (PNG for GIF).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<RequestedFormat>,
    /// Quality from 1 to 100 for JPEG, WebP and AVIF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<u8>,
}

/// The largest device pixel ratio a URL may ask for.
const MAX_DPR: f64 = 4.0;

/// What a variant URL asks for, checked for form only.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Request {
    pub preset: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub fit: Option<Fit>,
    pub format: Option<RequestedFormat>,
    pub quality: Option<u8>,
    pub dpr: Option<f64>,
    pub signature: Option<String>,
}

impl Request {
    /// The request in query parameters; `None` when there are none (the
    /// original is wanted).
    pub fn parse(pairs: &[(String, String)]) -> Result<Option<Request>> {
        if pairs.is_empty() {
            return Ok(None);
        }
        let mut request = Request::default();
        let mut seen: Vec<&str> = Vec::new();
        for (name, value) in pairs {
            if seen.contains(&name.as_str()) {
                return Err(MediaError::parameter(name, "is given more than once"));
            }
            seen.push(name);
            match name.as_str() {
                "w" => request.width = Some(dimension(name, value)?),
                "h" => request.height = Some(dimension(name, value)?),
                "fit" => {
                    request.fit = Some(keyword(
                        name,
                        value,
                        "cover, contain, inside, outside or fill",
                    )?)
                }
                "fm" => {
                    request.format = Some(keyword(name, value, "jpeg, png, webp, avif or auto")?)
                }
                "q" => {
                    request.quality = Some(
                        value
                            .parse::<u8>()
                            .ok()
                            .filter(|q| (1..=100).contains(q))
                            .ok_or_else(|| {
                                MediaError::parameter(name, "must be a whole number from 1 to 100")
                            })?,
                    )
                }
                "dpr" => {
                    request.dpr = Some(
                        value
                            .parse::<f64>()
                            .ok()
                            .filter(|d| (1.0..=MAX_DPR).contains(d))
                            .ok_or_else(|| {
                                MediaError::parameter(name, "must be a number from 1 to 4")
                            })?,
                    )
                }
                "preset" => request.preset = Some(value.clone()),
                signature::PARAMETER => request.signature = Some(value.clone()),
                _ => {
                    return Err(MediaError::parameter(
                        name,
                        "is not a variant parameter (w, h, fit, fm, q, dpr, preset, s)",
                    ));
                }
            }
        }
        if request.preset.is_some()
            && (request.width.is_some()
                || request.height.is_some()
                || request.fit.is_some()
                || request.format.is_some()
                || request.quality.is_some())
        {
            return Err(MediaError::parameter(
                "preset",
                "cannot be combined with w, h, fit, fm or q (only with dpr)",
            ));
        }
        if request
            == (Request {
                signature: request.signature.clone(),
                ..Request::default()
            })
        {
            return Err(MediaError::parameter(
                "s",
                "signs nothing: the URL has no variant parameters",
            ));
        }
        Ok(Some(request))
    }
}

fn dimension(name: &str, value: &str) -> Result<u32> {
    value
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| MediaError::parameter(name, "must be a whole number of pixels, 1 or more"))
}

fn keyword<T: for<'de> Deserialize<'de>>(name: &str, value: &str, expected: &str) -> Result<T> {
    T::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(value))
        .map_err(|_| MediaError::parameter(name, format!("must be {expected}")))
}

/// Which variants may be rendered.
#[derive(Debug, Clone)]
pub struct Policy {
    pub presets: BTreeMap<String, Preset>,
    /// Widths and heights unsigned URLs may ask for; empty: any.
    pub sizes: Vec<u32>,
    /// Whether URLs other than presets need a signature.
    pub signed_urls: bool,
    /// Largest side of a variant, in pixels, after `dpr`.
    pub max_dimension: u32,
    pub default_quality: u8,
    pub secret: Vec<u8>,
}

/// A variant ready to render.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Variant {
    pub target: Target,
    pub format: Format,
    pub quality: u8,
    /// Whether the format came from the Accept header (responses vary on it).
    pub negotiated: bool,
}

impl Policy {
    /// Decides on `request` for the file at `path` (in format `source`),
    /// whose query parameters were `pairs`.
    pub fn resolve(
        &self,
        path: &str,
        pairs: &[(String, String)],
        request: &Request,
        source: Format,
        accept: Option<&str>,
    ) -> Result<Variant> {
        if !source.is_decodable() {
            return Err(MediaError::NotTransformable {
                mime: source.mime().to_owned(),
            });
        }
        let (preset, signed) = match &request.preset {
            Some(name) => {
                let preset = self.presets.get(name).cloned().ok_or_else(|| {
                    let known: Vec<&str> = self.presets.keys().map(String::as_str).collect();
                    MediaError::parameter(
                        "preset",
                        format!("no preset `{name}` (configured: {})", known.join(", ")),
                    )
                })?;
                (preset, false)
            }
            None => {
                let signed = self.check_free_form(path, pairs, request)?;
                let preset = Preset {
                    width: request.width,
                    height: request.height,
                    fit: request.fit,
                    format: request.format,
                    quality: request.quality,
                };
                (preset, signed)
            }
        };
        // Any dpr would make any pixel size: unsigned URLs, presets
        // included, keep to steps of 0.5.
        if let Some(dpr) = request
            .dpr
            .filter(|dpr| !signed && (dpr * 2.0).fract() != 0.0)
        {
            return Err(MediaError::parameter(
                "dpr",
                format!("{dpr} is not a multiple of 0.5"),
            ));
        }
        let dpr = request.dpr.unwrap_or(1.0);
        let scale = |name: &str, side: Option<u32>| -> Result<Option<u32>> {
            let Some(side) = side else {
                return Ok(None);
            };
            let pixels = (f64::from(side) * dpr).round();
            if pixels > f64::from(self.max_dimension) {
                return Err(MediaError::parameter(
                    name,
                    format!(
                        "{pixels} pixels is more than the {}-pixel limit",
                        self.max_dimension
                    ),
                ));
            }
            Ok(Some(pixels as u32))
        };
        let width = scale("w", preset.width)?;
        let height = scale("h", preset.height)?;
        // One side alone keeps the aspect ratio whatever the fit says, so
        // such requests share one rendering.
        let fit = match (width, height) {
            (Some(_), Some(_)) => preset.fit.unwrap_or(Fit::Cover),
            _ => Fit::Inside,
        };
        let (format, negotiated) = match preset.format {
            None => (source.derived(), false),
            Some(RequestedFormat::Jpeg) => (Format::Jpeg, false),
            Some(RequestedFormat::Png) => (Format::Png, false),
            Some(RequestedFormat::Webp) => (Format::Webp, false),
            Some(RequestedFormat::Avif) => (Format::Avif, false),
            Some(RequestedFormat::Auto) => (negotiate(accept, source), true),
        };
        Ok(Variant {
            target: Target { width, height, fit },
            format,
            quality: preset.quality.unwrap_or(self.default_quality),
            negotiated,
        })
    }

    /// Free-form URLs: a valid signature (`Ok(true)`), or with signing off
    /// sizes from the list (`Ok(false)`).
    fn check_free_form(
        &self,
        path: &str,
        pairs: &[(String, String)],
        request: &Request,
    ) -> Result<bool> {
        if let Some(signature) = &request.signature {
            return if signature::verify(&self.secret, path, pairs, signature) {
                Ok(true)
            } else {
                Err(MediaError::NotAllowed(
                    "the signature (s) does not match this URL".into(),
                ))
            };
        }
        if self.signed_urls {
            return Err(MediaError::NotAllowed(
                "this variant needs a signed URL (s), or a preset".into(),
            ));
        }
        for (name, side) in [("w", request.width), ("h", request.height)] {
            if let Some(side) =
                side.filter(|side| !self.sizes.is_empty() && !self.sizes.contains(side))
            {
                let sizes: Vec<String> = self.sizes.iter().map(u32::to_string).collect();
                return Err(MediaError::parameter(
                    name,
                    format!(
                        "{side} is not an allowed size (allowed: {})",
                        sizes.join(", ")
                    ),
                ));
            }
        }
        Ok(false)
    }
}

/// AVIF, else WebP, when the Accept header lists them; else a format every
/// client reads (JPEG for JPEG originals, PNG otherwise).
fn negotiate(accept: Option<&str>, source: Format) -> Format {
    let accepted = |wanted: &str| {
        accept.unwrap_or_default().split(',').any(|item| {
            let mut parts = item.split(';').map(str::trim);
            parts
                .next()
                .is_some_and(|range| range.eq_ignore_ascii_case(wanted))
                && parts.all(|param| {
                    param
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f64>().ok())
                        .is_none_or(|q| q > 0.0)
                })
        })
    };
    if accepted("image/avif") {
        Format::Avif
    } else if accepted("image/webp") {
        Format::Webp
    } else if source == Format::Jpeg {
        Format::Jpeg
    } else {
        Format::Png
    }
}

impl Variant {
    /// The variant's file name under its original's folder: equal variants
    /// of a file share it whichever URL asked for them.
    pub fn key_name(&self) -> String {
        use std::fmt::Write;

        // One buffer: every request for a variant works out its key.
        let mut name = String::with_capacity(24);
        let mut part = |args: std::fmt::Arguments| {
            if !name.is_empty() {
                name.push('-');
            }
            // Writing to a String cannot fail.
            let _ = name.write_fmt(args);
        };
        match (self.target.width, self.target.height) {
            (None, None) => part(format_args!("full")),
            (width, height) => {
                if let Some(width) = width {
                    part(format_args!("w{width}"));
                }
                if let Some(height) = height {
                    part(format_args!("h{height}"));
                }
                if width.is_some() && height.is_some() {
                    part(format_args!("{}", self.target.fit.name()));
                }
            }
        }
        if self.format != Format::Png {
            part(format_args!("q{}", self.quality));
        }
        name.push('.');
        name.push_str(self.format.ext());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &str) -> Vec<(String, String)> {
        query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.to_owned(), v.to_owned()),
                None => (p.to_owned(), String::new()),
            })
            .collect()
    }

    fn policy(signed_urls: bool) -> Policy {
        Policy {
            presets: BTreeMap::from([(
                "card".to_owned(),
                Preset {
                    width: Some(400),
                    height: Some(300),
                    format: Some(RequestedFormat::Auto),
                    ..Preset::default()
                },
            )]),
            sizes: vec![400, 800, 600],
            signed_urls,
            max_dimension: 2000,
            default_quality: 80,
            secret: b"secret".to_vec(),
        }
    }

    fn resolve(policy: &Policy, query: &str, accept: Option<&str>) -> Result<Variant> {
        let pairs = pairs(query);
        let request =
            Request::parse(&pairs)?.ok_or_else(|| MediaError::parameter("", "no request"))?;
        policy.resolve("/uploads/a.jpg", &pairs, &request, Format::Jpeg, accept)
    }

    #[test]
    fn requests_are_checked_for_form() {
        assert_eq!(Request::parse(&[]).ok(), Some(None));
        for bad in [
            "w=0",
            "w=-5",
            "w=abc",
            "q=0",
            "q=101",
            "dpr=5",
            "dpr=0.5",
            "fit=stretch",
            "fm=bmp",
            "x=1",
            "w=1&w=2",
            "preset=card&w=10",
            "s=abc",
        ] {
            assert!(
                matches!(
                    Request::parse(&pairs(bad)),
                    Err(MediaError::InvalidParameter { .. })
                ),
                "{bad} was accepted"
            );
        }
    }

    #[test]
    fn variants_normalise_to_shared_keys() -> Result<()> {
        let policy = policy(false);
        let plain = resolve(&policy, "w=800&h=600&fit=cover&fm=webp&q=80", None)?;
        assert_eq!(plain.key_name(), "w800-h600-cover-q80.webp");
        assert_eq!(
            resolve(&policy, "h=600&w=800&fm=webp", None)?.key_name(),
            "w800-h600-cover-q80.webp"
        );
        assert_eq!(
            resolve(&policy, "w=400&dpr=2", None)?.key_name(),
            "w800-q80.jpg"
        );
        assert_eq!(
            resolve(&policy, "w=800&fit=fill&fm=png&q=50", None)?.key_name(),
            "w800.png"
        );
        let card = resolve(&policy, "preset=card", Some("image/webp,*/*"))?;
        assert_eq!((card.format, card.negotiated), (Format::Webp, true));
        assert_eq!(
            resolve(&policy, "preset=card", Some("image/avif,image/webp"))?.format,
            Format::Avif
        );
        assert_eq!(
            resolve(&policy, "preset=card", Some("image/avif;q=0,image/webp"))?.format,
            Format::Webp
        );
        assert_eq!(resolve(&policy, "preset=card", None)?.format, Format::Jpeg);
        assert_eq!(
            resolve(&policy, "preset=card&dpr=3", None)?.key_name(),
            "w1200-h900-cover-q80.jpg"
        );
        assert_eq!(
            resolve(&policy, "fm=webp&q=60", None)?.key_name(),
            "full-q60.webp"
        );
        assert_eq!(resolve(&policy, "h=600", None)?.key_name(), "h600-q80.jpg");
        Ok(())
    }

    #[test]
    fn abuse_is_bounded_by_presets_sizes_and_signatures() {
        let open = policy(false);
        assert!(matches!(
            resolve(&open, "w=801", None),
            Err(MediaError::InvalidParameter { .. })
        ));
        assert!(matches!(
            resolve(&open, "w=800&dpr=1.3", None),
            Err(MediaError::InvalidParameter { .. })
        ));
        assert!(
            matches!(
                resolve(&open, "w=800&dpr=3", None),
                Err(MediaError::InvalidParameter { .. })
            ),
            "2400 > 2000"
        );
        assert!(matches!(
            resolve(&open, "preset=card&dpr=1.01", None),
            Err(MediaError::InvalidParameter { .. })
        ));
        assert!(matches!(
            resolve(&open, "preset=nope", None),
            Err(MediaError::InvalidParameter { .. })
        ));

        let signed = policy(true);
        assert!(
            resolve(&signed, "preset=card", None).is_ok(),
            "presets need no signature"
        );
        assert!(matches!(
            resolve(&signed, "w=800", None),
            Err(MediaError::NotAllowed(_))
        ));
        let s = signature::sign(b"secret", "/uploads/a.jpg", &pairs("w=801&fm=webp"));
        assert!(
            resolve(&signed, &format!("w=801&fm=webp&s={s}"), None).is_ok(),
            "signed URLs skip the size list"
        );
        assert!(matches!(
            resolve(&signed, &format!("w=802&fm=webp&s={s}"), None),
            Err(MediaError::NotAllowed(_))
        ));
    }
}
