//! Draft & publish: the published row is a copy of the draft made by
//! publishing; edits stay in the draft until the next publish.

use cairn_core::Error;
use cairn_core::entries::{Entries, Populate, PopulateField, ReadOptions, Status, WriteOptions};
use cairn_tests::{Map, Value, backend_tests, data};

async fn read(
    entries: &Entries,
    id: &str,
    status: Status,
) -> cairn_core::Result<Option<Map<String, Value>>> {
    entries
        .find_one(
            id,
            &ReadOptions {
                status,
                populate: Populate::default()
                    .with("authors", PopulateField::default())
                    .with("seo", PopulateField::default()),
                ..ReadOptions::default()
            },
        )
        .await
}

fn names(entry: &Map<String, Value>, field: &str) -> Vec<String> {
    entry[field]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

backend_tests! {
    async fn publishing_copies_the_draft_and_edits_wait_for_the_next_publish(app) {
        app.apply_fixture("blog/src").await;
        let authors = app.context.entries("author")?;
        let ada = authors.create(&data!({"name": "Ada"}), &WriteOptions::default()).await?;
        let alan = authors.create(&data!({"name": "Alan"}), &WriteOptions::default()).await?;
        let articles = app.context.entries("article")?;
        let article = articles
            .create(
                &data!({"title": "First", "authors": [ada["documentId"]], "seo": {"metaTitle": "First"}}),
                &WriteOptions::default(),
            )
            .await?;
        let id = article["documentId"].as_str().unwrap();
        assert!(read(&articles, id, Status::Published).await?.is_none());

        let published = articles.publish(id, &WriteOptions::default()).await?;
        assert!(published["publishedAt"].is_string());
        let published = read(&articles, id, Status::Published).await?.unwrap();
        assert_eq!(published["title"], "First");
        assert_eq!(names(&published, "authors"), ["Ada"]);
        assert_eq!(published["seo"]["metaTitle"], "First");

        articles
            .update(id, &data!({"title": "Second", "authors": [alan["documentId"]]}), &WriteOptions::default())
            .await?;
        let published = read(&articles, id, Status::Published).await?.unwrap();
        assert_eq!(published["title"], "First", "the published row is untouched");
        assert_eq!(names(&published, "authors"), ["Ada"], "and so are its relations");
        let draft = read(&articles, id, Status::Draft).await?.unwrap();
        assert_eq!(draft["title"], "Second");
        assert_eq!(names(&draft, "authors"), ["Alan"]);
        assert_eq!(draft["publishedAt"], Value::Null);

        articles.publish(id, &WriteOptions::default()).await?;
        let published = read(&articles, id, Status::Published).await?.unwrap();
        assert_eq!(published["title"], "Second");
        assert_eq!(names(&published, "authors"), ["Alan"]);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM articles", vec![]).await, 2, "one draft, one published row");
    }

    async fn publishing_enforces_required_fields(app) {
        app.apply_fixture("blog/src").await;
        let articles = app.context.entries("article")?;
        let draft = articles
            .create(&data!({"body": "no title yet", "seo": {"metaDescription": "no meta title"}}), &WriteOptions::default())
            .await?;
        let id = draft["documentId"].as_str().unwrap();
        let Error::Validation(errors) = articles.publish(id, &WriteOptions::default()).await.unwrap_err() else {
            panic!("expected a validation error");
        };
        let paths: Vec<String> = errors.errors.iter().map(|e| e.path.to_string()).collect();
        assert!(paths.contains(&"title".to_owned()), "{paths:?}");
        assert!(paths.contains(&"seo.metaTitle".to_owned()), "{paths:?}");
        assert!(read(&articles, id, Status::Published).await?.is_none(), "nothing was published");

        let refused = articles
            .create(&data!({"body": "still no title"}), &WriteOptions { publish: true, ..WriteOptions::default() })
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Validation(_)), "{refused}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM articles", vec![]).await, 1, "the refused create wrote nothing");
    }

    async fn unpublish_keeps_the_draft_and_discard_resets_it(app) {
        app.apply_fixture("blog/src").await;
        let articles = app.context.entries("article")?;
        let article = articles
            .create(&data!({"title": "Kept", "body": "v1"}), &WriteOptions { publish: true, ..WriteOptions::default() })
            .await?;
        let id = article["documentId"].as_str().unwrap();
        assert!(article["publishedAt"].is_string());

        let draft = articles.unpublish(id, &WriteOptions::default()).await?;
        assert_eq!(draft["title"], "Kept");
        assert!(read(&articles, id, Status::Published).await?.is_none());
        let again = articles.unpublish(id, &WriteOptions::default()).await.unwrap_err();
        assert!(again.to_string().contains("is not published"), "{again}");
        let never = articles.discard_draft(id, &WriteOptions::default()).await.unwrap_err();
        assert!(never.to_string().contains("is not published"), "{never}");

        articles.publish(id, &WriteOptions::default()).await?;
        articles.update(id, &data!({"body": "v2", "title": "Changed"}), &WriteOptions::default()).await?;
        let reset = articles.discard_draft(id, &WriteOptions::default()).await?;
        assert_eq!(reset["body"], "v1");
        assert_eq!(reset["title"], "Kept");
        assert_eq!(reset["publishedAt"], Value::Null);
    }

    async fn types_without_draft_and_publish_are_always_published(app) {
        app.apply_fixture("blog/src").await;
        let categories = app.context.entries("category")?;
        let category = categories.create(&data!({"name": "Live"}), &WriteOptions::default()).await?;
        assert!(category["publishedAt"].is_string());
        let id = category["documentId"].as_str().unwrap();
        let refused = categories.publish(id, &WriteOptions::default()).await.unwrap_err();
        assert!(refused.to_string().contains("does not use draft & publish"), "{refused}");
        let drafts = categories.find_one(id, &ReadOptions { status: Status::Draft, ..ReadOptions::default() }).await?;
        assert_eq!(drafts.map(|e| e["name"].clone()), Some("Live".into()));
    }
}
