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

/// Background polling's share of the rate at most: a long list poll never takes the whole budget.
const BACKGROUND_SHARE: f64 = 0.5;

/// Tokens only a person may take (when the burst allows it): dialling and polling leave them in
/// the bucket, so a person's request is sent at once even while a bulk job uses the whole rate.
const PERSON_RESERVE: f64 = 2.0;

pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    reserve: f64,
    /// The account's bucket and background polling's own, smaller one: (tokens, last refill) each.
    state: Mutex<[(f64, Instant); 2]>,
    /// Waiters per lane: a lane takes a token only while no more urgent lane waits.
    waiting: [AtomicUsize; 3],
}

impl RateLimiter {
    pub fn per_minute(calls: u32) -> Self {
        // A small burst keeps interactive calls snappy. Providers count calls in a sliding minute, so the
        // refill leaves room for it: a full bucket and a minute's refill are `calls` at most. (Refilled
        // at the whole limit, a busy minute held the limit plus the burst, and the provider refused the
        // extra calls as rate-limited, each a person's half-second wait or a failed request.)
        let burst = (f64::from(calls) / 30.0).clamp(1.0, 10.0);
        let per_second = (f64::from(calls) - burst).max(1.0) / 60.0;
        let reserve = PERSON_RESERVE.min(burst - 1.0).max(0.0);
        let now = Instant::now();
        Self { per_second, burst, reserve, state: Mutex::new([(burst, now), (1.0, now)]), waiting: Default::default() }
    }

    /// Waits for a token in `lane`.
    pub async fn acquire(&self, lane: Lane) {
        let _waited = crate::metrics::RateLimitWait::start(lane);
        let index = lane as usize;
        self.waiting[index].fetch_add(1, Ordering::SeqCst);
        // Bulk work leaves the person's reserve in the bucket.
        let needed = if lane == Lane::Person { 1.0 } else { 1.0 + self.reserve };
        loop {
            let pause = {
                let mut state = self.state.lock().await;
                let now = Instant::now();
                let refill =
                    |(tokens, last): (f64, Instant), rate: f64, cap: f64| (tokens + now.duration_since(last).as_secs_f64() * rate).min(cap);
                let tokens = refill(state[0], self.per_second, self.burst);
                let background_rate = self.per_second * BACKGROUND_SHARE;
                let background = refill(state[1], background_rate, 1.0);
                let yield_to_others = self.waiting[..index].iter().any(|w| w.load(Ordering::SeqCst) > 0);
                let background_ok = lane != Lane::Background || background >= 1.0;
                if tokens >= needed && background_ok && !yield_to_others {
                    let spent_background = if lane == Lane::Background { 1.0 } else { 0.0 };
                    *state = [(tokens - 1.0, now), (background - spent_background, now)];
                    self.waiting[index].fetch_sub(1, Ordering::SeqCst);
                    return;
                }
                *state = [(tokens, now), (background, now)];
                let mut wait = (needed - tokens).max(0.0) / self.per_second;
                if !background_ok {
                    wait = wait.max((1.0 - background) / background_rate);
                }
                let wait = Duration::from_secs_f64(wait.max(0.001));
                // Behind a more urgent lane: look again soon, it may leave a token.
                if yield_to_others {
                    wait.min(Duration::from_millis(20))
                } else {
                    wait
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

    /// Takes a token in `lane`, then runs the request only if `still_wanted` says so once the turn
    /// has come (a job paused while its batch waited for the budget sends nothing).
    pub async fn call_if<'a, T, Fut>(
        &'a self,
        lane: Lane,
        still_wanted: impl Future<Output = bool>,
        request: impl FnOnce(&'a C) -> Fut,
    ) -> Option<T>
    where
        Fut: Future<Output = T> + 'a,
    {
        self.limiter.acquire(lane).await;
        if !still_wanted.await {
            return None;
        }
        Some(request(&self.client).await)
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
    async fn no_minute_holds_more_calls_than_the_limit() {
        for limit in [300, 60, 20, 1] {
            let limiter = RateLimiter::per_minute(limit);
            let start = Instant::now();
            let mut taken = Vec::new();
            while start.elapsed() < Duration::from_secs(150) {
                limiter.acquire(Lane::Person).await;
                taken.push(Instant::now());
            }
            // As the provider counts: the calls of the last 60 seconds, at each call.
            for (i, at) in taken.iter().enumerate() {
                let in_minute = taken[..=i].iter().filter(|t| at.duration_since(**t) < Duration::from_secs(60)).count();
                assert!(in_minute <= limit as usize, "{in_minute} calls within a minute at a limit of {limit}");
            }
            assert!(taken.len() as u32 >= limit * 2, "the limit of {limit} a minute is used: {} in 150 s", taken.len());
        }
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

    /// Keeps taking tokens in `lane` until aborted, counting them.
    fn hog(limiter: &Arc<RateLimiter>, lane: Lane) -> (tokio::task::JoinHandle<()>, Arc<AtomicUsize>) {
        let (limiter, taken) = (limiter.clone(), Arc::new(AtomicUsize::new(0)));
        let counter = taken.clone();
        let task = tokio::spawn(async move {
            loop {
                limiter.acquire(lane).await;
                counter.fetch_add(1, Ordering::SeqCst);
            }
        });
        (task, taken)
    }

    #[tokio::test(start_paused = true)]
    async fn a_person_is_served_at_once_while_a_bulk_job_uses_the_whole_rate() {
        let limiter = Arc::new(RateLimiter::per_minute(300));
        let (dialling, dialled) = hog(&limiter, Lane::Dialling);
        let (polling, _) = hog(&limiter, Lane::Background);
        tokio::time::sleep(Duration::from_secs(60)).await;
        // The bulk lanes still get the whole rate (the burst, less the reserve, and the refill).
        let taken = dialled.load(Ordering::SeqCst);
        assert!((295..=310).contains(&taken), "dialling took {taken} tokens in a minute");
        for _ in 0..3 {
            let asked = Instant::now();
            limiter.acquire(Lane::Person).await;
            assert_eq!(asked.elapsed(), Duration::ZERO, "the person waited behind bulk work");
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
        dialling.abort();
        polling.abort();
    }

    #[tokio::test(start_paused = true)]
    async fn background_polling_takes_at_most_its_share() {
        let limiter = Arc::new(RateLimiter::per_minute(300));
        let (polling, polled) = hog(&limiter, Lane::Background);
        tokio::time::sleep(Duration::from_secs(60)).await;
        polling.abort();
        let polled = polled.load(Ordering::SeqCst);
        assert!((140..=160).contains(&polled), "background polling took {polled} of 300 tokens in a minute");
    }
}
