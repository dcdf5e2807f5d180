//! Many browsers on the live event stream during a job: how late each item event arrives after the
//! backend stored it, and whether every client sees every item's final state.
//!
//! Latency method: each `item` event carries the item's `updated_at`, the Unix milliseconds the
//! backend stamped when it stored that state. A client notes the wall clock when the chunk that
//! completes the event arrives; arrival − `updated_at` is store → client. Same machine, same clock;
//! `updated_at` is truncated to the millisecond, so a figure may read up to 1 ms high.

use std::{
    collections::{BTreeMap, HashSet},
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use callout_shared::{
    call_status::CallStatus,
    jobs::{CalloutJob, JobState},
};
use serde::Serialize;
use tokio::sync::watch;

use crate::{
    jobs::{follow_limit, submit, summary},
    procs::{cpu_seconds, Harness, Outcome},
    stats::percentile,
};

#[derive(Debug, Clone, Serialize)]
pub struct SseRun {
    pub clients: usize,
    pub numbers: usize,
    pub item_events_received: usize,
    pub latency_p50_ms: Option<f64>,
    pub latency_p99_ms: Option<f64>,
    pub latency_max_ms: Option<f64>,
    /// Item final states the job reached, times clients: what every client should have seen.
    pub finals_expected: usize,
    pub finals_missed: usize,
    /// Clients that missed at least one final state.
    pub clients_with_loss: usize,
    /// `resync` events: the backend dropped events for a slow client and told it to reload.
    pub resyncs: usize,
    pub client_errors: usize,
    pub job_finished: bool,
    /// CPU seconds from the POST to the end of the streams: the backend's, and the driver's own
    /// (the 200 clients run on the same cores, so their parsing competes with the backend).
    pub backend_cpu_s: f64,
    pub driver_cpu_s: f64,
}

/// What one client saw.
#[derive(Default)]
struct ClientLog {
    latencies_ms: Vec<f64>,
    /// (item id, final status) pairs received.
    finals: HashSet<(i64, CallStatus)>,
    resyncs: usize,
    error: Option<String>,
}

pub async fn clients_during_job(h: &Harness, clients: usize, numbers: usize, name: &str) -> Outcome<SseRun> {
    let (emulator, backend) = h.shipped_stack(name).await?;
    emulator.deliver_webhooks_to(&h.http, &backend).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let connected = Arc::new(AtomicUsize::new(0));
    let url = backend.api("/events");
    // Its own client: the streams must not borrow connections from the pool the harness polls with.
    let stream_client = crate::procs::http_client();
    let tasks: Vec<_> =
        (0..clients).map(|_| tokio::spawn(listen(stream_client.clone(), url.clone(), connected.clone(), stop_rx.clone()))).collect();
    let waited = Instant::now();
    while connected.load(Ordering::SeqCst) < clients {
        if waited.elapsed() > Duration::from_secs(30) {
            return Err(format!("only {} of {clients} event streams opened", connected.load(Ordering::SeqCst)));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (backend_cpu, driver_cpu) = (backend.cpu_seconds()?, cpu_seconds(std::process::id())?);
    let started = Instant::now();
    let (created, _) = submit(&h.http, &backend, numbers).await?;
    let mut job_finished = false;
    while started.elapsed() < follow_limit(numbers) {
        if summary(&h.http, &backend, &created.job_id).await?.is_some_and(|j| j.state == JobState::Finished) {
            job_finished = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The last events are on their way to slower clients.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let _ = stop_tx.send(true);
    let mut logs = Vec::new();
    for task in tasks {
        logs.push(task.await.map_err(|e| format!("an event client panicked: {e}"))?);
    }
    let backend_cpu_s = backend.cpu_seconds()? - backend_cpu;
    let driver_cpu_s = cpu_seconds(std::process::id())? - driver_cpu;
    let job: CalloutJob = h
        .http
        .get(backend.api(&format!("/callouts/{}", created.job_id)))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| format!("GET /callouts/{{id}}: {e}"))?;
    backend.stop().await;
    emulator.stop().await;

    let expected: BTreeMap<i64, CallStatus> = job.items.iter().filter(|i| i.status.is_final()).map(|i| (i.id, i.status)).collect();
    let missed_by = |log: &ClientLog| expected.iter().filter(|(id, status)| !log.finals.contains(&(**id, **status))).count();
    let latencies: Vec<f64> = logs.iter().flat_map(|l| l.latencies_ms.iter().copied()).collect();
    Ok(SseRun {
        clients,
        numbers,
        item_events_received: latencies.len(),
        latency_p50_ms: percentile(&latencies, 50.0),
        latency_p99_ms: percentile(&latencies, 99.0),
        latency_max_ms: percentile(&latencies, 100.0),
        finals_expected: expected.len() * clients,
        finals_missed: logs.iter().map(missed_by).sum(),
        clients_with_loss: logs.iter().filter(|l| missed_by(l) > 0).count(),
        resyncs: logs.iter().map(|l| l.resyncs).sum(),
        client_errors: logs.iter().filter(|l| l.error.is_some()).count(),
        job_finished,
        backend_cpu_s,
        driver_cpu_s,
    })
}

/// One browser tab: opens the stream, then records item events until told to stop.
async fn listen(http: reqwest::Client, url: String, connected: Arc<AtomicUsize>, mut stop: watch::Receiver<bool>) -> ClientLog {
    let mut log = ClientLog::default();
    let mut answer = match http.get(&url).header("accept", "text/event-stream").send().await {
        Ok(answer) if answer.status().is_success() => answer,
        Ok(answer) => {
            log.error = Some(format!("{url}: {}", answer.status()));
            connected.fetch_add(1, Ordering::SeqCst);
            return log;
        }
        Err(err) => {
            log.error = Some(err.to_string());
            connected.fetch_add(1, Ordering::SeqCst);
            return log;
        }
    };
    connected.fetch_add(1, Ordering::SeqCst);
    let mut parser = EventParser::default();
    loop {
        let chunk = tokio::select! {
            _ = stop.wait_for(|stopped| *stopped) => break,
            chunk = answer.chunk() => chunk,
        };
        let chunk = match chunk {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(err) => {
                log.error = Some(err.to_string());
                break;
            }
        };
        let arrived_ms = chrono::Utc::now().timestamp_micros() as f64 / 1000.0;
        for event in parser.push(&chunk) {
            match event.name.as_str() {
                "item" => {
                    if let Ok(ItemEvent { item }) = serde_json::from_str::<ItemEvent>(&event.data) {
                        log.latencies_ms.push(arrived_ms - item.updated_at as f64);
                        if item.status.is_final() {
                            log.finals.insert((item.id, item.status));
                        }
                    }
                }
                "resync" => log.resyncs += 1,
                _ => {}
            }
        }
    }
    log
}

/// What a client reads of an `item` event (a [`callout_shared::jobs::ItemChanged`]), the rest
/// skipped: the 200 clients share the cores with the backend, so they decode the three fields they
/// need straight from the data rather than through the tagged `LiveEvent`, which serde buffers whole
/// before it looks at the tag.
#[derive(serde::Deserialize)]
struct ItemEvent {
    item: ItemFields,
}

#[derive(serde::Deserialize)]
struct ItemFields {
    id: i64,
    status: CallStatus,
    updated_at: i64,
}

/// One server-sent event: its `event:` name and its `data:` lines joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub name: String,
    pub data: String,
}

/// Splits a byte stream into events; chunks may end anywhere, even inside a line or a character.
#[derive(Debug, Default)]
pub struct EventParser {
    pending: Vec<u8>,
}

impl EventParser {
    pub fn push(&mut self, bytes: &[u8]) -> Vec<SseEvent> {
        self.pending.extend(bytes.iter().filter(|b| **b != b'\r'));
        let mut events = Vec::new();
        while let Some(end) = self.pending.windows(2).position(|w| w == b"\n\n") {
            let block: Vec<u8> = self.pending.drain(..end + 2).collect();
            let block = String::from_utf8_lossy(&block);
            let (mut name, mut data) = (String::from("message"), Vec::new());
            for line in block.lines() {
                if let Some(value) = line.strip_prefix("event:") {
                    name = value.trim_start().to_owned();
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push(value.strip_prefix(' ').unwrap_or(value).to_owned());
                }
            }
            // A block of comments only (heartbeats) is no event.
            if !data.is_empty() {
                events.push(SseEvent { name, data: data.join("\n") });
            }
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_survive_chunks_split_anywhere() {
        let mut parser = EventParser::default();
        assert!(parser.push(b"event: item\nda").is_empty());
        // A character split between two chunks is whole again in the event.
        let text = "ta: {\"a\":\"\u{5916}\"}\nid: 7\n\n: heartbeat\n\nevent: resync\r\ndata: reload\r\n\r\n".as_bytes();
        assert!(parser.push(&text[..11]).is_empty());
        let events = parser.push(&text[11..]);
        assert_eq!(
            events,
            vec![
                SseEvent { name: "item".into(), data: "{\"a\":\"\u{5916}\"}".into() },
                SseEvent { name: "resync".into(), data: "reload".into() }
            ]
        );
    }
}
