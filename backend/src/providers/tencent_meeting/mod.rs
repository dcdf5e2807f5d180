//! Tencent Meeting REST API (enterprise self-built app, AK/SK HMAC-SHA256 signing) and event-subscription webhooks.
