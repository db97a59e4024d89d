//! Single flight: concurrent requests for the same missing value take turns,
//! so that the first computes it and the others find it in their cache
//! instead of all running the same work at once (a cache stampede).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::OwnedMutexGuard;

type Turns<K> = Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>;

/// The keys being computed, each with the queue of those waiting for it.
pub struct Flights<K> {
    turns: Turns<K>,
}

impl<K> Default for Flights<K> {
    fn default() -> Self {
        Flights {
            turns: Mutex::new(HashMap::new()),
        }
    }
}

/// A turn at computing one key; the next waiter goes when it is dropped.
pub struct Flight<'a, K: Hash + Eq> {
    flights: &'a Flights<K>,
    key: K,
    lock: Arc<tokio::sync::Mutex<()>>,
    _turn: OwnedMutexGuard<()>,
}

impl<K> Flights<K> {
    fn turns(&self) -> MutexGuard<'_, HashMap<K, Arc<tokio::sync::Mutex<()>>>> {
        self.turns.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<K: Hash + Eq + Clone> Flights<K> {
    /// Waits until no one else computes `key`. Check the cache again once
    /// this returns: the one before may have filled it.
    pub async fn turn(&self, key: K) -> Flight<'_, K> {
        let lock = self.turns().entry(key.clone()).or_default().clone();
        let turn = lock.clone().lock_owned().await;
        Flight {
            flights: self,
            key,
            lock,
            _turn: turn,
        }
    }

    /// How many keys are being computed or waited for.
    pub fn len(&self) -> usize {
        self.turns().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K: Hash + Eq> Drop for Flight<'_, K> {
    fn drop(&mut self) {
        let mut turns = self.flights.turns();
        // The map's reference, this one and the turn's: no one waits.
        if Arc::strong_count(&self.lock) <= 3 {
            turns.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use futures::FutureExt;

    use super::*;

    #[tokio::test]
    async fn concurrent_turns_at_a_key_wait_for_each_other() {
        let flights = Flights::default();
        let first = flights.turn("articles").await;
        assert!(
            flights.turn("articles").now_or_never().is_none(),
            "the second waits"
        );
        assert!(
            flights.turn("categories").now_or_never().is_some(),
            "other keys do not"
        );
        drop(first);
        let second = flights.turn("articles").now_or_never();
        assert!(second.is_some(), "its turn comes when the first ends");
        drop(second);
        assert!(flights.is_empty(), "finished turns are forgotten");
    }
}
