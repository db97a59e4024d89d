//! An in-process cache of published content responses.
//!
//! Entries remember the change generation they were built at; any content
//! or schema change (here, or on another instance through PostgreSQL
//! notifications) moves the generation, so a publish is visible on the next
//! request. Memory is bounded by the bytes the bodies hold.
//!
//! Concurrent misses of one key wait for the first to compute it instead
//! of all running the same query: otherwise every publish, and every cold
//! start, sends a popular URL's whole audience to the database at once.

use std::sync::Arc;

use actix_web::web::Bytes;
use cairn_core::flights::{Flight, Flights};
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
    /// Computations under way, by key.
    flights: Flights<String>,
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
            flights: Flights::default(),
        }
    }

    pub fn enabled(&self) -> bool {
        self.entries.is_some()
    }

    /// Waits for the turn to compute `key`'s response; `None` when the
    /// cache is off, since nothing computed would be shared.
    pub async fn flight(&self, key: &str) -> Option<Flight<'_, String>> {
        self.entries.as_ref()?;
        Some(self.flights.turn(key.to_owned()).await)
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

#[cfg(test)]
mod tests {
    use futures::FutureExt;

    use super::*;

    #[tokio::test]
    async fn misses_take_turns_only_while_the_cache_is_on() {
        let cache = ResponseCache::new(1024);
        let first = cache.flight("all /api/articles?").await;
        assert!(first.is_some());
        assert!(
            cache.flight("all /api/articles?").now_or_never().is_none(),
            "a second miss waits"
        );
        let off = ResponseCache::new(0);
        assert!(
            off.flight("all /api/articles?").await.is_none(),
            "nothing to share when off"
        );
    }
}
