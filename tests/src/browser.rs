//! Headless Chromium for the admin UI's browser tests, driven through
//! chromedriver (Debian's `chromium` and `chromium-driver` packages).
//!
//! Each test gets its own driver on a free loopback port and its own
//! throwaway profile. A flow that fails leaves a screenshot under
//! `target/browser-failures/`; with `CAIRN_SCREENSHOTS=DIR` set, the flows
//! also save the screenshots the README shows.

use std::future::Future;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tempfile::TempDir;

use crate::TestResult;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A headless Chromium and the chromedriver that drives it.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: TempDir,
}

impl Browser {
    pub async fn launch() -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver =
            Command::new(std::env::var("CAIRN_CHROMEDRIVER").unwrap_or(CHROMEDRIVER.into()))
                .arg(format!("--port={port}"))
                .arg("--allowed-ips=127.0.0.1")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start chromedriver (apt-get install chromium chromium-driver)");
        let profile = tempfile::tempdir().expect("a profile folder");
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": std::env::var("CAIRN_CHROMIUM").unwrap_or(CHROMIUM.into()),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic",
                    "--window-size=1280,860", "--hide-scrollbars",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = String::new();
        for _ in 0..100 {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Browser {
                        client,
                        driver,
                        _profile: profile,
                    };
                }
                Err(error) => {
                    last_error = error.to_string();
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        panic!("chromedriver did not start a session: {last_error}");
    }

    /// Runs a flow; if it fails or panics, saves a screenshot and the HTML of
    /// where it stood under `target/browser-failures/<name>.{png,html}`
    /// before reporting.
    pub async fn run<F, Fut>(name: &str, flow: F) -> TestResult
    where
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = TestResult> + Send + 'static,
    {
        let browser = Browser::launch().await;
        let outcome = tokio::spawn(flow(browser.client.clone())).await;
        if !matches!(outcome, Ok(Ok(()))) {
            let folder =
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/browser-failures");
            std::fs::create_dir_all(&folder).ok();
            if let Ok(png) = browser.client.screenshot().await {
                let path = folder.join(format!("{name}.png"));
                if std::fs::write(&path, png).is_ok() {
                    eprintln!("screenshot of the failure: {}", path.display());
                }
            }
            if let Ok(html) = browser.client.source().await {
                std::fs::write(folder.join(format!("{name}.html")), html).ok();
            }
        }
        browser.close().await;
        match outcome {
            Ok(result) => result,
            Err(panicked) => std::panic::resume_unwind(panicked.into_panic()),
        }
    }

    async fn close(mut self) {
        self.client.clone().close().await.ok();
        self.driver.kill().ok();
        self.driver.wait().ok();
    }
}

/// Saves a screenshot of the current page as `<name>.png` in the folder
/// `CAIRN_SCREENSHOTS` names; does nothing when it is not set.
pub async fn screenshot(client: &Client, name: &str) -> TestResult {
    let Ok(folder) = std::env::var("CAIRN_SCREENSHOTS") else {
        return Ok(());
    };
    let png = client.screenshot().await?;
    std::fs::create_dir_all(&folder)?;
    std::fs::write(PathBuf::from(folder).join(format!("{name}.png")), png)?;
    Ok(())
}

/// axe-core's script, from `npm ci --prefix tests/axe`.
fn axe_script() -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "read {}: {e}; install it with `npm ci --prefix tests/axe`",
            path.display()
        )
    })
}

/// Runs axe-core on the page the browser shows and fails on any serious or
/// critical violation, naming each rule and the elements it found.
pub async fn assert_accessible(client: &Client) -> TestResult {
    client.execute(&axe_script(), Vec::new()).await?;
    let found = client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document, { resultTypes: ["violations"] })
                 .then(r => done(r.violations
                   .filter(v => v.impact === "serious" || v.impact === "critical")
                   .map(v => v.id + " (" + v.impact + "): " + v.help + " at " +
                        v.nodes.map(n => n.target.join(" ")).join(", "))))
                 .catch(e => done(["axe failed: " + e]));"#,
            Vec::new(),
        )
        .await?;
    let violations: Vec<String> = serde_json::from_value(found)?;
    let url = client.current_url().await?;
    assert!(
        violations.is_empty(),
        "accessibility violations on {url}:\n{}",
        violations.join("\n")
    );
    Ok(())
}
