//! The provider's memory: clients, and the temporary and token credentials it has issued.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use oauth1::{ClientKeys, CredentialStore};

/// Clients (fixed) and tokens (issued as the flow runs). Shared by every connection.
#[derive(Debug, Clone)]
pub(crate) struct Store {
    clients: Arc<Vec<(String, ClientKeys)>>,
    tokens: Arc<Mutex<HashMap<String, Token>>>,
}

/// One issued token.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) consumer_key: String,
    pub(crate) secret: String,
    pub(crate) kind: Kind,
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
    pub(crate) fn new(clients: Vec<(String, ClientKeys)>) -> Self {
        Store {
            clients: Arc::new(clients),
            tokens: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    pub(crate) fn insert(&self, token: String, record: Token) {
        self.lock().insert(token, record);
    }

    pub(crate) fn get(&self, token: &str) -> Option<Token> {
        self.lock().get(token).cloned()
    }

    pub(crate) fn remove(&self, token: &str) -> Option<Token> {
        self.lock().remove(token)
    }

    /// Approves a temporary token: sets its verifier; returns its callback.
    pub(crate) fn approve(&self, token: &str, verifier: &str) -> Option<String> {
        let mut tokens = self.lock();
        match tokens.get_mut(token).map(|t| &mut t.kind) {
            Some(Kind::Temporary {
                callback,
                verifier: slot,
            }) => {
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
