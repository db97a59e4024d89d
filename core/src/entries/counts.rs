//! Counts of matching entries, remembered until the next change.
//!
//! Every page of a list reports the same total, and counting is the one part
//! of a list read whose cost grows with the table (it visits every matching
//! row). A count is kept with the change generation it was taken at; any
//! content or schema change, here or on another instance, makes it stale.
//! Concurrent lists of one filter wait for the first count instead of all
//! scanning the table: at a million rows one count takes seconds.

use moka::sync::Cache;

use crate::error::Result;
use crate::flights::Flights;
use crate::query::Filter;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    uid: String,
    published: bool,
    locale: String,
    filter: Option<Filter>,
}

/// Recent counts, bounded in number.
pub struct CountCache {
    counts: Cache<Key, (u64, u64)>,
    flights: Flights<Key>,
}

impl Default for CountCache {
    fn default() -> Self {
        CountCache {
            counts: Cache::new(10_000),
            flights: Flights::default(),
        }
    }
}

impl CountCache {
    /// The count for these conditions at `generation`: remembered, or
    /// taken with `count` by one caller while the others wait for it.
    pub async fn get_or_count<F>(
        &self,
        uid: &str,
        published: bool,
        locale: &str,
        filter: Option<&Filter>,
        generation: u64,
        count: F,
    ) -> Result<u64>
    where
        F: Future<Output = Result<u64>>,
    {
        let key = key(uid, published, locale, filter);
        let fresh = || match self.counts.get(&key) {
            Some((at, total)) if at == generation => Some(total),
            _ => None,
        };
        if let Some(total) = fresh() {
            return Ok(total);
        }
        let _turn = self.flights.turn(key.clone()).await;
        if let Some(total) = fresh() {
            return Ok(total);
        }
        let total = count.await?;
        self.counts.insert(key.clone(), (generation, total));
        Ok(total)
    }
}

fn key(uid: &str, published: bool, locale: &str, filter: Option<&Filter>) -> Key {
    Key {
        uid: uid.to_owned(),
        published,
        locale: locale.to_owned(),
        filter: filter.cloned(),
    }
}
