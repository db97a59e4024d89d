//! Where originals and variants live: one trait, a local folder and S3.
//!
//! Keys are validated once, by [`Key::new`], so no backend can be asked for
//! a path outside its store. Objects are written whole or not at all, and a
//! key is never reused for different bytes: originals get a fresh key on
//! upload, variants a key derived from their original and parameters.

mod key;
mod local;
mod s3;

use std::io;
use std::path::Path;
use std::pin::Pin;

use bytes::Bytes;
use futures::Stream;

pub use key::Key;
pub use local::LocalStorage;
pub use s3::{S3Settings, S3Storage};

use crate::error::{MediaError, Result};

/// An object's bytes, read as they arrive.
pub type ByteStream = Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send>>;

/// Bytes read at a time. Reads from a file go through tokio's blocking
/// pool, one hop per chunk; 64 KiB keeps the hops few without holding much.
pub(crate) const CHUNK: usize = 64 * 1024;

/// What to store: a file on disk (streamed, e.g. a spooled upload) or bytes
/// in memory (a rendered variant).
#[derive(Debug, Clone, Copy)]
pub enum Body<'a> {
    File(&'a Path),
    Bytes(&'a Bytes),
}

/// A byte range as HTTP asks for it, resolved against the object's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteRange {
    /// `bytes=START-`
    From(u64),
    /// `bytes=START-END`, END inclusive.
    Between(u64, u64),
    /// `bytes=-N`: the last N bytes.
    Last(u64),
}

impl ByteRange {
    /// The first and last byte (inclusive) inside an object of `size` bytes.
    pub fn resolve(self, size: u64) -> Result<(u64, u64)> {
        let refused = MediaError::RangeNotSatisfiable { size };
        match self {
            _ if size == 0 => Err(refused),
            ByteRange::From(start) if start < size => Ok((start, size - 1)),
            ByteRange::Between(start, end) if start <= end && start < size => {
                Ok((start, end.min(size - 1)))
            }
            ByteRange::Last(n) if n > 0 => Ok((size - n.min(size), size - 1)),
            _ => Err(refused),
        }
    }
}

/// An object being read.
pub struct Object {
    /// The whole object's size.
    pub size: u64,
    /// The bytes sent, first and last inclusive, when a range was asked for.
    pub range: Option<(u64, u64)>,
    pub body: ByteStream,
}

impl Object {
    /// How many bytes `body` yields.
    pub fn content_length(&self) -> u64 {
        match self.range {
            Some((start, end)) => end - start + 1,
            None => self.size,
        }
    }
}

impl std::fmt::Debug for Object {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Object")
            .field("size", &self.size)
            .field("range", &self.range)
            .finish_non_exhaustive()
    }
}

/// A store of immutable objects.
#[async_trait::async_trait]
pub trait Storage: Send + Sync + std::fmt::Debug {
    /// The provider name recorded with each file (Strapi's `provider`).
    fn provider(&self) -> &'static str;

    /// Stores `body` under `key`; readers see the whole object or nothing.
    async fn put(&self, key: &Key, body: Body<'_>, content_type: &str) -> Result<()>;

    /// Reads `key`, or the part of it `range` asks for; `None` when absent.
    async fn get(&self, key: &Key, range: Option<ByteRange>) -> Result<Option<Object>>;

    /// Every key under `prefix/` (everything with `None`).
    async fn list(&self, prefix: Option<&Key>) -> Result<Vec<Key>>;

    /// Removes `key`; removing an absent key is not an error.
    async fn delete(&self, key: &Key) -> Result<()>;

    /// Removes every key under `prefix/`.
    async fn delete_prefix(&self, prefix: &Key) -> Result<()> {
        for key in self.list(Some(prefix)).await? {
            self.delete(&key).await?;
        }
        Ok(())
    }
}

/// Reads a whole object into memory, refusing objects over `limit` bytes.
pub async fn read_all(storage: &dyn Storage, key: &Key, limit: u64) -> Result<Option<Bytes>> {
    use futures::TryStreamExt;
    let Some(object) = storage.get(key, None).await? else {
        return Ok(None);
    };
    if object.size > limit {
        return Err(MediaError::TooLarge { limit });
    }
    let capacity = usize::try_from(object.size).unwrap_or(0);
    let bytes = object
        .body
        .try_fold(Vec::with_capacity(capacity), |mut all, chunk| async move {
            all.extend_from_slice(&chunk);
            Ok(all)
        })
        .await
        .map_err(|e| MediaError::io(key, e))?;
    Ok(Some(Bytes::from(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_resolve_like_http() {
        assert_eq!(ByteRange::From(10).resolve(100).ok(), Some((10, 99)));
        assert_eq!(ByteRange::Between(0, 9).resolve(100).ok(), Some((0, 9)));
        assert_eq!(
            ByteRange::Between(90, 200).resolve(100).ok(),
            Some((90, 99))
        );
        assert_eq!(ByteRange::Last(10).resolve(100).ok(), Some((90, 99)));
        assert_eq!(ByteRange::Last(500).resolve(100).ok(), Some((0, 99)));
        assert!(ByteRange::From(100).resolve(100).is_err());
        assert!(ByteRange::Between(5, 4).resolve(100).is_err());
        assert!(ByteRange::Last(0).resolve(100).is_err());
        assert!(ByteRange::From(0).resolve(0).is_err());
    }
}
