//! What the CLI's HTTPS and input/output tests share: a private config directory per test, the
//! binary with a clean environment, the embedded provider over TLS with its CA in a file, and a
//! small CONNECT proxy. Everything listens on 127.0.0.1.
#![allow(dead_code)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use oauth1_provider::{Provider, ProviderConfig};

/// Variables that would change what the binary trusts or where it connects.
pub(crate) const NETWORK_VARS: [&str; 10] = [
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// Variables of a developer's shell that change what the binary does or prints: the credentials,
/// profile and nonce store it reads (`OAUTH1_*`), its logs (`RUST_LOG`) and clap's colours
/// (`CLICOLOR_FORCE`, even into a pipe). A test that wants one sets it after these are dropped.
pub(crate) const SHELL_VARS: [&str; 8] = [
    "OAUTH1_CONSUMER_KEY",
    "OAUTH1_CONSUMER_SECRET",
    "OAUTH1_TOKEN",
    "OAUTH1_TOKEN_SECRET",
    "OAUTH1_PROFILE",
    "OAUTH1_NONCE_STORE",
    "RUST_LOG",
    "CLICOLOR_FORCE",
];

/// The `oauth1` binary, without [`SHELL_VARS`]: what it does and prints does not depend on the
/// shell the tests run from.
pub(crate) fn oauth1_binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_oauth1"));
    for var in SHELL_VARS {
        command.env_remove(var);
    }
    command
}

pub(crate) struct Env {
    pub(crate) dir: PathBuf,
}

impl Env {
    pub(crate) fn new(name: &str) -> Env {
        let dir = std::env::temp_dir().join(format!("oauth1-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Env { dir }
    }

    /// A file in this test's directory.
    pub(crate) fn file(&self, name: &str, content: &[u8]) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::write(&path, content).unwrap();
        path
    }

    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut command = oauth1_binary();
        command
            .args(args)
            .env("XDG_CONFIG_HOME", self.dir.join("config"));
        for var in [
            "OAUTH1_CONSUMER_KEY",
            "OAUTH1_CONSUMER_SECRET",
            "OAUTH1_TOKEN",
            "OAUTH1_TOKEN_SECRET",
            "OAUTH1_PROFILE",
        ]
        .into_iter()
        .chain(NETWORK_VARS)
        {
            command.env_remove(var);
        }
        command
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Runs `oauth1 args…` with `input` on its standard input (then closed).
    pub(crate) fn run_with_stdin(&self, args: &[&str], input: &[u8]) -> Output {
        use std::io::Write as _;
        use std::process::Stdio;
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        child.wait_with_output().unwrap()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The provider over HTTPS (client `ck`/`cs`), and its CA certificate written to a file.
pub(crate) fn tls_provider(env: &Env) -> (Provider, PathBuf) {
    let provider = Provider::start_blocking(
        ProviderConfig::new()
            .client("ck", "cs")
            .verifier(oauth1_core::Verifier::new().expose_base_string(true))
            .tls(),
    )
    .unwrap();
    let ca = env.file("ca.pem", provider.ca_certificate_pem().unwrap().as_bytes());
    (provider, ca)
}

/// A ureq agent (a "browser") that trusts this CA only and follows no redirect.
pub(crate) fn browser(ca_pem: &str) -> ureq::Agent {
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::new_with_certs(&[
            ureq::tls::Certificate::from_pem(ca_pem.as_bytes()).unwrap(),
        ]))
        .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .build();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .max_redirects(0)
        .http_status_as_error(false)
        .proxy(None)
        .build()
        .new_agent()
}

/// An HTTP CONNECT proxy on 127.0.0.1 that tunnels to wherever it is asked and remembers each
/// CONNECT line. Stops (and joins its thread) on drop.
pub(crate) struct ConnectProxy {
    pub(crate) url: String,
    pub(crate) seen: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ConnectProxy {
    pub(crate) fn start() -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (seen, stop) = (seen.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((client, _)) => tunnel(client, &seen),
                        Err(_) => std::thread::sleep(Duration::from_millis(10)),
                    }
                }
            })
        };
        ConnectProxy {
            url,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    pub(crate) fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for ConnectProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn tunnel(client: TcpStream, seen: &Mutex<Vec<String>>) {
    client.set_nonblocking(false).unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(client.try_clone().unwrap());
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    let first = first.trim().to_string();
    seen.lock().unwrap().push(first.clone());
    let target = first.split(' ').nth(1).unwrap_or_default().to_string();
    let mut client = client;
    let Ok(upstream) = TcpStream::connect(&target) else {
        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n");
        return;
    };
    client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .unwrap();
    let mut up_read = upstream.try_clone().unwrap();
    let mut down_write = client.try_clone().unwrap();
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut up_read, &mut down_write);
        let _ = down_write.shutdown(std::net::Shutdown::Both);
    });
    let mut up_write = upstream;
    // Whatever the BufReader already holds belongs to the tunnel.
    let buffered = reader.buffer().to_vec();
    let _ = up_write.write_all(&buffered);
    let mut rest = reader.into_inner();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match rest.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if up_write.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = up_write.shutdown(std::net::Shutdown::Both);
    });
}

/// Runs the binary under a pseudo-terminal (util-linux `script`), so that it sees a terminal on
/// standard input and output. `None` where `script` is missing or is not util-linux's.
pub(crate) fn script_available() -> bool {
    cfg!(target_os = "linux")
        && Command::new("script")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success() && text(&o.stdout).contains("util-linux"))
}

/// `sh` single quoting.
pub(crate) fn quote(arg: &str) -> String {
    format!("'{}'", arg.replace('\'', r"'\''"))
}

/// A SOCKS5 proxy on 127.0.0.1 (RFC 1928, no authentication, CONNECT only) that tunnels to
/// wherever it is asked and remembers each target as `host:port`. Stops (and joins its thread) on
/// drop.
pub(crate) struct Socks5Proxy {
    pub(crate) addr: String,
    seen: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Socks5Proxy {
    pub(crate) fn start() -> Socks5Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (seen, stop) = (seen.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((client, _)) => {
                            let seen = seen.clone();
                            std::thread::spawn(move || socks5(client, &seen));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(10)),
                    }
                }
            })
        };
        Socks5Proxy {
            addr,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    pub(crate) fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Socks5Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn socks5(mut client: TcpStream, seen: &Mutex<Vec<String>>) {
    client.set_nonblocking(false).unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // Greeting: version 5, the methods offered; "no authentication" is chosen.
    let Some(greeting) = read_exact(&mut client, 2) else {
        return;
    };
    if greeting[0] != 5 {
        // Another SOCKS version: hang up at once.
        return;
    }
    if read_exact(&mut client, usize::from(greeting[1])).is_none()
        || client.write_all(&[5, 0]).is_err()
    {
        return;
    }
    // Request: version, CONNECT, reserved, address type, address, port.
    let Some(head) = read_exact(&mut client, 4) else {
        return;
    };
    let host = match head[3] {
        1 => read_exact(&mut client, 4).map(|a| format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3])),
        3 => read_exact(&mut client, 1)
            .and_then(|len| read_exact(&mut client, usize::from(len[0])))
            .map(|name| String::from_utf8_lossy(&name).into_owned()),
        _ => None,
    };
    let (Some(host), Some(port)) = (host, read_exact(&mut client, 2)) else {
        return;
    };
    let target = format!("{host}:{}", u16::from_be_bytes([port[0], port[1]]));
    seen.lock().unwrap().push(target.clone());
    let Ok(upstream) = TcpStream::connect(&target) else {
        let _ = client.write_all(&[5, 5, 0, 1, 0, 0, 0, 0, 0, 0]);
        return;
    };
    if client.write_all(&[5, 0, 0, 1, 0, 0, 0, 0, 0, 0]).is_err() {
        return;
    }
    client.set_read_timeout(None).unwrap();
    let (mut up_read, mut down_write) =
        (upstream.try_clone().unwrap(), client.try_clone().unwrap());
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut up_read, &mut down_write);
        let _ = down_write.shutdown(std::net::Shutdown::Both);
    });
    let (mut down_read, mut up_write) = (client, upstream);
    let _ = std::io::copy(&mut down_read, &mut up_write);
    let _ = up_write.shutdown(std::net::Shutdown::Both);
}

fn read_exact(stream: &mut TcpStream, n: usize) -> Option<Vec<u8>> {
    let mut buf = vec![0; n];
    stream.read_exact(&mut buf).ok().map(|()| buf)
}

/// A server on 127.0.0.1 that accepts connections and never answers (holding each open until it
/// is dropped): what a request without a timeout waits for forever.
pub(crate) struct StalledServer {
    pub(crate) url: String,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StalledServer {
    pub(crate) fn start() -> StalledServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut held = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((stream, _)) => held.push(stream),
                        Err(_) => std::thread::sleep(Duration::from_millis(10)),
                    }
                }
            })
        };
        StalledServer {
            url,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for StalledServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// `oauth1 serve` with `args` (after `serve`) and `env`, its standard error piped for the test to
/// read (or not), killed on drop.
pub(crate) struct Serve {
    pub(crate) child: std::process::Child,
    /// `127.0.0.1:PORT`, from its first line.
    pub(crate) addr: String,
}

impl Serve {
    pub(crate) fn start(args: &[&str], env: &[(&str, &str)]) -> Serve {
        use std::process::Stdio;
        let mut child = oauth1_binary()
            .arg("serve")
            .args(args)
            .envs(env.iter().copied())
            .env_remove("OAUTH1_NONCE_STORE")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim_end()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("{args:?}: first line {line:?}"))
            .to_string();
        Serve { child, addr }
    }

    /// Its standard error, to read line by line (once).
    pub(crate) fn stderr(&mut self) -> BufReader<std::process::ChildStderr> {
        BufReader::new(self.child.stderr.take().unwrap())
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
