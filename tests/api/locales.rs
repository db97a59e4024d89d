//! i18n: one row per locale sharing the documentId, shared (non-localized)
//! fields copied across locales, and the configured locales themselves.

use cairn_core::entries::{LocaleScope, ReadOptions, Status, WriteOptions};
use cairn_core::{Error, locales};
use cairn_tests::{TestApp, backend_tests, data};

fn in_locale(locale: &str) -> WriteOptions {
    WriteOptions {
        locale: Some(locale.to_owned()),
        ..WriteOptions::default()
    }
}

fn draft_in(locale: &str) -> ReadOptions {
    ReadOptions {
        locale: Some(locale.to_owned()),
        status: Status::Draft,
        ..ReadOptions::default()
    }
}

async fn with_french(app: &TestApp) -> cairn_core::Result<()> {
    app.apply_fixture("blog/src").await;
    locales::create(app.context.db(), "fr", "Français", false).await?;
    Ok(())
}

backend_tests! {
    async fn each_locale_is_a_row_of_the_same_document(app) {
        with_french(&app).await?;
        let articles = app.context.entries("article")?;
        let english = articles.create(&data!({"title": "Hello", "views": 3}), &WriteOptions::default()).await?;
        let id = english["documentId"].as_str().unwrap();
        let french = articles.update(id, &data!({"title": "Bonjour"}), &in_locale("fr")).await?;
        assert_eq!(french["documentId"], english["documentId"]);
        assert_eq!(french["locale"], "fr");
        assert_eq!(french["title"], "Bonjour");
        assert_eq!(french["slug"], "bonjour");
        assert_eq!(french["views"], 3, "a new locale starts with the shared values");

        let english = articles.find_one(id, &draft_in("en")).await?.unwrap();
        assert_eq!(english["title"], "Hello");
        let mut locales = articles.document_locales(id).await?;
        locales.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(locales, vec![("en".to_owned(), Status::Draft), ("fr".to_owned(), Status::Draft)]);

        articles.publish(id, &in_locale("fr")).await?;
        assert!(articles.find_one(id, &ReadOptions { locale: Some("fr".into()), ..ReadOptions::default() }).await?.is_some());
        assert!(articles.find_one(id, &ReadOptions::default()).await?.is_none(), "English is still a draft");
    }

    async fn shared_fields_are_the_same_in_every_locale(app) {
        with_french(&app).await?;
        let articles = app.context.entries("article")?;
        let english = articles.create(&data!({"title": "Hello"}), &WriteOptions::default()).await?;
        let id = english["documentId"].as_str().unwrap();
        articles.update(id, &data!({"title": "Bonjour"}), &in_locale("fr")).await?;
        articles.update(id, &data!({"views": 42, "title": "Hello again"}), &WriteOptions::default()).await?;
        let french = articles.find_one(id, &draft_in("fr")).await?.unwrap();
        assert_eq!(french["views"], 42, "views is not localized");
        assert_eq!(french["title"], "Bonjour", "title is");
    }

    async fn unknown_locales_are_refused(app) {
        with_french(&app).await?;
        let articles = app.context.entries("article")?;
        let english = articles.create(&data!({"title": "Hello"}), &WriteOptions::default()).await?;
        let error = articles
            .update(english["documentId"].as_str().unwrap(), &data!({"title": "Hallo"}), &in_locale("de"))
            .await
            .unwrap_err();
        assert!(error.to_string().contains("locale `de` is not configured"), "{error}");
        let invalid = locales::create(app.context.db(), "Deutsch", "German", false).await.unwrap_err();
        assert!(invalid.to_string().contains("not a locale code"), "{invalid}");
        let duplicate = locales::create(app.context.db(), "fr", "French", false).await.unwrap_err();
        assert!(duplicate.to_string().contains("already exists"), "{duplicate}");
    }

    async fn deleting_a_locale_keeps_the_others(app) {
        with_french(&app).await?;
        let articles = app.context.entries("article")?;
        let english = articles.create(&data!({"title": "Hello"}), &WriteOptions::default()).await?;
        let id = english["documentId"].as_str().unwrap();
        articles.update(id, &data!({"title": "Bonjour"}), &in_locale("fr")).await?;

        let refused = app.context.delete_locale("fr").await.unwrap_err();
        assert!(refused.to_string().contains("1 entries are written in `fr`"), "{refused}");
        articles.delete(id, LocaleScope::One("fr".into())).await?;
        assert!(articles.find_one(id, &draft_in("fr")).await?.is_none());
        assert!(articles.find_one(id, &draft_in("en")).await?.is_some());
        app.context.delete_locale("fr").await?;
        let default = app.context.delete_locale("en").await.unwrap_err();
        assert!(default.to_string().contains("default locale"), "{default}");
        articles.delete(id, LocaleScope::Default).await?;
        assert!(articles.find_one(id, &draft_in("en")).await?.is_none());
        assert!(matches!(app.context.delete_locale("fr").await.unwrap_err(), Error::LocaleNotFound { .. }));
    }

    async fn the_default_locale_can_change(app) {
        with_french(&app).await?;
        locales::set_default(app.context.db(), "fr").await?;
        let all = locales::list(app.context.db().conn()).await?;
        assert_eq!(all[0].code, "fr");
        assert!(all[0].is_default);
        assert!(!all[1].is_default);
        let article = app.context.entries("article")?.create(&data!({"title": "Salut"}), &WriteOptions::default()).await?;
        assert_eq!(article["locale"], "fr");
    }
}
