//! Replay protection as both providers do it: a nonce is refused when it was used within a window.

use std::{
    collections::{HashMap, VecDeque},
    hash::Hash,
};

/// The nonces used within the window, forgotten oldest first, so each request costs the same however
/// many came before it (a scan of every remembered nonce per request made the emulators, not the
/// console, the busiest process of a load test).
pub struct ReplayLedger<K, T> {
    used_at: HashMap<K, T>,
    oldest_first: VecDeque<(T, K)>,
}

impl<K, T> Default for ReplayLedger<K, T> {
    fn default() -> Self {
        Self { used_at: HashMap::new(), oldest_first: VecDeque::new() }
    }
}

impl<K: Hash + Eq + Clone, T: Ord + Copy> ReplayLedger<K, T> {
    /// Records `nonce` used at `now`, first forgetting what was used before `forget_before` (none:
    /// the window reaches back past every time there is); false when it is still remembered (a replay).
    pub fn record(&mut self, nonce: K, now: T, forget_before: Option<T>) -> bool {
        while self.oldest_first.front().is_some_and(|(at, _)| forget_before.is_some_and(|before| *at < before)) {
            let (at, old) = self.oldest_first.pop_front().expect("a front entry, just seen");
            // Used again since (a clock that was moved back): that later use is kept.
            if self.used_at.get(&old) == Some(&at) {
                self.used_at.remove(&old);
            }
        }
        if self.used_at.contains_key(&nonce) {
            return false;
        }
        self.used_at.insert(nonce.clone(), now);
        self.oldest_first.push_back((now, nonce));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_refused_within_the_window_and_taken_again_after_it() {
        let mut ledger = ReplayLedger::default();
        let mut record = |nonce, now: i64| ledger.record(nonce, now, Some(now - 300));
        assert!(record("a", 0));
        assert!(record("b", 10));
        assert!(!record("a", 299), "replayed within the window");
        assert!(record("a", 301), "the window has passed");
        assert!(!record("b", 309));
        assert!(record("b", 311));
        assert_eq!(ledger.oldest_first.len(), 2, "forgotten entries are gone, not only skipped");
    }
}
