//! The `cairn` command line, run in-process against the test database.

use cairn_core::auth::api_tokens;
use cairn_core::entries::{ListOptions, ReadOptions, Status};
use cairn_tests::{Backend, TestApp, backend_tests};

fn fixture(name: &str) -> String {
    TestApp::fixture(name).display().to_string()
}

backend_tests! {
    async fn schema_apply_prints_the_plan_and_applies_once(app) {
        let output = app.cli(&["schema", "apply", &fixture("blog/src")]).await?;
        assert!(output.contains("+ create collection type api::article.article (table articles)"), "{output}");
        assert!(output.contains("    + slug: uid"), "{output}");
        assert!(output.contains("+ create single type api::homepage.homepage"), "{output}");
        assert!(output.contains("+ create component shared.seo"), "{output}");
        assert!(output.contains("Applied 7 steps."), "{output}");
        let again = app.cli(&["schema", "apply", &fixture("blog/src")]).await?;
        assert_eq!(again, "No changes: the database already matches the schema.\n");
    }

    async fn schema_apply_dry_run_changes_nothing(app) {
        let output = app.cli(&["schema", "apply", "--dry-run", &fixture("evolution/v1")]).await?;
        assert!(output.contains("+ create collection type api::product.product"), "{output}");
        assert!(output.ends_with("Dry run: nothing was applied.\n"), "{output}");
        let applied = app.cli(&["schema", "apply", &fixture("evolution/v1")]).await?;
        assert!(applied.contains("Applied"), "the dry run left everything to do: {applied}");
    }

    async fn schema_apply_reports_invalid_files_by_name_and_attribute(app) {
        let error = app.cli(&["schema", "apply", &fixture("invalid")]).await.unwrap_err();
        assert!(error.contains("error: the schema is invalid; nothing was applied:"), "{error}");
        assert!(error.contains("broken.json: attributes.subtitle: unknown attribute type `strng`"), "{error}");
        assert!(error.contains("broken.json: attributes.select: `select` is an SQL keyword"), "{error}");
        let missing = app.cli(&["schema", "apply", "/no/such/folder"]).await.unwrap_err();
        assert!(missing.contains("/no/such/folder"), "{missing}");
    }

    async fn schema_apply_needs_allow_drop_and_follows_rename_hints(app) {
        app.cli(&["schema", "apply", &fixture("evolution/v1")]).await?;
        let renamed = app
            .cli(&["schema", "apply", "--rename", "product.description=summary", &fixture("evolution/v2")])
            .await?;
        assert!(renamed.contains("~ rename description -> summary"), "{renamed}");
        assert!(!renamed.contains("- description"), "{renamed}");

        // v1 has no `stock` and no `summary`: going back drops them.
        let refused = app.cli(&["schema", "apply", &fixture("evolution/v1")]).await.unwrap_err();
        assert!(refused.contains("- stock: integer (0 values will be lost)"), "the plan is shown: {refused}");
        assert!(refused.contains("--allow-drop"), "{refused}");
        let dropped = app.cli(&["schema", "apply", "--allow-drop", &fixture("evolution/v1")]).await?;
        assert!(dropped.contains("Applied"), "{dropped}");
        let malformed = app.cli(&["schema", "apply", "--rename", "nonsense", &fixture("evolution/v1")]).await.unwrap_err();
        assert!(malformed.contains("`nonsense` is not TYPE.OLD=NEW"), "{malformed}");
    }

    async fn schema_export_writes_strapi_layout(app) {
        app.cli(&["schema", "apply", &fixture("blog/src")]).await?;
        let folder = tempfile::tempdir()?;
        let output = app.cli(&["schema", "export", folder.path().to_str().unwrap()]).await?;
        assert!(output.contains("Exported 7 files."), "{output}");
        assert!(folder.path().join("api/article/content-types/article/schema.json").is_file());
        assert!(folder.path().join("components/shared/seo.json").is_file());
        let reapplied = app.cli(&["schema", "apply", folder.path().to_str().unwrap()]).await?;
        assert!(reapplied.starts_with("No changes"), "{reapplied}");
    }

    async fn admin_create_makes_an_administrator_who_can_sign_in(app) {
        let output = app
            .cli(&["admin", "create", "--email", "Admin@Example.com", "--password", "correct horse battery"])
            .await?;
        assert!(output.starts_with("Created administrator admin@example.com"), "{output}");
        let duplicate = app
            .cli(&["admin", "create", "--email", "admin@example.com", "--password", "another password"])
            .await
            .unwrap_err();
        assert!(duplicate.contains("already exists"), "{duplicate}");
        let weak = app.cli(&["admin", "create", "--email", "b@example.com", "--password", "short"]).await.unwrap_err();
        assert!(weak.contains("at least 8 characters"), "{weak}");
        let user = cairn_core::auth::admin_users::authenticate(
            app.context.db().conn(),
            "ADMIN@example.com",
            "correct horse battery",
        )
        .await?;
        assert_eq!(user.email, "admin@example.com");
    }

    async fn tokens_are_printed_once_and_kept_hashed(app) {
        let output = app
            .cli(&["token", "create", "--name", "mobile", "--type", "read-only", "--duration", "30d"])
            .await?;
        let secret = output.lines().last().unwrap_or_default().to_owned();
        assert!(secret.starts_with("cairn_") && secret.len() == 70, "{output}");
        assert!(output.contains("Created read-only token `mobile`"), "{output}");
        let listed = app.cli(&["token", "list"]).await?;
        assert!(listed.starts_with("mobile\tread-only\texpires 20"), "{listed}");
        assert!(!listed.contains(&secret));
        let stored_plain = app
            .scalar("SELECT COUNT(*) FROM cairn_api_tokens WHERE token_hash = $1", vec![secret.clone().into()])
            .await;
        assert_eq!(stored_plain, 0, "the secret itself is not stored");

        let token = api_tokens::verify(app.context.db().conn(), &secret).await?.unwrap();
        assert_eq!(token.kind, api_tokens::TokenKind::ReadOnly);
        let expires = token.expires_at.unwrap();
        let in_30_days = (cairn_core::time::now() + chrono_days(30)).to_rfc3339();
        assert_eq!(&expires[..10], &in_30_days[..10]);
        assert!(api_tokens::verify(app.context.db().conn(), "cairn_wrong").await?.is_none());

        let full = app.cli(&["token", "create", "--name", "ci", "--type", "full-access"]).await?;
        assert!(full.contains("never expires"), "{full}");
        let duplicate = app.cli(&["token", "create", "--name", "ci", "--type", "full-access"]).await.unwrap_err();
        assert!(duplicate.contains("already exists"), "{duplicate}");
        let bad_type = app.cli(&["token", "create", "--name", "x", "--type", "admin"]).await.unwrap_err();
        assert!(bad_type.contains("invalid value 'admin'"), "{bad_type}");
        let bad_duration = app.cli(&["token", "create", "--name", "x", "--type", "read-only", "--duration", "soon"]).await.unwrap_err();
        assert!(bad_duration.contains("not a duration"), "{bad_duration}");

        app.cli(&["token", "revoke", "mobile"]).await?;
        assert!(api_tokens::verify(app.context.db().conn(), &secret).await?.is_none());
        let unknown = app.cli(&["token", "revoke", "mobile"]).await.unwrap_err();
        assert!(unknown.contains("no token `mobile`"), "{unknown}");
    }

    async fn migrate_leaves_the_database_current(app) {
        assert_eq!(app.cli(&["migrate"]).await?, "Migrations are up to date.\n");
    }
}

fn chrono_days(days: i64) -> chrono::Duration {
    chrono::Duration::days(days)
}

backend_tests! {
    async fn content_import_loads_ndjson_in_batches_and_stops_at_a_bad_line(app) {
        app.apply_fixture("blog/src").await;
        let folder = tempfile::tempdir()?;
        let good = folder.path().join("articles.ndjson");
        let lines: Vec<String> = (0..5)
            .map(|i| serde_json::json!({ "title": format!("Imported {i}"), "views": i }).to_string())
            .collect();
        std::fs::write(&good, format!("{}\n\n{}\n", lines[..2].join("\n"), lines[2..].join("\n")))?;
        let output = app
            .cli(&["content", "import", "articles", good.to_str().unwrap(), "--publish", "--batch", "2"])
            .await?;
        assert_eq!(output, "Imported 5 documents into Article.\n");
        if app.backend == Backend::Postgres {
            // Statistics for every table the import wrote (-1: never analysed), so that
            // PostgreSQL plans for their real size.
            let analysed = app
                .scalar(
                    "SELECT COUNT(*) FROM pg_class WHERE reltuples >= 0 AND relname IN \
                     ('articles', 'cairn_versions', 'articles_category_lnk', 'articles_authors_lnk', 'articles_cover_lnk')",
                    vec![],
                )
                .await;
            assert_eq!(analysed, 5);
        }

        let articles = app.context.entries("api::article.article")?;
        let page = articles.find_many(&ListOptions::default()).await?;
        let mut titles: Vec<String> = page.entries().expect("entries").iter().map(|e| e["title"].as_str().unwrap().to_owned()).collect();
        titles.sort();
        assert_eq!(titles, ["Imported 0", "Imported 1", "Imported 2", "Imported 3", "Imported 4"]);
        assert!(page.entries().expect("entries").iter().all(|e| e["slug"].as_str().unwrap().starts_with("imported-")), "uids generated");

        // Line 4 lacks the title a published document needs: the batch of lines 3 and 4 is not
        // written, the one before it is, and nothing after it is read.
        let bad = folder.path().join("bad.ndjson");
        std::fs::write(
            &bad,
            "{\"title\":\"First\"}\n{\"title\":\"Second\"}\n{\"title\":\"Third\"}\n{\"views\":3}\n{\"title\":\"Fifth\"}\n",
        )?;
        let error = app
            .cli(&["content", "import", "api::article.article", bad.to_str().unwrap(), "--batch", "2", "--publish"])
            .await
            .unwrap_err();
        assert!(error.starts_with("Imported 2 documents into Article before the error below"), "{error}");
        assert!(error.contains("line 4.title"), "the file's line and the field: {error}");
        let drafts = ListOptions {
            read: ReadOptions { status: Status::Draft, ..ReadOptions::default() },
            ..ListOptions::default()
        };
        assert_eq!(articles.find_many(&drafts).await?.entries()?.len(), 7);

        let malformed = folder.path().join("malformed.ndjson");
        std::fs::write(&malformed, "{\"title\":\"Fine\"}\n[1, 2]\n")?;
        let error = app.cli(&["content", "import", "articles", malformed.to_str().unwrap()]).await.unwrap_err();
        assert!(error.contains("line 2: expected a JSON object"), "{error}");
        let missing = app.cli(&["content", "import", "nothing", good.to_str().unwrap()]).await.unwrap_err();
        assert!(missing.contains("no content type `nothing`"), "{missing}");
        assert_eq!(articles.find_many(&drafts).await?.entries()?.len(), 7, "no partial writes");
    }
}
