//! The body the layers hand on: buffered when OAuth had to read it, the original stream otherwise.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Frame, SizeHint};

use crate::BoxError;

/// A request body after a layer of this crate: either the bytes it had to read (a form body,
/// whose parameters are signed, or a body covered by `oauth_body_hash`), sent unchanged, or the
/// original body, streamed untouched.
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
