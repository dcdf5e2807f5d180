//! Pacing under a provider's rate limit: a token bucket per provider app, shared by every operation
//! that uses the app (Tencent Meeting allows 300 calls a minute per app, all APIs together).

use std::time::Duration;

use tokio::time::Instant;

use tokio::sync::Mutex;

pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    state: Mutex<(f64, Instant)>,
}

impl RateLimiter {
    pub fn per_minute(calls: u32) -> Self {
        let per_second = f64::from(calls.max(1)) / 60.0;
        // A small burst keeps interactive calls snappy; the long-run rate stays under the limit.
        let burst = (f64::from(calls) / 30.0).clamp(1.0, 10.0);
        Self { per_second, burst, state: Mutex::new((burst, Instant::now())) }
    }

    /// Waits for a token.
    pub async fn acquire(&self) {
        let mut state = self.state.lock().await;
        loop {
            let now = Instant::now();
            let (tokens, last) = *state;
            let tokens = (tokens + now.duration_since(last).as_secs_f64() * self.per_second).min(self.burst);
            if tokens >= 1.0 {
                *state = (tokens - 1.0, now);
                return;
            }
            *state = (tokens, now);
            tokio::time::sleep(Duration::from_secs_f64((1.0 - tokens) / self.per_second)).await;
        }
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
            limiter.acquire().await;
        }
        // 60 calls at 5 per second, minus the burst of 10: at least 10 seconds.
        assert!(start.elapsed() >= Duration::from_secs(10), "{:?}", start.elapsed());
    }
}
