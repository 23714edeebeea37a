//! `oauth1`: sign, explain, verify and send OAuth 1.0a (RFC 5849) requests.

mod authorize;
mod body;
mod common;
mod completions;
mod credentials;
mod demo;
mod input;
mod net;
mod output;
mod private;
mod profile;
mod profiles;
mod request;
mod serve;
mod sign;
#[cfg(test)]
mod testing;
mod verify;

use std::io::{IsTerminal as _, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{CommandFactory as _, Parser, Subcommand};

use crate::input::Input;
use crate::output::Output;
use crate::profiles::ProfileChoice;

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

fn main() -> ExitCode {
    let cli = Cli::parse();
    // RUST_LOG (e.g. `oauth1_core=debug`, `oauth1_core=trace` for base strings): the core's spans
    // and events on standard error. Nothing unless it is set.
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_default_env() {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(false)
            .init();
    }
    let mut stdin = std::io::stdin().lock();
    let stdin_terminal = std::io::stdin().is_terminal();
    let (mut stdout, mut stderr) = (std::io::stdout(), std::io::stderr());
    let stdout_terminal = stdout.is_terminal();
    let result = run(
        cli,
        &profiles::path,
        &mut Input::new(&mut stdin, stdin_terminal),
        &mut Output::new(&mut stdout, &mut stderr, stdout_terminal),
    );
    exit_code(result, &mut stderr)
}

/// Runs the command `cli` names, reading `input` and writing `out`; `profiles_file` says where
/// the profiles are, for the commands that read them.
fn run(
    cli: Cli,
    profiles_file: &dyn Fn() -> Result<PathBuf>,
    input: &mut Input<'_>,
    out: &mut Output<'_>,
) -> Result<ExitCode> {
    let flag = cli.profile.as_deref();
    let profiles = || -> Result<ProfileChoice<'_>> {
        Ok(ProfileChoice {
            file: profiles_file()?,
            flag,
        })
    };
    let code = match &cli.command {
        Command::Sign(args) => sign::run(args, out),
        Command::Verify(args) => verify::run(args, out),
        Command::Demo(args) => demo::run(args, out),
        Command::Serve(args) => serve::run(args, out, serve::stopped),
        Command::Request(args) => request::run(args, &profiles()?, input, out),
        Command::Authorize(args) => authorize::run(args, &profiles()?, input, out),
        Command::Profile(args) => profile::run(args, &profiles()?, input, out),
        Command::Completions { shell, .. } => completions::run(*shell, &mut Cli::command(), out),
    }?;
    // What the command wrote is on its way before it counts as done: a reader that has gone
    // shows here at the latest.
    out.flush()?;
    Ok(code)
}

/// The process's exit status: the command's, `0` when the error is a reader that has gone
/// (`| head`: what it wanted, it got), else the error on `stderr` and `2` for a usage error
/// (as clap's own), `1` for any other (the request could not be signed, did not verify, failed).
fn exit_code(result: Result<ExitCode>, stderr: &mut dyn Write) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) if output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Where this fails, there is nowhere left to say so: the status still tells.
            let _ = writeln!(stderr, "oauth1: error: {e:#}");
            ExitCode::from(if e.is::<common::Usage>() { 2 } else { 1 })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::ErrorKind;
    use std::path::Path;

    use super::*;
    use crate::testing::{Buffer, parse};

    /// Standard output whose every write fails with `kind`.
    struct Failing(ErrorKind);

    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(self.0.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Err(self.0.into())
        }
    }

    fn run_failing(kind: ErrorKind, args: &[&str]) -> (ExitCode, String) {
        let mut stderr = Buffer::default();
        let mut stdout = Failing(kind);
        let mut stdin: &[u8] = b"";
        let result = run(
            parse(args),
            &|| Ok(Path::new("/nonexistent/profiles.json").to_owned()),
            &mut Input::new(&mut stdin, false),
            &mut Output::new(&mut stdout, &mut stderr.clone(), false),
        );
        (exit_code(result, &mut stderr), stderr.text())
    }

    /// A reader that has gone (`oauth1 sign … | head -1`): status 0, nothing said.
    #[test]
    fn a_closed_standard_output_ends_quietly() {
        let sign = [
            "sign",
            "--consumer-key",
            "k",
            "--consumer-secret",
            "s",
            "GET",
            "http://e.x/",
        ];
        for args in [&sign[..], &["completions", "bash"]] {
            assert_eq!(
                run_failing(ErrorKind::BrokenPipe, args),
                (ExitCode::SUCCESS, String::new()),
                "{args:?}"
            );
        }
    }

    /// Any other failed write is the command's failure: status 1, said on standard error.
    #[test]
    fn a_failed_write_is_reported() {
        let args = [
            "sign",
            "--consumer-key",
            "k",
            "--consumer-secret",
            "s",
            "GET",
            "http://e.x/",
        ];
        assert_eq!(
            run_failing(ErrorKind::StorageFull, &args),
            (
                ExitCode::from(1),
                String::from("oauth1: error: cannot write to standard output: no storage space\n")
            )
        );
    }
}
