//! The signature debugger: `callout-console sign <provider> …` prints exactly what we sign and the
//! signature, so an admin can compare with what a provider echoes back in a signature error.

use clap::{Args, Subcommand};

use crate::providers::aliyun_ccc::signer as aliyun;

#[derive(Subcommand)]
pub enum SignCommand {
    /// Alibaba Cloud RPC (HMAC-SHA1, SignatureVersion 1.0): signs exactly the given parameters.
    Aliyun(AliyunSignArgs),
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
                .map(|p| p.split_once('=').map(|(n, v)| (n.to_owned(), v.to_owned())).ok_or_else(|| format!("--param {p:?} is not Name=Value")))
                .collect::<Result<Vec<_>, _>>()?;
            let string_to_sign = aliyun::string_to_sign(&args.method.to_ascii_uppercase(), &params);
            let signature = aliyun::sign(&args.secret, &string_to_sign);
            Ok(format!("string_to_sign: {string_to_sign}\nsignature: {signature}"))
        }
    }
}
