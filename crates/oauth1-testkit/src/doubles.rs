//! Providers that misbehave in the ways the security reviews tried.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

/// A "provider" that answers a flow step with an endless body (G9 of the second security review):
/// the URL of its token endpoint. It serves one connection on 127.0.0.1: reads the request head,
/// then writes 16 KiB chunks until the client hangs up (or 64 MiB, so that a client without a
/// limit fails its test instead of hanging it).
pub fn endless_answer() -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/oauth/request_token", listener.local_addr()?);
    std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        if read_request(&stream).is_err() {
            return;
        }
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

/// A "provider" that shows how requests arrive on the wire, which the embedded provider's echo
/// does not (`Content-Length` or `Transfer-Encoding`, the headers' exact text): its URL, and the
/// head of each request it read, as sent. It serves connections on 127.0.0.1 one at a time, reads
/// each request whole (a body of a declared length, or chunked), answers `200` with an empty body
/// and closes the connection; it stops when the receiver is dropped.
pub fn recorder() -> std::io::Result<(String, mpsc::Receiver<String>)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/recorded", listener.local_addr()?);
    let (heads, received) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let Ok(head) = read_request(&stream) else {
                continue;
            };
            let mut stream = stream;
            let answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            let _ = stream.write_all(answer.as_bytes());
            if heads.send(head).is_err() {
                return;
            }
        }
    });
    Ok((url, received))
}

/// Reads one request: returns its head (request line and headers, as sent) once its body is read.
fn read_request(stream: &std::net::TcpStream) -> std::io::Result<String> {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    while reader.read_line(&mut head)? > 2 {}
    let lower = head.to_ascii_lowercase();
    let length = lower
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|n| n.trim().parse::<u64>().ok());
    if let Some(length) = length {
        std::io::copy(&mut (&mut reader).take(length), &mut std::io::sink())?;
    } else if lower.contains("transfer-encoding: chunked") {
        let mut line = String::new();
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let size = u64::from_str_radix(line.trim(), 16).map_err(std::io::Error::other)?;
            // The chunk and its CRLF; after the last (empty) chunk, the final CRLF.
            std::io::copy(&mut (&mut reader).take(size + 2), &mut std::io::sink())?;
            if size == 0 {
                return Ok(head);
            }
        }
    }
    Ok(head)
}
