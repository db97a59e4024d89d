//! Uploads arrive as a stream of chunks; a spool writes them to a temporary
//! file as they come, hashing and counting, so a file is never held in
//! memory whole and one over the limit is cut off at the limit.

use std::path::Path;

use sha2::{Digest, Sha256};
use tempfile::TempPath;
use tokio::io::AsyncWriteExt;

use crate::error::{MediaError, Result};

/// The bytes kept from the start of a file to recognise its type.
pub const HEAD_LENGTH: usize = 8192;

/// A file being received.
pub struct Spool {
    file: tokio::fs::File,
    path: TempPath,
    hasher: Sha256,
    size: u64,
    limit: u64,
    head: Vec<u8>,
}

/// A received file in a temporary place, removed when dropped.
#[derive(Debug)]
pub struct Spooled {
    path: TempPath,
    pub size: u64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// The first bytes, for type detection.
    pub head: Vec<u8>,
}

impl Spool {
    /// A spool in the system's temporary folder accepting up to `limit` bytes.
    pub fn new(limit: u64) -> Result<Spool> {
        let (file, path) = tempfile::NamedTempFile::new()
            .map_err(|e| MediaError::io("a temporary file", e))?
            .into_parts();
        Ok(Spool {
            file: tokio::fs::File::from_std(file),
            path,
            hasher: Sha256::new(),
            size: 0,
            limit,
            head: Vec::new(),
        })
    }

    /// Appends a chunk; past the limit the spool refuses, and dropping it
    /// removes what was written.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<()> {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(MediaError::TooLarge { limit: self.limit });
        }
        if self.head.len() < HEAD_LENGTH {
            let wanted = (HEAD_LENGTH - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..wanted]);
        }
        self.hasher.update(chunk);
        self.file
            .write_all(chunk)
            .await
            .map_err(|e| MediaError::io(self.path.display(), e))
    }

    /// The whole file, flushed to disk.
    pub async fn finish(mut self) -> Result<Spooled> {
        self.file
            .flush()
            .await
            .map_err(|e| MediaError::io(self.path.display(), e))?;
        Ok(Spooled {
            path: self.path,
            size: self.size,
            sha256: hex::encode(self.hasher.finalize()),
            head: self.head,
        })
    }
}

impl Spooled {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[tokio::test]
    async fn spools_hash_and_refuse_past_the_limit() {
        let mut spool = Spool::new(10).unwrap();
        spool.write(b"hello ").await.unwrap();
        spool.write(b"you").await.unwrap();
        let spooled = spool.finish().await.unwrap();
        assert_eq!(spooled.size, 9);
        assert_eq!(spooled.head, b"hello you");
        assert_eq!(spooled.sha256, hex::encode(Sha256::digest(b"hello you")));
        assert_eq!(std::fs::read(spooled.path()).unwrap(), b"hello you");
        let path = spooled.path().to_owned();
        drop(spooled);
        assert!(!path.exists(), "the temporary file is removed");

        let mut spool = Spool::new(4).unwrap();
        assert!(matches!(
            spool.write(b"12345").await,
            Err(MediaError::TooLarge { limit: 4 })
        ));
    }
}
