//! A throwaway `redis-server` for tests: on a free port of 127.0.0.1, no persistence, stopped on
//! drop. `.ci/run` installs `redis-server` (Debian's package) when it is missing.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `redis-server` child process of the test, killed on drop.
#[derive(Debug)]
pub struct RedisServer {
    /// The port it listens on, on 127.0.0.1.
    pub port: u16,
    child: Option<Child>,
    extra: Vec<String>,
}

impl RedisServer {
    /// Starts one on a free port and waits until it answers.
    #[expect(
        clippy::unwrap_used,
        reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
    )]
    pub fn start() -> RedisServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        RedisServer::start_on(port)
    }

    /// Starts one on `port` (a port the test reserved and has just released).
    pub fn start_on(port: u16) -> RedisServer {
        RedisServer::start_with(port, Vec::new())
    }

    /// Starts a replica of `primary` on a free port.
    #[expect(
        clippy::unwrap_used,
        reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
    )]
    pub fn start_replica_of(primary: &RedisServer) -> RedisServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let extra = vec![
            "--replicaof".to_string(),
            "127.0.0.1".to_string(),
            primary.port.to_string(),
        ];
        RedisServer::start_with(port, extra)
    }

    fn start_with(port: u16, extra: Vec<String>) -> RedisServer {
        let mut server = RedisServer {
            port,
            child: None,
            extra,
        };
        server.restart();
        server
    }

    /// `redis://127.0.0.1:<port>/0`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// (Re)starts the server on the same port.
    #[expect(
        clippy::expect_used,
        reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
    )]
    pub fn restart(&mut self) {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                // A replica's full sync writes an RDB file even with `--save ""`: never into
                // the checkout (the test's working directory).
                "--dir",
                &std::env::temp_dir().to_string_lossy(),
                "--dbfilename",
                &format!("oauth1-redis-test-{}.rdb", self.port),
                "--protected-mode",
                "yes",
            ])
            .args(&self.extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "redis-server must be installed (apt-get install -y redis-server; .ci/run does it)",
            );
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.command(&["PING"]).as_deref() != Some("+PONG") {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the server (the port stays reserved for `restart`, as far as this test goes).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// One command over RESP, its first reply line (`+OK`, `:42`, `$-1`, `*2`…); `None` when the
    /// server does not answer.
    pub fn command(&self, args: &[&str]) -> Option<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
        let mut request = format!("*{}\r\n", args.len());
        for arg in args {
            request.push_str(&format!("${}\r\n{arg}\r\n", arg.len()));
        }
        stream.write_all(request.as_bytes()).ok()?;
        let mut reply = Vec::new();
        let mut byte = [0u8; 1];
        while stream.read(&mut byte).ok()? == 1 {
            reply.push(byte[0]);
            if reply.ends_with(b"\r\n") {
                break;
            }
        }
        let line = String::from_utf8_lossy(&reply).trim_end().to_string();
        (!line.is_empty()).then_some(line)
    }

    /// `INFO <section>`, the whole text; `None` when the server does not answer (or refuses).
    pub fn info(&self, section: &str) -> Option<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
        let request = format!("*2\r\n$4\r\nINFO\r\n${}\r\n{section}\r\n", section.len());
        stream.write_all(request.as_bytes()).ok()?;
        // A bulk string: "$<length>\r\n", the text, "\r\n".
        let mut header = Vec::new();
        let mut byte = [0u8; 1];
        while !header.ends_with(b"\r\n") {
            if stream.read(&mut byte).ok()? != 1 {
                return None;
            }
            header.push(byte[0]);
        }
        let length: usize = std::str::from_utf8(&header)
            .ok()?
            .trim_end()
            .strip_prefix('$')?
            .parse()
            .ok()?;
        let mut text = vec![0u8; length];
        stream.read_exact(&mut text).ok()?;
        String::from_utf8(text).ok()
    }

    /// A numeric field of `INFO <section>` (`total_connections_received` of `stats`, …).
    pub fn info_field(&self, section: &str, field: &str) -> Option<u64> {
        let info = self.info(section)?;
        info.lines()
            .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))?
            .trim()
            .parse()
            .ok()
    }

    /// Every key under `prefix`, with its TTL in seconds.
    #[expect(
        clippy::unwrap_used,
        reason = "a test kit step (dev-only crate, publish = false): a failure fails the test that ran it, and the panic names the step"
    )]
    pub fn keys_with_ttl(&self, prefix: &str) -> Vec<(String, i64)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let pattern = format!("{prefix}*");
        let request = format!("*2\r\n$4\r\nKEYS\r\n${}\r\n{pattern}\r\n", pattern.len());
        stream.write_all(request.as_bytes()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        let mut text = String::new();
        let mut buf = [0u8; 4096];
        // Read until the array is complete: "*N\r\n" then N bulk strings of two lines each.
        loop {
            let n = stream.read(&mut buf).unwrap();
            text.push_str(&String::from_utf8_lossy(&buf[..n]));
            let lines: Vec<&str> = text.split("\r\n").collect();
            let count: usize = lines[0].trim_start_matches('*').parse().unwrap_or(0);
            if n == 0 || lines.len() > 2 * count + 1 {
                break;
            }
        }
        let keys: Vec<String> = text
            .split("\r\n")
            .skip(1)
            .filter(|l| !l.starts_with('$') && !l.is_empty())
            .map(str::to_string)
            .collect();
        keys.into_iter()
            .map(|k| {
                let ttl = self.command(&["TTL", &k]).unwrap();
                (k, ttl.trim_start_matches(':').parse().unwrap())
            })
            .collect()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}
