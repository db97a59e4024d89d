//! `schema apply`: plans, idempotence, invalid schemas, confirmations and
//! rollback.

use cairn_core::Error;
use cairn_core::schema::ddl::{ChangeRequest, Step};
use cairn_core::schema::load;
use cairn_tests::{TestApp, assert_failure, backend_tests, data, type_def};

backend_tests! {
    async fn applying_a_strapi_project_creates_its_types_once(app) {
        let plan = app.apply_fixture("blog/src").await;
        let created: Vec<&str> = plan
            .steps
            .iter()
            .filter_map(|step| match step {
                Step::CreateType { uid, .. } => Some(uid.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            created,
            ["api::article.article", "api::author.author", "api::category.category", "api::homepage.homepage"]
        );
        assert_eq!(app.context.schema().components().count(), 3);

        let again = app.apply_fixture("blog/src").await;
        assert!(again.is_empty(), "a second apply changes nothing, got:\n{again}");

        // The tables are real and typed: every kind of value goes in and out.
        let entry = app
            .context
            .entries("category")?
            .create(&data!({"name": "Rust"}), &Default::default())
            .await?;
        assert_eq!(entry["name"], "Rust");
        assert_eq!(entry["slug"], "rust");
    }

    async fn invalid_schemas_name_the_file_and_attribute_and_apply_nothing(app) {
        let request = ChangeRequest {
            sources: load::load(&TestApp::fixture("invalid"))?,
            ..ChangeRequest::default()
        };
        let error = app.context.apply_schema(&request, true).await.unwrap_err();
        let Error::InvalidSchema(errors) = error else {
            panic!("expected an invalid schema, got {error}");
        };
        let found: Vec<(String, String)> = errors
            .errors
            .iter()
            .map(|e| {
                let file = std::path::Path::new(&e.path.0[0])
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (format!("{file}:{}", e.path.0[1..].join(".")), e.message.clone())
            })
            .collect();
        let expect = |location: &str, fragment: &str| assert_failure(&found, location, fragment);
        expect("broken.json:attributes.subtitle", "unknown attribute type `strng`");
        expect("broken.json:attributes.owner", "relation target `api::person.person` is not a content type");
        expect("broken.json:attributes.documentId", "reserved");
        expect("broken.json:attributes.locale", "reserved");
        expect("broken.json:attributes.publishedAt", "reserved");
        expect("broken.json:attributes.select", "SQL keyword");
        expect("broken.json:attributes.2fast", "not a valid attribute name");
        expect("broken.json:attributes.price", "`min` (10) is greater than `max` (1)");
        expect("broken.json:attributes.Teaser", "`Teaser` and `teaser` would share the column `teaser`");
        expect("duplicate.json:info.pluralName", "already the API id");
        assert!(app.context.schema().content_types().next().is_none(), "nothing was applied");
    }

    async fn export_writes_back_what_apply_read(app) {
        app.apply_fixture("blog/src").await;
        // Read back from the database, where PostgreSQL's jsonb would sort keys.
        let mut app = app;
        app.restart().await;
        let folder = tempfile::tempdir()?;
        cairn_core::schema::load::export(&app.context.schema(), folder.path())?;
        let exported = load::load(folder.path())?;
        let original = load::load(&TestApp::fixture("blog/src"))?;
        for source in &original.content_types {
            let copy = exported.content_types.iter().find(|c| c.uid == source.uid).expect("exported type");
            assert_eq!(copy.def, source.def, "{} round-trips", source.uid);
            assert!(
                copy.def.attributes.keys().eq(source.def.attributes.keys()),
                "{} keeps its attribute order",
                source.uid
            );
        }
        for source in &original.components {

            let copy = exported.components.iter().find(|c| c.uid == source.uid).expect("exported component");
            assert_eq!(copy.def, source.def, "{} round-trips", source.uid);
        }
        let request = ChangeRequest { sources: exported, ..ChangeRequest::default() };
        assert!(app.context.apply_schema(&request, false).await?.is_empty());
    }

    async fn removing_a_field_needs_confirmation(app) {
        app.apply_fixture("evolution/v1").await;
        app.context.entries("product")?.create(&data!({"name": "Lamp", "sku": "L-1"}), &Default::default()).await?;
        let mut sources = load::load(&TestApp::fixture("evolution/v1"))?;
        type_def(&mut sources, "product").attributes.remove("sku");
        let request = ChangeRequest { sources, ..ChangeRequest::default() };

        let refused = app.context.apply_schema(&request, false).await.unwrap_err();
        assert!(matches!(refused, Error::DestructivePlan { .. }), "{refused}");
        assert!(refused.to_string().contains("drop field api::product.product.sku (1 values)"), "{refused}");
        assert!(app.context.schema().find_type("product").unwrap().field("sku").is_some());

        let plan = app.context.apply_schema(&request, true).await?;
        assert!(plan.to_string().contains("- sku: string (1 values will be lost)"), "{plan}");
        assert!(app.context.schema().find_type("product").unwrap().field("sku").is_none());
    }

    async fn a_type_change_without_a_lossless_cast_is_refused(app) {
        app.apply_fixture("evolution/v1").await;
        let mut sources = load::load(&TestApp::fixture("evolution/v1"))?;
        type_def(&mut sources, "product").attributes.insert("price".into(), cairn_tests::json!({"type": "boolean"}));
        let request = ChangeRequest { sources, ..ChangeRequest::default() };
        let error = app.context.apply_schema(&request, true).await.unwrap_err();
        assert!(
            error.to_string().contains("cannot change `price` from integer to boolean: no lossless conversion exists"),
            "{error}"
        );
    }

    async fn a_failure_half_way_rolls_everything_back(app) {
        app.apply_fixture("evolution/v1").await;
        let products = app.context.entries("product")?;
        products.create(&data!({"name": "Lamp", "sku": "SAME"}), &Default::default()).await?;
        products.create(&data!({"name": "Desk", "sku": "SAME"}), &Default::default()).await?;

        // A new type is created first; the unique index on `sku` then fails
        // on the duplicates.
        let mut sources = load::load(&TestApp::fixture("evolution/v1"))?;
        type_def(&mut sources, "product").attributes.insert(
            "sku".into(),
            cairn_tests::json!({"type": "string", "unique": true}),
        );
        type_def(&mut sources, "product").attributes.insert("stock".into(), cairn_tests::json!({"type": "integer"}));
        sources.content_types.extend(load::load(&TestApp::fixture("evolution/shelf.json"))?.content_types);
        let request = ChangeRequest { sources, ..ChangeRequest::default() };
        let error = app.context.apply_schema(&request, true).await.unwrap_err();
        assert!(
            error.to_string().contains("cannot make `sku` unique: some entries share a value"),
            "{error}"
        );

        let schema = app.context.schema();
        assert!(schema.find_type("shelf").is_none());
        assert!(schema.find_type("product").unwrap().field("stock").is_none());
        assert!(!app.table_exists("shelves").await, "the new table was rolled back");
        let page = products.find_many(&Default::default()).await?;
        assert_eq!(page.total, Some(2), "the rows are untouched");
        // And the database still accepts the valid part of the change later.
        let mut sources = load::load(&TestApp::fixture("evolution/v1"))?;
        sources.content_types.extend(load::load(&TestApp::fixture("evolution/shelf.json"))?.content_types);
        app.context.apply_schema(&ChangeRequest { sources, ..ChangeRequest::default() }, true).await?;
        assert!(app.context.schema().find_type("shelf").is_some());
    }
}
