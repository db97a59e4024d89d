//! An in-process cache of published content responses.
//!
//! Entries remember the change generation they were built at; any content
//! or schema change (here, or on another instance through PostgreSQL
//! notifications) moves the generation, so a publish is visible on the next
//! request. Memory is bounded by the bytes the bodies hold.

use std::sync::Arc;

use actix_web::web::Bytes;
use moka::sync::Cache;

/// A response body and its tag.
#[derive(Debug, Clone)]
pub struct Cached {
    pub body: Bytes,
    pub etag: String,
    generation: u64,
}

pub struct ResponseCache {
    entries: Option<Cache<String, Arc<Cached>>>,
}

impl ResponseCache {
    /// A cache of at most `bytes` of bodies; 0 turns it off.
    pub fn new(bytes: u64) -> Self {
        ResponseCache {
            entries: (bytes > 0).then(|| {
                Cache::builder()
                    .max_capacity(bytes)
                    .weigher(|key: &String, value: &Arc<Cached>| {
                        u32::try_from(key.len() + value.body.len()).unwrap_or(u32::MAX)
                    })
                    .build()
            }),
        }
    }

    /// The cached response for `key`, if it is as new as `generation`.
    pub fn get(&self, key: &str, generation: u64) -> Option<Arc<Cached>> {
        let entries = self.entries.as_ref()?;
        let hit = entries.get(key)?;
        if hit.generation == generation {
            Some(hit)
        } else {
            entries.invalidate(key);
            None
        }
    }

    pub fn insert(&self, key: String, body: Bytes, etag: String, generation: u64) {
        if let Some(entries) = &self.entries {
            entries.insert(
                key,
                Arc::new(Cached {
                    body,
                    etag,
                    generation,
                }),
            );
        }
    }
}
