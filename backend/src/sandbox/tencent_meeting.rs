//! Emulator of the Tencent Meeting REST API and its webhook delivery.
