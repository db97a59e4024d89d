//! The management API over HTTP: sign-in, schema, locales, and the error
//! envelope for bad requests.

use cairn_core::auth::admin_users::{self, NewAdmin};
use cairn_tests::{TestApp, TestServer, Value, backend_tests, json};

pub(crate) async fn signed_in(app: &TestApp) -> (TestServer, String) {
    admin_users::create(
        app.context.db().conn(),
        &NewAdmin {
            email: "editor@example.com".into(),
            password: "a long passphrase".into(),
            ..NewAdmin::default()
        },
    )
    .await
    .expect("create an administrator");
    let server = app.serve().await;
    let (status, body) = server
        .send(
            server
                .client
                .post(server.url("/management/auth/login"))
                .json(&json!({
                    "email": "editor@example.com",
                    "password": "a long passphrase"
                })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let token = body["data"]["token"].as_str().expect("a token").to_owned();
    (server, token)
}

/// The blog fixture as a management API request.
fn blog_request() -> Value {
    let sources = cairn_core::schema::load::load(&TestApp::fixture("blog/src")).expect("fixture");
    json!({
        "contentTypes": sources.content_types.iter().map(|s| json!({"uid": s.uid, "schema": s.def})).collect::<Vec<_>>(),
        "components": sources.components.iter().map(|c| json!({"uid": c.uid, "schema": c.def})).collect::<Vec<_>>(),
    })
}

backend_tests! {
    async fn sign_in_issues_session_tokens(app) {
        let (server, token) = signed_in(&app).await;
        let (status, body) = server
            .send(server.client.post(server.url("/management/auth/login")).json(&json!({
                "email": "editor@example.com", "password": "wrong"
            })))
            .await;
        assert_eq!(status, 400);
        assert_eq!(body, json!({"data": null, "error": {
            "status": 400, "name": "ValidationError", "message": "invalid email or password", "details": {}
        }}));
        let (status, body) = server.send(server.client.get(server.url("/management/auth/me")).bearer_auth(&token)).await;
        assert_eq!(status, 200);
        assert_eq!(body["data"]["email"], "editor@example.com");
        assert!(body["data"].get("passwordHash").is_none());
        let (status, body) = server.send(server.client.get(server.url("/management/auth/me"))).await;
        assert_eq!(status, 401);
        assert_eq!(body["error"]["name"], "UnauthorizedError");
        let (status, _) = server.send(server.client.get(server.url("/management/auth/me")).bearer_auth("forged.token.value")).await;
        assert_eq!(status, 401);
        let (status, body) = server.send(server.client.get(server.url("/_health"))).await;
        assert_eq!((status, body), (200, json!({"status": "ok"})));
        server.stop().await;
    }

    async fn schema_plans_and_applies_over_http(app) {
        let (server, token) = signed_in(&app).await;
        let (status, body) = server
            .send(server.client.post(server.url("/management/schema/plan")).bearer_auth(&token).json(&blog_request()))
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["applied"], false);
        assert!(body["data"]["text"].as_str().unwrap().contains("+ create collection type api::article.article"));
        assert_eq!(body["data"]["steps"][3]["action"], "createType");
        assert!(app.context.schema().find_type("article").is_none(), "planning applies nothing");

        let (status, body) = server
            .send(server.client.post(server.url("/management/schema/apply")).bearer_auth(&token).json(&blog_request()))
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["applied"], true);
        assert!(app.context.schema().find_type("article").is_some());

        let (status, body) = server.send(server.client.get(server.url("/management/schema")).bearer_auth(&token)).await;
        assert_eq!(status, 200);
        let types = body["data"]["contentTypes"].as_array().unwrap();
        assert_eq!(types.len(), 4);
        assert!(types[0]["fieldIds"]["title"].as_str().unwrap().starts_with("f_"));
        let (status, body) = server
            .send(server.client.post(server.url("/management/schema/apply")).bearer_auth(&token).json(&blog_request()))
            .await;
        assert_eq!((status, body["data"]["empty"].clone()), (200, Value::Bool(true)));
        let (status, _) = server.send(server.client.get(server.url("/management/schema"))).await;
        assert_eq!(status, 401, "the schema needs a session");
        server.stop().await;
    }

    async fn field_ids_turn_an_edit_into_a_rename(app) {
        let (server, token) = signed_in(&app).await;
        server
            .send(server.client.post(server.url("/management/schema/apply")).bearer_auth(&token).json(&blog_request()))
            .await;
        app.context
            .entries("category")?
            .create(&cairn_tests::data!({"name": "Kept"}), &Default::default())
            .await?;
        let (_, exported) = server.send(server.client.get(server.url("/management/schema")).bearer_auth(&token)).await;
        let category = exported["data"]["contentTypes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["uid"] == "api::category.category")
            .unwrap()
            .clone();
        let name_id = category["fieldIds"]["name"].clone();
        let mut schema = category["schema"].clone();
        let attributes = schema["attributes"].as_object_mut().unwrap();
        let name = attributes.remove("name").unwrap();
        attributes.insert("label".into(), name);
        attributes["slug"]["targetField"] = json!("label");
        let request = json!({"contentTypes": [{"uid": "api::category.category", "schema": schema, "fieldIds": {"label": name_id}}]});
        let (status, body) = server
            .send(server.client.post(server.url("/management/schema/apply")).bearer_auth(&token).json(&request))
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(body["data"]["text"].as_str().unwrap().contains("~ rename name -> label"), "{body}");
        let page = app.context.entries("category")?.find_many(&Default::default()).await?;
        assert_eq!(page.entries().expect("entries")[0]["label"], "Kept");
        server.stop().await;
    }

    async fn bad_requests_get_the_error_envelope(app) {
        let (server, token) = signed_in(&app).await;
        let apply = || server.client.post(server.url("/management/schema/apply")).bearer_auth(&token);

        let (status, body) = server
            .send(apply().header("content-type", "application/json").body("{\"contentTypes\": [}"))
            .await;
        assert_eq!(status, 400);
        assert_eq!(body["data"], Value::Null);
        assert!(body["error"]["message"].as_str().unwrap().starts_with("invalid JSON body"), "{body}");

        let (status, body) = server.send(apply().json(&json!({"contentTypez": []}))).await;
        assert_eq!(status, 400);
        assert!(body["error"]["message"].as_str().unwrap().contains("unknown field `contentTypez`"), "{body}");

        let (status, body) = server
            .send(apply().header("content-type", "application/json").body(format!("{{\"pad\": \"{}\"}}", "x".repeat(2 * 1024 * 1024))))
            .await;
        assert_eq!(status, 413, "{body}");
        assert_eq!(body["error"]["name"], "PayloadTooLargeError");

        let invalid = json!({"contentTypes": [{"schema": {
            "kind": "collectionType",
            "info": {"singularName": "thing", "pluralName": "things", "displayName": "Thing"},
            "attributes": {"id": {"type": "string"}, "size": {"type": "enormous"}}
        }}]});
        let (status, body) = server.send(apply().json(&invalid)).await;
        assert_eq!(status, 400);
        assert_eq!(body["error"]["name"], "ValidationError");
        let errors = body["error"]["details"]["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 2, "{body}");
        assert_eq!(errors[0]["path"], json!(["contentTypes.0 (api::thing.thing)", "attributes", "id"]));
        assert_eq!(errors[1]["message"], "unknown attribute type `enormous`");

        server.send(apply().json(&blog_request())).await;
        let mut smaller = blog_request();
        smaller["contentTypes"][0]["schema"]["attributes"].as_object_mut().unwrap().remove("body");
        let (status, body) = server.send(apply().json(&smaller)).await;
        assert_eq!(status, 400);
        assert_eq!(body["error"]["details"]["destructive"], json!(["drop field api::article.article.body (0 values)"]));
        smaller["allowDrop"] = json!(true);
        let (status, _) = server.send(apply().json(&smaller)).await;
        assert_eq!(status, 200);
        server.stop().await;
    }

    async fn locales_are_managed_over_http(app) {
        let (server, token) = signed_in(&app).await;
        let locales = || server.url("/management/locales");
        let (status, body) = server
            .send(server.client.post(locales()).bearer_auth(&token).json(&json!({"code": "fr", "name": "Français"})))
            .await;
        assert_eq!(status, 201, "{body}");
        let (status, body) = server
            .send(server.client.post(locales()).bearer_auth(&token).json(&json!({"code": "fr", "name": "Again"})))
            .await;
        assert_eq!(status, 400);
        assert_eq!(body["error"]["details"]["errors"][0]["path"], json!(["code"]));
        let (_, body) = server.send(server.client.get(locales()).bearer_auth(&token)).await;
        assert_eq!(body["data"].as_array().unwrap().len(), 2);
        let (status, body) = server.send(server.client.delete(server.url("/management/locales/en")).bearer_auth(&token)).await;
        assert_eq!(status, 400);
        assert_eq!(body["error"]["name"], "ApplicationError");
        let (status, _) = server.send(server.client.delete(server.url("/management/locales/fr")).bearer_auth(&token)).await;
        assert_eq!(status, 204);
        let (status, body) = server.send(server.client.delete(server.url("/management/locales/fr")).bearer_auth(&token)).await;
        assert_eq!(status, 404);
        assert_eq!(body["error"]["name"], "NotFoundError");
        server.stop().await;
    }
}
