//! The running provider: binding, the URLs of its endpoints, shutdown. Connections are
//! [`connection`](crate::connection)'s, routes [`routes`](crate::routes)'.

use std::io;
use std::net::SocketAddr;

use oauth1_core::client::Endpoints;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::ProviderConfig;
use crate::connection::{Tls, scheme, serve};
use crate::routes::{ACCESS_TOKEN, AUTHORIZE, App, ECHO, PUBLIC_ECHO, REQUEST_TOKEN};

/// A running provider. Dropping it shuts the server down.
#[derive(Debug)]
pub struct Provider {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// `http`, or `https` when serving TLS.
    scheme: &'static str,
    /// The generated CA's certificate (PEM), when the provider made its own.
    #[cfg(feature = "tls")]
    ca_pem: Option<String>,
}

impl Provider {
    /// Binds and starts serving on the current tokio runtime (multi-threaded or not).
    ///
    /// With TLS configured (feature `tls`), a certificate that cannot be generated or used fails
    /// here, with an error of kind [`InvalidInput`](io::ErrorKind::InvalidInput) holding a
    /// `TlsError`.
    pub async fn start(config: ProviderConfig) -> io::Result<Provider> {
        let tls = Tls::from_config(&config)?;
        let scheme = scheme(tls.as_ref());
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel();
        #[cfg(feature = "tls")]
        let ca_pem = tls.as_ref().and_then(|t| t.ca_pem.clone());
        tokio::spawn(serve(listener, App::new(config, scheme), tls, rx));
        Ok(Provider {
            addr,
            shutdown: Some(tx),
            thread: None,
            scheme,
            #[cfg(feature = "tls")]
            ca_pem,
        })
    }

    /// Binds and starts serving on a thread of its own, from plain synchronous code (ureq tests,
    /// the CLI). Returns once the port is bound.
    pub fn start_blocking(config: ProviderConfig) -> io::Result<Provider> {
        let tls = Tls::from_config(&config)?;
        let scheme = scheme(tls.as_ref());
        #[cfg(feature = "tls")]
        let ca_pem = tls.as_ref().and_then(|t| t.ca_pem.clone());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let std_listener = std::net::TcpListener::bind(config.addr)?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let (tx, rx) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name(String::from("oauth1-provider"))
            .spawn(move || {
                runtime.block_on(async move {
                    match TcpListener::from_std(std_listener) {
                        Ok(listener) => serve(listener, App::new(config, scheme), tls, rx).await,
                        Err(e) => eprintln!("oauth1-provider: cannot listen: {e}"),
                    }
                });
            })?;
        Ok(Provider {
            addr,
            shutdown: Some(tx),
            thread: Some(thread),
            scheme,
            #[cfg(feature = "tls")]
            ca_pem,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, `http://127.0.0.1:<port>` (`https://` when serving TLS).
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    /// The PEM certificate of the CA the provider generated at start
    /// ([`ProviderConfig::tls`]): what a client must trust to reach it. `None` without TLS and
    /// with a certificate of yours ([`ProviderConfig::tls_certificate`]).
    #[cfg(feature = "tls")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tls")))]
    pub fn ca_certificate_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The three endpoints of the flow.
    pub fn endpoints(&self) -> Endpoints {
        let url = self.url();
        Endpoints::new(
            format!("{url}{REQUEST_TOKEN}"),
            format!("{url}{AUTHORIZE}"),
            format!("{url}{ACCESS_TOKEN}"),
        )
    }

    /// The protected resource: `GET` or `POST` it signed, and it answers what it verified as JSON.
    pub fn echo_url(&self) -> String {
        format!("{}{ECHO}", self.url())
    }

    /// An unauthenticated twin of [`echo_url`](Self::echo_url): the same answer shape, no
    /// verification. For measuring what verification costs, and for comparing clients.
    pub fn public_echo_url(&self) -> String {
        format!("{}{PUBLIC_ECHO}", self.url())
    }

    /// Stops accepting connections and, for [`Provider::start_blocking`], waits for the server
    /// thread to end. Dropping the provider does the same.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        self.stop();
    }
}
