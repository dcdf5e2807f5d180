//! Tencent Meeting operations: PSTN callout, callout status, cancel, ms_open_id lookup, room call.
