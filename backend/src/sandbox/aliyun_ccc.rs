//! Emulator of the Alibaba Cloud CCC RPC gateway (DialEx).
