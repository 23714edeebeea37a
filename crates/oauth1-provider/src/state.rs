//! The provider's memory: clients, and the temporary and token credentials it has issued.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use oauth1_core::CredentialStore;
use oauth1_core::server::ClientKeys;

use crate::config::Limits;

/// Clients (fixed) and tokens (issued as the flow runs). Shared by every connection.
#[derive(Debug, Clone)]
pub(crate) struct Store {
    /// The clients, by consumer key.
    clients: Arc<BTreeMap<String, ClientKeys>>,
    tokens: Arc<Mutex<Tokens>>,
    bounds: TokenBounds,
}

/// How long tokens live and how many may live at once.
#[derive(Debug, Clone, Copy)]
struct TokenBounds {
    temporary_lifetime: Duration,
    access_lifetime: Duration,
    /// The most live tokens in all.
    max_tokens: usize,
    /// The most live tokens of one consumer key.
    max_per_client: usize,
}

/// One issued token.
#[derive(Clone)]
pub(crate) struct Token {
    pub(crate) consumer_key: String,
    pub(crate) secret: String,
    pub(crate) kind: Kind,
    /// When it stops being valid (set by [`Store::insert`] from the token's kind).
    pub(crate) expires: Instant,
    /// Issue order: the key of its entries in the indexes.
    serial: u64,
}

#[derive(Clone)]
pub(crate) enum Kind {
    /// §2.1 temporary credentials, approved once a verifier is set.
    Temporary {
        callback: String,
        verifier: Option<String>,
    },
    /// §2.3 token credentials.
    Access,
}

/// Without the token's secret: a `{:?}` of the store or a token never shows one.
impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("consumer_key", &self.consumer_key)
            .field("secret", &"<hidden>")
            .field("kind", &self.kind)
            .field("expires", &self.expires)
            .finish_non_exhaustive()
    }
}

/// Without the verifier, which is as good as the token credentials to whoever holds the
/// temporary ones.
impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Kind::Temporary { callback, verifier } => f
                .debug_struct("Temporary")
                .field("callback", callback)
                .field("verifier", &verifier.as_ref().map(|_| "<hidden>"))
                .finish(),
            Kind::Access => f.write_str("Access"),
        }
    }
}

/// The issued tokens, and two indexes over them kept in step by [`Tokens::add`] and
/// [`Tokens::take`]: by expiry (expired tokens are dropped from the front, never by a scan of the
/// table), and per client (its count, and its temporary tokens oldest first).
#[derive(Debug, Default)]
struct Tokens {
    by_name: HashMap<String, Token>,
    by_expiry: BTreeMap<(Instant, u64), String>,
    clients: HashMap<String, Holder>,
    next_serial: u64,
}

/// What one consumer key holds.
#[derive(Debug, Default)]
struct Holder {
    live: usize,
    /// Its temporary tokens by issue order: the first is the oldest.
    temporary: BTreeMap<u64, String>,
}

impl Store {
    /// The clients, and no token yet; token lifetimes and quotas from `limits`.
    pub(crate) fn new(clients: BTreeMap<String, ClientKeys>, limits: &Limits) -> Self {
        Store {
            clients: Arc::new(clients),
            tokens: Arc::new(Mutex::new(Tokens::default())),
            bounds: TokenBounds {
                temporary_lifetime: limits.temporary_token_lifetime,
                access_lifetime: limits.access_token_lifetime,
                max_tokens: limits.max_tokens,
                max_per_client: limits.max_tokens_per_client,
            },
        }
    }

    /// Issues a token: its expiry follows from its kind. Room is made first from expired tokens,
    /// then by dropping temporary tokens, oldest first: the client's own when it holds its quota
    /// (`max_per_client`), and, when the table is full (`max_tokens`), those of the client that
    /// holds the most, so that one client filling the table pays for it and no other does.
    /// Returns `false` (and issues nothing) when no room can be made that way: token credentials
    /// are never dropped to make room.
    pub(crate) fn insert(
        &self,
        token: String,
        consumer_key: String,
        secret: String,
        kind: Kind,
    ) -> bool {
        let now = Instant::now();
        let lifetime = match kind {
            Kind::Temporary { .. } => self.bounds.temporary_lifetime,
            Kind::Access => self.bounds.access_lifetime,
        };
        let TokenBounds {
            max_tokens,
            max_per_client: per_client,
            ..
        } = self.bounds;
        let mut tokens = self.lock();
        tokens.forget_expired(now);
        // A name issued twice (a pre-issued token given twice) replaces the first.
        tokens.take(&token);
        while tokens.holding(&consumer_key) >= per_client {
            if !tokens.drop_oldest_temporary(&consumer_key) {
                return false;
            }
        }
        while tokens.by_name.len() >= max_tokens {
            let Some(largest) = tokens.largest_holder_of_temporary(&consumer_key) else {
                return false;
            };
            tokens.drop_oldest_temporary(&largest);
        }
        let expires = now.checked_add(lifetime).unwrap_or(now);
        tokens.add(
            token,
            Token {
                consumer_key,
                secret,
                kind,
                expires,
                serial: 0,
            },
        );
        true
    }

    /// A live token; an expired one is forgotten and answered as unknown.
    pub(crate) fn get(&self, token: &str) -> Option<Token> {
        let mut tokens = self.lock();
        match tokens.by_name.get(token) {
            Some(t) if t.expires > Instant::now() => Some(t.clone()),
            Some(_) => {
                tokens.take(token);
                None
            }
            None => None,
        }
    }

    pub(crate) fn remove(&self, token: &str) -> Option<Token> {
        self.lock().take(token)
    }

    /// Approves a live temporary token once: sets its verifier; returns its callback. A token
    /// already approved keeps its verifier (a second approval would replace the one the first
    /// redirect carried), and `None` is returned.
    pub(crate) fn approve(&self, token: &str, verifier: &str) -> Option<String> {
        let mut tokens = self.lock();
        let now = Instant::now();
        match tokens.by_name.get_mut(token) {
            Some(Token {
                kind:
                    Kind::Temporary {
                        callback,
                        verifier: slot @ None,
                    },
                expires,
                ..
            }) if *expires > now => {
                *slot = Some(verifier.to_string());
                Some(callback.clone())
            }
            _ => None,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Tokens> {
        // Each operation leaves the table and its indexes in step before it can panic (it does
        // not: no operation unwraps), so a poisoned lock is still usable.
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Tokens {
    /// Adds a token whose name is not in the table, under the next serial number.
    fn add(&mut self, name: String, mut token: Token) {
        let serial = self.next_serial;
        self.next_serial += 1;
        token.serial = serial;
        self.by_expiry.insert((token.expires, serial), name.clone());
        let holder = self.clients.entry(token.consumer_key.clone()).or_default();
        holder.live += 1;
        if let Kind::Temporary { .. } = token.kind {
            holder.temporary.insert(serial, name.clone());
        }
        self.by_name.insert(name, token);
    }

    /// Removes a token and its index entries.
    fn take(&mut self, name: &str) -> Option<Token> {
        let token = self.by_name.remove(name)?;
        self.by_expiry.remove(&(token.expires, token.serial));
        if let Some(holder) = self.clients.get_mut(&token.consumer_key) {
            holder.live = holder.live.saturating_sub(1);
            holder.temporary.remove(&token.serial);
            if holder.live == 0 {
                self.clients.remove(&token.consumer_key);
            }
        }
        Some(token)
    }

    /// Drops every token that expired by `now`, from the front of the expiry index.
    fn forget_expired(&mut self, now: Instant) {
        while let Some(((expires, _), name)) = self.by_expiry.first_key_value() {
            if *expires > now {
                break;
            }
            let name = name.clone();
            if self.take(&name).is_none() {
                // An index entry without its token cannot happen (`take` removes both); drop it
                // anyway rather than loop on it.
                self.by_expiry.pop_first();
            }
        }
    }

    fn holding(&self, consumer_key: &str) -> usize {
        self.clients.get(consumer_key).map_or(0, |h| h.live)
    }

    /// Drops the oldest temporary token of `consumer_key`; `false` if it holds none.
    fn drop_oldest_temporary(&mut self, consumer_key: &str) -> bool {
        let oldest = self
            .clients
            .get(consumer_key)
            .and_then(|h| h.temporary.first_key_value())
            .map(|(_, name)| name.clone());
        match oldest {
            Some(name) => self.take(&name).is_some(),
            None => false,
        }
    }

    /// The client holding the most tokens among those holding a temporary token; on a tie,
    /// `asking` (the client that wants room pays for it first). Clients are the configured ones,
    /// a short list, so a walk over them is cheap.
    fn largest_holder_of_temporary(&self, asking: &str) -> Option<String> {
        self.clients
            .iter()
            .filter(|(_, h)| !h.temporary.is_empty())
            .max_by_key(|(key, h)| (h.live, key.as_str() == asking))
            .map(|(key, _)| key.clone())
    }
}

impl CredentialStore for Store {
    fn client(&self, consumer_key: &str) -> Option<ClientKeys> {
        self.clients.get(consumer_key).cloned()
    }

    fn token_secret(&self, consumer_key: &str, token: &str) -> Option<String> {
        self.get(token)
            .filter(|t| t.consumer_key == consumer_key)
            .map(|t| t.secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(lifetime: Duration, max_tokens: usize, per_client: usize) -> Limits {
        Limits {
            temporary_token_lifetime: lifetime,
            access_token_lifetime: lifetime,
            max_tokens,
            max_tokens_per_client: per_client,
            ..Limits::default()
        }
    }

    fn store(max_tokens: usize, per_client: usize) -> Store {
        let hour = Duration::from_secs(3600);
        Store::new(BTreeMap::new(), &limits(hour, max_tokens, per_client))
    }

    fn temporary() -> Kind {
        Kind::Temporary {
            callback: String::from("oob"),
            verifier: None,
        }
    }

    fn issue(store: &Store, name: &str, client: &str, kind: Kind) -> bool {
        store.insert(name.into(), client.into(), String::from("s"), kind)
    }

    /// Neither a token's secret nor its verifier shows in `{:?}` of the store.
    #[test]
    fn debug_hides_secrets_and_verifiers() {
        let store = store(10, 10);
        assert!(store.insert(
            "t".into(),
            "c".into(),
            String::from("token-secret-1"),
            temporary()
        ));
        store.approve("t", "verifier-2");
        let shown = format!("{store:?}");
        assert!(shown.contains("<hidden>"), "{shown}");
        assert!(!shown.contains("token-secret-1"), "{shown}");
        assert!(!shown.contains("verifier-2"), "{shown}");
        // The kind still says what it can: an approved temporary token, its callback.
        assert!(
            shown.contains(r#"kind: Temporary { callback: "oob", verifier: Some("<hidden>") }"#),
            "{shown}"
        );
    }

    /// G4: a refused insert scanned the whole table under the lock every request takes.
    #[test]
    fn a_full_table_refuses_without_scanning_it() {
        let store = store(100_000, 100_000);
        for i in 0..100_000 {
            assert!(issue(&store, &format!("a{i}"), "c", Kind::Access));
        }
        let started = Instant::now();
        for i in 0..2_000 {
            assert!(!issue(&store, &format!("b{i}"), "c", Kind::Access));
        }
        // 2 000 scans of 100 000 entries took seconds; 2 000 index look-ups take milliseconds.
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn the_largest_holder_makes_room_and_access_tokens_stay() {
        let store = store(4, 10);
        assert!(issue(&store, "small-access", "small", Kind::Access));
        for i in 0..3 {
            assert!(issue(&store, &format!("big{i}"), "big", temporary()));
        }
        // Full: the big client's oldest temporary token goes, whoever asks.
        assert!(issue(&store, "small-temporary", "small", temporary()));
        assert!(store.get("big0").is_none() && store.get("big1").is_some());
        // Two each: on a tie, the client asking gives up its own.
        assert!(issue(&store, "big3", "big", temporary()));
        assert!(store.get("big1").is_none());
        assert!(store.get("small-access").is_some() && store.get("small-temporary").is_some());
        // Only token credentials left to drop: refused.
        let store = self::store(2, 10);
        assert!(issue(&store, "a", "c", Kind::Access) && issue(&store, "b", "d", Kind::Access));
        assert!(!issue(&store, "t", "c", temporary()));
        assert!(store.get("a").is_some() && store.get("b").is_some());
    }

    #[test]
    fn expired_tokens_leave_every_index() {
        let short = Duration::from_millis(50);
        let store = Store::new(BTreeMap::new(), &limits(short, 2, 2));
        assert!(issue(&store, "a", "c", temporary()) && issue(&store, "b", "c", Kind::Access));
        std::thread::sleep(Duration::from_millis(100));
        assert!(issue(&store, "d", "c", Kind::Access) && issue(&store, "e", "c", Kind::Access));
        let tokens = store.lock();
        assert_eq!(tokens.by_name.len(), 2);
        assert_eq!(tokens.by_expiry.len(), 2);
        assert_eq!(tokens.holding("c"), 2);
        assert!(
            tokens
                .clients
                .get("c")
                .is_some_and(|h| h.temporary.is_empty())
        );
    }
}
