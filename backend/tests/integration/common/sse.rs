//! The live event stream as a browser reads it: one server-sent event at a time.

/// The fields of one server-sent event (a heartbeat has none).
pub struct SseEvent {
    pub id: Option<u64>,
    pub name: Option<String>,
    pub data: Option<String>,
}

/// Reads `response` (a `GET /api/v1/events`) until the stream ends or `each` returns false.
pub async fn read_events(mut response: reqwest::Response, mut each: impl FnMut(SseEvent) -> bool) {
    // Bytes until a frame is whole: a chunk may end inside a character.
    let mut buffer = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        buffer.extend_from_slice(&chunk);
        while let Some(end) = buffer.windows(2).position(|w| w == b"\n\n") {
            let frame: Vec<u8> = buffer.drain(..end + 2).collect();
            let frame = String::from_utf8(frame).expect("events are UTF-8");
            let field = |name: &str| frame.lines().find_map(|l| l.strip_prefix(name)).map(str::to_owned);
            let event = SseEvent {
                id: field("id: ").map(|id| id.parse().expect("numeric event id")),
                name: field("event: "),
                data: field("data: "),
            };
            if !each(event) {
                return;
            }
        }
    }
}
