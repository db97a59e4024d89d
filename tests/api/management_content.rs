//! Content over the management API, as the admin's content manager uses
//! it: drafts and private fields, publish, unpublish, discard, history and
//! restore, bulk actions, and saves refused when made on a stale version.

use cairn_tests::{TestApp, TestServer, Value, backend_tests, json};

use crate::management::signed_in;

struct Editor {
    server: TestServer,
    token: String,
}

impl Editor {
    async fn start(app: &TestApp) -> Editor {
        app.apply_fixture("blog/src").await;
        let (server, token) = signed_in(app).await;
        Editor { server, token }
    }

    fn url(&self, path: &str) -> String {
        self.server.url(&format!("/management/content/{path}"))
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.server
            .send(
                self.server
                    .client
                    .get(self.url(path))
                    .bearer_auth(&self.token),
            )
            .await
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.server
            .send(
                self.server
                    .client
                    .post(self.url(path))
                    .bearer_auth(&self.token)
                    .json(&body),
            )
            .await
    }

    async fn put(&self, path: &str, body: Value, if_match: Option<&str>) -> (u16, Value) {
        let mut request = self
            .server
            .client
            .put(self.url(path))
            .bearer_auth(&self.token)
            .json(&body);
        if let Some(tag) = if_match {
            request = request.header("if-match", tag);
        }
        self.server.send(request).await
    }

    async fn create(&self, data: Value) -> String {
        let (status, body) = self.post("articles", json!({ "data": data })).await;
        assert_eq!(status, 201, "{body}");
        body["data"]["documentId"].as_str().unwrap().to_owned()
    }
}

backend_tests! {
    async fn editors_read_drafts_write_publish_and_restore(app) {
        let editor = Editor::start(&app).await;
        let id = editor.create(json!({"title": "First words", "editorNotes": "only for us"})).await;

        // Drafts and private fields are what the content manager reads.
        let (status, body) = editor.get("api::article.article").await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"][0]["title"], "First words");
        assert_eq!(body["data"][0]["editorNotes"], "only for us");
        assert_eq!(body["meta"]["pagination"]["total"], 1);
        let (status, body) = editor.get("articles?status=published").await;
        assert_eq!((status, body["data"].as_array().map(Vec::len)), (200, Some(0)));

        // A read carries its version, as meta and as the ETag.
        let response = editor.server.client.get(editor.url(&format!("article/{id}"))).bearer_auth(&editor.token).send().await?;
        let etag = response.headers()["etag"].to_str()?.to_owned();
        let body: Value = response.json().await?;
        let first = body["meta"]["version"].as_i64().unwrap();
        assert_eq!(etag, format!("\"{first}\""));
        assert!(body["meta"]["savedBy"].is_i64(), "{body}");

        let (status, body) = editor.put(&format!("articles/{id}"), json!({"data": {"title": "Second words"}}), Some(&etag)).await;
        assert_eq!(status, 200, "{body}");
        let second = body["meta"]["version"].as_i64().unwrap();
        assert!(second > first);

        // Publish, unpublish, publish again, change the draft, discard the change.
        let (status, body) = editor.post(&format!("articles/{id}/publish"), json!({"version": second})).await;
        assert_eq!(status, 200, "{body}");
        let (_, body) = editor.get("articles?status=published").await;
        assert_eq!(body["data"][0]["title"], "Second words");
        let (status, _) = editor.post(&format!("articles/{id}/unpublish"), json!({})).await;
        assert_eq!(status, 200);
        let (_, body) = editor.get("articles?status=published").await;
        assert_eq!(body["data"].as_array().map(Vec::len), Some(0));
        editor.post(&format!("articles/{id}/publish"), json!({})).await;
        editor.put(&format!("articles/{id}"), json!({"data": {"title": "Unwanted"}}), None).await;
        let (status, body) = editor.post(&format!("articles/{id}/discard"), json!({})).await;
        assert_eq!((status, body["data"]["title"].clone()), (200, json!("Second words")), "{body}");

        // History: every save is there; restoring one is a new save.
        let (status, body) = editor.get(&format!("articles/{id}/versions")).await;
        assert_eq!(status, 200, "{body}");
        let reasons: Vec<&str> = body["data"].as_array().unwrap().iter().map(|v| v["reason"].as_str().unwrap()).collect();
        assert_eq!(reasons, ["discard", "update", "publish", "publish", "update", "create"]);
        let (status, body) = editor.get(&format!("articles/{id}/versions/{first}")).await;
        assert_eq!((status, body["data"]["data"]["title"].clone()), (200, json!("First words")));
        let (status, body) = editor.post(&format!("articles/{id}/versions/{first}/restore"), json!({})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["title"], "First words");
        let (_, body) = editor.get(&format!("articles/{id}/versions")).await;
        assert_eq!(body["data"][0]["reason"], "restore");
        assert_eq!(body["data"].as_array().map(Vec::len), Some(7), "history is never rewritten");

        // A version of another document is not found under this one.
        let other = editor.create(json!({"title": "Another one"})).await;
        let (status, _) = editor.get(&format!("articles/{other}/versions/{first}")).await;
        assert_eq!(status, 404);

        let (status, _) = editor.server.send(editor.server.client.delete(editor.url(&format!("articles/{id}"))).bearer_auth(&editor.token)).await;
        assert_eq!(status, 204);
        let (status, body) = editor.get(&format!("articles/{id}")).await;
        assert_eq!(status, 404, "{body}");
        assert_eq!(body["error"]["name"], "NotFoundError");
        let (status, _) = editor.get("api::nothing.nothing").await;
        assert_eq!(status, 404);
        let (status, _) = editor.server.send(editor.server.client.get(editor.url("articles"))).await;
        assert_eq!(status, 401, "no session, no content");
    }

    async fn a_save_made_on_a_stale_version_is_refused_with_who_and_when(app) {
        let editor = Editor::start(&app).await;
        let id = editor.create(json!({"title": "Shared page"})).await;
        let (_, body) = editor.get(&format!("articles/{id}")).await;
        let opened = body["meta"]["version"].as_i64().unwrap();
        let tag = format!("\"{opened}\"");

        // The first of two editors who opened the same version saves...
        let (status, _) = editor.put(&format!("articles/{id}"), json!({"data": {"title": "Mine"}}), Some(&tag)).await;
        assert_eq!(status, 200);
        // ...and the second is told, with the current version and who saved it.
        let (status, body) = editor.put(&format!("articles/{id}"), json!({"data": {"title": "Theirs"}}), Some(&tag)).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["error"]["name"], "ConflictError");
        assert!(body["error"]["details"]["version"].as_i64().unwrap() > opened);
        assert_eq!(body["error"]["details"]["savedBy"], "editor@example.com");
        assert!(body["error"]["message"].as_str().unwrap().contains("saved again since you opened it"));
        let (status, _) = editor.post(&format!("articles/{id}/publish"), json!({"version": opened})).await;
        assert_eq!(status, 409, "publishing is guarded too");
        let (_, body) = editor.get(&format!("articles/{id}")).await;
        assert_eq!(body["data"]["title"], "Mine", "the newer save stays");

        // The header and the body must agree, and the header must be a version.
        let current = body["meta"]["version"].as_i64().unwrap();
        let (status, _) = editor.put(&format!("articles/{id}"), json!({"data": {}, "version": current}), Some("\"1\"")).await;
        assert_eq!(status, 400);
        let (status, _) = editor.put(&format!("articles/{id}"), json!({"data": {}}), Some("W/\"abc\"")).await;
        assert_eq!(status, 400);

        // Two saves from one version at the same moment: exactly one wins.
        let tag = format!("\"{current}\"");
        let path = format!("articles/{id}");
        let (a, b) = tokio::join!(
            editor.put(&path, json!({"data": {"title": "Left"}}), Some(&tag)),
            editor.put(&path, json!({"data": {"title": "Right"}}), Some(&tag)),
        );
        let mut statuses = [a.0, b.0];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "{a:?} {b:?}");
    }

    async fn bulk_actions_change_all_the_documents_or_none(app) {
        let editor = Editor::start(&app).await;
        let good = editor.create(json!({"title": "Ready one"})).await;
        let also = editor.create(json!({"title": "Ready two"})).await;
        let bad = editor.create(json!({"body": "no title yet"})).await;

        let (status, body) = editor.post("articles/bulk/publish", json!({"documentIds": [good, bad, also]})).await;
        assert_eq!(status, 400, "{body}");
        let paths: Vec<Value> = body["error"]["details"]["errors"].as_array().unwrap().iter().map(|e| e["path"].clone()).collect();
        assert_eq!(paths, vec![json!([bad, "title"])], "{body}");
        let (_, body) = editor.get("articles?status=published").await;
        assert_eq!(body["data"].as_array().map(Vec::len), Some(0), "nothing was published");

        editor.put(&format!("articles/{bad}"), json!({"data": {"title": "Ready three"}}), None).await;
        let (status, body) = editor.post("articles/bulk/publish", json!({"documentIds": [good, bad, also]})).await;
        assert_eq!((status, body["data"]["count"].clone()), (200, json!(3)), "{body}");
        let (status, body) = editor.post("articles/bulk/unpublish", json!({"documentIds": [good, bad]})).await;
        assert_eq!((status, body["data"]["count"].clone()), (200, json!(2)), "{body}");
        let (_, body) = editor.get("articles?status=published").await;
        assert_eq!(body["data"][0]["documentId"], json!(also));

        let (status, body) = editor.post("articles/bulk/delete", json!({"documentIds": [good, "nosuchdocument000000000000"]})).await;
        assert_eq!(status, 404, "{body}");
        let (_, body) = editor.get("articles").await;
        assert_eq!(body["meta"]["pagination"]["total"], 3, "nothing was deleted");
        let (status, body) = editor.post("articles/bulk/delete", json!({"documentIds": [good, bad]})).await;
        assert_eq!((status, body["data"]["count"].clone()), (200, json!(2)), "a draft and a draft: two rows");
        let (status, _) = editor.post("articles/bulk/archive", json!({"documentIds": [also]})).await;
        assert_eq!(status, 400, "an unknown action is a bad path");
    }
}

/// The paths of a validation error's failing fields, sorted.
fn failing_paths(body: &Value) -> Vec<String> {
    let mut paths: Vec<String> = body["error"]["details"]["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            e["path"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(".")
        })
        .collect();
    paths.sort();
    paths
}

backend_tests! {
    async fn a_publish_reports_wrong_values_and_missing_required_fields_at_once(app) {
        let editor = Editor::start(&app).await;
        // A create that publishes: a value too short, one below its minimum,
        // and a required field of a dynamic zone's item left out.
        let (status, body) = editor
            .post("articles?status=published", json!({"data": {
                "title": "Hi", "views": -1, "blocks": [{"__component": "shared.quote"}]
            }}))
            .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(failing_paths(&body), ["blocks.0.text", "title", "views"]);

        // An update that publishes: its own wrong value, and the stored
        // draft's missing required field, together.
        let id = editor.create(json!({"title": "A valid title", "blocks": [{"__component": "shared.quote"}]})).await;
        let (status, body) = editor
            .put(&format!("articles/{id}?status=published"), json!({"data": {"views": -5}}), None)
            .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(failing_paths(&body), ["blocks.0.text", "views"]);
        let (_, body) = editor.get(&format!("articles/{id}")).await;
        assert_eq!(body["data"]["views"], 0, "nothing was written");

        // Draft, published, modified; a discard makes it published again.
        let entries = app.context.entries("article")?;
        let state = |states: std::collections::HashMap<String, cairn_core::entries::Publication>| states.get(&id).copied();
        use cairn_core::entries::Publication;
        assert_eq!(state(entries.publication(std::slice::from_ref(&id), None).await?), Some(Publication::Draft));
        let (status, body) = editor
            .put(&format!("articles/{id}?status=published"), json!({"data": {"blocks": [{"__component": "shared.quote", "text": "Less is more."}]}}), None)
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(state(entries.publication(std::slice::from_ref(&id), None).await?), Some(Publication::Published));
        editor.put(&format!("articles/{id}"), json!({"data": {"title": "A changed title"}}), None).await;
        assert_eq!(state(entries.publication(std::slice::from_ref(&id), None).await?), Some(Publication::Modified));
        editor.post(&format!("articles/{id}/discard"), json!({})).await;
        assert_eq!(state(entries.publication(std::slice::from_ref(&id), None).await?), Some(Publication::Published));
    }
}
