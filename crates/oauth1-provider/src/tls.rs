//! HTTPS for the provider (feature `tls`): rustls with its ring provider, and a certificate either
//! generated at start (a fresh CA and a `127.0.0.1`/`localhost` server certificate signed by it) or
//! passed by the caller.

use std::fmt;
use std::io;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

/// Where the provider's certificate comes from.
#[derive(Clone)]
pub(crate) enum TlsSource {
    /// A CA and a server certificate, made at start.
    Generated,
    /// The caller's certificate chain and private key, both PEM.
    Given { chain: String, key: String },
}

impl fmt::Debug for TlsSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsSource::Generated => f.write_str("Generated"),
            TlsSource::Given { .. } => f
                .debug_struct("Given")
                .field("chain", &"<pem>")
                .field("key", &"<hidden>")
                .finish(),
        }
    }
}

/// Why the provider could not set up HTTPS. [`Provider::start`](crate::Provider::start) returns it
/// inside an [`io::Error`] of kind [`InvalidInput`](io::ErrorKind::InvalidInput) (reach it with
/// [`io::Error::get_ref`] and `downcast_ref`).
#[derive(Debug)]
#[non_exhaustive]
pub enum TlsError {
    /// Generating the CA or the server certificate failed.
    Generate(Box<dyn std::error::Error + Send + Sync>),
    /// The certificate chain PEM holds no certificate, or one that cannot be read.
    Certificate,
    /// The private key PEM holds no private key, or one that cannot be read.
    PrivateKey,
    /// rustls refused the certificate and key (for instance, the key does not match the
    /// certificate, or its algorithm is not supported).
    Rejected(Box<dyn std::error::Error + Send + Sync>),
}

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsError::Generate(e) => write!(f, "cannot generate the TLS certificate: {e}"),
            TlsError::Certificate => {
                f.write_str("the TLS certificate chain holds no readable PEM certificate")
            }
            TlsError::PrivateKey => {
                f.write_str("the TLS private key holds no readable PEM private key")
            }
            TlsError::Rejected(e) => write!(f, "the TLS certificate and key were refused: {e}"),
        }
    }
}

impl std::error::Error for TlsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TlsError::Generate(e) | TlsError::Rejected(e) => Some(&**e),
            TlsError::Certificate | TlsError::PrivateKey => None,
        }
    }
}

impl From<TlsError> for io::Error {
    fn from(e: TlsError) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidInput, e)
    }
}

/// A ready TLS server side: the acceptor, and the generated CA's certificate when there is one.
pub(crate) struct Tls {
    pub(crate) acceptor: TlsAcceptor,
    pub(crate) ca_pem: Option<String>,
}

impl Tls {
    pub(crate) fn new(source: &TlsSource) -> Result<Tls, TlsError> {
        let (chain, key, ca_pem) = match source {
            TlsSource::Generated => {
                let generated = generate()?;
                (generated.chain, generated.key, Some(generated.ca_pem))
            }
            TlsSource::Given { chain, key } => {
                let chain = CertificateDer::pem_slice_iter(chain.as_bytes())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| TlsError::Certificate)?;
                if chain.is_empty() {
                    return Err(TlsError::Certificate);
                }
                let key = PrivateKeyDer::from_pem_slice(key.as_bytes())
                    .map_err(|_| TlsError::PrivateKey)?;
                (chain, key, None)
            }
        };
        // ring, as every TLS piece of this workspace (deny.toml bans aws-lc-rs). rustls 0.23.48
        // deprecates ring's provider (no post-quantum key exchange) without a replacement before
        // 0.24's rustls-ring crate; the lockfile's rustls predates it, a fresh one warns.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Rejected(Box::new(e)))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| TlsError::Rejected(Box::new(e)))?;
        // The server speaks HTTP/1.1 only.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Tls {
            acceptor: TlsAcceptor::from(Arc::new(config)),
            ca_pem,
        })
    }
}

struct Generated {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    ca_pem: String,
}

/// A CA made for this run only (its key never leaves memory), and a server certificate for
/// `127.0.0.1` and `localhost` that it signs.
fn generate() -> Result<Generated, TlsError> {
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(generate_error)?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    // A name of its own per run: a client that still trusts an earlier run's CA then reads
    // "unknown issuer", not a signature mismatch under the same name.
    let run = oauth1_core::client::nonce().map_err(|e| TlsError::Generate(Box::new(e)))?;
    ca.distinguished_name
        .push(DnType::CommonName, format!("oauth1-provider test CA {run}"));
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_key = KeyPair::generate().map_err(generate_error)?;
    let ca = CertifiedIssuer::self_signed(ca, ca_key).map_err(generate_error)?;

    let mut server =
        CertificateParams::new(vec![String::from("127.0.0.1"), String::from("localhost")])
            .map_err(generate_error)?;
    server
        .distinguished_name
        .push(DnType::CommonName, "oauth1-provider on 127.0.0.1");
    server.use_authority_key_identifier_extension = true;
    server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server_key = KeyPair::generate().map_err(generate_error)?;
    let cert = server.signed_by(&server_key, &ca).map_err(generate_error)?;

    Ok(Generated {
        chain: vec![cert.der().clone(), ca.der().clone()],
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
        ca_pem: ca.pem(),
    })
}

fn generate_error(e: rcgen::Error) -> TlsError {
    TlsError::Generate(Box::new(e))
}
