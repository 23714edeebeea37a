//! The body the layers hand on: buffered when OAuth had to read it, the original stream otherwise.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body::{Frame, SizeHint};

use crate::BoxError;

/// A request body after a layer of this crate: either the bytes it had to read (a form body,
/// whose parameters are signed, or a body covered by `oauth_body_hash`), sent unchanged, or the
/// original body, streamed untouched. [`SigningLayer`](crate::SigningLayer)'s answers come in it
/// too: a 401 it read to look for a refused timestamp, or the answer's own body.
#[derive(Debug)]
pub enum Body<B> {
    /// The body was read into memory.
    Buffered(Option<Bytes>),
    /// The body was not read.
    Stream(B),
}

impl<B> Body<B> {
    /// A body made of `bytes`.
    pub fn buffered(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        Body::Buffered((!bytes.is_empty()).then_some(bytes))
    }
}

impl<B> http_body::Body for Body<B>
where
    B: http_body::Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match self.get_mut() {
            Body::Buffered(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Body::Stream(body) => Pin::new(body)
                .poll_frame(cx)
                .map(|frame| frame.map(|r| r.map_err(Into::into))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Body::Buffered(bytes) => bytes.is_none(),
            Body::Stream(body) => body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Buffered(bytes) => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            Body::Stream(body) => body.size_hint(),
        }
    }
}

/// Reads a body into memory, refusing more than `limit` bytes.
pub(crate) async fn read<B>(body: B, limit: usize) -> Result<Bytes, BoxError>
where
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    use http_body_util::BodyExt as _;
    let limited = http_body_util::Limited::new(body, limit);
    Ok(limited.collect().await?.to_bytes())
}

/// Why [`read_within`] stopped.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// More than the limit.
    TooLarge,
    /// Not all there before the deadline.
    TimedOut,
    /// The body failed (the connection broke).
    Failed,
}

/// Reads a body into memory, refusing more than `limit` bytes and giving up when it is not all
/// there `timeout` after the call. The wait ends on time whatever the body does and on any
/// executor: a timer thread of this crate wakes it ([`timer`]).
pub(crate) async fn read_within<B>(
    body: B,
    limit: usize,
    timeout: Duration,
) -> Result<Bytes, ReadError>
where
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    use http_body_util::BodyExt as _;
    let collect = Box::pin(http_body_util::Limited::new(body, limit).collect());
    match (Deadline {
        inner: collect,
        at: Instant::now().checked_add(timeout),
        alarm: None,
    })
    .await
    {
        None => Err(ReadError::TimedOut),
        Some(Ok(collected)) => Ok(collected.to_bytes()),
        Some(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(ReadError::TooLarge),
        Some(Err(_)) => Err(ReadError::Failed),
    }
}

/// `inner`, or `None` once `at` has passed (never, for `at: None`: a timeout too large to add).
struct Deadline<F> {
    inner: Pin<Box<F>>,
    at: Option<Instant>,
    alarm: Option<timer::Alarm>,
}

impl<F: Future> Future for Deadline<F> {
    type Output = Option<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<F::Output>> {
        let this = self.get_mut();
        if let Poll::Ready(output) = this.inner.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        let Some(at) = this.at else {
            return Poll::Pending;
        };
        if Instant::now() >= at {
            return Poll::Ready(None);
        }
        // Set only once the body makes us wait: a body already received costs no alarm.
        match &this.alarm {
            Some(alarm) => alarm.rewake(cx.waker()),
            None => this.alarm = Some(timer::Alarm::set(at, cx.waker())),
        }
        Poll::Pending
    }
}

/// One thread for the whole process that wakes waiting body reads at their deadline, so that the
/// layers keep to their time limits on any executor (tokio, async-std, smol, a hand-written one)
/// without depending on one. It is started by the first read that has to wait, and sleeps until
/// the next deadline.
mod timer {
    use std::collections::BTreeMap;
    use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
    use std::sync::{Arc, Mutex, OnceLock, PoisonError};
    use std::task::Waker;
    use std::time::Instant;

    /// The waker to call at a deadline; `None` once called or cancelled.
    type Slot = Arc<Mutex<Option<Waker>>>;

    /// A deadline set with the timer thread. Dropping it cancels it: the thread then keeps only an
    /// empty slot until the deadline, never the task's waker (which would keep the finished task's
    /// memory alive).
    pub(super) struct Alarm {
        slot: Slot,
    }

    impl Alarm {
        /// Wakes `waker` at `at`. Without a timer thread (the OS refused to start one), nothing
        /// wakes it: the read then ends at its next poll after `at`.
        pub(super) fn set(at: Instant, waker: &Waker) -> Alarm {
            let slot = Arc::new(Mutex::new(Some(waker.clone())));
            if let Some(thread) = thread() {
                // A send fails only if the thread is gone; the read then ends as said above.
                let _ = thread.send((at, Arc::clone(&slot)));
            }
            Alarm { slot }
        }

        /// Wakes `waker` instead of the one given before (the task moved, or the executor gave a
        /// new one).
        pub(super) fn rewake(&self, waker: &Waker) {
            let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
            match &mut *slot {
                Some(old) if old.will_wake(waker) => {}
                other => *other = Some(waker.clone()),
            }
        }
    }

    impl Drop for Alarm {
        fn drop(&mut self) {
            self.slot
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
        }
    }

    /// The channel to the timer thread, started on first use; `None` if it could not start.
    fn thread() -> Option<&'static Sender<(Instant, Slot)>> {
        static THREAD: OnceLock<Option<Sender<(Instant, Slot)>>> = OnceLock::new();
        THREAD
            .get_or_init(|| {
                let (sender, receiver) = std::sync::mpsc::channel();
                std::thread::Builder::new()
                    .name(String::from("oauth1-hyper-timer"))
                    .spawn(move || run(&receiver))
                    .ok()
                    .map(|_| sender)
            })
            .as_ref()
    }

    /// Wakes each slot at its deadline, in deadline order, until the process ends.
    fn run(receiver: &Receiver<(Instant, Slot)>) {
        let mut due: BTreeMap<(Instant, u64), Slot> = BTreeMap::new();
        let mut serial = 0u64;
        loop {
            let now = Instant::now();
            while let Some(entry) = due.first_entry() {
                if entry.key().0 > now {
                    break;
                }
                let waker = entry
                    .remove()
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .take();
                if let Some(waker) = waker {
                    waker.wake();
                }
            }
            let received = match due.first_key_value() {
                Some(((next, _), _)) => receiver.recv_timeout(next.saturating_duration_since(now)),
                None => receiver.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            match received {
                Ok((at, slot)) => {
                    due.insert((at, serial), slot);
                    serial = serial.wrapping_add(1);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}
