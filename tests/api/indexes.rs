//! Indexes a content type declares: built with the schema, put right at
//! start-up, read through, moved with a renamed field, dropped, and refused
//! when they cannot work.

use cairn_core::AppContext;
use cairn_core::config::Config;
use cairn_core::entries::WriteOptions;
use cairn_core::schema::ddl::{ChangeRequest, FieldRename};
use cairn_core::schema::load;
use cairn_tests::{TestApp, Value, assert_failure, backend_tests, data, json, type_def};
use sea_orm::ConnectionTrait;

use crate::management::signed_in;

const BY_DATE_AND_VIEWS: &str = "ix_articles_by_published_at_id_views";

fn blog_with_indexes(indexes: Vec<Value>) -> cairn_core::Result<ChangeRequest> {
    let mut sources = load::load(&TestApp::fixture("blog/src"))?;
    type_def(&mut sources, "article").indexes = indexes;
    Ok(ChangeRequest {
        sources,
        ..ChangeRequest::default()
    })
}

backend_tests! {
    async fn declared_indexes_follow_the_schema(app) {
        let mut app = app;
        let request = blog_with_indexes(vec![
            json!({"fields": ["publishedAt", "id", "views"]}),
            json!({"fields": ["status", "rating"]}),
        ])?;
        app.context.apply_schema(&request, false).await?;
        assert_eq!(
            app.index_columns(BY_DATE_AND_VIEWS).await.as_deref(),
            Some("published,locale,published_at,id,views"),
            "state and locale lead; the id is not repeated"
        );
        assert_eq!(
            app.index_columns("ix_articles_by_status_rating").await.as_deref(),
            Some("published,locale,status,rating,id"),
            "the id ends every declared index"
        );
        assert_eq!(
            app.index_columns("ix_articles_published_at").await,
            None,
            "the built-in index the declared one begins with is not kept beside it"
        );
        assert!(app.context.apply_schema(&request, false).await?.is_empty(), "applying again changes nothing");

        // A database an earlier rule built, or that lost an index by hand,
        // is put right when Cairn starts.
        let conn = app.context.db().conn();
        conn.execute_unprepared(
            "CREATE INDEX ix_articles_published_at ON articles (published, locale, published_at, id)",
        )
        .await?;
        conn.execute_unprepared("DROP INDEX ix_articles_by_status_rating").await?;
        app.restart().await;
        assert_eq!(app.index_columns("ix_articles_published_at").await, None, "the superseded index is dropped");
        assert_eq!(
            app.index_columns("ix_articles_by_status_rating").await.as_deref(),
            Some("published,locale,status,rating,id"),
            "the missing index is back"
        );
        // Two instances starting at once both find it missing, and both start.
        app.context.db().conn().execute_unprepared("DROP INDEX ix_articles_by_status_rating").await?;
        let config = || Config::load(Some(&app.config_path));
        let (first, second) = tokio::join!(AppContext::start(config()?), AppContext::start(config()?));
        for context in [first?, second?] {
            context.close().await?;
        }
        app.restart().await;
        assert!(app.index_columns("ix_articles_by_status_rating").await.is_some());
        assert!(app.context.apply_schema(&request, false).await?.is_empty(), "the schema still matches");

        // Reads the index serves give the rows the table gives.
        let articles = app.context.entries("article")?;
        let publish = WriteOptions { publish: true, ..WriteOptions::default() };
        for (title, views) in [("Alpha", 10), ("Bravo", 700), ("Charlie", 900), ("Delta", 40)] {
            articles.create(&data!({"title": title, "views": views}), &publish).await?;
        }
        let server = app.serve().await;
        let token = app.token("read-only").await;
        let (status, body) = server
            .send(
                server
                    .client
                    .get(server.url("/api/articles?filters[views][$gt]=100&sort=publishedAt:desc&fields[0]=title"))
                    .bearer_auth(&token),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let titles: Vec<&str> = body["data"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["Charlie", "Bravo"]);
        assert_eq!(body["meta"]["pagination"]["total"], 2);
        server.stop().await;

        // A renamed field takes its indexes along; a removed declaration goes.
        let mut request = blog_with_indexes(vec![json!({"fields": ["publishedAt", "id", "readCount"]})])?;
        let article = type_def(&mut request.sources, "article");
        let views = article.attributes.shift_remove("views").unwrap();
        article.attributes.insert("readCount".into(), views);
        request.field_renames = vec![FieldRename {
            type_uid: "api::article.article".into(),
            from: "views".into(),
            to: "readCount".into(),
        }];
        let plan = app.context.apply_schema(&request, false).await?.to_string();
        for line in [
            "~ rename views -> readCount",
            "- index (publishedAt, id, views)",
            "- index (status, rating)",
            "+ index (publishedAt, id, readCount)",
        ] {
            assert!(plan.contains(line), "{line:?} in\n{plan}");
        }
        assert_eq!(app.index_columns(BY_DATE_AND_VIEWS).await, None);
        assert_eq!(app.index_columns("ix_articles_by_status_rating").await, None);
        assert_eq!(
            app.index_columns("ix_articles_by_published_at_id_read_count").await.as_deref(),
            Some("published,locale,published_at,id,read_count")
        );
        let kept = app.scalar("SELECT COUNT(*) FROM articles WHERE read_count > 100", vec![]).await;
        assert_eq!(kept, 4, "two documents, each a draft and a published row");

        // Without declarations the built-in index is back.
        type_def(&mut request.sources, "article").indexes = vec![];
        request.field_renames.clear();
        app.context.apply_schema(&request, false).await?;
        assert_eq!(
            app.index_columns("ix_articles_published_at").await.as_deref(),
            Some("published,locale,published_at,id")
        );
    }

    async fn impossible_indexes_are_refused_with_their_path(app) {
        app.apply_fixture("blog/src").await;
        let (server, token) = signed_in(&app).await;
        let sources = load::load(&TestApp::fixture("blog/src"))?;
        let mut article = serde_json::to_value(&sources.content_types.iter().find(|s| s.uid == "api::article.article").unwrap().def)?;
        article["indexes"] = json!([
            {"fields": ["category"]},
            {"fields": ["body", "nope"]},
            {"fields": []},
            {"fields": ["views"], "unique": true},
            {"fields": ["publishedAt"]},
            {"fields": ["views", "views"]},
            {"fields": ["rating"]},
            {"fields": ["rating"]},
            "views",
            {"fields": ["x_y", "z"]},
            {"fields": ["x", "y_z"]}
        ]);
        for name in ["x_y", "z", "x", "y_z"] {
            article["attributes"][name] = json!({"type": "integer"});
        }
        let request = json!({"contentTypes": [{"uid": "api::article.article", "schema": article}]});
        let (status, body) = server
            .send(server.client.post(server.url("/management/schema/apply")).bearer_auth(&token).json(&request))
            .await;
        assert_eq!(status, 400, "{body}");
        let errors: Vec<(String, String)> = body["error"]["details"]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let path: Vec<&str> = e["path"].as_array().unwrap()[1..].iter().map(|p| p.as_str().unwrap()).collect();
                (path.join("."), e["message"].as_str().unwrap().to_owned())
            })
            .collect();
        let expect = |path: &str, fragment: &str| assert_failure(&errors, path, fragment);
        expect("indexes.0.fields.0", "`category` is a relation field: its values live in another table");
        expect("indexes.1.fields.0", "`body` is a richtext field: its values are too long to index");
        expect("indexes.1.fields.1", "`nope` is not a field of this type");
        expect("indexes.2.fields", "an index lists 1 to 6 fields");
        expect("indexes.3.unique", "cannot be unique");
        expect("indexes.4", "Cairn always keeps an index on (publishedAt)");
        expect("indexes.5.fields.1", "`views` is listed twice");
        expect("indexes.7", "an index on (rating) is declared twice");
        expect("indexes.8", "an index is an object");
        expect("indexes.10", "an index on (x, y_z) would take the name of another one");
        assert_eq!(errors.len(), 10, "{errors:#?}");
        assert_eq!(app.index_columns("ix_articles_by_rating").await, None, "nothing was applied");
        server.stop().await;
    }
}
