//! Uploaded files: the `cairn_files` rows, their originals and variants in
//! the media store (`cairn-media` does the bytes and pixels).
//!
//! Originals are stored once under `{hash}{ext}` and never change; variants
//! live beside them under `{hash}/{parameters}.{ext}`, so deleting a file
//! or moving its focal point removes its variants by prefix.

mod delivery;
mod names;
mod object;
mod upload;
mod usage;

use std::sync::Arc;
use std::time::Duration;

use cairn_media::image::{FocalPoint, Limits};
use cairn_media::spool::Spool;
use cairn_media::storage::{Key, LocalStorage, S3Settings, S3Storage, Storage};
use cairn_media::transform::Policy;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tokio::sync::Semaphore;

pub use delivery::{CacheStatus, Delivery, DeliveryRequest};
pub use object::file_object;
pub use upload::{FileInfo, Upload};
pub use usage::{FileUse, usage};

use self::delivery::KeptVariant;

use crate::config::{MediaConfig, StorageKind};
use crate::db::Db;
use crate::db::entities::file;
use crate::error::{Error, Result};
use crate::flights::Flights;
use crate::query::compile::escape_like;
use crate::time::now;

/// Where files are served; every file's `url` starts with it.
pub const UPLOADS_PATH: &str = "/uploads";

/// The files service. Cheap to clone: clones share the store, the in-flight
/// renders and the CPU budget.
#[derive(Clone)]
pub struct Files {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    storage: Arc<dyn Storage>,
    config: MediaConfig,
    policy: Policy,
    limits: Limits,
    /// Renders under way, by variant key: concurrent first requests for a
    /// variant render it once.
    renders: Flights<String>,
    /// Rendered variants in memory, by variant key. Variants never change
    /// under their key; the time limit bounds how long one deleted on
    /// another instance is still served here.
    variants: Option<moka::sync::Cache<String, KeptVariant>>,
    /// Decoding and encoding run on blocking threads, one per core at most:
    /// a burst of uploads or first requests queues instead of exhausting
    /// memory.
    cpu: Semaphore,
}

/// Metadata changes (`PUT /api/upload/files/{id}`); absent fields stay.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct FileUpdate {
    pub name: Option<String>,
    pub alternative_text: Option<String>,
    pub caption: Option<String>,
    pub focal_point: Option<FocalPoint>,
    pub folder_path: Option<String>,
}

/// Which files a library page shows.
#[derive(Debug, Clone, Default)]
pub struct FileQuery {
    pub search: String,
    pub folder: Option<String>,
    pub offset: u64,
    pub limit: u64,
}

impl Files {
    /// Opens the configured store and checks the media configuration.
    pub async fn open(db: Db, config: &MediaConfig, secret: Vec<u8>) -> Result<Files> {
        for name in &config.formats {
            if !config.presets.contains_key(name) {
                return Err(Error::Config(format!(
                    "media.formats lists `{name}`, which is not in media.presets"
                )));
            }
        }
        if !(1..=100).contains(&config.quality) {
            return Err(Error::Config("media.quality must be from 1 to 100".into()));
        }
        let opened = match config.storage {
            StorageKind::Local => LocalStorage::open(&config.local_folder)
                .await
                .map(|store| Arc::new(store) as Arc<dyn Storage>),
            StorageKind::S3 => S3Storage::connect(&S3Settings {
                endpoint: config.s3.endpoint.clone(),
                region: config.s3.region.clone(),
                bucket: config.s3.bucket.clone(),
                force_path_style: config.s3.force_path_style,
                access_key_id: config.s3.access_key_id.clone(),
                secret_access_key: config.s3.secret_access_key.clone(),
                prefix: config.s3.prefix.clone(),
            })
            .await
            .map(|store| Arc::new(store) as Arc<dyn Storage>),
        };
        let storage = opened.map_err(|e| Error::Config(format!("media storage: {e}")))?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Ok(Files {
            inner: Arc::new(Inner {
                db,
                storage,
                policy: Policy {
                    presets: config.presets.clone(),
                    sizes: config.sizes.clone(),
                    signed_urls: config.signed_urls,
                    max_dimension: config.max_dimension,
                    default_quality: config.quality,
                    secret,
                },
                limits: Limits {
                    max_pixels: config.max_pixels,
                    max_decode_bytes: config.max_decode_bytes,
                },
                config: config.clone(),
                renders: Flights::default(),
                variants: (config.variant_cache_bytes > 0).then(|| {
                    moka::sync::Cache::builder()
                        .max_capacity(config.variant_cache_bytes)
                        .weigher(|key: &String, kept: &KeptVariant| {
                            u32::try_from(key.len() + kept.bytes.len()).unwrap_or(u32::MAX)
                        })
                        .time_to_live(Duration::from_secs(60))
                        .support_invalidation_closures()
                        .build()
                }),
                cpu: Semaphore::new(cores),
            }),
        })
    }

    pub fn storage(&self) -> &dyn Storage {
        self.inner.storage.as_ref()
    }

    /// A spool for one incoming file, refusing it past the upload limit.
    pub fn spool(&self) -> Result<Spool> {
        Spool::new(self.inner.config.max_upload_bytes).map_err(|e| Error::media("an upload", e))
    }

    /// Every file, oldest first.
    pub async fn list(&self) -> Result<Vec<Map<String, Value>>> {
        let rows = file::Entity::find()
            .order_by_asc(file::Column::Id)
            .all(self.inner.db.conn())
            .await?;
        Ok(rows.iter().map(file_object).collect())
    }

    /// A page of files, newest first: those whose name contains `search`
    /// (any case) in `folder` (every folder when `None`), with how many
    /// match.
    pub async fn search(&self, query: &FileQuery) -> Result<(Vec<Map<String, Value>>, u64)> {
        let mut select = file::Entity::find();
        if !query.search.is_empty() {
            select = select.filter(
                Expr::expr(Func::lower(Expr::col(file::Column::Name))).like(
                    LikeExpr::new(format!("%{}%", escape_like(&query.search.to_lowercase())))
                        .escape('\\'),
                ),
            );
        }
        if let Some(folder) = &query.folder {
            select = select.filter(file::Column::FolderPath.eq(folder.as_str()));
        }
        let conn = self.inner.db.conn();
        let total = select.clone().count(conn).await?;
        let rows = select
            .order_by_desc(file::Column::Id)
            .offset(query.offset)
            .limit(query.limit)
            .all(conn)
            .await?;
        Ok((rows.iter().map(file_object).collect(), total))
    }

    /// Every folder that holds a file, in order.
    pub async fn folders(&self) -> Result<Vec<String>> {
        Ok(file::Entity::find()
            .select_only()
            .column(file::Column::FolderPath)
            .distinct()
            .order_by_asc(file::Column::FolderPath)
            .into_tuple()
            .all(self.inner.db.conn())
            .await?)
    }

    pub async fn find(&self, id: i64) -> Result<Map<String, Value>> {
        Ok(file_object(&self.row(id).await?))
    }

    async fn row(&self, id: i64) -> Result<file::Model> {
        file::Entity::find_by_id(id)
            .one(self.inner.db.conn())
            .await?
            .ok_or_else(|| Error::RecordNotFound {
                kind: "file",
                key: id.to_string(),
            })
    }

    /// Changes a file's metadata; its bytes never change. A new focal point
    /// removes the file's variants, which are rendered again on demand.
    pub async fn update(&self, id: i64, update: FileUpdate) -> Result<Map<String, Value>> {
        let row = self.row(id).await?;
        let focal_point = upload::check_focal_point(update.focal_point)?;
        let folder_path = update
            .folder_path
            .as_deref()
            .map(|path| upload::folder_path(Some(path)))
            .transpose()?;
        let moved = focal_point.is_some_and(|point| {
            row.focal_point.as_ref() != Some(&json!({"x": point.x, "y": point.y}))
        });
        let hash = row.hash.clone();
        let mut active = row.into_active_model();
        if let Some(name) = update.name {
            active.name = Set(names::display_name(&name));
        }
        if let Some(text) = update.alternative_text {
            active.alternative_text = Set(Some(text));
        }
        if let Some(caption) = update.caption {
            active.caption = Set(Some(caption));
        }
        if let Some(point) = focal_point {
            active.focal_point = Set(Some(json!({"x": point.x, "y": point.y})));
        }
        if let Some(path) = folder_path {
            active.folder_path = Set(path);
        }
        active.updated_at = Set(now());
        let row = active.update(self.inner.db.conn()).await?;
        if moved {
            self.remove_variants(&hash).await?;
        }
        Ok(file_object(&row))
    }

    /// Deletes a file, its links from entries, its original and variants.
    pub async fn delete(&self, id: i64) -> Result<Map<String, Value>> {
        let row = self.row(id).await?;
        file::Entity::delete_by_id(id)
            .exec(self.inner.db.conn())
            .await?;
        let original =
            Key::new(format!("{}{}", row.hash, row.ext)).map_err(|e| Error::media(&row.name, e))?;
        self.remove_variants(&row.hash).await?;
        self.inner
            .storage
            .delete(&original)
            .await
            .map_err(|e| Error::media(&row.name, e))?;
        Ok(file_object(&row))
    }

    async fn remove_variants(&self, hash: &str) -> Result<()> {
        let folder = Key::new(hash).map_err(|e| Error::media(hash, e))?;
        if let Some(variants) = &self.inner.variants {
            let prefix = format!("{hash}/");
            variants
                .invalidate_entries_if(move |key, _| key.starts_with(&prefix))
                .map_err(|e| Error::internal(format!("forgetting variants: {e}")))?;
        }
        self.inner
            .storage
            .delete_prefix(&folder)
            .await
            .map_err(|e| Error::media(hash, e))
    }

    /// Runs image work on a blocking thread within the CPU budget.
    async fn cpu<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T> + Send + 'static,
    {
        let _permit = self
            .inner
            .cpu
            .acquire()
            .await
            .map_err(|e| Error::internal(format!("the image workers are gone: {e}")))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| Error::internal(format!("image work failed: {e}")))?
    }
}
