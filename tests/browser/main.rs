//! The admin UI in headless Chromium against the real server: first-run
//! setup, sign-in failure and success, building content types with several
//! kinds of fields, editing one, and entries in the table it made.
//!
//! Controls are found by their stable ids (`field-<name>`, button ids),
//! never by visible text or layout classes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use cairn_tests::browser::{Browser, screenshot};
use cairn_tests::{Backend, TestApp, TestResult, data, json};
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

    async fn click(&self, id: &str) -> TestResult {
        self.find(id).await?.click().await?;
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

browser_tests! {
    async fn an_administrator_sets_up_cairn_and_builds_content_types(page, client) {
        page.open("/admin").await?;
        page.find("field-email").await?;
        assert_eq!(page.path().await?, "/admin/setup");
        page.shot("setup").await?;
        page.fill("field-firstname", "Ada").await?;
        page.fill("field-lastname", "Lovelace").await?;
        page.fill("field-email", "ada@example.com").await?;
        page.fill("field-password", "correct horse battery").await?;
        page.fill("field-password_confirmation", "correct horse battery").await?;
        page.click("create-admin").await?;
        assert!(page.text("flash").await?.contains("Welcome"));
        page.find("empty-types").await?;
        page.shot("dashboard").await?;

        page.click("user-menu-button").await?;
        page.click("sign-out").await?;
        page.find("sign-in").await?;
        page.fill("field-email", "ada@example.com").await?;
        page.fill("field-password", "not the password").await?;
        page.click("sign-in").await?;
        assert!(page.text("form-errors").await?.contains("wrong"));
        assert_eq!(page.value("field-email").await?, "ada@example.com");
        page.shot("sign-in").await?;
        page.fill("field-password", "correct horse battery").await?;
        page.click("sign-in").await?;
        page.find("nav-builder").await?.click().await?;
        page.find("new-collection-type").await?;
        page.shot("builder-empty").await?;

        // A category, the target of a relation.
        page.click("new-collection-type").await?;
        page.fill("field-display_name", "Category").await?;
        assert_eq!(page.value("field-plural_name").await?, "categories", "derived while typing");
        page.click("create-type").await?;
        page.add_field("string", &[("field-name", "label"), ("field-required", "check")]).await?;
        page.click("review").await?;
        page.click("apply").await?;
        assert!(page.text("flash").await?.contains("Applied"));

        // A product with several kinds of fields.
        page.click("nav-builder").await?;
        page.click("new-collection-type").await?;
        page.fill("field-display_name", "Product").await?;
        page.click("create-type").await?;
        page.add_field("string", &[("field-name", "title"), ("field-required", "check"), ("field-max_length", "80")]).await?;
        page.add_field("uid", &[("field-name", "slug"), ("field-target_field", "title")]).await?;
        page.add_field("integer", &[("field-name", "stock"), ("field-min", "0"), ("field-default", "0")]).await?;
        page.add_field("enumeration", &[("field-name", "size"), ("field-values", "small\nmedium\nlarge")]).await?;
        page.add_field("relation", &[
            ("field-name", "category"), ("field-relation", "manyToOne"),
            ("field-target", "api::category.category"), ("field-inverse", "products"),
        ]).await?;
        page.shot("type-editor").await?;
        page.click("edit-size").await?;
        page.find("field-values").await?;
        // A default is typed as the kind's values are: one of the enumeration's.
        page.select("field-default", "medium").await?;
        page.shot("field-form").await?;
        page.click("save-field").await?;
        page.click("review").await?;
        let plan = page.find("plan").await?.text().await?;
        assert!(plan.contains("create collection type api::product.product"), "{plan}");
        page.shot("plan").await?;
        page.click("apply").await?;
        assert!(page.text("flash").await?.contains("Applied"));
        let product = page.app.context.schema().find_type("product").cloned().expect("the product type");
        assert_eq!(product.field("size").and_then(|f| f.attribute.default.clone()), Some(json!("medium")));

        // Editing: rename a field, change an option, remove one (confirmed
        // in the page's dialog, then on the review).
        page.click("edit-title").await?;
        page.fill("field-name", "headline").await?;
        page.fill("field-max_length", "120").await?;
        page.shot("field-settings").await?;
        page.click("save-field").await?;
        page.click("edit-slug").await?;
        page.select("field-target_field", "headline").await?;
        page.click("save-field").await?;
        page.click("remove-stock").await?;
        client.accept_alert().await?;
        page.find("row-headline").await?;
        page.click("review").await?;
        let loss = page.text("data-loss").await?;
        assert!(loss.contains("stock"), "{loss}");
        page.click("apply").await?;
        page.find("field-confirm_drop-error").await?;
        page.click("field-confirm_drop").await?;
        page.click("apply").await?;
        assert!(page.text("flash").await?.contains("Applied"));

        page.click("nav-dashboard").await?;
        page.find("stat-types").await?;
        page.click("theme-toggle").await?;
        let theme = client.find(Locator::Css("html")).await?.attr("data-theme").await?;
        assert_eq!(theme.as_deref(), Some("dark"));
        page.click("nav-builder").await?;
        page.click("type-products").await?;
        page.shot("dark").await?;

        let categories = page.app.context.entries("category")?;
        let kitchen = categories.create(&data!({"label": "Kitchen"}), &Default::default()).await?;
        let products = page.app.context.entries("product")?;
        let made = products
            .create(&data!({"headline": "Walnut Board", "size": "large", "category": kitchen["documentId"].clone()}), &Default::default())
            .await?;
        assert_eq!(made["slug"], "walnut-board");
        let schema = page.app.context.schema();
        let product = schema.find_type("product").unwrap();
        assert!(product.field("stock").is_none() && product.field("headline").is_some());
    }
}
