//! RFC 5849 §3.3 (timestamps) as clients meet it: a clock that is off, corrected once from the
//! provider's refusal — the OAuth Problem Reporting extension's `timestamp_refused` with
//! `oauth_acceptable_timestamps`, else the answer's `Date` (RFC 9110 §6.6.1) — within a bound
//! (`std` + `ring`).
//!
//! > The timestamp value MUST be a positive integer. Unless otherwise specified by the server's
//! > documentation, the timestamp is expressed in the number of seconds since January 1, 1970
//! > 00:00:00 GMT. (§3.3)
//!
//! A provider refuses timestamps outside its window (five minutes, commonly). Containers, CI
//! runners and devices without a real-time clock are often further off than that. Every
//! HTTP-client adapter and `oauth1 request` share [`Clock`]: sign with it, hand it each
//! 401 answer, and send once more when it says it corrected itself.

use alloc::sync::Arc;
use core::fmt;
use core::sync::atomic::{AtomicI64, Ordering};

use crate::nonce::{nonce, timestamp_now};
use crate::problem::{Problem, ProblemReport};
use crate::protocol::ACCEPTABLE_TIMESTAMPS;
use crate::request::Request;
use crate::sign::{SignError, Signed, Signer};
use crate::signature::SignatureMethod;

/// The clock a client signs with: the system clock (or one given, for tests) plus a correction
/// learned from a provider that refused a timestamp, never larger than a bound (one hour unless
/// [`max_correction`](Self::max_correction) says otherwise).
///
/// Clones share the correction: an adapter's middleware and its clones learn it once, and every
/// later request of that client is signed with it.
///
/// ```
/// use oauth1_core::client::{Clock, Skew};
/// use oauth1_core::server::Problem;
///
/// // A clock 10 minutes fast, as a test makes one.
/// let clock = Clock::from_fn(|| 1_700_000_600);
/// assert_eq!(clock.now(), 1_700_000_600);
///
/// // The provider's refusal: 401, oauth_problem=timestamp_refused and its window.
/// let body = Problem::TimestampRefused
///     .response_body(&[("oauth_acceptable_timestamps", "1699999700-1700000300")]);
/// assert!(clock.reads(401, Some(body.len() as u64)));
/// assert_eq!(clock.read_answer(401, None, body.as_bytes()), Skew::Corrected { offset: -600 });
/// assert_eq!(clock.now(), 1_700_000_000);
/// ```
#[derive(Clone)]
pub struct Clock {
    /// The uncorrected time; `None` for the system clock ([`timestamp_now`]).
    time: Option<Arc<dyn Fn() -> u64 + Send + Sync>>,
    /// The correction in seconds, shared by clones.
    offset: Arc<AtomicI64>,
    /// The largest correction applied, in seconds either way.
    max_correction: u64,
    /// Whether answers are read at all (the adapters' opt-out turns it off).
    corrects: bool,
}

impl Clock {
    /// The bound of a correction unless [`max_correction`](Self::max_correction) says otherwise:
    /// one hour. A clock further off than that is broken, not skewed, and signing with a
    /// provider's clock would hide it.
    pub const DEFAULT_MAX_CORRECTION: u64 = 3600;

    /// The system clock, uncorrected until a provider refuses a timestamp.
    pub fn system() -> Clock {
        Clock {
            time: None,
            offset: Arc::new(AtomicI64::new(0)),
            max_correction: Self::DEFAULT_MAX_CORRECTION,
            corrects: true,
        }
    }

    /// A clock that reads `time` (seconds since the Unix epoch) instead of the system clock: a
    /// test's clock set minutes off, or a time source of the application's own.
    ///
    /// ```
    /// use oauth1_core::client::{Clock, timestamp_now};
    ///
    /// let fast = Clock::from_fn(|| timestamp_now() + 600);
    /// assert!(fast.now() >= timestamp_now() + 600);
    /// ```
    pub fn from_fn(time: impl Fn() -> u64 + Send + Sync + 'static) -> Clock {
        Clock {
            time: Some(Arc::new(time)),
            ..Clock::system()
        }
    }

    /// The largest correction applied, in seconds either way (default
    /// [`DEFAULT_MAX_CORRECTION`](Self::DEFAULT_MAX_CORRECTION)). A refusal that needs more is
    /// [`Skew::TooFar`]: not applied, the answer delivered as it is.
    #[must_use]
    pub fn max_correction(mut self, seconds: u64) -> Clock {
        self.max_correction = seconds;
        self
    }

    /// Never corrects: [`reads`](Self::reads) is always false and [`read_answer`](Self::read_answer)
    /// always [`Skew::Unchanged`], so a refused timestamp reaches the caller as the provider sent it.
    #[must_use]
    pub fn without_correction(mut self) -> Clock {
        self.corrects = false;
        self
    }

    /// Whether this clock corrects itself from answers (unless
    /// [`without_correction`](Self::without_correction)): an adapter keeps what it needs to sign
    /// a request again only then.
    pub fn corrects(&self) -> bool {
        self.corrects
    }

    /// The time to sign with: the uncorrected time plus the correction (0 rather than below).
    pub fn now(&self) -> u64 {
        let correction = self.correction();
        self.uncorrected()
            .checked_add_signed(correction)
            .unwrap_or(if correction < 0 { 0 } else { u64::MAX })
    }

    /// The correction in effect, in seconds (0 until a provider refused a timestamp).
    pub fn correction(&self) -> i64 {
        self.offset.load(Ordering::Relaxed)
    }

    /// [`Signer::sign_now`] on this clock: a fresh nonce and [`now`](Self::now).
    pub fn sign_now<M: SignatureMethod>(
        &self,
        signer: &Signer<M>,
        request: &Request<'_>,
    ) -> Result<Signed, SignError> {
        signer.sign(request, &nonce()?, self.now())
    }

    /// [`http::sign_now`](crate::http::sign_now) on this clock: the adapters' one client-side step
    /// (nonce, clock, signature, result written into `parts`), at [`now`](Self::now).
    #[cfg(feature = "http")]
    pub fn sign_parts<M: SignatureMethod>(
        &self,
        signer: &Signer<M>,
        parts: &mut ::http::request::Parts,
        body: &[u8],
    ) -> Result<(Signed, Option<alloc::string::String>), SignError> {
        crate::http::sign_parts_at(signer, parts, body, self.now())
    }

    /// Whether an answer with this status and declared body length may be a refused timestamp
    /// worth reading: a 401 (`timestamp_refused` is one), of a declared length of at most
    /// [`MAX_TOKEN_RESPONSE`](crate::client::MAX_TOKEN_RESPONSE), by a clock that corrects. An
    /// adapter reads the body of such an answer (and hands it on unchanged when
    /// [`read_answer`](Self::read_answer) says nothing changed); it streams any other.
    pub fn reads(&self, status: u16, length: Option<u64>) -> bool {
        self.corrects
            && status == 401
            && length.is_some_and(|n| n <= crate::flow::MAX_TOKEN_RESPONSE as u64)
    }

    /// Reads a provider's answer: a 401 whose body reports `timestamp_refused` sets the
    /// correction so that [`now`](Self::now) is the middle of the `oauth_acceptable_timestamps`
    /// window it sends, or else its `Date` (the HTTP header's value, given as `date`), unless that
    /// takes more than the bound. Anything else changes nothing.
    pub fn read_answer(&self, status: u16, date: Option<&str>, body: &[u8]) -> Skew {
        if !self.reads(status, Some(body.len() as u64)) {
            return Skew::Unchanged;
        }
        let Some(report) = ProblemReport::parse(body) else {
            return Skew::Unchanged;
        };
        if report.kind() != Some(Problem::TimestampRefused) {
            return Skew::Unchanged;
        }
        let window = report
            .get(ACCEPTABLE_TIMESTAMPS)
            .and_then(acceptable_middle);
        let Some(theirs) = window.or_else(|| date.and_then(http_date)) else {
            return Skew::Unchanged;
        };
        let ours = self.uncorrected();
        let offset = match theirs.checked_sub(ours) {
            Some(ahead) => i64::try_from(ahead).unwrap_or(i64::MAX),
            None => i64::try_from(ours - theirs).map_or(i64::MIN, |behind| -behind),
        };
        if offset.unsigned_abs() > self.max_correction {
            return Skew::TooFar { offset };
        }
        // Stored even when another request stored it first: this one was signed before, and its
        // retry is signed with it.
        self.offset.store(offset, Ordering::Relaxed);
        Skew::Corrected { offset }
    }
}

impl Clock {
    /// The time before correction: the given source's, or the system clock's.
    fn uncorrected(&self) -> u64 {
        self.time.as_ref().map_or_else(timestamp_now, |time| time())
    }
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Clock")
            .field("system", &self.time.is_none())
            .field("correction", &self.correction())
            .field("max_correction", &self.max_correction)
            .field("corrects", &self.corrects)
            .finish()
    }
}

/// What a provider's answer did to a [`Clock`] ([`Clock::read_answer`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Skew {
    /// Not a refused timestamp, a refusal that says neither the provider's window nor its time,
    /// or a clock that does not correct: hand the answer on as it is.
    Unchanged,
    /// The provider refused the timestamp; the clock is now corrected by `offset` seconds (for
    /// every later request too): sign the request again and send it once more.
    Corrected {
        /// The correction now in effect, in seconds (positive: the clock was slow).
        offset: i64,
    },
    /// The provider refused the timestamp, and its time is `offset` seconds from this clock's:
    /// more than [`Clock::max_correction`] allows, so nothing changed. Hand the answer on.
    TooFar {
        /// The correction that would have been needed, in seconds.
        offset: i64,
    },
}

impl Skew {
    /// Whether to sign again and send once more: `Ok(true)` for [`Skew::Corrected`] when the
    /// request can be sent again (`resendable`: no body, or one held in memory), `Ok(false)` when
    /// the answer goes to the caller, and [`NotResent`] for a correction whose request had a body
    /// that was streamed (sent once, it is gone): the clock stays corrected for the next requests.
    pub fn resend(self, resendable: bool) -> Result<bool, NotResent> {
        match self {
            Skew::Corrected { .. } if resendable => Ok(true),
            Skew::Corrected { offset } => Err(NotResent { offset }),
            Skew::Unchanged | Skew::TooFar { .. } => Ok(false),
        }
    }
}

/// The provider refused a request's timestamp and the clock was corrected, but the request was
/// not sent again: its body was a stream, sent once and gone. The next requests are signed with
/// the corrected clock; send this one again to have it go through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotResent {
    offset: i64,
}

impl NotResent {
    /// The correction now in effect, in seconds.
    pub fn offset(&self) -> i64 {
        self.offset
    }
}

impl fmt::Display for NotResent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the provider refused the timestamp (timestamp_refused); the clock is corrected by \
             {:+} s for the next requests, but this request's body is a stream and was not sent again",
            self.offset
        )
    }
}

impl core::error::Error for NotResent {}

/// The middle of an `oauth_acceptable_timestamps` value, `earliest-latest` (Problem Reporting
/// extension): the provider's time, as far from either edge as can be.
fn acceptable_middle(value: &str) -> Option<u64> {
    let (earliest, latest) = value.split_once('-')?;
    let (earliest, latest) = (decimal(earliest)?, decimal(latest)?);
    (earliest <= latest).then(|| earliest + (latest - earliest) / 2)
}

/// An HTTP date (RFC 9110 §5.6.7) as seconds since the Unix epoch. Recipients take all three
/// forms: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime's (`Sun Nov  6 08:49:37 1994`).
fn http_date(value: &str) -> Option<u64> {
    let mut tokens = value
        .split([' ', ',', '-'])
        .filter(|token| !token.is_empty());
    tokens.next()?; // the day of the week, which the date says again
    let mut fields: [&str; 5] = core::array::from_fn(|_| tokens.next().unwrap_or(""));
    if month(fields[0]).is_some() && fields[4].is_empty() {
        // asctime: month day time year
        fields = [fields[1], fields[0], fields[3], fields[2], "GMT"];
    }
    let [day, name, year, time, zone] = fields;
    if zone != "GMT" || tokens.next().is_some() {
        return None;
    }
    let year = match (year.len(), decimal(year)?) {
        // RFC 850's two digits: §5.6.7 reads a year more than 50 years ahead as past.
        (2, yy) if yy >= 70 => 1900 + yy,
        (2, yy) => 2000 + yy,
        (4, yyyy) => yyyy,
        _ => return None,
    };
    let mut hms = time.split(':').map(decimal);
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    let (day, month) = (decimal(day)?, month(name)?);
    if hms.next().is_some() || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day)?;
    Some(days * 86_400 + h * 3600 + m * 60 + s)
}

/// A month's number (1–12) from its three-letter name, as HTTP dates write it.
fn month(name: &str) -> Option<u64> {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let index = NAMES.iter().position(|n| *n == name)?;
    u64::try_from(index + 1).ok()
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`), for years from 1970.
fn days_from_civil(year: u64, month: u64, day: u64) -> Option<u64> {
    let y = if month <= 2 {
        year.checked_sub(1)?
    } else {
        year
    };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).checked_sub(719_468)
}

/// A decimal number of ASCII digits only (no sign, no space), at most 19 of them.
fn decimal(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 19 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::{String, ToString};

    const NOW: u64 = 1_700_000_000;

    fn refusal(window: Option<(u64, u64)>) -> String {
        let range = window.map(|(a, b)| format!("{a}-{b}"));
        let fields: &[(&str, &str)] = match &range {
            Some(range) => &[(ACCEPTABLE_TIMESTAMPS, range.as_str())],
            None => &[],
        };
        Problem::TimestampRefused.response_body(fields)
    }

    #[test]
    fn a_refusal_with_the_window_corrects_to_its_middle_and_clones_share_it() {
        for skew in [600i64, -600] {
            let clock = Clock::from_fn(move || NOW.saturating_add_signed(skew));
            let shared = clock.clone();
            let body = refusal(Some((NOW - 300, NOW + 300)));
            assert_eq!(
                clock.read_answer(401, None, body.as_bytes()),
                Skew::Corrected { offset: -skew }
            );
            assert_eq!((shared.now(), shared.correction()), (NOW, -skew));
        }
    }

    #[test]
    fn without_the_window_the_date_header_tells() {
        let clock = Clock::from_fn(|| NOW + 600);
        // 2023-11-14T22:13:20Z is NOW.
        let date = "Tue, 14 Nov 2023 22:13:20 GMT";
        assert_eq!(http_date(date), Some(NOW));
        let body = refusal(None);
        assert_eq!(
            clock.read_answer(401, Some(date), body.as_bytes()),
            Skew::Corrected { offset: -600 }
        );
        // Nothing to go by: nothing changes.
        let clock = Clock::from_fn(|| NOW + 600);
        assert_eq!(
            clock.read_answer(401, None, body.as_bytes()),
            Skew::Unchanged
        );
        assert_eq!(
            clock.read_answer(401, Some("yesterday"), body.as_bytes()),
            Skew::Unchanged
        );
        assert_eq!(clock.now(), NOW + 600);
    }

    #[test]
    fn beyond_the_bound_nothing_is_applied() {
        let clock = Clock::from_fn(|| NOW + 7200);
        let body = refusal(Some((NOW - 300, NOW + 300)));
        assert_eq!(
            clock.read_answer(401, None, body.as_bytes()),
            Skew::TooFar { offset: -7200 }
        );
        assert_eq!(clock.correction(), 0);
        let clock = Clock::from_fn(|| NOW + 600).max_correction(599);
        assert_eq!(
            clock.read_answer(401, None, body.as_bytes()),
            Skew::TooFar { offset: -600 }
        );
        assert_eq!(clock.now(), NOW + 600);
        assert_eq!(Skew::TooFar { offset: -600 }.resend(true), Ok(false));
    }

    #[test]
    fn only_a_401_timestamp_refused_counts_and_the_opt_out_reads_nothing() {
        let clock = Clock::from_fn(|| NOW + 600);
        let body = refusal(Some((NOW - 300, NOW + 300)));
        for status in [400, 403, 200] {
            assert!(!clock.reads(status, Some(10)));
            assert_eq!(
                clock.read_answer(status, None, body.as_bytes()),
                Skew::Unchanged
            );
        }
        let other = Problem::SignatureInvalid.response_body(&[]);
        assert_eq!(
            clock.read_answer(401, None, other.as_bytes()),
            Skew::Unchanged
        );
        assert!(!clock.reads(401, None), "a body of unknown length streams");
        assert!(!clock.reads(401, Some(64 * 1024 + 1)));
        let off = clock.clone().without_correction();
        assert!(!off.reads(401, Some(10)));
        assert_eq!(off.read_answer(401, None, body.as_bytes()), Skew::Unchanged);
        assert_eq!(clock.correction(), 0);
    }

    #[test]
    fn a_stream_is_not_sent_again() {
        let skew = Skew::Corrected { offset: 600 };
        assert_eq!(skew.resend(true), Ok(true));
        let e = skew.resend(false).unwrap_err();
        assert_eq!(e.offset(), 600);
        assert!(e.to_string().contains("corrected by +600 s"), "{e}");
        assert_eq!(Skew::Unchanged.resend(false), Ok(false));
    }

    #[test]
    fn http_dates_in_all_three_forms() {
        let expected = Some(784_111_777); // 1994-11-06T08:49:37Z (RFC 9110's example)
        assert_eq!(http_date("Sun, 06 Nov 1994 08:49:37 GMT"), expected);
        assert_eq!(http_date("Sunday, 06-Nov-94 08:49:37 GMT"), expected);
        assert_eq!(http_date("Sun Nov  6 08:49:37 1994"), expected);
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            http_date("Thu, 29 Feb 2024 12:00:00 GMT"),
            Some(1_709_208_000)
        );
        for bad in [
            "",
            "Sun, 06 Nov 1994 08:49:37 CET",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:49:37:00 GMT",
            "Sun, +6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT now",
            "Wed, 31 Dec 1969 23:59:59 GMT",
        ] {
            assert_eq!(http_date(bad), None, "{bad:?}");
        }
    }

    // Issue 33 (cargo mutants): each edge of the date's fields, RFC 850's two-digit years on both
    // sides of the pivot, and an asctime date with a zone (asctime has none).
    #[test]
    fn http_dates_at_the_edges_of_their_fields() {
        // 2026-12-07T23:59:60Z reads as the next second, 2026-12-08T00:00:00Z.
        assert_eq!(
            http_date("Mon, 07 Dec 2026 23:59:60 GMT"),
            Some(1_796_688_000)
        );
        assert_eq!(
            http_date("Mon, 07 Dec 2026 23:00:00 GMT"),
            Some(1_796_684_400)
        );
        assert_eq!(
            http_date("Mon, 07 Dec 2026 12:59:59 GMT"),
            Some(1_796_648_399)
        );
        // Two digits under 70 are this century's; 70 and over, the last one's.
        assert_eq!(
            http_date("Monday, 07-Dec-26 00:00:00 GMT"),
            Some(1_796_601_600)
        );
        assert_eq!(http_date("Thursday, 01-Jan-70 00:00:00 GMT"), Some(0));
        assert_eq!(
            http_date("Tuesday, 31-Dec-69 00:00:00 GMT"),
            Some(3_155_673_600)
        );
        for bad in [
            "Mon, 07 Dec 2026 12:60:00 GMT",
            "Mon, 07 Dec 2026 12:00:61 GMT",
            "Sun Nov  6 08:49:37 1994 GMT",
        ] {
            assert_eq!(http_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_correction_of_exactly_the_bound_is_applied() {
        let clock = Clock::from_fn(|| NOW + 600).max_correction(600);
        let body = refusal(Some((NOW - 300, NOW + 300)));
        assert_eq!(
            clock.read_answer(401, None, body.as_bytes()),
            Skew::Corrected { offset: -600 }
        );
    }

    #[test]
    fn a_corrected_time_below_zero_reads_zero() {
        use core::sync::atomic::AtomicU64;
        let time = Arc::new(AtomicU64::new(1000));
        let source = Arc::clone(&time);
        let clock = Clock::from_fn(move || source.load(Ordering::Relaxed)).max_correction(u64::MAX);
        let body = refusal(Some((0, 0)));
        assert_eq!(
            clock.read_answer(401, None, body.as_bytes()),
            Skew::Corrected { offset: -1000 }
        );
        assert_eq!(clock.now(), 0);
        // The source goes back in time: the corrected time would be negative.
        time.store(400, Ordering::Relaxed);
        assert_eq!(clock.now(), 0);
    }

    #[test]
    fn whether_a_clock_corrects_and_what_debug_shows() {
        let clock = Clock::from_fn(|| NOW);
        assert!(clock.corrects() && Clock::system().corrects());
        assert!(!clock.clone().without_correction().corrects());
        assert_eq!(
            format!("{clock:?}"),
            "Clock { system: false, correction: 0, max_correction: 3600, corrects: true }"
        );
        assert_eq!(
            format!("{:?}", Clock::default().without_correction()),
            "Clock { system: true, correction: 0, max_correction: 3600, corrects: false }"
        );
    }

    #[test]
    fn acceptable_timestamps_are_two_decimals_in_order() {
        assert_eq!(acceptable_middle("100-200"), Some(150));
        assert_eq!(acceptable_middle("100-100"), Some(100));
        // 19 digits at most (issue 33: the length check's edges).
        assert_eq!(
            acceptable_middle("1000000000000000000-1000000000000000000"),
            Some(1_000_000_000_000_000_000)
        );
        for bad in [
            "200-100",
            "100",
            "-100",
            "a-b",
            "1-2-3",
            "+1-2",
            "00000000000000000001-2",
            "1-000000000000000000002",
            "-",
        ] {
            assert_eq!(acceptable_middle(bad), None, "{bad:?}");
        }
    }
}
