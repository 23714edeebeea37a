//! F7 of the security review: saving a profile followed a planted temporary file or link (a
//! predictable `.profiles.json.<pid>.tmp`, opened without `create_new`, in a directory whose owner
//! and mode were never checked).
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::Output;

struct Env {
    config: PathBuf,
}

impl Env {
    fn new(name: &str) -> Env {
        let config = std::env::temp_dir().join(format!(
            "oauth1-cli-profile-security-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&config);
        std::fs::create_dir_all(&config).unwrap();
        Env { config }
    }

    fn dir(&self) -> PathBuf {
        self.config.join("oauth1")
    }

    fn add(&self) -> Output {
        let mut command = support::oauth1_binary();
        command
            .args([
                "profile",
                "add",
                "work",
                "--consumer-key",
                "ck",
                "--consumer-secret",
                "very-secret",
            ])
            .env("XDG_CONFIG_HOME", &self.config);
        for var in [
            "OAUTH1_CONSUMER_KEY",
            "OAUTH1_CONSUMER_SECRET",
            "OAUTH1_TOKEN",
            "OAUTH1_TOKEN_SECRET",
            "OAUTH1_PROFILE",
        ] {
            command.env_remove(var);
        }
        command.output().unwrap()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.config);
    }
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_directory_open_to_others_is_refused() {
    let env = Env::new("open-dir");
    std::fs::create_dir_all(env.dir()).unwrap();
    std::fs::set_permissions(env.dir(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = env.add();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("chmod 700"), "{stderr}");
    assert!(!stderr.contains("very-secret"));
    assert!(!env.dir().join("profiles.json").exists());
    // Closed again, it works, and leaves no temporary file behind.
    std::fs::set_permissions(env.dir(), std::fs::Permissions::from_mode(0o700)).unwrap();
    assert!(env.add().status.success());
    let names: Vec<String> = std::fs::read_dir(env.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["profiles.json"]);
    assert_eq!(mode(&env.dir().join("profiles.json")), 0o600);
}

#[test]
fn a_link_in_place_of_the_file_is_replaced_not_followed() {
    let env = Env::new("link");
    std::fs::create_dir_all(env.dir()).unwrap();
    std::fs::set_permissions(env.dir(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let elsewhere = env.config.join("attacker-readable.txt");
    // A valid (empty) profiles file, so that loading through the link succeeds.
    let planted = r#"{"profiles":{}}"#;
    std::fs::write(&elsewhere, planted).unwrap();
    std::os::unix::fs::symlink(&elsewhere, env.dir().join("profiles.json")).unwrap();
    // Temporary names of the old scheme, planted as links for a range of process ids.
    let me = std::process::id();
    for pid in me..me + 200 {
        let _ = std::os::unix::fs::symlink(
            &elsewhere,
            env.dir().join(format!(".profiles.json.{pid}.tmp")),
        );
    }
    let out = env.add();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), planted);
    let file = env.dir().join("profiles.json");
    assert!(
        !std::fs::symlink_metadata(&file)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("very-secret")
    );
    assert_eq!(mode(&file), 0o600);
}

#[test]
fn a_new_directory_is_created_closed() {
    let env = Env::new("new-dir");
    assert!(env.add().status.success());
    assert_eq!(mode(&env.dir()), 0o700);
}

/// An "attacker's" HTTP server on 127.0.0.1: answers every request 200 and counts them.
struct Attacker {
    url: String,
    requests: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Attacker {
    fn start() -> Attacker {
        use std::io::{Read as _, Write as _};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = requests.clone();
        // The thread ends with the test process.
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        });
        Attacker { url, requests }
    }

    fn requests(&self) -> usize {
        self.requests.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// G8 of security review 26: a profiles file in a directory another user owns, or that others
/// may write in, was read (only saving checked the directory): a planted profile's base URL then
/// received the user's signed requests. Reading checks what saving checks, with the same message.
#[test]
fn a_profile_planted_where_others_can_write_is_not_read() {
    let env = Env::new("planted");
    let attacker = Attacker::start();
    std::fs::create_dir_all(env.dir()).unwrap();
    std::fs::write(
        env.dir().join("profiles.json"),
        format!(
            r#"{{"profiles":{{"default":{{"consumer_key":"evil","base_url":"{}"}}}}}}"#,
            attacker.url
        ),
    )
    .unwrap();
    let request = |args: &[&str]| -> Output {
        let mut command = support::oauth1_binary();
        command
            .args(args)
            .env("XDG_CONFIG_HOME", &env.config)
            .env("OAUTH1_CONSUMER_SECRET", "very-secret");
        for var in [
            "OAUTH1_CONSUMER_KEY",
            "OAUTH1_TOKEN",
            "OAUTH1_TOKEN_SECRET",
            "OAUTH1_PROFILE",
        ]
        .into_iter()
        .chain(["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"])
        {
            command.env_remove(var);
        }
        command.output().unwrap()
    };

    // Open to others: refused, before anything is read or sent.
    std::fs::set_permissions(env.dir(), std::fs::Permissions::from_mode(0o777)).unwrap();
    for args in [
        &["request", "/api/echo"][..],
        &["profile", "list"],
        &["profile", "show"],
    ] {
        let out = request(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("is open to other users"), "{stderr}");
        assert!(stderr.contains("chmod 700"), "{stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert_eq!(attacker.requests(), 0);

    // Owned by another user (possible to set up only as root): refused. "Another" is nobody
    // (65534), unless the tests run as nobody, for whom chown to itself succeeds.
    std::fs::set_permissions(env.dir(), std::fs::Permissions::from_mode(0o700)).unwrap();
    use std::os::unix::fs::MetadataExt as _;
    let me = std::fs::metadata(&env.config).unwrap();
    let other = if me.uid() == 65534 { 65533 } else { 65534 };
    if std::os::unix::fs::chown(env.dir(), Some(other), Some(other)).is_ok() {
        let out = request(&["request", "/api/echo"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("belongs to another user"), "{stderr}");
        assert_eq!(attacker.requests(), 0);
        std::os::unix::fs::chown(env.dir(), Some(me.uid()), Some(me.gid())).unwrap();
    }

    // The user's own closed directory: the profile is read (so the refusals above were the
    // checks', not a broken setup).
    let out = request(&["request", "/api/echo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(attacker.requests(), 1);
}
