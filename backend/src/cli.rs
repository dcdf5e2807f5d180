//! The signature debugger: `callout-console sign <provider> …` prints exactly what we sign and the
//! signature, so an admin can compare with what a provider echoes back in a signature error.

use clap::{Args, Subcommand};

use crate::providers::{aliyun_ccc::signer as aliyun, tencent_meeting::signer as tencent};

#[derive(Subcommand)]
pub enum SignCommand {
    /// Alibaba Cloud RPC (HMAC-SHA1, SignatureVersion 1.0): signs exactly the given parameters.
    Aliyun(AliyunSignArgs),
    /// Tencent Meeting (AK/SK HMAC-SHA256): signs the method, key, nonce, timestamp, URI and body.
    Tencent(TencentSignArgs),
}

#[derive(Args)]
pub struct TencentSignArgs {
    #[arg(long)]
    pub method: String,
    /// SecretId (goes into the signed header string as X-TC-Key).
    #[arg(long)]
    pub secret_id: String,
    /// SecretKey (the HMAC key).
    #[arg(long)]
    pub secret_key: String,
    #[arg(long)]
    pub nonce: String,
    /// Unix seconds.
    #[arg(long)]
    pub timestamp: String,
    /// Path and query exactly as sent, e.g. '/v1/meeting/123/phone/callout?page=1'.
    #[arg(long)]
    pub uri: String,
    /// The exact body bytes sent (empty for GET).
    #[arg(long, default_value = "")]
    pub body: String,
}

#[derive(Args)]
pub struct AliyunSignArgs {
    /// HTTP method of the request (GET or POST).
    #[arg(long)]
    pub method: String,
    /// AccessKey secret (the `&` is appended by the algorithm).
    #[arg(long)]
    pub secret: String,
    /// A request parameter as Name=Value (repeatable; the value may be empty or contain spaces).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
}

/// The two lines the debugger prints.
pub fn sign(command: &SignCommand) -> Result<String, String> {
    match command {
        SignCommand::Aliyun(args) => {
            let params = args
                .params
                .iter()
                .map(|p| {
                    p.split_once('=').map(|(n, v)| (n.to_owned(), v.to_owned())).ok_or_else(|| format!("--param {p:?} is not Name=Value"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let string_to_sign = aliyun::string_to_sign(&args.method.to_ascii_uppercase(), &params);
            let signature = aliyun::sign(&args.secret, &string_to_sign);
            Ok(format!("string_to_sign: {string_to_sign}\nsignature: {signature}"))
        }
        SignCommand::Tencent(a) => {
            let string_to_sign =
                tencent::string_to_sign(&a.method.to_ascii_uppercase(), &a.secret_id, &a.nonce, &a.timestamp, &a.uri, &a.body);
            let signature = tencent::sign(&a.secret_key, &string_to_sign);
            // The string has line breaks; write them as \n (and \ as \\) so the output stays two lines.
            let shown = string_to_sign.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r");
            Ok(format!("string_to_sign: {shown}\nsignature: {signature}"))
        }
    }
}
