//! Parsed query strings, remembered. Apps send the same few URLs over and
//! over, and parsing one (the `qs` tree, then the typed query) cost an
//! uncached list a twelfth of its server time, more than finding it here.
//! Nothing here depends on the schema or the caller: those are checked when
//! the query is compiled, on every request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::{Query, from_query_string};
use crate::config::QueryLimits;
use crate::error::Result;

/// How many query strings are kept. A full memo starts over rather than
/// track which entries are used, which would cost every hit a write.
const MAX_ENTRIES: usize = 1024;
/// Longer query strings are parsed every time: they are rarely repeated.
const MAX_LENGTH: usize = 2048;

pub struct QueryMemo {
    limits: QueryLimits,
    parsed: Mutex<HashMap<Box<str>, Arc<Query>>>,
}

impl QueryMemo {
    pub fn new(limits: QueryLimits) -> Self {
        QueryMemo {
            limits,
            parsed: Mutex::new(HashMap::new()),
        }
    }

    /// The query a raw query string (without `?`) asks for. Strings that
    /// fail to parse are not kept: each attempt reports its errors again.
    pub fn parse(&self, raw: &str) -> Result<Arc<Query>> {
        if let Some(query) = self.lock().get(raw) {
            return Ok(query.clone());
        }
        let query = Arc::new(from_query_string(raw, &self.limits)?);
        if raw.len() <= MAX_LENGTH {
            let mut parsed = self.lock();
            if parsed.len() >= MAX_ENTRIES {
                parsed.clear();
            }
            parsed.insert(raw.into(), query.clone());
        }
        Ok(query)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Box<str>, Arc<Query>>> {
        // A panic while holding the lock leaves the map whole: inserts and
        // clears do not unwind half-way.
        self.parsed.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ApiConfig;

    fn memo() -> QueryMemo {
        QueryMemo::new(ApiConfig::default().query_limits())
    }

    #[test]
    fn a_repeated_query_string_is_parsed_once() {
        let memo = memo();
        let raw = "filters[views][$gt]=5000&sort=publishedAt:desc&fields[0]=title";
        let first = memo.parse(raw).unwrap();
        let second = memo.parse(raw).unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        assert_eq!(*first, from_query_string(raw, &memo.limits).unwrap());
        assert!(!Arc::ptr_eq(&first, &memo.parse("sort=title").unwrap()));
    }

    #[test]
    fn errors_are_reported_every_time_and_not_kept() {
        let memo = memo();
        for _ in 0..2 {
            let error = memo.parse("pagination[pageSize]=x").unwrap_err();
            assert!(error.to_string().contains("pageSize"), "{error}");
        }
        assert!(memo.lock().is_empty());
    }

    #[test]
    fn the_memo_stays_bounded() {
        let memo = memo();
        for page in 1..=MAX_ENTRIES + 10 {
            memo.parse(&format!("pagination[page]={page}")).unwrap();
        }
        assert!(memo.lock().len() <= MAX_ENTRIES);
        let long = format!("filters[title][$eq]={}", "a".repeat(MAX_LENGTH));
        memo.parse(&long).unwrap();
        assert!(!memo.lock().contains_key(long.as_str()));
    }
}
