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

use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use cairn_core::AppContext;
use cairn_core::entries::Status;
use cairn_core::flights::{Flight, Flights};
use cairn_core::schema::ContentType;
use moka::sync::Cache;

use super::conditional;
use super::error::ApiResult;
use super::principal::Principal;

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

fn cache_control<'a>(context: &'a AppContext, content_type: &ContentType) -> &'a str {
    let api = &context.config().api;
    api.cache_control_by_type
        .get(&content_type.uid)
        .unwrap_or(&api.cache_control)
}

/// Serves a read: from the response cache when an earlier published read
/// of the same URL stored it, otherwise computed; always with its ETag.
/// The cache is asked before the query is parsed: parsing costs more than
/// the lookup, and only published reads are ever stored, so a hit is one.
/// `compute` answers the body's JSON and the status it read.
pub async fn serve<F>(
    request: &HttpRequest,
    context: &AppContext,
    cache: &ResponseCache,
    principal: &Principal,
    content_type: &ContentType,
    compute: F,
) -> ApiResult<HttpResponse>
where
    F: Future<Output = ApiResult<(Vec<u8>, Status)>>,
{
    let cache_control = cache_control(context, content_type);
    // Published reads differ only by what the public role may populate.
    let audience = if matches!(principal, Principal::Public) {
        "public"
    } else {
        "all"
    };
    // Pushed rather than formatted: `format!` cost as much as the lookup.
    let (path, query) = (request.path(), request.query_string());
    let mut key = String::with_capacity(audience.len() + path.len() + query.len() + 2);
    for part in [audience, " ", path, "?", query] {
        key.push_str(part);
    }
    let generation = context.changes().current();
    let hit = |cached: Arc<Cached>| {
        conditional::json(request, cached.body.clone(), &cached.etag, cache_control)
    };
    if let Some(cached) = cache.get(&key, generation) {
        return Ok(hit(cached));
    }
    let _flight = cache.flight(&key).await;
    // The request this one waited for may have stored it.
    if let Some(cached) = cache.get(&key, generation) {
        return Ok(hit(cached));
    }
    let (mut body, status) = compute.await?;
    let cached = cache.enabled() && status == Status::Published;
    if cached {
        // The spare capacity goes back before the body is kept.
        body.shrink_to_fit();
    }
    let body = web::Bytes::from(body);
    let etag = conditional::etag(&body);
    let response = conditional::json(request, body.clone(), &etag, cache_control);
    if cached {
        cache.insert(key, body, etag, generation);
    }
    Ok(response)
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
