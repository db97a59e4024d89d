//! What a file is, decided from its content (its first bytes), never from
//! its name; the name's extension must agree with the content.

use crate::error::{MediaError, Result};

/// A recognised content type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub mime: String,
    /// The usual extension, without the dot.
    pub ext: String,
}

/// Recognises a file from its first bytes.
pub fn detect(head: &[u8]) -> Result<Detected> {
    if head.is_empty() {
        return Err(MediaError::Empty);
    }
    let kind = infer::get(head).ok_or(MediaError::UnknownType)?;
    Ok(Detected {
        mime: kind.mime_type().to_owned(),
        ext: kind.extension().to_owned(),
    })
}

impl Detected {
    /// Whether `patterns` (`image/png`, or `image/*` for a family) allow it.
    pub fn check_allowed(&self, patterns: &[String]) -> Result<()> {
        let allowed = patterns
            .iter()
            .any(|pattern| match pattern.strip_suffix("/*") {
                Some(family) => self
                    .mime
                    .split_once('/')
                    .is_some_and(|(top, _)| top.eq_ignore_ascii_case(family)),
                None => pattern.eq_ignore_ascii_case(&self.mime),
            });
        if allowed {
            Ok(())
        } else {
            Err(MediaError::TypeNotAllowed {
                mime: self.mime.clone(),
            })
        }
    }

    /// Refuses a file name whose extension says another type. A name
    /// without an extension takes the detected one.
    pub fn check_extension(&self, ext: Option<&str>) -> Result<()> {
        let Some(ext) = ext else {
            return Ok(());
        };
        let ext = ext.to_ascii_lowercase();
        if ext == self.ext || aliases(&self.ext).contains(&ext.as_str()) {
            Ok(())
        } else {
            Err(MediaError::ExtensionMismatch {
                mime: self.mime.clone(),
                ext,
            })
        }
    }
}

/// Other extensions in common use for the type whose usual one is `ext`.
fn aliases(ext: &str) -> &'static [&'static str] {
    match ext {
        "jpg" => &["jpeg", "jpe", "jfif"],
        "tif" => &["tiff"],
        "mp4" => &["m4v"],
        "mov" => &["qt"],
        "mid" => &["midi"],
        "ogg" => &["oga", "ogv", "opus"],
        "mkv" => &["mka"],
        "m4a" => &["m4b"],
        "heif" => &["heic"],
        "html" => &["htm"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0";

    #[test]
    fn types_come_from_content_and_names_must_agree() {
        let png = detect(PNG).ok();
        assert_eq!(png.as_ref().map(|d| d.mime.as_str()), Some("image/png"));
        let jpeg = detect(JPEG).ok();
        assert_eq!(jpeg.as_ref().map(|d| d.ext.as_str()), Some("jpg"));
        if let (Some(png), Some(jpeg)) = (png, jpeg) {
            assert!(png.check_extension(Some("PNG")).is_ok());
            assert!(png.check_extension(None).is_ok());
            assert!(matches!(
                png.check_extension(Some("jpg")),
                Err(MediaError::ExtensionMismatch { .. })
            ));
            assert!(jpeg.check_extension(Some("jpeg")).is_ok());
            assert!(jpeg.check_allowed(&["image/*".into()]).is_ok());
            assert!(
                jpeg.check_allowed(&["image/png".into(), "video/*".into()])
                    .is_err()
            );
        }
        assert!(matches!(detect(b""), Err(MediaError::Empty)));
        assert!(matches!(
            detect(b"just some text"),
            Err(MediaError::UnknownType)
        ));
    }
}
