//! Every key format loads (the fixtures and the commands that made them are in `tests/keys/`), and
//! bad inputs give typed errors, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::crypto::{KeyError, RsaPrivateKey, RsaPublicKey};

const PASSWORD: &[u8] = b"test password 20";

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/keys/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn text(name: &str) -> String {
    String::from_utf8(read(name)).unwrap()
}

/// What a build without `feature` answers instead of a key.
fn needs(feature: &'static str, enabled: bool) -> Option<KeyError> {
    (!enabled).then_some(KeyError::Unsupported { feature })
}

#[test]
fn unencrypted_private_keys_load_from_pem_and_der() {
    for name in ["rsa2048.pem", "rsa2048.pkcs1.pem"] {
        assert_eq!(
            RsaPrivateKey::from_pem(&text(name)).unwrap().bits(),
            2048,
            "{name}"
        );
    }
    for name in ["rsa2048.der", "rsa2048.pkcs8.der"] {
        assert_eq!(
            RsaPrivateKey::from_der(&read(name)).unwrap().bits(),
            2048,
            "{name}"
        );
    }
    for name in [
        "rsa2048.pem",
        "rsa2048.pkcs1.pem",
        "rsa2048.der",
        "rsa2048.pkcs8.der",
    ] {
        assert_eq!(
            RsaPrivateKey::decode(&read(name), None).unwrap().bits(),
            2048,
            "{name}"
        );
        // A password is ignored for keys that have none.
        assert_eq!(
            RsaPrivateKey::decode(&read(name), Some(b"x"))
                .unwrap()
                .bits(),
            2048
        );
    }
    assert_eq!(
        RsaPrivateKey::decode(&read("rsa1024.pem"), None)
            .unwrap()
            .bits(),
        1024
    );
}

#[test]
fn a_key_beside_a_certificate_in_one_pem_file_loads() {
    // What `openssl pkcs12 -nodes` writes: text, a certificate, then the key.
    let bundle = format!(
        "Bag Attributes\n    friendlyName: oauth1 test\n{}{}",
        text("rsa2048.crt.pem"),
        text("rsa2048.pem")
    );
    assert_eq!(RsaPrivateKey::from_pem(&bundle).unwrap().bits(), 2048);
    assert!(RsaPublicKey::from_pem(&bundle).is_ok());
}

#[test]
fn encrypted_pkcs8_keys_load_with_their_password() {
    let enabled = cfg!(feature = "encrypted-keys");
    for name in [
        "rsa2048.enc.pem",
        "rsa2048.enc.der",
        "rsa2048.enc-3des.pem",
        "rsa2048.enc-scrypt.pem",
    ] {
        let bytes = read(name);
        assert_eq!(
            RsaPrivateKey::decode(&bytes, None).unwrap_err(),
            KeyError::Encrypted,
            "{name}"
        );
        match needs("encrypted-keys", enabled) {
            Some(err) => assert_eq!(
                RsaPrivateKey::decode(&bytes, Some(PASSWORD)).unwrap_err(),
                err
            ),
            None => {
                assert_eq!(
                    RsaPrivateKey::decode(&bytes, Some(PASSWORD))
                        .unwrap()
                        .bits(),
                    2048
                );
                assert_eq!(
                    RsaPrivateKey::decode(&bytes, Some(b"wrong password")).unwrap_err(),
                    KeyError::WrongPassword,
                    "{name}"
                );
            }
        }
    }
    assert_eq!(
        RsaPrivateKey::from_pem(&text("rsa2048.enc.pem")).unwrap_err(),
        KeyError::Encrypted
    );
    assert_eq!(
        RsaPrivateKey::from_der(&read("rsa2048.enc.der")).unwrap_err(),
        KeyError::Encrypted
    );
    if enabled {
        assert_eq!(
            RsaPrivateKey::decode(&read("rsa2048.enc-pkcs12pbe.pem"), Some(PASSWORD)).unwrap_err(),
            KeyError::UnsupportedEncryption
        );
    }
    assert_eq!(
        RsaPrivateKey::decode(&read("rsa2048.legacy-enc.pem"), Some(PASSWORD)).unwrap_err(),
        KeyError::LegacyEncryptedPem
    );
}

#[test]
fn pkcs12_keystores_load_with_their_password() {
    let enabled = cfg!(feature = "pkcs12");
    for name in ["rsa2048.p12", "rsa2048.legacy.p12"] {
        let bytes = read(name);
        assert_eq!(
            RsaPrivateKey::decode(&bytes, None).unwrap_err(),
            KeyError::Encrypted,
            "{name}"
        );
        match needs("pkcs12", enabled) {
            Some(err) => assert_eq!(
                RsaPrivateKey::decode(&bytes, Some(PASSWORD)).unwrap_err(),
                err
            ),
            None => {
                assert_eq!(
                    RsaPrivateKey::decode(&bytes, Some(PASSWORD))
                        .unwrap()
                        .bits(),
                    2048
                );
                assert_eq!(
                    RsaPrivateKey::decode(&bytes, Some(b"wrong password")).unwrap_err(),
                    KeyError::WrongPassword,
                    "{name}"
                );
                assert_eq!(
                    RsaPrivateKey::decode(&bytes, Some(&[0xff, 0xfe])).unwrap_err(),
                    KeyError::WrongPassword
                );
            }
        }
    }
    if enabled {
        assert_eq!(
            RsaPrivateKey::decode(&read("certificate-only.p12"), Some(PASSWORD)).unwrap_err(),
            KeyError::NoPrivateKey
        );
    }
}

#[cfg(all(feature = "ring", feature = "pkcs12"))]
#[test]
fn every_private_format_is_the_same_key() {
    use oauth1_core::{ClientCredentials, Request, SignatureMethodName, Signer};
    let sign = |key: RsaPrivateKey| {
        let client = ClientCredentials::with_rsa_key("k", key);
        Signer::new(SignatureMethodName::RsaSha256, &client, None)
            .unwrap()
            .sign(&Request::new("GET", "https://h/"), "n", 1)
            .unwrap()
            .signature()
            .to_owned()
    };
    let expected = sign(RsaPrivateKey::from_pem(&text("rsa2048.pem")).unwrap());
    for name in [
        "rsa2048.pkcs1.pem",
        "rsa2048.der",
        "rsa2048.pkcs8.der",
        "rsa2048.enc.pem",
        "rsa2048.enc.der",
        "rsa2048.enc-3des.pem",
        "rsa2048.enc-scrypt.pem",
        "rsa2048.p12",
        "rsa2048.legacy.p12",
    ] {
        let key = RsaPrivateKey::decode(&read(name), Some(PASSWORD)).unwrap();
        assert_eq!(sign(key), expected, "{name}");
    }
}

#[test]
fn public_keys_load_from_keys_and_certificates() {
    let expected = RsaPublicKey::from_pem(&text("rsa2048.pub.pem")).unwrap();
    assert_eq!(expected.bits(), 2048);
    for name in ["rsa2048.pub.pkcs1.pem", "rsa2048.crt.pem"] {
        assert_eq!(
            RsaPublicKey::from_pem(&text(name)).unwrap(),
            expected,
            "{name}"
        );
    }
    for name in ["rsa2048.pub.der", "rsa2048.crt.der"] {
        assert_eq!(
            RsaPublicKey::from_der(&read(name)).unwrap(),
            expected,
            "{name}"
        );
    }
    for name in [
        "rsa2048.pub.pem",
        "rsa2048.pub.der",
        "rsa2048.pub.pkcs1.pem",
        "rsa2048.crt.pem",
        "rsa2048.crt.der",
    ] {
        assert_eq!(
            RsaPublicKey::decode(&read(name)).unwrap(),
            expected,
            "{name}"
        );
    }
}

#[test]
fn wrong_key_types_are_named() {
    assert_eq!(
        RsaPrivateKey::decode(&read("ec-p256.pem"), None).unwrap_err(),
        KeyError::NotRsa
    );
    assert_eq!(
        RsaPublicKey::decode(&read("ec-p256.crt.pem")).unwrap_err(),
        KeyError::NotRsa
    );
    // A private key where a public one is wanted, and the other way round.
    assert_eq!(
        RsaPublicKey::decode(&read("rsa2048.pem")).unwrap_err(),
        KeyError::UnexpectedPemLabel
    );
    assert_eq!(
        RsaPrivateKey::decode(&read("rsa2048.crt.pem"), None).unwrap_err(),
        KeyError::UnexpectedPemLabel
    );
    assert_eq!(
        RsaPrivateKey::decode(&read("rsa2048.pub.der"), None).unwrap_err(),
        KeyError::InvalidDer
    );
}

#[test]
fn truncated_files_say_so() {
    for name in [
        "rsa2048.der",
        "rsa2048.pkcs8.der",
        "rsa2048.enc.der",
        "rsa2048.p12",
    ] {
        let bytes = read(name);
        let half = &bytes[..bytes.len() / 2];
        assert_eq!(
            RsaPrivateKey::decode(half, Some(PASSWORD)).unwrap_err(),
            KeyError::Truncated,
            "{name}"
        );
    }
    for name in ["rsa2048.pub.der", "rsa2048.crt.der"] {
        let bytes = read(name);
        assert_eq!(
            RsaPublicKey::decode(&bytes[..bytes.len() / 2]).unwrap_err(),
            KeyError::Truncated,
            "{name}"
        );
    }
    // A PEM file cut off before its end line.
    let pem = text("rsa2048.pem");
    assert_eq!(
        RsaPrivateKey::from_pem(&pem[..pem.len() / 2]).unwrap_err(),
        KeyError::InvalidPem
    );
}

#[test]
fn no_prefix_or_corruption_of_a_key_file_panics() {
    for name in [
        "rsa2048.der",
        "rsa2048.pkcs8.der",
        "rsa2048.enc.der",
        "rsa2048.crt.der",
        "rsa2048.legacy.p12",
        "rsa2048.pem",
    ] {
        let bytes = read(name);
        for end in (0..bytes.len()).step_by(7) {
            let _ = RsaPrivateKey::decode(&bytes[..end], Some(PASSWORD));
            let _ = RsaPublicKey::decode(&bytes[..end]);
        }
        for at in (0..bytes.len()).step_by(53) {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x41;
            let _ = RsaPrivateKey::decode(&flipped, Some(PASSWORD));
            let _ = RsaPublicKey::decode(&flipped);
        }
    }
}
