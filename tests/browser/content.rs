//! The content manager: an entry with a relation, a file, a repeatable
//! component and a dynamic zone written, refused with every failing field
//! at once, published, changed and restored from its history; two editors
//! saving the same entry; and the list of a type with a hundred thousand
//! entries filtered, sorted and paged.

use cairn_core::auth::admin_users::{self, NewAdmin};
use cairn_core::entries::{ListOptions, ReadOptions, Status};
use cairn_tests::{data, json};
use fantoccini::Locator;
use serde_json::Value;

use super::*;

const EMAIL: &str = "editor@example.com";
const PASSWORD: &str = "correct horse battery";

/// The kitchen fixture and an administrator to sign in as.
async fn kitchen(app: &TestApp) -> TestResult {
    app.apply_fixture("kitchen").await;
    let editor = NewAdmin {
        email: EMAIL.to_owned(),
        password: PASSWORD.to_owned(),
        firstname: "Edith".to_owned(),
        lastname: "Tor".to_owned(),
    };
    admin_users::create(app.context.db().conn(), &editor).await?;
    Ok(())
}

/// The published recipe titled `title`, everything populated.
async fn published_recipe(
    app: &TestApp,
    title: &str,
) -> Result<serde_json::Map<String, Value>, Box<dyn std::error::Error + Send + Sync>> {
    let page = app
        .context
        .entries("recipe")?
        .find_many(&ListOptions {
            read: ReadOptions {
                status: Status::Published,
                populate: cairn_core::entries::Populate::all(),
                ..ReadOptions::default()
            },
            filters: Some(
                app.context
                    .parse_query(&format!("filters[title][$eq]={title}"))?
                    .filters
                    .clone()
                    .ok_or("a filter")?,
            ),
            ..ListOptions::default()
        })
        .await?;
    Ok(page
        .entries()?
        .into_iter()
        .next()
        .ok_or("no published recipe")?)
}

/// How the tests read what editors wrote: drafts.
fn drafts() -> ReadOptions {
    ReadOptions {
        status: Status::Draft,
        ..ReadOptions::default()
    }
}

browser_tests! {
    async fn an_editor_writes_publishes_and_restores_an_entry(page, client) {
        kitchen(&page.app).await?;
        let cuisines = page.app.context.entries("cuisine")?;
        cuisines.create(&data!({"name": "Italian"}), &Default::default()).await?;
        cuisines.create(&data!({"name": "Italian-American"}), &Default::default()).await?;
        let photo = page.app.upload("risotto.png", &cairn_tests::images::png_with_alpha(64, 48)).await;
        let photo_id = photo["id"].as_i64().expect("a file id");

        page.sign_in(EMAIL, PASSWORD).await?;
        page.submit("nav-content").await?;
        page.submit("content-recipes").await?;
        page.find("empty-list").await?;
        page.accessible().await?;
        page.submit("create-entry").await?;
        page.find("entry-form").await?;
        page.accessible().await?;

        // Typed values, a relation found by name, a file by id, two steps
        // and a note: the form's own buttons add items without saving.
        page.fill("field-title", "Mushroom risotto").await?;
        page.fill("field-servings", "0").await?;
        page.select("field-course", "main").await?;
        page.fill("field-cuisine-add", "italian").await?;
        page.fill("field-photo-add", &photo_id.to_string()).await?;
        page.submit("field-steps-add").await?;
        page.fill("field-steps-0-text", "Toast the rice.").await?;
        page.fill("field-steps-0-minutes", "-2").await?;
        page.submit("field-steps-add").await?;
        page.submit("field-sections-add-kitchen-note").await?;
        page.fill("field-sections-0-body", "Use **arborio**.").await?;
        assert_eq!(page.value("field-title").await?, "Mushroom risotto", "kept across the form's buttons");
        // The uid is proposed from the title and checked while typed; the
        // Markdown is previewed in place, its HTML never run.
        page.click("field-slug-regenerate").await?;
        page.wait_value("field-slug", "mushroom-risotto").await?;
        page.wait_text("field-slug-status", "Available").await?;
        page.click("field-sections-0-body-preview-button").await?;
        page.wait_text("field-sections-0-body-preview", "Use arborio.").await?;
        let strong = client.find(Locator::Css("#field-sections-0-body-preview strong")).await?;
        assert_eq!(strong.text().await?, "arborio");
        assert!(page.text("field-cuisine-wrap").await?.contains("Italian"), "linked by its name");
        page.accessible().await?;

        // Every failing field at once, each beside its input, inside
        // components too, and nothing typed lost.
        page.submit("publish-entry").await?;
        assert!(page.text("field-servings-error").await?.contains("at least 1"));
        assert!(page.text("field-steps-0-minutes-error").await?.contains("at least 0"));
        assert!(page.text("field-steps-1-text-error").await?.contains("required"), "required at publish, in the same answer");
        page.fill("field-steps-0-minutes", "3").await?;
        assert_eq!(page.value("field-sections-0-body").await?, "Use **arborio**.");
        assert!(page.text("form-errors").await?.contains("Nothing was saved"));
        page.shot("entry-errors").await?;
        page.accessible().await?;
        page.fill("field-servings", "4").await?;
        page.fill("field-steps-1-text", "Add the stock a ladle at a time.").await?;
        page.submit("publish-entry").await?;
        assert!(page.text("flash").await?.contains("published"));
        assert_eq!(page.text("entry-status").await?, "Published");
        page.shot("entry-edit").await?;

        let stored = published_recipe(&page.app, "Mushroom risotto").await?;
        assert_eq!(stored["slug"], "mushroom-risotto");
        assert_eq!(stored["cuisine"]["name"], "Italian");
        assert_eq!(stored["photo"]["id"], json!(photo_id));
        assert_eq!(stored["steps"][0]["minutes"], 3);
        assert_eq!(stored["steps"][1]["text"], "Add the stock a ladle at a time.");
        assert_eq!(stored["sections"][0]["__component"], "kitchen.note");

        // Reorder the steps and save a draft: modified since published.
        page.submit_css("button[value='down:steps.0']").await?;
        assert_eq!(page.value("field-steps-0-text").await?, "Add the stock a ladle at a time.");
        page.submit("save-entry").await?;
        assert_eq!(page.text("entry-status").await?, "Modified since published");
        let published = published_recipe(&page.app, "Mushroom risotto").await?;
        assert_eq!(published["steps"][0]["text"], "Toast the rice.", "readers still see what was published");

        // History: the change shown field by field, and the published
        // version restored as a new draft.
        page.submit("open-history").await?;
        page.find("comparison").await?;
        let steps = page.find("compare-steps").await?;
        assert_eq!(steps.attr("class").await?.as_deref(), Some("changed"));
        assert_ne!(page.find("compare-title").await?.attr("class").await?.as_deref(), Some("changed"));
        page.shot("history").await?;
        page.accessible().await?;
        let document_id = stored["documentId"].as_str().unwrap_or_default().to_owned();
        let versions = page.app.context.entries("recipe")?.versions(&document_id, None).await?;
        let published_version = versions.iter().find(|v| v.reason == "publish").map(|v| v.id).expect("a publish version");
        page.submit_confirmed(&format!("restore-{published_version}-button")).await?;
        assert!(page.text("flash").await?.contains("draft again"));
        assert_eq!(page.value("field-steps-0-text").await?, "Toast the rice.");
        let after = page.app.context.entries("recipe")?.versions(&document_id, None).await?;
        assert_eq!(after.len(), versions.len() + 1, "a restore adds a version and rewrites none");

        // The list shows it with its status; bulk unpublish after a
        // confirmation that counts what it touches.
        page.open("/admin/content/api::recipe.recipe").await?;
        assert!(page.text(&format!("entry-{document_id}")).await?.contains("Modified"));
        page.click(&format!("select-{document_id}")).await?;
        page.select("bulk-action", "unpublish").await?;
        page.submit("bulk-submit").await?;
        assert_eq!(page.text("bulk-summary").await?, "Unpublish 1 entry?");
        page.accessible().await?;
        page.submit("bulk-confirm").await?;
        assert!(page.text("flash").await?.contains("Unpublished 1 entry"));
        assert!(page.text(&format!("entry-{document_id}")).await?.contains("Draft"));

        // An old link to a deleted entry gets a clear page; so does an
        // address the admin does not have.
        page.app.context.entries("recipe")?.delete(&document_id, cairn_core::entries::LocaleScope::Default).await?;
        page.open(&format!("/admin/content/api::recipe.recipe/{document_id}")).await?;
        assert!(page.text("error-message").await?.contains("does not exist any more"));
        page.find("error-back").await?;
        page.accessible().await?;
        page.open("/admin/no/such/page").await?;
        assert_eq!(page.text("error-title").await?, "Not found");
    }

    async fn blocks_are_edited_as_blocks_and_stored_as_strapi_json(page, client) {
        kitchen(&page.app).await?;
        let picture = page.app.upload("pasta.png", &cairn_tests::images::png_with_alpha(8, 6)).await;
        // A block the editor cannot write back (a nested list) stays as it is.
        let nested = json!({"type": "list", "format": "unordered", "children": [
            {"type": "list-item", "children": [{"type": "text", "text": "flour"}]},
            {"type": "list", "format": "unordered", "indentLevel": 1, "children": [
                {"type": "list-item", "children": [{"type": "text", "text": "00"}]}
            ]}
        ]});
        let recipe = page.app.context.entries("recipe")?
            .create(&data!({"title": "Fresh pasta", "story": [nested.clone()]}), &Default::default())
            .await?;
        let document_id = recipe["documentId"].as_str().unwrap_or_default().to_owned();

        page.sign_in(EMAIL, PASSWORD).await?;
        page.open(&format!("/admin/content/api::recipe.recipe/{document_id}")).await?;
        page.submit("field-story-add-heading-2").await?;
        page.fill("field-story-1-text", "Why it works").await?;
        page.submit("field-story-add-paragraph").await?;
        page.fill("field-story-2-text", "Knead **ten minutes**, then rest it [covered](https://example.com/rest).").await?;
        page.submit("field-story-add-list-ordered").await?;
        page.fill("field-story-3-text", "Mix\nKnead\nRoll").await?;
        page.submit("field-story-add-image").await?;
        page.fill("field-story-4-file", "pasta.png").await?;
        page.accessible().await?;
        page.submit("save-entry").await?;
        assert!(page.text("flash").await?.contains("Saved"));
        page.shot("entry-blocks").await?;

        let stored = page.app.context.entries("recipe")?.find_one(&document_id, &drafts()).await?.expect("the recipe");
        let story = stored["story"].as_array().cloned().unwrap_or_default();
        assert_eq!(story[0], nested, "kept exactly");
        assert_eq!(story[1], json!({"type": "heading", "level": 2, "children": [{"type": "text", "text": "Why it works"}]}));
        assert_eq!(story[2], json!({"type": "paragraph", "children": [
            {"type": "text", "text": "Knead "},
            {"type": "text", "text": "ten minutes", "bold": true},
            {"type": "text", "text": ", then rest it "},
            {"type": "link", "url": "https://example.com/rest", "children": [{"type": "text", "text": "covered"}]},
            {"type": "text", "text": "."}
        ]}));
        assert_eq!(story[3]["format"], "ordered");
        assert_eq!(story[3]["children"].as_array().map(Vec::len), Some(3));
        assert_eq!(story[4]["type"], "image");
        assert_eq!(story[4]["image"]["url"], picture["url"]);
        // Opened again, every block reads back as it was written.
        assert_eq!(page.value("field-story-2-text").await?, "Knead **ten minutes**, then rest it [covered](https://example.com/rest).");
        let _ = client;
    }

    async fn a_save_on_a_stale_version_is_refused_and_the_input_kept(page, client) {
        kitchen(&page.app).await?;
        let recipe = page.app.context.entries("recipe")?
            .create(&data!({"title": "Pancakes", "servings": 2}), &Default::default())
            .await?;
        let document_id = recipe["documentId"].as_str().unwrap_or_default().to_owned();
        let address = format!("/admin/content/api::recipe.recipe/{document_id}");

        page.sign_in(EMAIL, PASSWORD).await?;
        page.open(&address).await?;
        page.find("entry-form").await?;

        // A second editor, in a browser of their own, saves first.
        let other = Browser::launch().await;
        let second = Page { client: other.client.clone(), base: page.base.clone(), app: page.app.clone(), screenshots: false };
        second.sign_in(EMAIL, PASSWORD).await?;
        second.open(&address).await?;
        second.fill("field-servings", "6").await?;
        second.submit("save-entry").await?;
        assert!(second.text("flash").await?.contains("Saved"));
        other.client.clone().close().await.ok();

        page.fill("field-title", "Fluffy pancakes").await?;
        page.submit("save-entry").await?;
        let conflict = page.text("conflict").await?;
        assert!(conflict.contains("saved this entry") && conflict.contains("not saved"), "{conflict}");
        assert_eq!(page.value("field-title").await?, "Fluffy pancakes", "the editor's input stays");
        page.shot("conflict").await?;
        page.accessible().await?;
        let stored = page.app.context.entries("recipe")?.find_one(&document_id, &drafts()).await?.expect("the recipe");
        assert_eq!((stored["title"].clone(), stored["servings"].clone()), (json!("Pancakes"), json!(6)));

        // Saving again, knowingly, replaces the newer version.
        page.submit("save-entry").await?;
        assert!(page.text("flash").await?.contains("Saved"));
        let stored = page.app.context.entries("recipe")?.find_one(&document_id, &drafts()).await?.expect("the recipe");
        assert_eq!(stored["title"], "Fluffy pancakes");
        let _ = client;
    }

    async fn a_list_of_a_hundred_thousand_entries_is_filtered_sorted_and_paged(page, client) {
        kitchen(&page.app).await?;
        let table = page.app.context.schema().find_type("cuisine").expect("cuisine").table.clone();
        // Rows written straight into the table: the engine's import is
        // measured in the benchmark, not here.
        let sql = match page.app.backend {
            Backend::Postgres => format!(
                "INSERT INTO \"{table}\" (document_id, locale, published, published_at, created_at, updated_at, name, rank) \
                 SELECT lpad(g::text, 24, '0'), '', true, now(), now(), now() - g * interval '1 second', \
                        'Cuisine ' || lpad(g::text, 6, '0'), g % 1000 FROM generate_series(1, 100000) AS g"
            ),
            Backend::Sqlite => format!(
                "INSERT INTO \"{table}\" (document_id, locale, published, published_at, created_at, updated_at, name, rank) \
                 WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 100000) \
                 SELECT printf('%024d', n), '', 1, '2026-01-01T00:00:00.000+00:00', '2026-01-01T00:00:00.000+00:00', \
                        strftime('%Y-%m-%dT%H:%M:%f+00:00', '2026-06-01', '-' || n || ' seconds'), \
                        printf('Cuisine %06d', n), n % 1000 FROM g"
            ),
        };
        page.app.execute(&sql).await;

        page.sign_in(EMAIL, PASSWORD).await?;
        page.open("/admin/content/api::cuisine.cuisine").await?;
        assert_eq!(page.text("page-range").await?, "1–20 of 100000");
        page.accessible().await?;

        // The newest first by default; sort by name, then page forward and back.
        page.submit("sort-name").await?;
        assert!(page.text("entries").await?.contains("Cuisine 000001"));
        page.submit("next-page").await?;
        assert_eq!(page.text("page-range").await?, "21–40 of 100000");
        assert!(page.text("entries").await?.contains("Cuisine 000021"));
        page.submit("next-page").await?;
        page.submit("previous-page").await?;
        assert!(page.text("entries").await?.contains("Cuisine 000021"));
        page.submit("sort-name").await?;
        assert!(page.text("entries").await?.contains("Cuisine 100000"), "descending");

        // A number range from the schema's filters, then a search.
        page.click("add-filter").await?;
        page.submit("filter-on-rank").await?;
        page.fill("filter-from", "10").await?;
        page.fill("filter-to", "12").await?;
        page.submit("apply-filter").await?;
        assert!(page.text("filters").await?.contains("rank ≥ 10"));
        assert_eq!(page.text("page-range").await?, "1–20 of 300");
        page.fill("search", "000011").await?;
        page.submit("search-submit").await?;
        assert_eq!(page.text("page-range").await?, "1–1 of 1");
        page.shot("content-list").await?;
        page.accessible().await?;
        page.submit("remove-filter-0").await?;
        assert!(page.find("filters").await.is_ok());

        // Columns chosen are remembered for this administrator.
        page.click("choose-columns").await?;
        page.click("column-rank").await?;
        page.submit("save-columns").await?;
        assert!(client.find(Locator::Id("sort-rank")).await.is_err(), "rank no longer shown");
        page.open("/admin/content/api::cuisine.cuisine").await?;
        assert!(client.find(Locator::Id("sort-rank")).await.is_err(), "remembered");
    }
}
