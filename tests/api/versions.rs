//! Versions: a snapshot on every save and publish, listed newest first,
//! restorable, pruned past the configured number.

use cairn_core::entries::{
    LocaleScope, Populate, PopulateField, ReadOptions, Status, WriteOptions,
};
use cairn_tests::{Value, backend_tests, data};

backend_tests! {
    async fn every_save_and_publish_is_a_version_and_restore_brings_values_back(app) {
        app.apply_fixture("blog/src").await;
        let category = app.context.entries("category")?.create(&data!({"name": "Tech"}), &WriteOptions::default()).await?;
        let articles = app.context.entries("article")?;
        let created = articles
            .create(
                &data!({"title": "Version one", "body": "first", "category": category["documentId"], "seo": {"metaTitle": "One"}}),
                &WriteOptions::default(),
            )
            .await?;
        let id = created["documentId"].as_str().unwrap();
        articles.update(id, &data!({"title": "Version two", "category": null, "seo": null}), &WriteOptions::default()).await?;
        articles.publish(id, &WriteOptions::default()).await?;

        let history = articles.versions(id, None).await?;
        let reasons: Vec<&str> = history.iter().map(|v| v.reason.as_str()).collect();
        assert_eq!(reasons, ["publish", "update", "create"]);
        assert_eq!(history[0].status, Status::Published);
        let first = articles.version(history[2].id).await?;
        assert_eq!(first.data["title"], "Version one");
        assert_eq!(first.data["category"], category["documentId"]);
        assert!(first.data.get("editorNotes").is_some());

        let restored = articles.restore(history[2].id, None).await?;
        assert_eq!(restored["title"], "Version one");
        assert_eq!(restored["body"], "first");
        let draft = articles
            .find_one(id, &ReadOptions {
                status: Status::Draft,
                populate: Populate::default().with("category", PopulateField::default()).with("seo", PopulateField::default()),
                ..ReadOptions::default()
            })
            .await?
            .unwrap();
        assert_eq!(draft["category"]["name"], "Tech");
        assert_eq!(draft["seo"]["metaTitle"], "One");
        let published = articles.find_one(id, &ReadOptions::default()).await?.unwrap();
        assert_eq!(published["title"], "Version two", "a restore changes the draft only");
        assert_eq!(articles.versions(id, None).await?[0].reason, "restore");
    }

    async fn restore_skips_links_to_deleted_documents(app) {
        app.apply_fixture("blog/src").await;
        let categories = app.context.entries("category")?;
        let category = categories.create(&data!({"name": "Gone soon"}), &WriteOptions::default()).await?;
        let articles = app.context.entries("article")?;
        let created = articles
            .create(&data!({"title": "Linked", "category": category["documentId"]}), &WriteOptions::default())
            .await?;
        let id = created["documentId"].as_str().unwrap();
        categories.delete(category["documentId"].as_str().unwrap(), LocaleScope::All).await?;
        let version = articles.versions(id, None).await?[0].id;
        let restored = articles.restore(version, None).await?;
        assert_eq!(restored["title"], "Linked");
        let draft = articles
            .find_one(id, &ReadOptions {
                status: Status::Draft,
                populate: Populate::default().with("category", PopulateField::default()),
                ..ReadOptions::default()
            })
            .await?
            .unwrap();
        assert_eq!(draft["category"], Value::Null);
    }

    async fn old_versions_are_pruned(app) {
        let mut app = app;
        app.reconfigure("[content]\nmax_versions_per_document = 3\n").await;
        app.apply_fixture("blog/src").await;
        let articles = app.context.entries("article")?;
        let created = articles.create(&data!({"title": "Edit 0"}), &WriteOptions::default()).await?;
        let id = created["documentId"].as_str().unwrap();
        for i in 1..=5 {
            articles.update(id, &data!({"title": format!("Edit {i}")}), &WriteOptions::default()).await?;
        }
        let history = articles.versions(id, None).await?;
        assert_eq!(history.len(), 3);
        let newest = articles.version(history[0].id).await?;
        assert_eq!(newest.data["title"], "Edit 5");
        let oldest = articles.version(history[2].id).await?;
        assert_eq!(oldest.data["title"], "Edit 3");
        assert!(articles.version(999_999).await.is_err());
    }
}
