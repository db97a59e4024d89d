//! Signed variant URLs: an HMAC-SHA256 of the path and its sorted query
//! parameters, so that only URLs the site issued can render new variants.
//!
//! The message is `PATH?K1=V1&K2=V2…` with every parameter but `s`, sorted
//! by name, values as they appear in the URL (decoded); the signature is the
//! first 16 bytes of the MAC in lowercase hex, sent as `s`. Any language can
//! compute it; see docs/media.md.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The signature parameter's name.
pub const PARAMETER: &str = "s";
const LENGTH: usize = 16;

fn message(path: &str, pairs: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> =
        pairs.iter().filter(|(name, _)| name != PARAMETER).collect();
    sorted.sort();
    let query: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{path}?{}", query.join("&"))
}

/// The MAC of the message; `None` only if HMAC refused the key, which it
/// never does (it takes keys of any length).
fn mac(secret: &[u8], path: &str, pairs: &[(String, String)]) -> Option<Hmac<Sha256>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).ok()?;
    mac.update(message(path, pairs).as_bytes());
    Some(mac)
}

/// The `s` value for `path` with these query parameters.
pub fn sign(secret: &[u8], path: &str, pairs: &[(String, String)]) -> String {
    mac(secret, path, pairs)
        .map(|mac| hex::encode(&mac.finalize().into_bytes()[..LENGTH]))
        .unwrap_or_default()
}

/// Whether `signature` is `sign`'s answer, compared in constant time.
pub fn verify(secret: &[u8], path: &str, pairs: &[(String, String)], signature: &str) -> bool {
    match (hex::decode(signature), mac(secret, path, pairs)) {
        (Ok(tag), Some(mac)) if tag.len() == LENGTH => mac.verify_truncated_left(&tag).is_ok(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn signatures_cover_path_and_parameters_in_any_order() {
        let secret = b"secret";
        let signature = sign(
            secret,
            "/uploads/a.jpg",
            &pairs(&[("w", "800"), ("fm", "webp")]),
        );
        assert_eq!(signature.len(), 32);
        let reordered = pairs(&[("fm", "webp"), ("s", &signature), ("w", "800")]);
        assert!(verify(secret, "/uploads/a.jpg", &reordered, &signature));
        assert!(!verify(secret, "/uploads/b.jpg", &reordered, &signature));
        assert!(!verify(
            secret,
            "/uploads/a.jpg",
            &pairs(&[("w", "801"), ("fm", "webp")]),
            &signature
        ));
        assert!(!verify(b"other", "/uploads/a.jpg", &reordered, &signature));
        assert!(!verify(secret, "/uploads/a.jpg", &reordered, "zz"));
    }
}
