//! Running a command in-process, as `main` does, with its standard input, output and error in
//! memory: what the tests of each command assert exactly.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};

use clap::{CommandFactory as _, FromArgMatches as _};

use crate::input::Input;
use crate::output::Output;

/// What a command did: its exit status and everything it wrote.
#[derive(Debug)]
pub(crate) struct Ran {
    pub(crate) code: ExitCode,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Runs `oauth1 ARGS…` with `stdin` as standard input (not a terminal), profiles in
/// `config`/oauth1/profiles.json, standard output not a terminal.
pub(crate) fn run_in(config: &Path, args: &[&str], stdin: &[u8]) -> Ran {
    let stdout = Buffer::default();
    let stderr = Buffer::default();
    let code = run_into(config, args, &mut { stdin }, &stdout, &stderr);
    Ran {
        code,
        stdout: stdout.text(),
        stderr: stderr.text(),
    }
}

/// [`run_in`] with no profiles directory (`/nonexistent`) and nothing on standard input: for the
/// commands that read no profile.
pub(crate) fn run(args: &[&str]) -> Ran {
    run_in(Path::new("/nonexistent"), args, b"")
}

/// Runs `oauth1 ARGS…` writing into `stdout` and `stderr`, which another thread may read while it
/// runs (a command that waits: `serve`, `authorize`).
pub(crate) fn run_into(
    config: &Path,
    args: &[&str],
    stdin: &mut dyn BufRead,
    stdout: &Buffer,
    stderr: &Buffer,
) -> ExitCode {
    let cli = parse(args);
    let (mut out, mut err) = (stdout.clone(), stderr.clone());
    let file = config.join("oauth1").join("profiles.json");
    let result = crate::run(
        cli,
        &move || Ok(file.clone()),
        &mut Input::new(stdin, false),
        &mut Output::new(&mut out, &mut err, false),
    );
    crate::exit_code(result, &mut err)
}

/// `oauth1 ARGS…` parsed as `main` parses it, except that no environment variable is read: the
/// tests' outputs do not depend on an `OAUTH1_*` variable of whoever runs them.
pub(crate) fn parse(args: &[&str]) -> crate::Cli {
    let argv = std::iter::once("oauth1").chain(args.iter().copied());
    without_environment(crate::Cli::command())
        .try_get_matches_from(argv)
        .and_then(|matches| crate::Cli::from_arg_matches(&matches))
        // ok-panic: test-only module (`#[cfg(test)]`): arguments a test wrote that clap refuses.
        .unwrap_or_else(|e| panic!("oauth1 {args:?}: {e}"))
}

fn without_environment(command: clap::Command) -> clap::Command {
    command
        .mut_args(|arg| arg.env(None))
        .mut_subcommands(without_environment)
}

/// Bytes written, shared between the command and the test.
#[derive(Clone, Default)]
pub(crate) struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    /// What was written so far, as text.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A private directory for one test's profiles (mode 0700, removed on drop).
pub(crate) fn config_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("oauth1-cli-test-")
        .tempdir()
        // ok-panic: test-only module (`#[cfg(test)]`): no temporary directory, no test.
        .unwrap_or_else(|e| panic!("a temporary directory: {e}"))
}

/// Standard input a test types into while the command runs: each line sent arrives when the
/// command reads; the end of input once the sender is dropped.
pub(crate) struct Typed {
    lines: std::sync::mpsc::Receiver<String>,
    pending: Vec<u8>,
}

impl Typed {
    /// Input, and the sender that types it.
    pub(crate) fn new() -> (Typed, std::sync::mpsc::Sender<String>) {
        let (sender, lines) = std::sync::mpsc::channel();
        let typed = Typed {
            lines,
            pending: Vec::new(),
        };
        (typed, sender)
    }
}

impl std::io::Read for Typed {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Typed {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.pending.is_empty()
            && let Ok(line) = self.lines.recv()
        {
            self.pending = line.into_bytes();
        }
        Ok(&self.pending)
    }

    fn consume(&mut self, n: usize) {
        self.pending.drain(..n.min(self.pending.len()));
    }
}

/// Waits (up to 30 s) until `buffer` holds a line for which `found` says something, and returns
/// that.
pub(crate) fn wait_for<T>(buffer: &Buffer, found: impl Fn(&str) -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if let Some(value) = buffer.text().lines().find_map(&found) {
            return value;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not written in time: {:?}",
            buffer.text()
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// A ureq agent for 127.0.0.1: no proxy, no redirect followed, statuses as answers.
pub(crate) fn local_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .build()
        .new_agent()
}
