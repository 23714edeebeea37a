//! Reading request bodies within bounds: the size they declare and the size they have, the time
//! they take, and how many slow ones one peer may hold at once.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;
use http::header::{CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use http_body_util::{BodyExt as _, Full, Limited};

use crate::config::Limits;

/// A body still arriving after this long (or after the body timeout, if shorter) is slow: from
/// then on it holds one of its peer's slow-body slots.
const SLOW_AFTER: Duration = Duration::from_secs(1);

/// Reads bodies for every connection of one provider.
#[derive(Clone, Debug)]
pub(crate) struct BodyReader {
    max_bytes: usize,
    timeout: Duration,
    per_peer: usize,
    /// Slow bodies being read, per peer address.
    slow: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// Why a body was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Larger than the limit, as declared (`Content-Length`) or as read: 413.
    TooLarge,
    /// Not all there within the body timeout: 408.
    TooSlow,
    /// Slow, while its peer already holds all its slow-body slots: 429.
    PeerBusy,
    /// The connection failed while reading: 400.
    Unreadable,
}

impl BodyReader {
    pub(crate) fn new(limits: &Limits) -> Self {
        BodyReader {
            max_bytes: limits.max_body_bytes,
            timeout: limits.body_read_timeout,
            per_peer: limits.max_slow_bodies_per_peer,
            slow: Arc::default(),
        }
    }

    /// Reads the body of a request from `peer` whose headers are `headers`. A declared length over
    /// the limit is refused before anything is read; a body that is still arriving after
    /// [`SLOW_AFTER`] takes a slot of its peer's (none free: refused at once); one that is not all
    /// there by the body timeout is refused.
    pub(crate) async fn read<B>(
        &self,
        headers: &http::HeaderMap,
        body: B,
        peer: IpAddr,
    ) -> Result<Bytes, Refused>
    where
        B: http_body::Body<Data = Bytes>,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        if declared_length(headers, &body) > self.max_bytes as u64 {
            return Err(Refused::TooLarge);
        }
        if body.is_end_stream() {
            return Ok(Bytes::new());
        }
        let deadline = tokio::time::Instant::now() + self.timeout;
        let collect = Limited::new(body, self.max_bytes).collect();
        tokio::pin!(collect);
        let read = match tokio::time::timeout(SLOW_AFTER.min(self.timeout), &mut collect).await {
            Ok(read) => read,
            Err(_) => {
                let Some(_slot) = self.slow_slot(peer) else {
                    return Err(Refused::PeerBusy);
                };
                tokio::time::timeout_at(deadline, &mut collect)
                    .await
                    .map_err(|_| Refused::TooSlow)?
            }
        };
        match read {
            Ok(collected) => Ok(collected.to_bytes()),
            Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(Refused::TooLarge),
            Err(_) => Err(Refused::Unreadable),
        }
    }

    /// One of `peer`'s slow-body slots, held until dropped; `None` when it holds them all.
    fn slow_slot(&self, peer: IpAddr) -> Option<SlowSlot> {
        let peer = peer.to_canonical();
        let mut slow = self.slow.lock().unwrap_or_else(PoisonError::into_inner);
        let held = slow.entry(peer).or_default();
        if *held >= self.per_peer {
            if *held == 0 {
                slow.remove(&peer);
            }
            return None;
        }
        *held += 1;
        Some(SlowSlot {
            slow: Arc::clone(&self.slow),
            peer,
        })
    }
}

impl Refused {
    /// The answer: status and a line of text. Each closes the connection, whose body was not read
    /// to its end.
    pub(crate) fn answer(self) -> http::Response<Full<Bytes>> {
        let (status, message) = match self {
            Refused::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "the body is larger than this provider reads\n",
            ),
            Refused::TooSlow => (
                StatusCode::REQUEST_TIMEOUT,
                "the body did not arrive in time\n",
            ),
            Refused::PeerBusy => (
                StatusCode::TOO_MANY_REQUESTS,
                "too many slow bodies from this address\n",
            ),
            Refused::Unreadable => (StatusCode::BAD_REQUEST, "cannot read the body\n"),
        };
        let mut answer = http::Response::new(Full::new(Bytes::from_static(message.as_bytes())));
        *answer.status_mut() = status;
        let headers = answer.headers_mut();
        let value = http::HeaderValue::from_static;
        headers.insert(CONTENT_TYPE, value("text/plain; charset=utf-8"));
        headers.insert(CONNECTION, value("close"));
        if self == Refused::PeerBusy {
            headers.insert(RETRY_AFTER, value("1"));
        }
        answer
    }
}

/// The larger of the `Content-Length` header and the body's own lower bound: what the request
/// says it will send.
fn declared_length<B: http_body::Body>(headers: &http::HeaderMap, body: &B) -> u64 {
    let header = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    header.max(body.size_hint().lower())
}

/// A slow body's claim on one of its peer's slots.
struct SlowSlot {
    slow: Arc<Mutex<HashMap<IpAddr, usize>>>,
    peer: IpAddr,
}

impl Drop for SlowSlot {
    fn drop(&mut self) {
        let mut slow = self.slow.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(held) = slow.get_mut(&self.peer) {
            *held = held.saturating_sub(1);
            if *held == 0 {
                slow.remove(&self.peer);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_per_peer_and_given_back() {
        let limits = Limits {
            max_slow_bodies_per_peer: 2,
            ..Limits::default()
        };
        let reader = BodyReader::new(&limits);
        let a = IpAddr::from([127, 0, 0, 1]);
        let mapped = IpAddr::from(std::net::Ipv4Addr::new(127, 0, 0, 1).to_ipv6_mapped());
        let first = reader.slow_slot(a);
        let second = reader.slow_slot(mapped);
        assert!(first.is_some() && second.is_some());
        assert!(
            reader.slow_slot(a).is_none(),
            "an IPv4-mapped address is the same peer"
        );
        assert!(reader.slow_slot(IpAddr::from([127, 0, 0, 2])).is_some());
        drop(first);
        assert!(reader.slow_slot(a).is_some());
        drop(second);
        assert!(
            reader
                .slow
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .is_empty()
        );
    }
}
