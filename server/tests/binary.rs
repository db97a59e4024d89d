//! The `cairn` binary as a user runs it: from an empty folder, on the
//! embedded defaults.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn cairn(folder: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cairn"));
    command
        .current_dir(folder)
        .env_remove("DATABASE_URL")
        .env_remove("CAIRN_CONFIG")
        .env("RUST_LOG", "warn");
    command
}

/// A child server, killed when the test ends, pass or fail.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn starts_on_embedded_defaults_and_answers_health() {
    let folder = tempfile::tempdir().unwrap();
    let migrate = cairn(folder.path()).arg("migrate").output().unwrap();
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );
    assert!(
        folder.path().join("data/cairn.db").is_file(),
        "SQLite file created under ./data"
    );

    // Port 0: the default port may be taken on a shared machine.
    let mut server = Server(
        cairn(folder.path())
            .env("CAIRN_SERVER__PORT", "0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut first_line = String::new();
    BufReader::new(server.0.stdout.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    let address = first_line
        .trim()
        .strip_prefix("Cairn is listening on http://")
        .unwrap_or_else(|| panic!("unexpected output: {first_line}"))
        .to_owned();
    assert!(
        address.starts_with("127.0.0.1:"),
        "listens on loopback by default: {address}"
    );

    let mut stream = TcpStream::connect(&address).unwrap();
    stream
        .write_all(b"GET /_health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    assert!(response.ends_with("{\"status\":\"ok\"}"), "{response}");
}

#[test]
fn a_bad_configuration_file_is_reported_and_fails() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("cairn.toml"), "[server]\nprot = 1\n").unwrap();
    let output = cairn(folder.path()).arg("migrate").output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown field: found `prot`"), "{stderr}");
}
