//! Providers that misbehave in the ways the security reviews tried.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

/// A "provider" that answers a flow step with an endless body (G9 of the second security review):
/// the URL of its token endpoint. It serves one connection on 127.0.0.1: reads the request head,
/// then writes 16 KiB chunks until the client hangs up (or 64 MiB, so that a client without a
/// limit fails its test instead of hanging it).
pub fn endless_answer() -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/oauth/request_token", listener.local_addr()?);
    std::thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        let Ok(reader) = stream.try_clone() else {
            return;
        };
        let mut reader = BufReader::new(reader);
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 2 {
            line.clear();
        }
        let mut stream = stream;
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                    Transfer-Encoding: chunked\r\n\r\n";
        if stream.write_all(head.as_bytes()).is_err() {
            return;
        }
        let chunk = format!("4000\r\n{}\r\n", "a".repeat(0x4000));
        let mut written = 0;
        while written < 64 << 20 {
            if stream.write_all(chunk.as_bytes()).is_err() {
                break;
            }
            written += 0x4000;
        }
    });
    Ok(url)
}
