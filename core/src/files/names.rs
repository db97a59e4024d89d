//! File names: the name shown (as uploaded, made harmless) and the storage
//! name (Strapi's `hash`: a slug of the name plus a random suffix, so that
//! keys are portable, unguessable and never reused).

use rand::Rng;

/// Longest name kept, in bytes.
const MAX_NAME: usize = 255;
/// Longest slug kept in a storage name.
const MAX_SLUG: usize = 48;

/// The name as shown: without any folder part or control characters,
/// trimmed, at most 255 bytes; `file` when nothing is left.
pub fn display_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect();
    let mut name = cleaned.trim().trim_start_matches('.').trim().to_owned();
    if name.len() > MAX_NAME {
        let mut end = MAX_NAME;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name.truncate(end);
    }
    if name.is_empty() {
        "file".to_owned()
    } else {
        name
    }
}

/// The extension of a shown name, lower case, when it looks like one.
pub fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty()
        && (1..=10).contains(&ext.len())
        && ext.chars().all(|c| c.is_ascii_alphanumeric()))
    .then(|| ext.to_ascii_lowercase())
}

/// A fresh storage name for a file called `name`: `summer_holiday_3fa9c1e2d4`.
pub fn storage_hash(name: &str) -> String {
    let stem = match extension(name) {
        Some(ext) => &name[..name.len() - ext.len() - 1],
        None => name,
    };
    // Transliterated to ASCII letters, digits and `-`, then `_` as Strapi.
    let mut slug = slug::slugify(stem).replace('-', "_");
    slug.truncate(MAX_SLUG);
    let slug = slug.trim_end_matches('_');
    let slug = if slug.is_empty() { "file" } else { slug };
    let mut rng = rand::rng();
    let suffix: String = (0..10)
        .map(|_| char::from(b"0123456789abcdef"[rng.random_range(0..16)]))
        .collect();
    format!("{slug}_{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_harmless() {
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("C:\\Users\\me\\photo.JPG"), "photo.JPG");
        assert_eq!(display_name("  a\u{0}b\n.png "), "ab.png");
        assert_eq!(display_name(".."), "file");
        assert_eq!(display_name(".htaccess"), "htaccess");
        assert_eq!(display_name(&"é".repeat(200)).len(), 254);
        assert_eq!(extension("photo.JPG").as_deref(), Some("jpg"));
        assert_eq!(extension("archive.tar.gz").as_deref(), Some("gz"));
        assert_eq!(extension("README"), None);
        assert_eq!(extension("weird.j p g"), None);
    }

    #[test]
    fn storage_names_are_slugs_with_a_random_suffix() {
        let hash = storage_hash("Été à Paris (1).JPG");
        let (slug, suffix) = hash.rsplit_once('_').unwrap_or_default();
        assert_eq!(slug, "ete_a_paris_1");
        assert_eq!(suffix.len(), 10);
        assert_ne!(storage_hash("a.png"), storage_hash("a.png"));
        assert!(storage_hash("....png").starts_with("file_"));
    }
}
