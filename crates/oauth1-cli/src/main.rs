//! `oauth1`: sign, explain, verify and send OAuth 1.0a (RFC 5849) requests.

mod common;
mod demo;
mod sign;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Sign, explain and verify OAuth 1.0a (RFC 5849) requests.
#[derive(Parser)]
#[command(name = "oauth1", version, about, long_about = None)]
#[command(
    after_help = "Secrets are best passed through the environment (OAUTH1_CONSUMER_SECRET, \
OAUTH1_TOKEN_SECRET): command-line arguments are visible to other users of the machine.\n\n\
Exit codes: 0 success, 1 the request could not be signed or did not verify, 2 usage error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sign a request: print its Authorization header, signed URL or signed body.
    Sign(Box<sign::SignArgs>),
    /// Verify a captured request against given credentials, as a provider would.
    Verify(Box<verify::VerifyArgs>),
    /// Run the three-legged flow against an embedded provider on 127.0.0.1, step by step.
    Demo(demo::DemoArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Sign(args) => sign::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Demo(args) => demo::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("oauth1: error: {e:#}");
            // Exit 2 for usage errors (as clap does), 1 when the request cannot be signed.
            ExitCode::from(if e.is::<common::Usage>() { 2 } else { 1 })
        }
    }
}
