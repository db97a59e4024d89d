//! The local store: one folder, keys as relative paths inside it.

use std::io::SeekFrom;
use std::path::{Path, PathBuf};

use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

use super::{Body, ByteRange, CHUNK, Key, Object, Storage};
use crate::error::{MediaError, Result};

/// Temporary files being written start with this; they are never keys
/// (keys cannot start with a dot) and `list` skips them.
const PARTIAL_PREFIX: &str = ".partial-";

#[derive(Debug, Clone)]
pub struct LocalStorage {
    root: PathBuf,
}

impl LocalStorage {
    /// A store in `root`, created when missing.
    pub async fn open(root: impl Into<PathBuf>) -> Result<Self> {
        let root = root.into();
        tokio::fs::create_dir_all(&root)
            .await
            .map_err(|e| MediaError::io(root.display(), e))?;
        Ok(LocalStorage { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, key: &Key) -> PathBuf {
        key.segments()
            .fold(self.root.clone(), |path, segment| path.join(segment))
    }
}

#[async_trait::async_trait]
impl Storage for LocalStorage {
    fn provider(&self) -> &'static str {
        "local"
    }

    async fn put(&self, key: &Key, body: Body<'_>, _content_type: &str) -> Result<()> {
        let path = self.path(key);
        let folder = path.parent().unwrap_or(&self.root).to_owned();
        tokio::fs::create_dir_all(&folder)
            .await
            .map_err(|e| MediaError::io(folder.display(), e))?;
        // Written beside its final place, then renamed: readers never see
        // half an object, and a failed write leaves nothing under the key.
        let partial = folder.join(format!(
            "{PARTIAL_PREFIX}{}",
            hex::encode(rand::random::<[u8; 8]>())
        ));
        let written = match body {
            Body::File(source) => tokio::fs::copy(source, &partial).await.map(|_| ()),
            Body::Bytes(bytes) => tokio::fs::write(&partial, bytes).await,
        };
        let renamed = match written {
            Ok(()) => tokio::fs::rename(&partial, &path).await,
            Err(e) => Err(e),
        };
        if let Err(error) = renamed {
            tokio::fs::remove_file(&partial).await.ok();
            return Err(MediaError::io(key, error));
        }
        Ok(())
    }

    async fn get(&self, key: &Key, range: Option<ByteRange>) -> Result<Option<Object>> {
        let path = self.path(key);
        let mut file = match tokio::fs::File::open(&path).await {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(MediaError::io(key, e)),
        };
        let metadata = file.metadata().await.map_err(|e| MediaError::io(key, e))?;
        if !metadata.is_file() {
            return Ok(None);
        }
        let size = metadata.len();
        let range = range.map(|r| r.resolve(size)).transpose()?;
        let (start, length) = match range {
            Some((start, end)) => (start, end - start + 1),
            None => (0, size),
        };
        if start > 0 {
            file.seek(SeekFrom::Start(start))
                .await
                .map_err(|e| MediaError::io(key, e))?;
        }
        Ok(Some(Object {
            size,
            range,
            body: Box::pin(ReaderStream::with_capacity(file.take(length), CHUNK)),
        }))
    }

    async fn list(&self, prefix: Option<&Key>) -> Result<Vec<Key>> {
        let start = match prefix {
            Some(prefix) => self.path(prefix),
            None => self.root.clone(),
        };
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || list_files(&root, &start))
            .await
            .map_err(|e| MediaError::Storage(format!("listing was interrupted: {e}")))?
    }

    async fn delete(&self, key: &Key) -> Result<()> {
        let path = self.path(key);
        match tokio::fs::remove_file(&path).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(MediaError::io(key, e)),
        }
        // A variant folder left empty goes too; one still in use stays.
        if let Some(folder) = path.parent().filter(|folder| *folder != self.root) {
            tokio::fs::remove_dir(folder).await.ok();
        }
        Ok(())
    }
}

/// Every file under `start`, as keys relative to `root`, sorted.
fn list_files(root: &Path, start: &Path) -> Result<Vec<Key>> {
    let mut keys = Vec::new();
    let mut folders = vec![start.to_owned()];
    while let Some(folder) = folders.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(MediaError::io(folder.display(), e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| MediaError::io(folder.display(), e))?;
            let path = entry.path();
            let kind = entry
                .file_type()
                .map_err(|e| MediaError::io(path.display(), e))?;
            if kind.is_dir() {
                folders.push(path);
            } else if kind.is_file()
                && !entry
                    .file_name()
                    .to_string_lossy()
                    .starts_with(PARTIAL_PREFIX)
            {
                let relative = path.strip_prefix(root).unwrap_or(&path);
                let key = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                // Files that are not keys were not written by Cairn.
                if let Ok(key) = Key::new(key) {
                    keys.push(key);
                }
            }
        }
    }
    keys.sort();
    Ok(keys)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use bytes::Bytes;
    use futures::TryStreamExt;

    use super::*;

    async fn read(storage: &LocalStorage, key: &Key, range: Option<ByteRange>) -> Vec<u8> {
        let object = storage.get(key, range).await.unwrap().unwrap();
        object
            .body
            .try_fold(Vec::new(), |mut all, chunk| async move {
                all.extend_from_slice(&chunk);
                Ok(all)
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn objects_round_trip_with_ranges_lists_and_deletes() {
        let folder = tempfile::tempdir().unwrap();
        let storage = LocalStorage::open(folder.path()).await.unwrap();
        let original = Key::new("photo_abc.jpg").unwrap();
        let variant = Key::new("photo_abc/w10.webp").unwrap();
        storage
            .put(
                &original,
                Body::Bytes(&Bytes::from_static(b"0123456789")),
                "image/jpeg",
            )
            .await
            .unwrap();
        storage
            .put(
                &variant,
                Body::Bytes(&Bytes::from_static(b"v")),
                "image/webp",
            )
            .await
            .unwrap();
        assert_eq!(read(&storage, &original, None).await, b"0123456789");
        assert_eq!(
            read(&storage, &original, Some(ByteRange::Between(2, 4))).await,
            b"234"
        );
        assert_eq!(
            read(&storage, &original, Some(ByteRange::Last(3))).await,
            b"789"
        );
        assert!(matches!(
            storage.get(&original, Some(ByteRange::From(10))).await,
            Err(MediaError::RangeNotSatisfiable { size: 10 })
        ));
        assert_eq!(
            storage.list(None).await.unwrap(),
            [original.clone(), variant.clone()]
        );
        let prefix = Key::new("photo_abc").unwrap();
        storage.delete_prefix(&prefix).await.unwrap();
        assert_eq!(
            storage.list(None).await.unwrap(),
            std::slice::from_ref(&original)
        );
        assert!(
            !folder.path().join("photo_abc").exists(),
            "the empty folder is gone"
        );
        storage.delete(&original).await.unwrap();
        storage.delete(&original).await.unwrap();
        assert!(storage.get(&original, None).await.unwrap().is_none());
    }
}
