//! The provider's memory: clients, and the temporary and token credentials it has issued.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use oauth1_core::{ClientKeys, CredentialStore};

/// Clients (fixed) and tokens (issued as the flow runs). Shared by every connection.
#[derive(Debug, Clone)]
pub(crate) struct Store {
    clients: Arc<Vec<(String, ClientKeys)>>,
    tokens: Arc<Mutex<HashMap<String, Token>>>,
    lifetimes: (Duration, Duration),
    max_tokens: usize,
}

/// One issued token.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) consumer_key: String,
    pub(crate) secret: String,
    pub(crate) kind: Kind,
    /// When it stops being valid (set by [`Store::insert`] from the token's kind).
    pub(crate) expires: Instant,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// §2.1 temporary credentials, approved once a verifier is set.
    Temporary {
        callback: String,
        verifier: Option<String>,
    },
    /// §2.3 token credentials.
    Access,
}

impl Store {
    /// `lifetimes`: of temporary and of access tokens.
    pub(crate) fn new(
        clients: Vec<(String, ClientKeys)>,
        lifetimes: (Duration, Duration),
        max_tokens: usize,
    ) -> Self {
        Store {
            clients: Arc::new(clients),
            tokens: Arc::new(Mutex::new(HashMap::new())),
            lifetimes,
            max_tokens,
        }
    }

    /// Issues a token: its expiry follows from its kind. Returns `false` (and issues nothing)
    /// when the store holds `max_tokens` live tokens.
    pub(crate) fn insert(
        &self,
        token: String,
        consumer_key: String,
        secret: String,
        kind: Kind,
    ) -> bool {
        let now = Instant::now();
        let lifetime = match kind {
            Kind::Temporary { .. } => self.lifetimes.0,
            Kind::Access => self.lifetimes.1,
        };
        let mut tokens = self.lock();
        if tokens.len() >= self.max_tokens {
            tokens.retain(|_, t| t.expires > now);
            if tokens.len() >= self.max_tokens {
                return false;
            }
        }
        let expires = now.checked_add(lifetime).unwrap_or(now);
        tokens.insert(
            token,
            Token {
                consumer_key,
                secret,
                kind,
                expires,
            },
        );
        true
    }

    /// A live token; an expired one is forgotten and answered as unknown.
    pub(crate) fn get(&self, token: &str) -> Option<Token> {
        let mut tokens = self.lock();
        match tokens.get(token) {
            Some(t) if t.expires > Instant::now() => Some(t.clone()),
            Some(_) => {
                tokens.remove(token);
                None
            }
            None => None,
        }
    }

    pub(crate) fn remove(&self, token: &str) -> Option<Token> {
        self.lock().remove(token)
    }

    /// Approves a live temporary token once: sets its verifier; returns its callback. A token
    /// already approved keeps its verifier (a second approval would replace the one the first
    /// redirect carried), and `None` is returned.
    pub(crate) fn approve(&self, token: &str, verifier: &str) -> Option<String> {
        let mut tokens = self.lock();
        let now = Instant::now();
        match tokens.get_mut(token) {
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

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Token>> {
        // A panic while holding the lock cannot leave the map half-updated (each operation is one
        // call), so a poisoned lock is still usable.
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl CredentialStore for Store {
    fn client(&self, consumer_key: &str) -> Option<ClientKeys> {
        self.clients
            .iter()
            .find(|(k, _)| k == consumer_key)
            .map(|(_, keys)| keys.clone())
    }

    fn token_secret(&self, consumer_key: &str, token: &str) -> Option<String> {
        self.get(token)
            .filter(|t| t.consumer_key == consumer_key)
            .map(|t| t.secret)
    }
}
