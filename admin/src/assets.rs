//! The stylesheet and script, compiled into the binary and served under
//! names that carry a hash of their content, so browsers may cache them
//! for good and still see a new version at once.

pub struct Asset {
    /// The name pages link to: `admin-<hash>.css`.
    pub name: &'static str,
    pub content_type: &'static str,
    pub body: &'static str,
}

const CSS: &str = include_str!("../static/admin.css");
const JS: &str = include_str!("../static/admin.js");

/// FNV-1a, computed at compile time: a cache key, not a security measure.
const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

/// `prefix` + 16 hex digits of the hash + `suffix`, as a fixed-size buffer
/// filled at compile time.
const fn hashed_name<const N: usize>(prefix: &str, hash: u64, suffix: &str) -> [u8; N] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; N];
    let (p, s) = (prefix.as_bytes(), suffix.as_bytes());
    let mut i = 0;
    while i < p.len() {
        out[i] = p[i];
        i += 1;
    }
    let mut digit = 0;
    while digit < 16 {
        out[p.len() + digit] = HEX[((hash >> (60 - 4 * digit)) & 0xf) as usize];
        digit += 1;
    }
    let mut j = 0;
    while j < s.len() {
        out[p.len() + 16 + j] = s[j];
        j += 1;
    }
    out
}

const CSS_NAME_BYTES: [u8; 26] = hashed_name("admin-", fnv1a(CSS.as_bytes()), ".css");
const JS_NAME_BYTES: [u8; 25] = hashed_name("admin-", fnv1a(JS.as_bytes()), ".js");

const fn name_of(bytes: &'static [u8]) -> &'static str {
    match std::str::from_utf8(bytes) {
        Ok(name) => name,
        Err(_) => panic!("asset names are ASCII"),
    }
}

pub const STYLESHEET: Asset = Asset {
    name: name_of(&CSS_NAME_BYTES),
    content_type: "text/css; charset=utf-8",
    body: CSS,
};

pub const SCRIPT: Asset = Asset {
    name: name_of(&JS_NAME_BYTES),
    content_type: "text/javascript; charset=utf-8",
    body: JS,
};

pub const ALL: [&Asset; 2] = [&STYLESHEET, &SCRIPT];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_a_hash_of_the_content() {
        assert!(STYLESHEET.name.starts_with("admin-") && STYLESHEET.name.ends_with(".css"));
        assert!(SCRIPT.name.ends_with(".js"));
        assert_eq!(STYLESHEET.name.len(), 26);
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
    }
}
