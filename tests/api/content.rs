//! The content API over HTTP, as Strapi v5 clients use it: every filter
//! operator, sort, pagination (page, offset, cursor), fields, populate,
//! locales, drafts, the public role, writes, caching and OpenAPI.

use std::collections::BTreeMap;

use cairn_core::auth::api_tokens::{self, TokenKind};
use cairn_core::entries::WriteOptions;
use cairn_tests::{Map, TestApp, TestServer, Value, backend_tests, data, json};

/// A served catalog of six published products and one draft.
struct Catalog {
    server: TestServer,
    token: String,
    read_only: String,
    products: BTreeMap<String, String>,
    brands: BTreeMap<String, String>,
}

impl Catalog {
    async fn get(&self, path: &str) -> (u16, Value) {
        self.server
            .send(
                self.server
                    .client
                    .get(self.server.url(path))
                    .bearer_auth(&self.token),
            )
            .await
    }

    /// The names a list returns, in order.
    async fn names(&self, query: &str) -> Vec<String> {
        let (status, body) = self.get(&format!("/api/products?{query}")).await;
        assert_eq!(status, 200, "{query}: {body}");
        names(&body["data"])
    }

    /// The names a filter keeps, sorted.
    async fn filtered(&self, filter: &str) -> Vec<String> {
        let mut found = self
            .names(&format!("{filter}&pagination[pageSize]=100"))
            .await;
        found.sort();
        found
    }

    async fn error(&self, path: &str) -> String {
        let (status, body) = self.get(path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["data"], Value::Null);
        assert_eq!(body["error"]["name"], "ValidationError");
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

fn names(data: &Value) -> Vec<String> {
    data.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    names.sort();
    names
}

async fn token(app: &TestApp, name: &str, kind: TokenKind) -> String {
    api_tokens::create(app.context.db().conn(), name, "", kind, None)
        .await
        .expect("create a token")
        .secret
}

async fn catalog(app: &TestApp) -> Catalog {
    app.apply_fixture("catalog").await;
    let published = WriteOptions {
        publish: true,
        ..WriteOptions::default()
    };
    let create = |type_name: &'static str, data: Map<String, Value>, options: WriteOptions| {
        let context = app.context.clone();
        async move {
            let entry = context
                .entries(type_name)
                .expect("type")
                .create(&data, &options)
                .await
                .expect("create");
            entry["documentId"].as_str().expect("documentId").to_owned()
        }
    };
    let mut brands = BTreeMap::new();
    for (name, country) in [("Acme", "US"), ("Bosch", "DE")] {
        brands.insert(
            name.to_owned(),
            create(
                "brand",
                data!({"name": name, "country": country}),
                WriteOptions::default(),
            )
            .await,
        );
    }
    let steel = create("tag", data!({"label": "steel"}), WriteOptions::default()).await;
    let power = create("tag", data!({"label": "power"}), WriteOptions::default()).await;
    let photo = app
        .upload("photo.jpg", &cairn_tests::images::jpeg(64, 48))
        .await["id"]
        .as_i64()
        .expect("a file id");
    let rows = [
        data!({"name": "Hammer", "description": "A sturdy hammer", "price": 9.99, "stock": 100, "weight": 1.5, "big": "9007199254740993",
               "active": true, "released": "2024-01-10", "opens": "08:00", "launchedAt": "2024-01-10T08:00:00Z", "kind": "tool",
               "brand": brands["Acme"], "tags": [steel], "dimensions": {"width": 10, "height": 30, "label": "M"},
               "variants": [{"color": "red", "size": 1}, {"color": "blue", "size": 2}], "image": photo, "secret": "margin 40%",
               "sections": [{"__component": "catalog.text", "body": "Forged steel"}, {"__component": "catalog.gallery", "caption": "Shots", "images": [photo]}]}),
        data!({"name": "hammer drill", "description": "Drills and hammers", "price": 89.5, "stock": 5, "weight": 3.2,
               "active": true, "released": "2024-03-05", "kind": "tool", "brand": brands["Bosch"], "tags": [steel, power]}),
        data!({"name": "Teddy Bear", "price": 19, "stock": 0, "weight": 0.4, "active": false, "released": "2023-12-01",
               "kind": "toy", "dimensions": {"width": 20, "height": 40, "label": "L"}}),
        data!({"name": "Apple", "description": "Fresh fruit 100%", "price": 0.5, "stock": 500, "weight": 0.2, "active": true,
               "kind": "food", "brand": brands["Acme"]}),
        data!({"name": "Rubber_Duck", "price": 3, "stock": 42, "weight": 0.1, "active": false, "released": "2024-06-01",
               "kind": "toy", "brand": brands["Bosch"], "variants": [{"color": "yellow", "size": 1}]}),
        data!({"name": "Zebra Puzzle", "description": "Puzzle with 100 pieces", "price": 25, "stock": 7, "weight": 0.9,
               "active": true, "released": "2022-05-05", "kind": "toy", "brand": brands["Acme"]}),
    ];
    let mut products = BTreeMap::new();
    for row in rows {
        let name = row["name"].as_str().expect("name").to_owned();
        products.insert(name, create("product", row, published.clone()).await);
    }
    products.insert(
        "Secret Prototype".into(),
        create(
            "product",
            data!({"name": "Secret Prototype", "price": 1000, "stock": 1}),
            WriteOptions::default(),
        )
        .await,
    );
    Catalog {
        server: app.serve().await,
        token: token(app, "full", TokenKind::FullAccess).await,
        read_only: token(app, "read", TokenKind::ReadOnly).await,
        products,
        brands,
    }
}

backend_tests! {
    async fn every_filter_operator_selects_the_right_entries(app) {
        let c = catalog(&app).await;
        let cases: Vec<(&str, Vec<&str>)> = vec![
            ("filters[name][$eq]=Hammer", vec!["Hammer"]),
            ("filters[name]=Hammer", vec!["Hammer"]),
            ("filters[name][$eqi]=hammer", vec!["Hammer"]),
            ("filters[name][$ne]=Hammer", vec!["hammer drill", "Teddy Bear", "Apple", "Rubber_Duck", "Zebra Puzzle"]),
            ("filters[name][$nei]=HAMMER", vec!["hammer drill", "Teddy Bear", "Apple", "Rubber_Duck", "Zebra Puzzle"]),
            ("filters[price][$lt]=3", vec!["Apple"]),
            ("filters[price][$lte]=3", vec!["Apple", "Rubber_Duck"]),
            ("filters[price][$gt]=20", vec!["hammer drill", "Zebra Puzzle"]),
            ("filters[price][$gte]=25", vec!["hammer drill", "Zebra Puzzle"]),
            ("filters[stock][$in][0]=0&filters[stock][$in][1]=5", vec!["hammer drill", "Teddy Bear"]),
            ("filters[stock][$notIn][0]=0&filters[stock][$notIn][1]=5", vec!["Hammer", "Apple", "Rubber_Duck", "Zebra Puzzle"]),
            ("filters[name][$contains]=ammer", vec!["Hammer", "hammer drill"]),
            ("filters[name][$contains]=Ham", vec!["Hammer"]),
            ("filters[name][$notContains]=a", vec!["Apple", "Rubber_Duck"]),
            ("filters[name][$containsi]=HAM", vec!["Hammer", "hammer drill"]),
            ("filters[name][$notContainsi]=a", vec!["Rubber_Duck"]),
            ("filters[name][$containsi]=_", vec!["Rubber_Duck"]),
            ("filters[description][$containsi]=100%25", vec!["Apple"]),
            ("filters[description][$null]=true", vec!["Teddy Bear", "Rubber_Duck"]),
            ("filters[description][$notNull]=true", vec!["Hammer", "hammer drill", "Apple", "Zebra Puzzle"]),
            ("filters[price][$between][0]=3&filters[price][$between][1]=20", vec!["Hammer", "Teddy Bear", "Rubber_Duck"]),
            ("filters[name][$startsWith]=Ham", vec!["Hammer"]),
            ("filters[name][$startsWithi]=ham", vec!["Hammer", "hammer drill"]),
            ("filters[name][$endsWith]=Duck", vec!["Rubber_Duck"]),
            ("filters[name][$endsWithi]=DUCK", vec!["Rubber_Duck"]),
            ("filters[active][$eq]=true", vec!["Hammer", "hammer drill", "Apple", "Zebra Puzzle"]),
            ("filters[released][$gt]=2024-01-01", vec!["Hammer", "hammer drill", "Rubber_Duck"]),
            ("filters[launchedAt][$lt]=2024-01-10T09:00:00.000Z", vec!["Hammer"]),
            ("filters[opens][$eq]=08:00:00", vec!["Hammer"]),
            ("filters[weight][$gte]=1.5", vec!["Hammer", "hammer drill"]),
            ("filters[big][$eq]=9007199254740993", vec!["Hammer"]),
            ("filters[kind][$in][0]=toy", vec!["Teddy Bear", "Rubber_Duck", "Zebra Puzzle"]),
            ("filters[$or][0][name][$eq]=Apple&filters[$or][1][stock][$eq]=0", vec!["Apple", "Teddy Bear"]),
            ("filters[$and][0][kind][$eq]=toy&filters[$and][1][active][$eq]=true", vec!["Zebra Puzzle"]),
            ("filters[$not][kind][$eq]=toy", vec!["Hammer", "hammer drill", "Apple"]),
            ("filters[name][$not][$containsi]=hammer", vec!["Teddy Bear", "Apple", "Rubber_Duck", "Zebra Puzzle"]),
            ("filters[brand][name][$eq]=Acme", vec!["Hammer", "Apple", "Zebra Puzzle"]),
            ("filters[brand][$null]=true", vec!["Teddy Bear"]),
            ("filters[brand][country][$eq]=DE&filters[price][$lt]=50", vec!["Rubber_Duck"]),
            ("filters[tags][label][$eq]=power", vec!["hammer drill"]),
            ("filters[tags][label][$eq]=steel", vec!["Hammer", "hammer drill"]),
            ("filters[dimensions][width][$gt]=15", vec!["Teddy Bear"]),
            ("filters[dimensions][label][$eq]=M", vec!["Hammer"]),
            ("filters[variants][color][$eq]=blue", vec!["Hammer"]),
            ("filters[variants][size][$eq]=1", vec!["Hammer", "Rubber_Duck"]),
            ("filters[image][$notNull]=true", vec!["Hammer"]),
        ];
        for (filter, expected) in cases {
            assert_eq!(c.filtered(filter).await, sorted(&expected), "{filter}");
        }
        let hammer = &c.products["Hammer"];
        assert_eq!(c.filtered(&format!("filters[documentId][$eq]={hammer}")).await, ["Hammer"]);
        let (_, brands) = c.get("/api/brands?filters[products][name][$eq]=Apple").await;
        assert_eq!(names(&brands["data"]), ["Acme"], "filters cross the inverse side too");
        assert_eq!(c.filtered("filters[name][$eq]=Secret Prototype").await, Vec::<String>::new(), "drafts are not delivered");
        assert_eq!(c.filtered("filters[name][$eq]=Secret Prototype&status=draft").await, ["Secret Prototype"]);
    }

    async fn sort_and_pagination(app) {
        let c = catalog(&app).await;
        assert_eq!(c.names("sort=price:desc&fields[0]=name").await, ["hammer drill", "Zebra Puzzle", "Teddy Bear", "Hammer", "Rubber_Duck", "Apple"]);
        assert_eq!(c.names("sort[0]=kind:asc&sort[1]=stock:desc").await, ["Apple", "Hammer", "hammer drill", "Rubber_Duck", "Zebra Puzzle", "Teddy Bear"]);
        // Nulls sort as the database sorts them: lowest on SQLite, highest on PostgreSQL.
        let by_country = ["Apple", "Hammer", "Zebra Puzzle", "Rubber_Duck", "hammer drill"];
        let mut expected: Vec<&str> = by_country.to_vec();
        match app.backend {
            cairn_tests::Backend::Sqlite => expected.push("Teddy Bear"),
            cairn_tests::Backend::Postgres => expected.insert(0, "Teddy Bear"),
        }
        assert_eq!(c.names("sort=brand.country:desc,price:asc").await, expected, "US before DE");
        let by_width = c.names("sort=dimensions.width:asc,stock:asc").await;
        let with_width = match app.backend {
            cairn_tests::Backend::Sqlite => &by_width[4..],
            cairn_tests::Backend::Postgres => &by_width[..2],
        };
        assert_eq!(with_width, ["Hammer".to_owned(), "Teddy Bear".to_owned()]);

        let (_, page) = c.get("/api/products?sort=stock:asc&pagination[page]=2&pagination[pageSize]=2").await;
        assert_eq!(names(&page["data"]), ["Zebra Puzzle", "Rubber_Duck"]);
        assert_eq!(page["meta"]["pagination"]["page"], 2);
        assert_eq!(page["meta"]["pagination"]["pageSize"], 2);
        assert_eq!(page["meta"]["pagination"]["pageCount"], 3);
        assert_eq!(page["meta"]["pagination"]["total"], 6);
        let (_, offset) = c.get("/api/products?sort=stock:asc&pagination[start]=4&pagination[limit]=10").await;
        assert_eq!(names(&offset["data"]), ["Hammer", "Apple"]);
        assert_eq!(offset["meta"]["pagination"], json!({"start": 4, "limit": 10, "total": 6}));
        // Pages past what a database integer holds are simply empty.
        for far in ["pagination[page]=18446744073709551615", "pagination[start]=18446744073709551615"] {
            let (status, body) = c.get(&format!("/api/products?{far}")).await;
            assert_eq!((status, body["data"].clone()), (200, json!([])), "{far}: {body}");
        }

        let (_, uncounted) = c.get("/api/products?pagination[pageSize]=2&pagination[withCount]=false").await;
        assert_eq!(uncounted["meta"]["pagination"]["total"], Value::Null);
        assert!(uncounted["meta"]["pagination"]["nextCursor"].is_string());

        // Keyset pagination: every entry once, in order, with an insert between pages.
        let mut seen = Vec::new();
        let mut cursor = String::new();
        for round in 0..10 {
            let (status, body) = c.get(&format!("/api/products?sort=stock:asc&pagination[cursor]={cursor}&pagination[pageSize]=2")).await;
            assert_eq!(status, 200, "{body}");
            seen.extend(names(&body["data"]));
            if round == 0 {
                app.context
                    .entries("product")?
                    .create(&data!({"name": "Late Arrival", "stock": 50}), &WriteOptions { publish: true, ..WriteOptions::default() })
                    .await?;
            }
            match body["meta"]["pagination"]["nextCursor"].as_str() {
                Some(next) => cursor = next.to_owned(),
                None => break,
            }
        }
        assert_eq!(seen, ["Teddy Bear", "hammer drill", "Zebra Puzzle", "Rubber_Duck", "Late Arrival", "Hammer", "Apple"]);
        let message = c.error(&format!("/api/products?sort=price:asc&pagination[cursor]={cursor}")).await;
        assert!(message.contains("pagination.cursor"), "{message}");
        let message = c.error("/api/products?pagination[cursor]=garbage").await;
        assert!(message.contains("is not a cursor this API issued"), "{message}");
    }

    async fn fields_and_populate(app) {
        let c = catalog(&app).await;
        let hammer = &c.products["Hammer"];
        let (_, body) = c.get(&format!("/api/products/{hammer}?fields[0]=name&fields[1]=price")).await;
        let keys: Vec<&str> = body["data"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["id", "documentId", "name", "price"]);

        let (_, body) = c.get(&format!("/api/products/{hammer}?populate=*")).await;
        let data = &body["data"];
        assert_eq!(data["brand"]["name"], "Acme");
        assert_eq!(data["tags"][0]["label"], "steel");
        assert_eq!(data["dimensions"]["label"], "M");
        assert_eq!(data["variants"][1]["color"], "blue");
        assert_eq!(data["image"]["name"], "photo.jpg");
        assert_eq!(data["sections"][0], json!({"id": 1, "__component": "catalog.text", "body": "Forged steel"}));
        assert!(data["sections"][1].get("images").is_none(), "nested media need their own populate");
        assert!(data.get("secret").is_none(), "private fields never leave");

        let (_, body) = c
            .get(&format!("/api/products/{hammer}?populate[brand][fields][0]=name&populate[brand][populate][products][fields][0]=name&populate[brand][populate][products][sort]=name:desc&populate[sections][on][catalog.gallery][populate][images]=true"))
            .await;
        let brand = body["data"]["brand"].as_object().unwrap();
        let brand_keys: Vec<&str> = brand.keys().map(String::as_str).collect();
        assert_eq!(brand_keys, ["id", "documentId", "name", "products"]);
        assert_eq!(names(&brand["products"]), ["Zebra Puzzle", "Hammer", "Apple"]);
        assert_eq!(body["data"]["sections"][1]["images"][0]["name"], "photo.jpg");

        let (_, body) = c
            .get(&format!("/api/products/{}?populate[tags][filters][label][$eq]=power&populate[tags][sort]=label:asc", c.products["hammer drill"]))
            .await;
        assert_eq!(body["data"]["tags"].as_array().map(Vec::len), Some(1));
        let (_, body) = c.get("/api/products?populate=brand,tags&sort=price:asc&pagination[pageSize]=1").await;
        assert_eq!(body["data"][0]["brand"]["name"], "Acme");
        assert_eq!(body["data"][0]["tags"], json!([]));

        let message = c.error("/api/products?populate[secret]=true").await;
        assert!(message.contains("`secret` is private"), "{message}");
        let message = c.error("/api/products?populate[name]=true").await;
        assert!(message.contains("not a relation, media, component or dynamic zone"), "{message}");
        let message = c.error("/api/products?populate[nothing]=true").await;
        assert!(message.contains("`nothing` is not a field of Product"), "{message}");
        let cycle = "populate[brand][populate][products][populate][brand][populate][products][populate][brand][populate][products]=*";
        let message = c.error(&format!("/api/products?{cycle}")).await;
        assert!(message.contains("nested deeper than 5 levels"), "{message}");
        let message = c.error("/api/products?fields[0]=secret").await;
        assert!(message.contains("`secret` is private"), "{message}");
    }

    async fn a_list_writes_each_entry_as_a_read_of_its_document_does(app) {
        let c = catalog(&app).await;
        // JSON, escapes and every scalar kind, beside the catalog's rows.
        let odd = json!({"data": {"name": "Quote \" back\\slash \u{1} ✓\nline", "description": "tab\there", "price": 0.1,
                                  "stock": -3, "weight": 1e-7, "big": "-9007199254740993", "active": false, "released": "2020-02-29",
                                  "opens": "23:59:59.999", "launchedAt": "2024-03-01T10:20:30.123+02:00", "kind": "food",
                                  "specs": {"a": [1, 2.5, "x", null, true], "nested": {"deep": {}}}, "secret": "hidden"}});
        let create = c.server.client.post(c.server.url("/api/products?status=published")).bearer_auth(&c.token).json(&odd);
        let (status, body) = c.server.send(create).await;
        assert_eq!(status, 201, "{body}");
        for query in ["", "fields[0]=name&fields[1]=specs&fields[2]=publishedAt&fields[3]=big", "fields[0]=locale&fields[1]=opens",
                      "status=draft", "status=draft&fields[0]=updatedAt&fields[1]=price"] {
            let (status, list) = c.get(&format!("/api/products?pagination[pageSize]=100&{query}")).await;
            assert_eq!(status, 200, "{query}: {list}");
            let entries = list["data"].as_array().unwrap();
            assert_eq!(entries.len(), if query.contains("draft") { 8 } else { 7 }, "{query}");
            for entry in entries {
                let document_id = entry["documentId"].as_str().unwrap();
                let (status, one) = c.get(&format!("/api/products/{document_id}?{query}")).await;
                assert_eq!(status, 200, "{query}: {one}");
                // Serialised, so the members' order counts too.
                assert_eq!(entry.to_string(), one["data"].to_string(), "{query}");
                assert!(entry.get("secret").is_none() && entry.get("brand").is_none(), "{query}: {entry}");
            }
        }
        // The next page starts after the same row whether or not the list populates.
        for sort in ["stock:asc", "launchedAt:desc", "name"] {
            let page = format!("/api/products?sort={sort}&pagination[pageSize]=3");
            let (_, plain) = c.get(&page).await;
            let (_, populated) = c.get(&format!("{page}&populate=brand")).await;
            let cursor = &plain["meta"]["pagination"]["nextCursor"];
            assert!(cursor.is_string(), "{sort}: {plain}");
            assert_eq!(cursor, &populated["meta"]["pagination"]["nextCursor"], "{sort}");
        }
    }

    async fn populating_a_page_costs_the_same_queries_whatever_its_size(app) {
        let c = catalog(&app).await;
        // Warm up: the token's first use records when it was used.
        c.get("/api/products").await;
        let mut counts = Vec::new();
        for size in [1, 3, 6] {

            let before = app.context.db().statements();
            let (status, body) = c
                .get(&format!("/api/products?populate=*&pagination[pageSize]={size}&pagination[withCount]=false&status=draft"))
                .await;

            assert_eq!(status, 200);
            assert_eq!(body["data"].as_array().map(Vec::len), Some(size));
            counts.push(app.context.db().statements() - before);
        }
        assert_eq!(counts[0], counts[1], "queries per request: {counts:?}");
        assert_eq!(counts[1], counts[2], "queries per request: {counts:?}");
        assert!(counts[0] <= 12, "a handful of queries: {counts:?}");
    }

    async fn concurrent_checks_of_a_token_query_once(app) {
        // What every request in flight does when a busy token's cache entry
        // expires: without taking turns, each read the row and updated it.
        let token = app.token("read-only").await;
        let before = app.context.db().statements();
        let checks = (0..16).map(|_| app.context.verify_token(&token));
        let found = futures::future::try_join_all(checks).await?;
        assert!(found.iter().all(Option::is_some));
        let statements = app.context.db().statements() - before;
        assert!(statements <= 2, "one read and one record of use, not {statements}");
    }

    async fn drafts_tokens_and_the_public_role(app) {
        let c = catalog(&app).await;
        let secret = &c.products["Secret Prototype"];
        let get = |path: String, token: Option<String>| {
            let mut request = c.server.client.get(c.server.url(&path));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            c.server.send(request)
        };
        let (status, _) = get(format!("/api/products/{secret}"), Some(c.token.clone())).await;
        assert_eq!(status, 404, "published reads do not see drafts");
        let (status, body) = get(format!("/api/products/{secret}?status=draft"), Some(c.token.clone())).await;
        assert_eq!((status, body["data"]["name"].clone()), (200, json!("Secret Prototype")));
        let (status, body) = get(format!("/api/products/{secret}?status=draft"), Some(c.read_only.clone())).await;
        assert_eq!((status, body["error"]["name"].clone()), (403, json!("ForbiddenError")));
        let (status, _) = get("/api/products".into(), Some(c.read_only.clone())).await;
        assert_eq!(status, 200);
        let (status, body) = get("/api/products".into(), Some("cairn_not_a_real_token".into())).await;
        assert_eq!((status, body["error"]["name"].clone()), (401, json!("UnauthorizedError")));

        // Nothing is public until granted.
        let (status, _) = get("/api/products".into(), None).await;
        assert_eq!(status, 403);
        let mut grants = cairn_core::auth::permissions::PublicPermissions::default();
        grants.0.insert("api::product.product".into(), [cairn_core::auth::permissions::Action::Find].into());
        app.context.set_public_permissions(grants).await?;
        let (status, body) = get("/api/products?populate=*&sort=price:asc".into(), None).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["data"][0].get("brand").is_none(), "`*` skips types the public may not read");
        let (status, _) = get("/api/products?populate=brand".into(), None).await;
        assert_eq!(status, 403, "naming an unreadable type is refused");
        let (status, _) = get("/api/products?filters[brand][name][$eq]=Acme".into(), None).await;
        assert_eq!(status, 400, "so is filtering through it");
        let (status, _) = get(format!("/api/products/{}", c.products["Apple"]), None).await;
        assert_eq!(status, 403, "findOne was not granted");
        let write = c.server.client.post(c.server.url("/api/products")).json(&json!({"data": {"name": "Nope"}}));
        let (status, _) = c.server.send(write).await;
        assert_eq!(status, 403);
        let write = c.server.client.post(c.server.url("/api/products")).bearer_auth(&c.read_only).json(&json!({"data": {"name": "Nope"}}));
        let (status, body) = c.server.send(write).await;
        assert_eq!((status, body["error"]["message"].clone()), (403, json!("a read-only token cannot change content")));
    }

    async fn writes_follow_strapi_conventions(app) {
        let c = catalog(&app).await;
        let post = |body: Value, query: &str| c.server.client.post(c.server.url(&format!("/api/products{query}"))).bearer_auth(&c.token).json(&body);
        let (status, body) = c.server.send(post(json!({"data": {"name": "Saw", "price": 12.5, "brand": c.brands["Acme"]}}), "?populate=brand")).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["data"]["name"], "Saw");
        assert_eq!(body["data"]["publishedAt"], Value::Null, "created as a draft");
        assert_eq!(body["data"]["brand"]["name"], "Acme");
        let saw = body["data"]["documentId"].as_str().unwrap().to_owned();

        let put = c.server.client.put(c.server.url(&format!("/api/products/{saw}?status=published"))).bearer_auth(&c.token).json(&json!({"data": {"stock": 3}}));
        let (status, body) = c.server.send(put).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["stock"], 3);
        assert!(body["data"]["publishedAt"].is_string(), "status=published publishes");
        assert_eq!(c.filtered("filters[name][$eq]=Saw").await, ["Saw"]);

        let (status, body) = c.server.send(post(json!({"data": {"price": "cheap", "stock": 1.5, "kind": "gadget", "variants": [{"size": "big"}], "nope": 1}}), "")).await;
        assert_eq!(status, 400);
        let paths: Vec<String> = body["error"]["details"]["errors"].as_array().unwrap().iter().map(|e| e["path"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect::<Vec<_>>().join(".")).collect();
        assert_eq!(sorted(&paths.iter().map(String::as_str).collect::<Vec<_>>()), sorted(&["price", "stock", "kind", "variants.0.size", "nope"]));
        let (status, body) = c.server.send(post(json!({"name": "no data key"}), "")).await;
        assert_eq!((status, body["error"]["message"].clone()), (400, json!("Missing \"data\" payload in the request body")));
        let (status, body) = c.server.send(post(json!({"data": {"name": "x".repeat(300)}}), "")).await;
        assert_eq!(status, 400);
        assert_eq!(body["error"]["details"]["errors"][0]["path"], json!(["name"]));
        let raw = c.server.client.post(c.server.url("/api/products")).bearer_auth(&c.token).header("content-type", "application/json").body("{\"data\": ");
        let (status, body) = c.server.send(raw).await;
        assert_eq!(status, 400);
        assert!(body["error"]["message"].as_str().unwrap().starts_with("invalid JSON body"));
        let big = c.server.client.post(c.server.url("/api/products")).bearer_auth(&c.token).json(&json!({"data": {"description": "x".repeat(2_000_000)}}));
        assert_eq!(c.server.send(big).await.0, 413);
        let total = app.scalar("SELECT COUNT(*) FROM products", vec![]).await;
        assert_eq!(total, 2 * 7 + 1, "refused writes wrote nothing (six published pairs, a draft and the saw pair)");

        let delete = c.server.client.delete(c.server.url(&format!("/api/products/{saw}"))).bearer_auth(&c.token);
        assert_eq!(c.server.send(delete).await.0, 204);
        let (status, body) = c.get(&format!("/api/products/{saw}?status=draft")).await;
        assert_eq!((status, body["error"]["name"].clone()), (404, json!("NotFoundError")));
        let delete = c.server.client.delete(c.server.url(&format!("/api/products/{saw}"))).bearer_auth(&c.token);
        assert_eq!(c.server.send(delete).await.0, 404);
        let (status, _) = c.get("/api/nothing-here").await;
        assert_eq!(status, 404);
        let (status, _) = c.get("/api/product").await;
        assert_eq!(status, 404, "collections answer to their plural name only");

        // A single type.
        let (status, _) = c.get("/api/home").await;
        assert_eq!(status, 404);
        let put = c.server.client.put(c.server.url("/api/home?populate=featured")).bearer_auth(&c.token).json(&json!({"data": {"title": "Welcome", "featured": [c.products["Apple"]]}}));
        let (status, body) = c.server.send(put).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["featured"][0]["name"], "Apple");
        let (status, body) = c.get("/api/home").await;
        assert_eq!((status, body["data"]["title"].clone()), (200, json!("Welcome")));
        let delete = c.server.client.delete(c.server.url("/api/home")).bearer_auth(&c.token);
        assert_eq!(c.server.send(delete).await.0, 204);
        assert_eq!(c.get("/api/home").await.0, 404);
    }

    async fn localized_reads_and_writes(app) {
        let c = catalog(&app).await;
        cairn_core::locales::create(app.context.db(), "fr", "Français", false).await?;
        let apple = &c.products["Apple"];
        let put = c.server.client.put(c.server.url(&format!("/api/products/{apple}?locale=fr&status=published"))).bearer_auth(&c.token).json(&json!({"data": {"name": "Pomme"}}));
        let (status, body) = c.server.send(put).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["locale"], "fr");
        assert_eq!(c.names("locale=fr").await, ["Pomme"]);
        let (_, body) = c.get(&format!("/api/products/{apple}?locale=fr&populate=brand")).await;
        assert_eq!(body["data"]["brand"], Value::Null, "relations are per locale, as in Strapi");
        let message = c.error("/api/products?locale=de").await;
        assert!(message.contains("locale `de` is not configured"), "{message}");
        let delete = c.server.client.delete(c.server.url(&format!("/api/products/{apple}?locale=fr"))).bearer_auth(&c.token);
        assert_eq!(c.server.send(delete).await.0, 204);
        assert!(c.names("locale=fr").await.is_empty());
        assert_eq!(c.filtered("filters[name][$eq]=Apple").await, ["Apple"], "English stays");
    }

    async fn responses_are_tagged_cached_and_invalidated(app) {
        let c = catalog(&app).await;
        let url = c.server.url("/api/products?sort=price:asc&fields[0]=name&fields[1]=price");
        let response = c.server.client.get(&url).bearer_auth(&c.read_only).send().await?;
        assert_eq!(response.status(), 200);
        let etag = response.headers()["etag"].to_str()?.to_owned();
        assert!(etag.starts_with('"') && etag.len() == 34, "a strong tag: {etag}");
        assert_eq!(response.headers()["cache-control"], "no-cache");
        let first = response.text().await?;
        let again = c.server.client.get(&url).bearer_auth(&c.read_only).header("if-none-match", &etag).send().await?;
        assert_eq!(again.status(), 304);
        assert_eq!(again.headers()["etag"].to_str()?, etag);

        // A publish is visible on the next request.
        app.context
            .entries("product")?
            .update(&c.products["Apple"], &data!({"price": 0.75}), &WriteOptions { publish: true, ..WriteOptions::default() })
            .await?;
        let changed = c.server.client.get(&url).bearer_auth(&c.read_only).header("if-none-match", &etag).send().await?;
        assert_eq!(changed.status(), 200);
        assert_ne!(changed.headers()["etag"].to_str()?, etag);
        let text = changed.text().await?;
        assert_ne!(text, first);
        assert!(text.contains("0.75"), "{text}");

        // Compressed representations have their own tags.
        for encoding in ["gzip", "br"] {
            let compressed = c.server.client.get(&url).bearer_auth(&c.token).header("accept-encoding", encoding).send().await?;
            assert_eq!(compressed.headers()["content-encoding"], encoding);
            let tag = compressed.headers()["etag"].to_str()?.to_owned();
            assert!(tag.ends_with(&format!("-{encoding}\"")), "{tag}");
            let revalidated = c.server.client.get(&url).bearer_auth(&c.token).header("accept-encoding", encoding).header("if-none-match", &tag).send().await?;
            assert_eq!(revalidated.status(), 304);
            assert_eq!(revalidated.headers()["etag"].to_str()?, tag);
        }

        // CORS preflight.
        let preflight = c.server.client
            .request(reqwest::Method::OPTIONS, &url)
            .header("origin", "https://app.example")
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
            .await?;
        assert!(preflight.status().is_success());
        assert_eq!(preflight.headers()["access-control-allow-origin"], "https://app.example");
    }

    async fn bad_queries_get_clear_400s(app) {
        let c = catalog(&app).await;
        let cases = [
            ("/api/products?filters[name][$eqq]=x", "filters.name.$eqq: unknown operator `$eqq`"),
            ("/api/products?filters[nope][$eq]=x", "filters.nope.$eq: `nope` is not a field of Product"),
            ("/api/products?filters[secret][$eq]=x", "cannot filter on private field `secret`"),
            ("/api/products?filters[price][$gt]=cheap", "filters.price.$gt: `cheap` is not a number"),
            ("/api/products?filters[stock][$contains]=1", "`$contains` works on text fields only"),
            ("/api/products?filters[specs][$eq]=1", "JSON fields can only be tested with $null or $notNull"),
            ("/api/products?filters[brand][$eq]=x", "compare a field of `brand`"),
            ("/api/products?filters[image][$eq]=1", "media field `image` can only be tested with $null or $notNull"),
            ("/api/products?filters[name][$eq]=a&filters[name][$eq][x]=b", "given both as a value and as an object"),
            ("/api/products?sort=secret:asc", "cannot sort by private field `secret`"),
            ("/api/products?sort=tags.label:asc", "cannot sort by `tags.label`"),
            ("/api/products?pagination[pageSize]=101", "pagination.pageSize: is 101; at most 100 entries fit in a page"),
            ("/api/products?pagination[page]=x", "pagination.page: must be a whole number of 1 or more"),
            ("/api/products?status=archived", "status: must be `draft` or `published`"),
            ("/api/products?publicationState=live", "unknown query parameter `publicationState`"),
            ("/api/products?filters[a=1", "a `[` is never closed"),
        ];
        for (path, fragment) in cases {
            let message = c.error(path).await;
            assert!(message.contains(fragment), "{path}: {message}");
        }
        let wide = (0..51).map(|i| format!("filters[$or][{i}][stock][$eq]={i}")).collect::<Vec<_>>().join("&");
        assert!(c.error(&format!("/api/products?{wide}")).await.contains("holds 51 conditions; at most 50 are allowed"));
        let deep = format!("/api/products?filters{}[name][$eq]=x", "[$not]".repeat(8));
        assert!(c.error(&deep).await.contains("nested 9 levels deep; at most 8 are allowed"));
        let (status, _) = c.get("/_health").await;
        assert_eq!(status, 200, "the server is unaffected");
    }

    async fn filters_on_fields_that_leave_the_schema_are_refused_not_ignored(app) {
        let c = catalog(&app).await;
        let alone = "/api/products?filters[description][$containsi]=sturdy";
        let either = "/api/products?filters[$or][0][name][$eq]=Apple&filters[$or][1][description][$containsi]=sturdy";
        let sorted_by = "/api/products?sort=description:asc";
        assert_eq!(c.names(&alone[14..]).await, vec!["Hammer"]);
        assert_eq!(c.names(&either[14..]).await, vec!["Hammer", "Apple"]);

        // `description` goes; the same URLs, parsed and cached before, now fail whole.
        let mut sources = cairn_core::schema::load::load(&TestApp::fixture("catalog"))?;
        cairn_tests::type_def(&mut sources, "product").attributes.remove("description");
        app.context.apply_schema(&cairn_core::schema::ddl::ChangeRequest { sources, ..Default::default() }, true).await?;
        for (path, at) in [
            (alone, json!(["filters", "description", "$containsi"])),
            (either, json!(["filters", "$or", "1", "description", "$containsi"])),
            (sorted_by, json!(["sort", "description"])),
        ] {
            let (status, body) = c.get(path).await;
            assert_eq!(status, 400, "{path}: {body}");
            assert_eq!(body["data"], Value::Null, "{path}");
            let errors = body["error"]["details"]["errors"].as_array().unwrap();
            assert_eq!(errors.len(), 1, "{path}: {body}");
            assert_eq!(errors[0]["path"], at, "{path}");
            assert!(errors[0]["message"].as_str().unwrap().contains("`description` is not a field of Product"), "{path}: {body}");
        }
    }

    async fn every_failing_path_of_a_read_is_reported_at_once(app) {
        let c = catalog(&app).await;
        let (status, body) = c
            .get("/api/products?filters[$and][0][nope][$eq]=1&filters[$and][1][price][$gt]=cheap&sort=secret:asc&fields[0]=missing")
            .await;
        assert_eq!(status, 400, "{body}");
        let paths: Vec<String> = body["error"]["details"]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["path"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect::<Vec<_>>().join("."))
            .collect();
        assert_eq!(paths, vec!["filters.$and.0.nope.$eq", "filters.$and.1.price.$gt", "sort.secret", "fields.missing"], "{body}");
    }

    async fn openapi_describes_every_content_type(app) {
        let c = catalog(&app).await;
        let (status, spec) = c.server.send(c.server.client.get(c.server.url("/api/openapi.json"))).await;
        assert_eq!(status, 200);
        assert_eq!(spec["openapi"], "3.1.0");
        for path in ["/api/products", "/api/products/{documentId}", "/api/brands", "/api/home", "/management/schema/apply", "/_health"] {
            assert!(spec["paths"].get(path).is_some(), "{path} is described");
        }
        let product = &spec["components"]["schemas"]["Product"];
        assert_eq!(product["properties"]["price"]["type"], json!(["number", "null"]));
        assert_eq!(product["properties"]["kind"]["enum"], json!(["tool", "toy", "food", null]));
        assert!(product["properties"].get("secret").is_none(), "private fields are not described");
        assert_eq!(product["examples"][0]["kind"], "tool");
        let parameters: Vec<&str> = spec["paths"]["/api/products"]["get"]["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert!(parameters.contains(&"filters") && parameters.contains(&"pagination[cursor]"), "{parameters:?}");

        // The schema changes, the description follows.
        let mut sources = cairn_core::schema::load::load(&TestApp::fixture("catalog"))?;
        cairn_tests::type_def(&mut sources, "tag").attributes.insert("colour".into(), json!({"type": "string"}));
        app.context.apply_schema(&cairn_core::schema::ddl::ChangeRequest { sources, ..Default::default() }, false).await?;
        let (_, spec) = c.server.send(c.server.client.get(c.server.url("/api/openapi.json"))).await;
        assert!(spec["components"]["schemas"]["Tag"]["properties"].get("colour").is_some());

        let page = c.server.client.get(c.server.url("/api/docs/")).send().await?;
        assert_eq!(page.status(), 200);
        let html = page.text().await?;
        assert!(html.contains("swagger-ui"), "{html}");
        let initializer = c.server.client.get(c.server.url("/api/docs/swagger-initializer.js")).send().await?.text().await?;
        assert!(initializer.contains("/api/openapi.json"), "{initializer}");
        for asset in ["swagger-ui.css", "swagger-ui-bundle.js"] {
            let response = c.server.client.get(c.server.url(&format!("/api/docs/{asset}"))).send().await?;
            assert_eq!(response.status(), 200, "{asset} is served locally");
        }
    }
}

/// What `/api/openapi.json` guarantees beyond its paths: which values may be
/// null, the meta of lists, every error in the envelope, and which inputs
/// are required. `.ci/schemathesis` holds real responses to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_says_what_may_be_null_and_how_errors_look() -> cairn_tests::TestResult {
    let app = TestApp::start(cairn_tests::Backend::Sqlite).await;
    app.apply_fixture("catalog").await;
    let server = app.serve().await;
    let (status, spec) = server
        .send(server.client.get(server.url("/api/openapi.json")))
        .await;
    assert_eq!(status, 200);
    let schemas = &spec["components"]["schemas"];

    // Optional fields may be null; required ones only where drafts skip them.
    let (product, brand) = (
        &schemas["Product"]["properties"],
        &schemas["Brand"]["properties"],
    );
    assert_eq!(product["description"]["type"], json!(["string", "null"]));
    assert_eq!(
        product["name"]["type"],
        json!(["string", "null"]),
        "a draft may lack its name"
    );
    assert_eq!(brand["name"]["type"], "string", "brands have no drafts");
    assert_eq!(brand["country"]["type"], json!(["string", "null"]));
    assert_eq!(product["publishedAt"]["type"], json!(["string", "null"]));
    assert_eq!(brand["publishedAt"]["type"], "string");
    assert_eq!(product["brand"]["type"], json!(["object", "null"]));
    assert_eq!(
        product["image"]["oneOf"][0]["$ref"],
        "#/components/schemas/Media"
    );
    assert!(
        product["specs"].get("type").is_none(),
        "JSON is any value, null included"
    );
    let zone = &product["sections"]["items"]["oneOf"];
    assert_eq!(
        zone[0]["allOf"][1]["properties"]["__component"]["enum"],
        json!(["catalog.text"])
    );
    assert_eq!(
        schemas["Media"]["properties"]["alternativeText"]["type"],
        json!(["string", "null"])
    );
    assert_eq!(
        schemas["ComponentCatalogVariant"]["properties"]["size"]["type"],
        json!(["integer", "null"])
    );

    // Lists describe their pagination; one entry's meta is empty.
    let list = &spec["paths"]["/api/products"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    assert_eq!(
        list["properties"]["meta"]["properties"]["pagination"]["$ref"],
        "#/components/schemas/Pagination"
    );
    let pagination: Vec<&Value> = schemas["Pagination"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["required"])
        .collect();
    assert_eq!(
        pagination,
        [
            &json!(["page", "pageSize"]),
            &json!(["start", "limit"]),
            &json!(["limit"])
        ]
    );

    // Every operation answers its errors, 500 included, in the envelope.
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item
            .as_object()
            .unwrap()
            .iter()
            .filter(|(m, _)| *m != "parameters")
        {
            let responses = operation["responses"].as_object().unwrap();
            assert!(
                responses.contains_key("500"),
                "{method} {path} describes 500"
            );
            for (code, response) in responses.iter().filter(|(code, _)| code.as_str() >= "400") {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/Error",
                    "{method} {path} {code}"
                );
            }
        }
    }
    let login = &spec["paths"]["/management/auth/login"]["post"]["responses"];
    assert!(login.get("429").is_some(), "sign-in describes its throttle");
    let error = &schemas["Error"];
    assert_eq!(error["required"], json!(["data", "error"]));
    assert_eq!(
        error["properties"]["error"]["required"],
        json!(["status", "name", "message", "details"])
    );

    // Every body is required, those given by reference too.
    for path in ["/management/schema/apply", "/management/permissions/public"] {
        let body = spec["paths"][path]
            .as_object()
            .unwrap()
            .values()
            .find_map(|o| o.get("requestBody"))
            .unwrap();
        assert_eq!(body["required"], true, "{path}");
    }

    // Creating needs the required fields, non-empty; an update sets what it gives.
    let (create, update) = (
        &schemas["ProductInput"]["properties"]["data"],
        &schemas["ProductUpdate"]["properties"]["data"],
    );
    assert_eq!(create["required"], json!(["name"]));
    assert_eq!(create["properties"]["name"]["minLength"], 1);
    assert!(update.get("required").is_none(), "{update}");
    assert_eq!(
        create["additionalProperties"], false,
        "unknown fields are refused"
    );
    assert_eq!(
        create["properties"]["brand"]["oneOf"][0]["type"],
        json!("string"),
        "a documentId"
    );

    // A type named like one of Cairn's own schemas does not replace it.
    let folder = app.folder.path().join("named");
    std::fs::create_dir(&folder)?;
    let locale = json!({"kind": "collectionType", "collectionName": "site_locales",
        "info": {"singularName": "locale", "pluralName": "locales", "displayName": "Locale"},
        "attributes": {"label": {"type": "string"}}});
    std::fs::write(folder.join("locale.json"), locale.to_string())?;
    let sources = cairn_core::schema::load::load(&folder)?;
    let change = cairn_core::schema::ddl::ChangeRequest {
        sources,
        ..Default::default()
    };
    app.context.apply_schema(&change, false).await?;
    let (_, spec) = server
        .send(server.client.get(server.url("/api/openapi.json")))
        .await;
    let schemas = &spec["components"]["schemas"];
    assert!(schemas["Locale"]["properties"].get("isDefault").is_some());
    assert!(schemas["LocaleEntry"]["properties"].get("label").is_some());
    let list = &spec["paths"]["/api/locales"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    assert_eq!(
        list["properties"]["data"]["items"]["$ref"],
        "#/components/schemas/LocaleEntry"
    );
    server.stop().await;
    Ok(())
}

/// The official `@strapi/client` from npm, run by Node against Cairn.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(cairn_node),
    ignore = "run `npm ci --prefix tests/strapi-client` to enable"
)]
async fn the_official_strapi_client_works_against_cairn() -> cairn_tests::TestResult {
    let app = TestApp::start(cairn_tests::Backend::Sqlite).await;
    let c = catalog(&app).await;
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("strapi-client/run.mjs");
    let output = tokio::process::Command::new("node")
        .arg(&script)
        .arg(&c.server.base)
        .arg(&c.token)
        .output()
        .await?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert_eq!(stdout.trim(), "{\"checks\":7}", "{stderr}");
    Ok(())
}
