//! Pacing under a provider's rate limit: a token bucket per provider account, shared by every
//! operation of the account (Tencent Meeting allows 300 calls a minute per app, all APIs together),
//! with lanes so that a person waiting on an answer goes before background work.
//!
//! [`Paced`] is the only way to reach a provider client: it owns the client and hands it out only
//! after a token was taken, so no code path can call a provider unpaced.

use std::{
    future::Future,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use tokio::{sync::Mutex, time::Instant};

/// Who is waiting for the budget, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lane {
    /// A person waits for the answer (a room call, a status page, a cancel).
    Person = 0,
    /// Sending the batches of a job.
    Dialling = 1,
    /// Following calls (the callout list poll).
    Background = 2,
}

pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    state: Mutex<(f64, Instant)>,
    /// Waiters per lane: a lane takes a token only while no more urgent lane waits.
    waiting: [AtomicUsize; 3],
}

impl RateLimiter {
    pub fn per_minute(calls: u32) -> Self {
        let per_second = f64::from(calls.max(1)) / 60.0;
        // A small burst keeps interactive calls snappy; the long-run rate stays under the limit.
        let burst = (f64::from(calls) / 30.0).clamp(1.0, 10.0);
        Self { per_second, burst, state: Mutex::new((burst, Instant::now())), waiting: Default::default() }
    }

    /// Waits for a token in `lane`.
    pub async fn acquire(&self, lane: Lane) {
        let _waited = crate::metrics::RateLimitWait::start(lane);
        let index = lane as usize;
        self.waiting[index].fetch_add(1, Ordering::SeqCst);
        loop {
            let pause = {
                let mut state = self.state.lock().await;
                let now = Instant::now();
                let (tokens, last) = *state;
                let tokens = (tokens + now.duration_since(last).as_secs_f64() * self.per_second).min(self.burst);
                let yield_to_others = self.waiting[..index].iter().any(|w| w.load(Ordering::SeqCst) > 0);
                if tokens >= 1.0 && !yield_to_others {
                    *state = (tokens - 1.0, now);
                    self.waiting[index].fetch_sub(1, Ordering::SeqCst);
                    return;
                }
                *state = (tokens, now);
                let refill = Duration::from_secs_f64(((1.0 - tokens).max(0.0) / self.per_second).max(0.001));
                // Behind a more urgent lane: look again soon, it may leave a token.
                if yield_to_others {
                    refill.min(Duration::from_millis(20))
                } else {
                    refill
                }
            };
            tokio::time::sleep(pause).await;
        }
    }
}

/// A provider client that can only be used after waiting on its account's budget.
pub struct Paced<C> {
    client: C,
    limiter: Arc<RateLimiter>,
}

impl<C> Paced<C> {
    pub fn new(client: C, limiter: Arc<RateLimiter>) -> Self {
        Self { client, limiter }
    }

    /// Takes a token in `lane`, then runs one provider request.
    pub async fn call<'a, T, Fut>(&'a self, lane: Lane, request: impl FnOnce(&'a C) -> Fut) -> T
    where
        Fut: Future<Output = T> + 'a,
    {
        self.limiter.acquire(lane).await;
        request(&self.client).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn sustained_rate_stays_under_the_limit() {
        let limiter = RateLimiter::per_minute(300);
        let start = tokio::time::Instant::now();
        for _ in 0..60 {
            limiter.acquire(Lane::Dialling).await;
        }
        // 60 calls at 5 per second, minus the burst of 10: at least 10 seconds.
        assert!(start.elapsed() >= Duration::from_secs(10), "{:?}", start.elapsed());
    }

    #[tokio::test(start_paused = true)]
    async fn a_person_goes_before_background_work() {
        let limiter = Arc::new(RateLimiter::per_minute(60));
        // Spend the burst (two tokens at 60 a minute).
        limiter.acquire(Lane::Background).await;
        limiter.acquire(Lane::Background).await;
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for (lane, name) in [(Lane::Background, "background"), (Lane::Person, "person")] {
            let (limiter, order) = (limiter.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                limiter.acquire(lane).await;
                order.lock().unwrap().push(name);
            }));
            tokio::task::yield_now().await;
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), ["person", "background"]);
    }
}
