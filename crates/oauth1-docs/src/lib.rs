//! Every page in `docs/` is included here as documentation, so `cargo test --workspace` compiles
//! and runs each of its Rust code samples: the guides cannot drift from the API.

#![deny(missing_docs)]

macro_rules! pages {
    ($($name:ident => $path:literal),* $(,)?) => {
        $(
            #[cfg(doctest)]
            #[doc = include_str!(concat!("../../../docs/", $path))]
            struct $name;
        )*
    };
}

pages! {
    GettingStarted => "getting-started.md",
    Concepts => "concepts.md",
    Providers => "providers.md",
    Troubleshooting => "troubleshooting.md",
    Migrating => "migrating.md",
    Architecture => "architecture.md",
    Verifying => "verifying.md",
    Security => "security.md",
    Crypto => "crypto.md",
    Cli => "cli.md",
    SignInWebApp => "sign-in-web-app.md",
    Performance => "performance.md",
    Edge => "edge.md",
}
