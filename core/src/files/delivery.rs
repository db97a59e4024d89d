//! `/uploads/{file}`: originals, and variants rendered once, stored beside
//! their original and served from the store afterwards.
//!
//! A cached variant is served without touching the database: its key comes
//! from the file's storage name and the normalised parameters alone. On a
//! miss, concurrent requests for the same variant wait for one render.

use std::sync::Arc;

use bytes::Bytes;
use cairn_media::MediaError;
use cairn_media::image::{FocalPoint, Format, encode, orient, resize};
use cairn_media::storage::{self, Body, ByteRange, Key, Object};
use cairn_media::transform::{Request, Variant};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

use super::{Files, UPLOADS_PATH};
use crate::db::entities::file;
use crate::error::{Error, Result};

/// A request for `/uploads/{name}`.
#[derive(Debug, Clone, Copy)]
pub struct DeliveryRequest<'a> {
    pub name: &'a str,
    /// The decoded query parameters, in order.
    pub query: &'a [(String, String)],
    pub accept: Option<&'a str>,
    pub range: Option<ByteRange>,
}

/// Whether a variant came from the store or was rendered for this request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheStatus {
    Hit,
    Miss,
}

/// What to send.
#[derive(Debug)]
pub struct Delivery {
    pub object: Object,
    pub content_type: String,
    /// A strong validator, quoted.
    pub etag: String,
    /// Whether the content depends on the Accept header.
    pub vary_accept: bool,
    /// `None` for originals.
    pub cache: Option<CacheStatus>,
}

impl Files {
    pub async fn deliver(&self, request: DeliveryRequest<'_>) -> Result<Delivery> {
        let not_found = || Error::RecordNotFound {
            kind: "file",
            key: request.name.to_owned(),
        };
        let key = Key::new(request.name).map_err(|_| not_found())?;
        let (hash, ext) = request.name.rsplit_once('.').ok_or_else(not_found)?;
        let path = format!("{UPLOADS_PATH}/{}", request.name);
        let Some(parsed) = Request::parse(request.query).map_err(|e| Error::media(&path, e))?
        else {
            return self.original(&key, hash, request.range).await;
        };
        let source = Format::from_mime(mime_of_extension(ext)).ok_or_else(|| {
            Error::InvalidVariant(format!("{} is not an image Cairn transforms", request.name))
        })?;
        let variant = self
            .inner
            .policy
            .resolve(&path, request.query, &parsed, source, request.accept)
            .map_err(|e| Error::media(&path, e))?;
        let variant_key = Key::new(hash)
            .and_then(|folder| folder.join(&variant.key_name()))
            .map_err(|_| not_found())?;
        let delivery = |(object, etag), cache| Delivery {
            object,
            content_type: variant.format.mime().to_owned(),
            etag,
            vary_accept: variant.negotiated,
            cache: Some(cache),
        };
        if let Some(found) = self.stored_variant(&variant_key, request.range).await? {
            return Ok(delivery(found, CacheStatus::Hit));
        }
        let _turn = self.inner.renders.turn(variant_key.to_string()).await;
        // Another request may have rendered it while this one waited.
        match self.stored_variant(&variant_key, request.range).await? {
            Some(found) => Ok(delivery(found, CacheStatus::Hit)),
            None => {
                let bytes = self
                    .render(&key, hash, &variant, &variant_key, request.name)
                    .await?;
                let etag = self.keep_variant(&variant_key, &bytes);
                in_memory(bytes, request.range)
                    .map(|object| delivery((object, etag), CacheStatus::Miss))
            }
        }
    }

    async fn original(&self, key: &Key, hash: &str, range: Option<ByteRange>) -> Result<Delivery> {
        let not_found = || Error::RecordNotFound {
            kind: "file",
            key: key.to_string(),
        };
        let row = self.stored_file(hash, key).await?.ok_or_else(not_found)?;
        let object = self
            .inner
            .storage
            .get(key, range)
            .await
            .map_err(|e| Error::media(key.as_str(), e))?
            .ok_or_else(not_found)?;
        Ok(Delivery {
            object,
            content_type: row.mime,
            etag: format!("\"{}\"", row.sha256.unwrap_or(row.hash)),
            vary_accept: false,
            cache: None,
        })
    }

    /// Renders and stores a variant of the original stored under `key`.
    async fn render(
        &self,
        key: &Key,
        hash: &str,
        variant: &Variant,
        variant_key: &Key,
        name: &str,
    ) -> Result<Bytes> {
        let row = self
            .stored_file(hash, key)
            .await?
            .ok_or_else(|| Error::RecordNotFound {
                kind: "file",
                key: name.to_owned(),
            })?;
        let source = Format::from_mime(&row.mime)
            .filter(|f| f.is_decodable())
            .ok_or_else(|| {
                Error::InvalidVariant(format!("{} files cannot be transformed", row.mime))
            })?;
        let focal = row
            .focal_point
            .and_then(|point| serde_json::from_value::<FocalPoint>(point).ok())
            .unwrap_or_default();
        let original = storage::read_all(
            self.inner.storage.as_ref(),
            key,
            self.inner.config.max_upload_bytes,
        )
        .await
        .map_err(|e| Error::media(name, e))?
        .ok_or_else(|| {
            Error::Storage(format!("the original of {name} is missing from the store"))
        })?;
        let limits = self.inner.limits;
        // Upright size as stored at upload: how much of the original the
        // variant needs, so a JPEG can be decoded at a smaller scale.
        let scale = match (row.width, row.height) {
            (Some(width), Some(height)) if width > 0 && height > 0 => variant
                .target
                .plan((width.unsigned_abs(), height.unsigned_abs()), focal)
                .scale(),
            _ => 1.0,
        };
        let variant = *variant;
        let owned_name = name.to_owned();
        let bytes = self
            .cpu(move || {
                let failed = |e| Error::media(&owned_name, e);
                let pixels =
                    orient::decode_bytes_for(&original, source, &limits, scale).map_err(failed)?;
                let plan = variant.target.plan((pixels.width, pixels.height), focal);
                let resized =
                    resize::apply(&pixels, &plan, variant.format.has_alpha()).map_err(failed)?;
                encode::encode(&resized, variant.format, variant.quality).map_err(failed)
            })
            .await?;
        let bytes = Bytes::from(bytes);
        self.inner
            .storage
            .put(variant_key, Body::Bytes(&bytes), variant.format.mime())
            .await
            .map_err(|e| Error::media(name, e))?;
        Ok(bytes)
    }

    /// The row of the file stored under `key` (`{hash}{ext}`): the hash
    /// and the extension must both match.
    async fn stored_file(&self, hash: &str, key: &Key) -> Result<Option<file::Model>> {
        Ok(file::Entity::find()
            .filter(file::Column::Hash.eq(hash))
            .one(self.inner.db.conn())
            .await?
            .filter(|row| format!("{}{}", row.hash, row.ext) == key.as_str()))
    }

    /// A rendered variant and its ETag: from memory, or from the store (and
    /// then kept in memory when it is small enough).
    async fn stored_variant(
        &self,
        key: &Key,
        range: Option<ByteRange>,
    ) -> Result<Option<(Object, String)>> {
        let storage = self.inner.storage.as_ref();
        let read = |e| Error::media(key.as_str(), e);
        let from_store = |object: Option<Object>| object.map(|object| (object, variant_etag(key)));
        let Some(variants) = &self.inner.variants else {
            return storage.get(key, range).await.map(from_store).map_err(read);
        };
        if let Some(kept) = variants.get(key.as_str()) {
            return in_memory(kept.bytes, range)
                .map(|object| Some((object, kept.etag.to_string())));
        }
        match storage::read_all(storage, key, MAX_KEPT_VARIANT).await {
            Ok(Some(bytes)) => {
                let etag = self.keep_variant(key, &bytes);
                in_memory(bytes, range).map(|object| Some((object, etag)))
            }
            Ok(None) => Ok(None),
            Err(MediaError::TooLarge { .. }) => {
                storage.get(key, range).await.map(from_store).map_err(read)
            }
            Err(error) => Err(read(error)),
        }
    }

    /// Keeps a rendered variant in memory when it is small enough; its ETag.
    fn keep_variant(&self, key: &Key, bytes: &Bytes) -> String {
        let etag = variant_etag(key);
        if let Some(variants) = &self.inner.variants
            && bytes.len() as u64 <= MAX_KEPT_VARIANT
        {
            let kept = KeptVariant {
                bytes: bytes.clone(),
                etag: etag.as_str().into(),
            };
            variants.insert(key.to_string(), kept);
        }
        etag
    }
}

/// A rendered variant in memory, with its ETag worked out once rather than
/// hashed and formatted again on every request.
#[derive(Clone)]
pub(super) struct KeptVariant {
    pub(super) bytes: Bytes,
    etag: Arc<str>,
}

/// A variant's strong validator: its content never changes under its key.
fn variant_etag(key: &Key) -> String {
    format!("\"{}\"", hex::encode(&Sha256::digest(key.as_str())[..16]))
}

/// The largest variant kept in memory.
const MAX_KEPT_VARIANT: u64 = 1024 * 1024;

/// A rendered variant served from memory, cut to `range`.
fn in_memory(bytes: Bytes, range: Option<ByteRange>) -> Result<Object> {
    let size = bytes.len() as u64;
    let range = range
        .map(|r| r.resolve(size))
        .transpose()
        .map_err(|_| Error::RangeNotSatisfiable { size })?;
    let body = match range {
        Some((start, end)) => bytes.slice(start as usize..=end as usize),
        None => bytes,
    };
    Ok(Object {
        size,
        range,
        body: Box::pin(futures::stream::once(async move { Ok(body) })),
    })
}

/// The image type a stored file's extension stands for; uploads refuse
/// extensions that contradict the content, so the two agree.
fn mime_of_extension(ext: &str) -> &'static str {
    match ext.to_ascii_lowercase().as_str() {
        "jpg" | "jpeg" | "jpe" | "jfif" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        _ => "application/octet-stream",
    }
}
