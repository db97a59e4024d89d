//! A populated database taken through six schema versions: added fields with
//! defaults, renamed fields, widened types (with SQLite's table rebuilds),
//! a renamed type, draft & publish and i18n switched on and off, a field made
//! unique, a field removed. After every step, every value is checked.

use cairn_core::entries::{ListOptions, ReadOptions, Status};
use cairn_core::schema::ddl::{ChangeRequest, FieldRename, TypeRename};
use cairn_core::schema::load;
use cairn_tests::{Map, TestApp, Value, backend_tests, data, json};

const PRODUCTS: usize = 40;

/// What product `i` holds at version 1.
fn original(i: usize, maker: &str) -> Map<String, Value> {
    data!({
        "name": format!("Product {i}"),
        "sku": format!("SKU-{i:04}"),
        "description": if i.is_multiple_of(3) { Value::Null } else { json!(format!("Description of product {i}")) },
        "price": (i as i64) * 7 - 20,
        "released": format!("2024-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
        "tags": json!({"colour": if i.is_multiple_of(2) { "red" } else { "blue" }, "rank": i}),
        "maker": maker,
    })
}

async fn apply(app: &TestApp, version: &str, request: ChangeRequest) -> cairn_core::Result<String> {
    let request = ChangeRequest {
        sources: load::load(&TestApp::fixture(&format!("evolution/{version}")))?,
        ..request
    };
    let plan = app.context.apply_schema(&request, true).await?;
    Ok(plan.to_string())
}

/// Every entry of `type_name` in `status`, keyed by name.
async fn all(
    app: &TestApp,
    type_name: &str,
    status: Status,
) -> cairn_core::Result<Vec<Map<String, Value>>> {
    let entries = app.context.entries(type_name)?;
    let populate = cairn_core::entries::Populate::all();
    let page = entries
        .find_many(&ListOptions {
            read: ReadOptions {
                status,
                populate,
                include_private: true,
                ..ReadOptions::default()
            },
            pagination: cairn_core::query::Pagination::Offset {
                start: 0,
                limit: 1000,
                with_count: true,
            },
            ..ListOptions::default()
        })
        .await?;
    let mut entries = page.entries().expect("entries");
    entries.sort_by_key(|e| {
        e["name"]
            .as_str()
            .and_then(|n| n.trim_start_matches("Product ").parse::<usize>().ok())
            .unwrap_or(0)
    });
    Ok(entries)
}

backend_tests! {
    async fn six_schema_versions_keep_every_value(app) {
        apply(&app, "v1", ChangeRequest::default()).await?;
        let makers = app.context.entries("maker")?;
        let acme = makers.create(&data!({"name": "Acme"}), &Default::default()).await?;
        let globex = makers.create(&data!({"name": "Globex"}), &Default::default()).await?;
        let maker_of = |i: usize| if i.is_multiple_of(2) { &acme } else { &globex }["documentId"].as_str().unwrap().to_owned();
        let products = app.context.entries("product")?;
        for i in 0..PRODUCTS {
            products.create(&original(i, &maker_of(i)), &Default::default()).await?;
        }

        // v2: `stock` added with a default, `description` renamed to `summary`.
        let plan = apply(&app, "v2", ChangeRequest {
            field_renames: vec![FieldRename {
                type_uid: "api::product.product".into(),
                from: "description".into(),
                to: "summary".into(),
            }],
            ..ChangeRequest::default()
        }).await?;
        assert!(plan.contains("~ rename description -> summary"), "{plan}");
        assert!(plan.contains("+ stock: integer (existing entries get 10)"), "{plan}");
        let rows = all(&app, "product", Status::Published).await?;
        assert_eq!(rows.len(), PRODUCTS);
        for (i, row) in rows.iter().enumerate() {
            let before = original(i, &maker_of(i));
            assert_eq!(row["name"], before["name"]);
            assert_eq!(row["summary"], before["description"], "product {i}");
            assert!(row.get("description").is_none());
            assert_eq!(row["price"], before["price"]);
            assert_eq!(row["released"], before["released"]);
            assert_eq!(row["tags"], before["tags"]);
            assert_eq!(row["stock"], 10);
            assert_eq!(row["maker"]["documentId"], before["maker"]);
        }

        // v3: widening casts (integer -> decimal and biginteger, date ->
        // datetime, string -> text); SQLite rebuilds the table.
        let plan = apply(&app, "v3", ChangeRequest::default()).await?;
        assert!(plan.contains("~ price: integer -> decimal"), "{plan}");
        assert!(plan.contains("~ released: date -> datetime"), "{plan}");
        let rows = all(&app, "product", Status::Published).await?;
        assert_eq!(rows.len(), PRODUCTS);
        for (i, row) in rows.iter().enumerate() {
            let before = original(i, &maker_of(i));
            assert_eq!(row["price"].as_f64(), before["price"].as_i64().map(|p| p as f64), "product {i}");
            assert_eq!(row["stock"], "10", "big integers are strings, as in Strapi");
            let date = before["released"].as_str().unwrap();
            assert_eq!(row["released"], json!(format!("{date}T00:00:00.000Z")), "product {i}");
            assert_eq!(row["summary"], before["description"]);
            assert_eq!(row["maker"]["documentId"], before["maker"]);
        }

        // v4: the type is renamed (new uid and table), draft & publish and
        // i18n are switched on, and the relation gets its inverse side.
        let plan = apply(&app, "v4", ChangeRequest {
            type_renames: vec![TypeRename { from: "api::product.product".into(), to: "api::item.item".into() }],
            ..ChangeRequest::default()
        }).await?;
        assert!(plan.contains("~ rename type api::product.product -> api::item.item"), "{plan}");
        assert!(plan.contains("~ table products -> items"), "{plan}");
        assert!(app.context.schema().find_type("product").is_none());
        assert!(!app.table_exists("products").await);
        for status in [Status::Published, Status::Draft] {
            let rows = all(&app, "item", status).await?;
            assert_eq!(rows.len(), PRODUCTS, "{status:?} rows");
            for (i, row) in rows.iter().enumerate() {
                let before = original(i, &maker_of(i));
                assert_eq!(row["name"], before["name"]);
                assert_eq!(row["sku"], before["sku"]);
                assert_eq!(row["locale"], "en");
                assert_eq!(row["tags"], before["tags"]);
                assert_eq!(row["maker"]["documentId"], before["maker"], "{status:?} links follow");
                assert_eq!(row["publishedAt"].is_null(), status == Status::Draft);
            }
        }
        let acme_items = makers.content_type().uid.clone();
        let acme_entry = app
            .context
            .entries(&acme_items)?
            .find_one(acme["documentId"].as_str().unwrap(), &ReadOptions {
                populate: cairn_core::entries::Populate::default().with("items", Default::default()),
                ..ReadOptions::default()
            })
            .await?
            .expect("acme");
        assert_eq!(acme_entry["items"].as_array().map(Vec::len), Some(PRODUCTS / 2));

        // v5: sku becomes a unique uid, a component is added, tags are dropped.
        let plan = apply(&app, "v5", ChangeRequest::default()).await?;
        assert!(plan.contains("- tags: json (80 values will be lost)"), "{plan}");
        assert!(plan.contains("~ sku: string -> uid"), "{plan}");
        let rows = all(&app, "item", Status::Draft).await?;
        for (i, row) in rows.iter().enumerate() {
            let before = original(i, &maker_of(i));
            assert_eq!(row["sku"], before["sku"]);
            assert_eq!(row["summary"], before["description"]);
            assert!(row.get("tags").is_none());
            assert_eq!(row["dimensions"], Value::Null);
        }
        let items = app.context.entries("item")?;
        let clash = items.create(&data!({"name": "Clash", "sku": "SKU-0001"}), &Default::default()).await.unwrap_err();
        assert!(clash.to_string().contains("already used"), "{clash}");

        // v6: i18n off (no other locale has rows, so nothing is lost), and
        // two more widenings.
        let plan = apply(&app, "v6", ChangeRequest::default()).await?;
        assert!(plan.contains("~ disable i18n (0 entries in other locales will be lost)"), "{plan}");
        for status in [Status::Published, Status::Draft] {
            let rows = all(&app, "item", status).await?;
            assert_eq!(rows.len(), PRODUCTS);
            for (i, row) in rows.iter().enumerate() {
                let before = original(i, &maker_of(i));
                assert_eq!(row["name"], before["name"]);
                assert_eq!(row["sku"], before["sku"]);
                assert_eq!(row["summary"], before["description"]);
                assert_eq!(row["price"].as_f64(), before["price"].as_i64().map(|p| p as f64));
                assert_eq!(row["stock"], "10");
                let released = row["released"].as_str().unwrap_or_default();
                assert!(
                    released.starts_with(before["released"].as_str().unwrap()) && released.contains("00:00:00"),
                    "product {i}: {released}"
                );
                assert!(row.get("locale").is_none());
                assert_eq!(row["maker"]["documentId"], before["maker"]);
            }
        }

        // The schema in force survives a restart, and applying v6 again is a no-op.
        let mut app = app;
        app.restart().await;
        assert!(apply(&app, "v6", ChangeRequest::default()).await?.contains("No changes"));
    }
}
