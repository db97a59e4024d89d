//! The builder: first-run setup, sign-in failure and success, building
//! content types with several kinds of fields, editing one, and entries in
//! the table it made.

use cairn_tests::{data, json};
use fantoccini::Locator;

use super::*;

browser_tests! {
    async fn an_administrator_sets_up_cairn_and_builds_content_types(page, client) {
        page.open("/admin").await?;
        page.find("field-email").await?;
        assert_eq!(page.path().await?, "/admin/setup");
        page.shot("setup").await?;
        page.accessible().await?;
        page.fill("field-firstname", "Ada").await?;
        page.fill("field-lastname", "Lovelace").await?;
        page.fill("field-email", "ada@example.com").await?;
        page.fill("field-password", "correct horse battery").await?;
        page.fill("field-password_confirmation", "correct horse battery").await?;
        page.click("create-admin").await?;
        assert!(page.text("flash").await?.contains("Welcome"));
        page.find("empty-types").await?;
        page.shot("dashboard").await?;
        page.accessible().await?;

        page.click("user-menu-button").await?;
        page.click("sign-out").await?;
        page.find("sign-in").await?;
        page.fill("field-email", "ada@example.com").await?;
        page.fill("field-password", "not the password").await?;
        page.click("sign-in").await?;
        assert!(page.text("form-errors").await?.contains("wrong"));
        assert_eq!(page.value("field-email").await?, "ada@example.com");
        page.shot("sign-in").await?;
        page.accessible().await?;
        page.fill("field-password", "correct horse battery").await?;
        page.click("sign-in").await?;
        page.find("nav-builder").await?.click().await?;
        page.find("new-collection-type").await?;
        page.shot("builder-empty").await?;
        page.accessible().await?;

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
        page.accessible().await?;
        page.click("edit-size").await?;
        page.find("field-values").await?;
        // A default is typed as the kind's values are: one of the enumeration's.
        page.select("field-default", "medium").await?;
        page.shot("field-form").await?;
        page.accessible().await?;
        page.click("save-field").await?;
        page.click("review").await?;
        let plan = page.find("plan").await?.text().await?;
        assert!(plan.contains("create collection type api::product.product"), "{plan}");
        page.shot("plan").await?;
        page.accessible().await?;
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
        page.accessible().await?;

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
