//! Alibaba Cloud Contact Center (CCC 2017-07-05) RPC API with HMAC-SHA1 (SignatureVersion 1.0) signing.
