//! Sign-in throttling: failures are counted per email and per client address
//! in a sliding window; past the limit, sign-in is refused until the oldest
//! counted failure leaves the window.
//!
//! The counts live in this process's memory: enough for one instance, and
//! each instance of several counts on its own (an attacker spreading guesses
//! over N instances gets N times the budget). A success clears the email's
//! count, not the address's, so one good password does not reset a guessing
//! run across many accounts.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// Keys whose failures all left the window are dropped once the map holds
/// this many, so memory stays bounded under a spray of addresses.
const PRUNE_ABOVE: usize = 4096;

#[derive(Debug)]
pub struct SignInThrottle {
    limit: usize,
    window: Duration,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl SignInThrottle {
    /// Refuses after `limit` failures within `window`.
    pub fn new(limit: usize, window: Duration) -> Self {
        SignInThrottle {
            limit: limit.max(1),
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(Error::TooManyAttempts)` while the email or the address is over
    /// the limit.
    pub fn check(&self, email: &str, client: &str) -> Result<()> {
        self.check_at(email, client, Instant::now())
    }

    pub fn record_failure(&self, email: &str, client: &str) {
        self.record_failure_at(email, client, Instant::now());
    }

    /// Forgets the failures counted against an email.
    pub fn clear(&self, email: &str) {
        self.lock().remove(&email_key(email));
    }

    fn check_at(&self, email: &str, client: &str, now: Instant) -> Result<()> {
        let mut failures = self.lock();
        let mut wait = Duration::ZERO;
        for key in [email_key(email), client_key(client)] {
            if let Some(times) = failures.get_mut(&key) {
                self.expire(times, now);
                if times.len() >= self.limit
                    && let Some(oldest) = times.front()
                {
                    wait = wait.max(self.window.saturating_sub(now - *oldest));
                }
            }
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(Error::TooManyAttempts { retry_after: wait })
        }
    }

    fn record_failure_at(&self, email: &str, client: &str, now: Instant) {
        let mut failures = self.lock();
        if failures.len() > PRUNE_ABOVE {
            failures.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|last| now.duration_since(*last) < self.window)
            });
        }
        for key in [email_key(email), client_key(client)] {
            let times = failures.entry(key).or_default();
            self.expire(times, now);
            times.push_back(now);
            // Only the newest `limit` failures matter to the decision.
            while times.len() > self.limit {
                times.pop_front();
            }
        }
    }

    fn expire(&self, times: &mut VecDeque<Instant>, now: Instant) {
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            times.pop_front();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        match self.failures.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

fn email_key(email: &str) -> String {
    format!("email:{}", email.trim().to_lowercase())
}

fn client_key(client: &str) -> String {
    format!("client:{client}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Duration = Duration::from_secs(900);

    #[test]
    fn the_sixth_attempt_waits_until_the_first_failure_leaves_the_window() {
        let throttle = SignInThrottle::new(5, WINDOW);
        let start = Instant::now();
        for minute in 0..5 {
            let at = start + Duration::from_secs(60 * minute);
            assert!(throttle.check_at("a@example.com", "10.0.0.1", at).is_ok());
            throttle.record_failure_at("A@example.com ", "10.0.0.1", at);
        }
        let refused = throttle.check_at(
            "a@example.com",
            "10.0.0.2",
            start + Duration::from_secs(300),
        );
        match refused {
            Err(Error::TooManyAttempts { retry_after }) => {
                assert_eq!(retry_after, Duration::from_secs(600));
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(
            throttle
                .check_at("a@example.com", "10.0.0.2", start + WINDOW)
                .is_ok()
        );
    }

    #[test]
    fn an_address_is_refused_across_emails_and_a_success_clears_only_the_email() {
        let throttle = SignInThrottle::new(3, WINDOW);
        let now = Instant::now();
        for n in 0..3 {
            throttle.record_failure_at(&format!("user{n}@example.com"), "10.0.0.9", now);
        }
        assert!(
            throttle
                .check_at("other@example.com", "10.0.0.9", now)
                .is_err()
        );
        assert!(
            throttle
                .check_at("other@example.com", "10.0.0.8", now)
                .is_ok()
        );
        for _ in 0..3 {
            throttle.record_failure_at("b@example.com", "10.0.0.7", now);
        }
        throttle.clear("b@example.com");
        assert!(throttle.check_at("b@example.com", "10.0.0.6", now).is_ok());
        assert!(throttle.check_at("b@example.com", "10.0.0.7", now).is_err());
    }
}
