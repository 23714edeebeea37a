//! `oauth1`: sign, explain, verify and send OAuth 1.0a (RFC 5849) requests.

// `println!` and `print!` for this crate: std's panic when standard output is closed
// (`oauth1 sign … | head -1`); these end the program quietly instead, as a reader that stops
// early is not an error (the shell's SIGPIPE convention, which Rust's runtime turns off).
// Defined before the modules, so that every one of them uses them.
macro_rules! println {
    () => {
        $crate::output::write_stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

macro_rules! print {
    ($($arg:tt)*) => {
        $crate::output::write_stdout(format_args!($($arg)*))
    };
}

mod authorize;
mod body;
mod common;
mod credentials;
mod demo;
mod net;
mod output;
mod private;
mod profile;
mod request;
mod serve;
mod sign;
mod verify;

use std::process::ExitCode;

use clap::{CommandFactory as _, Parser, Subcommand};

/// Sign, explain and verify OAuth 1.0a (RFC 5849) requests.
#[derive(Parser)]
#[command(name = "oauth1", version, about, long_about = None)]
#[command(
    after_help = "Secrets are best passed through the environment (OAUTH1_CONSUMER_SECRET, \
OAUTH1_TOKEN_SECRET): command-line arguments are visible to other users of the machine.\n\n\
Exit codes: 0 success, 1 the request could not be signed or did not verify, 2 usage error."
)]
struct Cli {
    // Listed only by the commands that read profiles (request, authorize, profile): the others
    // flatten `common::NoProfile`, which hides it.
    /// The profile `authorize` writes and `request` reads [default: the one `profile use` chose, else `default`].
    #[arg(long, global = true, env = "OAUTH1_PROFILE", value_name = "NAME")]
    profile: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sign a request: print its Authorization header, signed URL or signed body.
    Sign(Box<sign::SignArgs>),
    /// Verify a captured request against given credentials, as a provider would.
    Verify(Box<verify::VerifyArgs>),
    /// Send a signed request, like curl: credentials from flags, OAUTH1_* variables or a profile.
    Request(Box<request::RequestArgs>),
    /// Run the three-legged flow against a provider and store the token in a profile.
    Authorize(Box<authorize::AuthorizeArgs>),
    /// Manage named credential sets (profiles).
    Profile(Box<profile::ProfileArgs>),
    /// Run the three-legged flow against an embedded provider on 127.0.0.1, step by step.
    Demo(demo::DemoArgs),
    /// Run the embedded provider as a server (a mock provider for tests, several instances on one
    /// Redis nonce store).
    Serve(Box<serve::ServeArgs>),
    /// Print a shell completion script (bash, zsh, fish, elvish or powershell).
    #[command(after_help = "Examples:
  oauth1 completions bash > ~/.local/share/bash-completion/completions/oauth1
  oauth1 completions zsh > \"${fpath[1]}/_oauth1\"
  oauth1 completions fish > ~/.config/fish/completions/oauth1.fish")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
        #[command(flatten)]
        no_profile: common::NoProfile,
    },
}

/// The completion script, built in memory (clap_complete panics on a failed write) and then
/// written out; a reader that stops early (`| head`) is not an error.
fn completions(shell: clap_complete::Shell) -> anyhow::Result<ExitCode> {
    use std::io::Write as _;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "oauth1", &mut script);
    match std::io::stdout().lock().write_all(&script) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Sign(args) => sign::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Demo(args) => demo::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Request(args) => request::run(&args, cli.profile.as_deref()),
        Command::Authorize(args) => authorize::run(&args, cli.profile.as_deref()),
        Command::Profile(args) => profile::run(&args, cli.profile.as_deref()),
        Command::Completions { shell, .. } => completions(shell),
    };
    match result {
        Ok(code) => code,
        // A reader that stopped early (`| head`): what it wanted, it got.
        Err(e) if output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("oauth1: error: {e:#}");
            // Exit 2 for usage errors (as clap does), 1 when the request cannot be signed.
            ExitCode::from(if e.is::<common::Usage>() { 2 } else { 1 })
        }
    }
}
