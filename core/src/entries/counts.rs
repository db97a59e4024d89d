//! Counts of matching entries, remembered until the next change.
//!
//! Every page of a list reports the same total, and counting is the one part
//! of a list read whose cost grows with the table (it visits every matching
//! row). A count is kept with the change generation it was taken at; any
//! content or schema change, here or on another instance, makes it stale.

use moka::sync::Cache;

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
}

impl Default for CountCache {
    fn default() -> Self {
        CountCache {
            counts: Cache::new(10_000),
        }
    }
}

impl CountCache {
    pub fn get(
        &self,
        uid: &str,
        published: bool,
        locale: &str,
        filter: Option<&Filter>,
        generation: u64,
    ) -> Option<u64> {
        let key = key(uid, published, locale, filter);
        match self.counts.get(&key) {
            Some((at, count)) if at == generation => Some(count),
            _ => None,
        }
    }

    pub fn insert(
        &self,
        uid: &str,
        published: bool,
        locale: &str,
        filter: Option<&Filter>,
        generation: u64,
        count: u64,
    ) {
        self.counts
            .insert(key(uid, published, locale, filter), (generation, count));
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
