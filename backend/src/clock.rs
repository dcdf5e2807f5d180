//! One clock for every decision that depends on the time: a job's scheduled start, its calling windows,
//! the spacing between attempts, and the times the store records. The service, the store, the sandbox
//! emulators and the tests share one handle, so a test (or a person trying the sandbox) moves time
//! forward instead of waiting.
//!
//! Request signatures are stamped and checked with the wall clock on both sides (the BFF's signers, the
//! emulators' checks, webhook freshness): that is about the wire, and a clock moved forward for a test
//! must not make every signed request stale.

use std::{
    sync::{
        atomic::{AtomicI64, Ordering},
        Arc,
    },
    time::Duration,
};

use chrono::{DateTime, Utc};
use tokio::sync::watch;

/// The wall clock plus a shift that only ever grows ([`Clock::advance`]). Cheap to clone.
#[derive(Clone)]
pub struct Clock {
    shared: Arc<Shared>,
}

struct Shared {
    shift_ms: AtomicI64,
    /// Told every time the clock is moved, so sleepers look at the time again.
    moved: watch::Sender<i64>,
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clock").field("shift_ms", &self.shift_ms()).finish()
    }
}

impl Clock {
    /// The wall clock, not moved.
    pub fn system() -> Self {
        Self { shared: Arc::new(Shared { shift_ms: AtomicI64::new(0), moved: watch::channel(0).0 }) }
    }

    /// Unix milliseconds, the time format of every stored timestamp.
    pub fn now_ms(&self) -> i64 {
        wall_ms() + self.shift_ms()
    }

    pub fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.now_ms()).unwrap_or_default()
    }

    /// How far the clock was moved ahead of the wall clock.
    pub fn shift_ms(&self) -> i64 {
        self.shared.shift_ms.load(Ordering::SeqCst)
    }

    /// Moves the time forward (tests, and the sandbox's "skip ahead"); it never goes back.
    pub fn advance(&self, by: Duration) {
        let by = i64::try_from(by.as_millis()).unwrap_or(i64::MAX / 4);
        let shift = self.shared.shift_ms.fetch_add(by, Ordering::SeqCst) + by;
        self.shared.moved.send_replace(shift);
    }

    /// Waits until the clock reads `at_ms` (at once if it already does); a move of the clock wakes it early.
    pub async fn sleep_until_ms(&self, at_ms: i64) {
        let mut moved = self.shared.moved.subscribe();
        loop {
            let left = at_ms - self.now_ms();
            if left <= 0 {
                return;
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(left as u64)) => {}
                _ = moved.changed() => {}
            }
        }
    }

    /// A receiver told of every move of the clock (a waiter that also waits on something else).
    pub fn moves(&self) -> watch::Receiver<i64> {
        self.shared.moved.subscribe()
    }
}

/// The wall clock in Unix milliseconds: for what must not move with a test clock (signature freshness).
pub fn wall_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_sleeper_wakes_when_the_clock_is_moved_past_its_time() {
        let clock = Clock::system();
        let an_hour_on = clock.now_ms() + 3_600_000;
        let sleeper = tokio::spawn({
            let clock = clock.clone();
            async move { clock.sleep_until_ms(an_hour_on).await }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!sleeper.is_finished(), "nothing moved yet");
        clock.advance(Duration::from_secs(1800));
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!sleeper.is_finished(), "half an hour is not enough");
        clock.advance(Duration::from_secs(1800));
        tokio::time::timeout(Duration::from_secs(5), sleeper).await.expect("woken by the move").unwrap();
        assert!(clock.now_ms() >= an_hour_on);
    }
}
