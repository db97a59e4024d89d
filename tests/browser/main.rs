//! The admin UI in headless Chromium against the real server, one module
//! per area: the builder (first-run setup, sign-in, content types) and the
//! content manager (lists, the edit view, history, concurrent edits). Every
//! page a flow visits is checked with axe-core.
//!
//! Controls are found by their stable ids (`field-<name>`, button ids),
//! never by visible text or layout classes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use cairn_tests::browser::{Browser, assert_accessible, screenshot};
use cairn_tests::{Backend, TestApp, TestResult};
use fantoccini::{Client, Locator, elements::Element};

/// Runs a flow on SQLite and, with CAIRN_TEST_DATABASE_URL, on PostgreSQL,
/// when chromium and chromedriver are installed.
macro_rules! browser_tests {
    ($(async fn $name:ident($app:ident, $client:ident) $body:block)*) => {
        $(
            mod $name {
                use super::*;

                async fn scenario(backend: Backend) -> TestResult {
                    let $app = TestApp::start(backend).await;
                    let server = $app.serve().await;
                    let base = server.base.clone();
                    let flow_app = std::sync::Arc::new($app);
                    let app = flow_app.clone();
                    let result = Browser::run(stringify!($name), move |$client: Client| async move {
                        let $app = Page { client: $client.clone(), base, app, screenshots: backend == Backend::Sqlite };
                        $body;
                        Ok(())
                    })
                    .await;
                    server.stop().await;
                    result
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(not(cairn_browser), ignore = "needs chromium and chromedriver: apt-get install chromium chromium-driver")]
                async fn sqlite() -> TestResult {
                    scenario(Backend::Sqlite).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(not(all(cairn_browser, cairn_pg)), ignore = "needs chromium, chromedriver and CAIRN_TEST_DATABASE_URL")]
                async fn postgres() -> TestResult {
                    scenario(Backend::Postgres).await
                }
            }
        )*
    };
}

/// The browser, the server's address and the engine behind it.
struct Page {
    client: Client,
    base: String,
    app: std::sync::Arc<TestApp>,
    screenshots: bool,
}

const WAIT: Duration = Duration::from_secs(10);

impl Page {
    async fn open(&self, path: &str) -> TestResult {
        self.client.goto(&format!("{}{path}", self.base)).await?;
        Ok(())
    }

    /// No serious or critical accessibility violation on the page shown.
    async fn accessible(&self) -> TestResult {
        assert_accessible(&self.client).await
    }

    /// Signs in through the sign-in page as an administrator the test made.
    async fn sign_in(&self, email: &str, password: &str) -> TestResult {
        self.open("/admin/login").await?;
        self.fill("field-email", email).await?;
        self.fill("field-password", password).await?;
        self.click("sign-in").await?;
        self.find("nav-content").await?;
        Ok(())
    }

    /// Clicks a control that loads another page (a submit button, a link)
    /// and waits until the page it was on is gone, so that what is read
    /// next is read from the new one.
    async fn submit(&self, id: &str) -> TestResult {
        let element = self.find(id).await?;
        self.leave(element).await
    }

    /// Clicks a control that asks for confirmation first, accepts, and
    /// waits for the page it loads.
    async fn submit_confirmed(&self, id: &str) -> TestResult {
        let element = self.find(id).await?;
        let before = self.client.find(Locator::Css("html")).await?;
        self.centre(&element).await?;
        element.click().await?;
        self.client.accept_alert().await?;
        self.gone(before).await
    }

    async fn leave(&self, element: Element) -> TestResult {
        let before = self.client.find(Locator::Css("html")).await?;
        self.centre(&element).await?;
        element.click().await?;
        self.gone(before).await
    }

    async fn gone(&self, before: Element) -> TestResult {
        let deadline = std::time::Instant::now() + WAIT;
        while before.tag_name().await.is_ok() {
            assert!(
                std::time::Instant::now() < deadline,
                "the page did not change"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(())
    }

    /// Clicks the first element `css` matches.
    async fn submit_css(&self, css: &str) -> TestResult {
        let element = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await?;
        self.leave(element).await
    }

    async fn find(&self, id: &str) -> Result<Element, fantoccini::error::CmdError> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Id(id))
            .await
    }

    async fn fill(&self, id: &str, text: &str) -> TestResult {
        let input = self.find(id).await?;
        input.clear().await?;
        input.send_keys(text).await?;
        Ok(())
    }

    /// Clicks a control, scrolled to the middle of the window first, where
    /// the edit view's sticky action bar does not cover it.
    async fn click(&self, id: &str) -> TestResult {
        let element = self.find(id).await?;
        self.centre(&element).await?;
        element.click().await?;
        Ok(())
    }

    async fn centre(&self, element: &Element) -> TestResult {
        let argument = serde_json::to_value(element)?;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'});",
                vec![argument],
            )
            .await?;
        Ok(())
    }

    async fn select(&self, id: &str, value: &str) -> TestResult {
        self.find(id).await?.select_by_value(value).await?;
        Ok(())
    }

    async fn text(&self, id: &str) -> Result<String, fantoccini::error::CmdError> {
        self.find(id).await?.text().await
    }

    async fn value(&self, id: &str) -> Result<String, fantoccini::error::CmdError> {
        Ok(self
            .find(id)
            .await?
            .prop("value")
            .await?
            .unwrap_or_default())
    }

    /// Waits until the text of `id` contains `expected` (a script changes it).
    async fn wait_text(&self, id: &str, expected: &str) -> TestResult {
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let text = self.text(id).await?;
            if text.contains(expected) {
                return Ok(());
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{id} says {text:?}, not {expected:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until the value of `id` is `expected` (a script sets it).
    async fn wait_value(&self, id: &str, expected: &str) -> TestResult {
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let value = self.value(id).await?;
            if value == expected {
                return Ok(());
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{id} holds {value:?}, not {expected:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn path(&self) -> Result<String, fantoccini::error::CmdError> {
        Ok(self.client.current_url().await?.path().to_owned())
    }

    async fn shot(&self, name: &str) -> TestResult {
        if self.screenshots {
            screenshot(&self.client, name).await?;
        }
        Ok(())
    }

    /// Adds a field of `kind` to the draft on screen: fills, ticks and
    /// selects, then saves and waits for the editor.
    async fn add_field(&self, kind: &str, inputs: &[(&str, &str)]) -> TestResult {
        self.click(&format!("add-{kind}")).await?;
        for (id, value) in inputs {
            let element = self.find(id).await?;
            match (element.tag_name().await?.as_str(), *value) {
                ("select", value) => element.select_by_value(value).await?,
                (_, "check") => element.click().await?,
                (_, text) => {
                    element.clear().await?;
                    element.send_keys(text).await?;
                }
            }
        }
        self.click("save-field").await?;
        let name = inputs
            .iter()
            .find(|(id, _)| *id == "field-name")
            .map(|(_, v)| *v)
            .unwrap_or_default();
        self.find(&format!("row-{name}")).await?;
        Ok(())
    }
}

mod builder;
mod content;
mod media;
mod settings;
