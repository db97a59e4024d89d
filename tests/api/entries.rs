//! The entries service: create, read, update, delete, validation with paths,
//! uids, uniqueness, private fields, single types and lists.

use cairn_core::Error;
use cairn_core::entries::{
    ListOptions, LocaleScope, Populate, PopulateField, ReadOptions, Status, WriteOptions,
};
use cairn_core::query::{Pagination, Sort};
use cairn_tests::{TestApp, Value, assert_failure, backend_tests, data};

async fn blog(app: &TestApp) {
    app.apply_fixture("blog/src").await;
}

fn draft() -> ReadOptions {
    ReadOptions {
        status: Status::Draft,
        include_private: true,
        ..ReadOptions::default()
    }
}

/// The (path, message) pairs of a validation error.
fn failures(error: Error) -> Vec<(String, String)> {
    match error {
        Error::Validation(errors) => errors
            .errors
            .into_iter()
            .map(|e| (e.path.to_string(), e.message))
            .collect(),
        other => panic!("expected a validation error, got {other}"),
    }
}

backend_tests! {
    async fn create_fills_defaults_generates_the_slug_and_starts_as_a_draft(app) {
        blog(&app).await;
        let articles = app.context.entries("articles")?;
        let entry = articles
            .create(&data!({"title": "Hello World", "body": "First post", "editorNotes": "check facts"}), &WriteOptions::default())
            .await?;
        let document_id = entry["documentId"].as_str().unwrap();
        assert_eq!(document_id.len(), 24);
        assert_eq!(entry["title"], "Hello World");
        assert_eq!(entry["slug"], "hello-world");
        assert_eq!(entry["views"], 0);
        assert_eq!(entry["featured"], false);
        assert_eq!(entry["publishedAt"], Value::Null);
        assert_eq!(entry["locale"], "en");
        assert_eq!(entry["editorNotes"], "check facts");
        assert!(entry["createdAt"].as_str().unwrap().ends_with('Z'));

        let published = articles.find_one(document_id, &ReadOptions::default()).await?;
        assert!(published.is_none(), "a draft is not delivered");
        let again = articles.find_one(document_id, &draft()).await?.unwrap();
        assert_eq!(again, entry);
    }

    async fn validation_reports_every_failing_field_with_its_path(app) {
        blog(&app).await;
        let articles = app.context.entries("article")?;
        let error = articles
            .create(
                &data!({
                    "title": "Hi",
                    "views": -1,
                    "rating": 7,
                    "status": "done",
                    "featured": "yes",
                    "colour": "red",
                    "seo": {"metaTitle": "x".repeat(61), "metaDescription": 5},
                    "blocks": [
                        {"__component": "shared.quote", "text": 3},
                        {"__component": "shared.nope"},
                        {"text": "no kind"}
                    ],
                    "category": "nope123",
                    "cover": 999
                }),
                &WriteOptions::default(),
            )
            .await
            .unwrap_err();
        let found = failures(error);
        assert_failure(&found, "title", "at least 3 characters");
        assert_failure(&found, "views", "at least 0");
        assert_failure(&found, "rating", "at most 5");
        assert_failure(&found, "status", "must be one of: idea, writing, review");
        assert_failure(&found, "featured", "true or false");
        assert_failure(&found, "colour", "not a field of Article");
        assert_failure(&found, "seo.metaTitle", "at most 60 characters");
        assert_failure(&found, "seo.metaDescription", "must be a string");
        assert_failure(&found, "blocks.0.text", "must be a string");
        assert_failure(&found, "blocks.1.__component", "`shared.nope` is not allowed here");
        assert_failure(&found, "blocks.2.__component", "needs `__component`");
        assert_failure(&found, "category", "no api::category.category with documentId `nope123`");
        assert_failure(&found, "cover", "no file with id 999");
        assert_eq!(found.len(), 13, "{found:#?}");
        let page = articles.find_many(&ListOptions { read: draft(), ..ListOptions::default() }).await?;
        assert_eq!(page.total, Some(0), "nothing was written");
    }

    async fn required_fields_and_passwords_without_draft_and_publish(app) {
        blog(&app).await;
        let categories = app.context.entries("category")?;
        let found = failures(categories.create(&data!({}), &WriteOptions::default()).await.unwrap_err());
        assert_eq!(found, vec![("name".to_owned(), "this field is required".to_owned())]);

        let authors = app.context.entries("author")?;
        let found = failures(
            authors
                .create(&data!({"name": "Ada", "password": "short"}), &WriteOptions::default())
                .await
                .unwrap_err(),
        );
        assert_failure(&found, "password", "at least 8 characters");
        let ada = authors
            .create(&data!({"name": "Ada", "email": "ada@example.com", "password": "analytical engine"}), &WriteOptions::default())
            .await?;
        assert!(ada.get("password").is_none(), "passwords are never returned");
        let hash_is_argon2 = app
            .scalar(
                "SELECT COUNT(*) FROM authors WHERE password LIKE '$argon2id$%' AND document_id = $1",
                vec![ada["documentId"].as_str().unwrap().into()],
            )
            .await;
        assert_eq!(hash_is_argon2, 1, "the password is stored as an argon2id hash");
        let public = authors
            .find_one(ada["documentId"].as_str().unwrap(), &ReadOptions::default())
            .await?
            .unwrap();
        assert!(public.get("email").is_none(), "private fields stay in unless asked for");
        assert!(public.get("password").is_none());
    }

    async fn unique_values_and_generated_uids_stay_unique(app) {
        blog(&app).await;
        let categories = app.context.entries("category")?;
        categories.create(&data!({"name": "Rust"}), &WriteOptions::default()).await?;
        let found = failures(categories.create(&data!({"name": "Rust"}), &WriteOptions::default()).await.unwrap_err());
        assert_failure(&found, "name", "already used");

        let articles = app.context.entries("article")?;
        let first = articles.create(&data!({"title": "Same Title"}), &WriteOptions::default()).await?;
        let second = articles.create(&data!({"title": "Same Title"}), &WriteOptions::default()).await?;
        let third = articles.create(&data!({"title": "Same Title"}), &WriteOptions::default()).await?;
        assert_eq!(first["slug"], "same-title");
        assert_eq!(second["slug"], "same-title-1");
        assert_eq!(third["slug"], "same-title-2");
        let custom = articles.create(&data!({"title": "Other", "slug": "my-own"}), &WriteOptions::default()).await?;
        assert_eq!(custom["slug"], "my-own");
        let found = failures(
            articles.create(&data!({"title": "Taken", "slug": "my-own"}), &WriteOptions::default()).await.unwrap_err(),
        );
        assert_failure(&found, "slug", "already used");
        let found = failures(
            articles.create(&data!({"title": "Spaces", "slug": "has spaces"}), &WriteOptions::default()).await.unwrap_err(),
        );
        assert_failure(&found, "slug", "letters, digits");
        // Changing the title later keeps the slug.
        let id = first["documentId"].as_str().unwrap();
        let renamed = articles.update(id, &data!({"title": "Renamed"}), &WriteOptions::default()).await?;
        assert_eq!(renamed["slug"], "same-title");
    }

    async fn updates_are_partial_and_unknown_documents_are_not_found(app) {
        blog(&app).await;
        let articles = app.context.entries("article")?;
        let entry = articles
            .create(&data!({"title": "Original", "body": "Text", "rating": 4.5, "status": "idea"}), &WriteOptions::default())
            .await?;
        let id = entry["documentId"].as_str().unwrap();
        let updated = articles.update(id, &data!({"status": "review", "rating": null}), &WriteOptions::default()).await?;
        assert_eq!(updated["title"], "Original");
        assert_eq!(updated["body"], "Text");
        assert_eq!(updated["status"], "review");
        assert_eq!(updated["rating"], Value::Null);
        assert_eq!(updated["createdAt"], entry["createdAt"]);

        let missing = articles.update("doesnotexist000000000000", &data!({"title": "x"}), &WriteOptions::default()).await.unwrap_err();
        assert!(matches!(missing, Error::EntryNotFound { .. }), "{missing}");
        let missing = articles.delete("doesnotexist000000000000", LocaleScope::All).await.unwrap_err();
        assert!(matches!(missing, Error::EntryNotFound { .. }), "{missing}");
        assert!(matches!(app.context.entries("nothing").err(), Some(Error::ContentTypeNotFound { .. })));
    }

    async fn deleting_a_document_removes_the_links_to_it(app) {
        blog(&app).await;
        let category = app.context.entries("category")?.create(&data!({"name": "News"}), &WriteOptions::default()).await?;
        let category_id = category["documentId"].as_str().unwrap();
        let articles = app.context.entries("article")?;
        let article = articles
            .create(&data!({"title": "Linked", "category": category_id}), &WriteOptions { publish: true, ..WriteOptions::default() })
            .await?;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM articles_category_lnk", vec![]).await, 2, "draft and published rows link");

        app.context.entries("category")?.delete(category_id, LocaleScope::All).await?;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM articles_category_lnk", vec![]).await, 0);
        let read = articles
            .find_one(article["documentId"].as_str().unwrap(), &ReadOptions {
                populate: Populate::default().with("category", PopulateField::default()),
                ..ReadOptions::default()
            })
            .await?
            .unwrap();
        assert_eq!(read["category"], Value::Null);
    }

    async fn single_types_hold_one_entry(app) {
        blog(&app).await;
        let homepage = app.context.entries("homepage")?;
        assert!(homepage.find_single(&ReadOptions::default()).await?.is_none());
        let first = homepage.create(&data!({"headline": "Welcome"}), &WriteOptions::default()).await?;
        let refused = homepage.create(&data!({"headline": "Again"}), &WriteOptions::default()).await.unwrap_err();
        assert!(refused.to_string().contains("single type"), "{refused}");
        let updated = homepage.upsert_single(&data!({"headline": "Hello"}), &WriteOptions::default()).await?;
        assert_eq!(updated["documentId"], first["documentId"]);
        assert_eq!(updated["headline"], "Hello");
        let found = homepage.find_single(&ReadOptions::default()).await?.unwrap();
        assert_eq!(found["headline"], "Hello");
    }

    async fn lists_page_and_sort(app) {
        blog(&app).await;
        let categories = app.context.entries("category")?;
        for name in ["Delta", "Alpha", "Echo", "Charlie", "Bravo"] {
            categories.create(&data!({"name": name}), &WriteOptions::default()).await?;
        }
        let page = categories
            .find_many(&ListOptions {
                sort: vec![Sort { path: vec!["name".into()], descending: true }],
                pagination: Pagination::Offset { start: 1, limit: 2, with_count: true },
                ..ListOptions::default()
            })
            .await?;
        assert_eq!(page.total, Some(5));
        let entries = page.entries().expect("entries");
        let names: Vec<&str> = entries.iter().map(|e| e["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Delta", "Charlie"]);
        let refused = app
            .context
            .entries("author")?
            .find_many(&ListOptions { sort: vec![Sort { path: vec!["password".into()], descending: false }], ..ListOptions::default() })
            .await
            .unwrap_err();
        assert!(refused.to_string().contains("cannot sort by private field `password`"), "{refused}");
    }
}
