//! The admin UI over HTTP, read with CSS selectors: first-run setup, sign-in
//! and its throttle, CSRF refusals, the builder's forms and errors, the plan
//! review and applying it, then entries in the table it made.

use cairn_core::auth::admin_users::{self, NewAdmin};
use cairn_core::entries::ListOptions;
use cairn_tests::{TestApp, TestServer, backend_tests, data, json};
use reqwest::redirect::Policy;
use scraper::{Html, Selector};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "correct horse battery";

/// A browser without JavaScript: a cookie jar and no automatic redirects.
struct Visitor {
    server: TestServer,
    client: reqwest::Client,
}

/// A response: status, where it redirects, Set-Cookie lines and the page.
struct Answer {
    status: u16,
    location: Option<String>,
    cookies: Vec<String>,
    page: Html,
}

impl Answer {
    fn select(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap();
        self.page.select(&selector).collect()
    }

    fn has(&self, css: &str) -> bool {
        !self.select(css).is_empty()
    }

    fn text(&self, css: &str) -> String {
        self.select(css)
            .first()
            .map(|e| e.text().collect::<String>())
            .unwrap_or_default()
    }

    fn value(&self, css: &str) -> String {
        self.select(css)
            .first()
            .and_then(|e| e.value().attr("value"))
            .unwrap_or_default()
            .to_owned()
    }

    fn csrf(&self) -> String {
        self.value("input[name=csrf]")
    }
}

impl Visitor {
    async fn new(app: &TestApp) -> Visitor {
        let server = app.serve().await;
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .unwrap();
        Visitor { server, client }
    }

    async fn answer(response: reqwest::Response) -> Answer {
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
        let cookies = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|c| c.to_str().unwrap().to_owned())
            .collect();
        let page = Html::parse_document(&response.text().await.unwrap());
        Answer {
            status,
            location,
            cookies,
            page,
        }
    }

    async fn get(&self, path: &str) -> Answer {
        Self::answer(self.client.get(self.server.url(path)).send().await.unwrap()).await
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        Self::answer(
            self.client
                .post(self.server.url(path))
                .form(fields)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Posts a form with the CSRF token of the page at `from`.
    async fn submit(&self, from: &str, action: &str, fields: &[(&str, &str)]) -> Answer {
        let csrf = self.get(from).await.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }

    async fn sign_in(&self) {
        let answer = self
            .submit(
                "/admin/login",
                "/admin/login",
                &[("email", EMAIL), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(
            (answer.status, answer.location.as_deref()),
            (303, Some("/admin"))
        );
    }
}

async fn create_admin(app: &TestApp) {
    admin_users::create(
        app.context.db().conn(),
        &NewAdmin {
            email: EMAIL.into(),
            password: PASSWORD.into(),
            firstname: "Ada".into(),
            lastname: "Lovelace".into(),
        },
    )
    .await
    .unwrap();
}

const PRODUCT: &str = "/admin/builder/types/api::product.product";

/// Drafts and applies a product type with several kinds of fields.
async fn build_product(visitor: &Visitor) {
    let answer = visitor
        .submit(
            "/admin/builder/new",
            "/admin/builder/new",
            &[("display_name", "Product"), ("kind", "collectionType")],
        )
        .await;
    assert_eq!(answer.location.as_deref(), Some(PRODUCT));
    for (kind, fields) in [
        (
            "string",
            vec![
                ("name", "title"),
                ("required", "true"),
                ("max_length", "80"),
            ],
        ),
        ("uid", vec![("name", "slug"), ("target_field", "title")]),
        (
            "integer",
            vec![("name", "stock"), ("min", "0"), ("default", "0")],
        ),
        (
            "enumeration",
            vec![("name", "size"), ("values", "small\nmedium\nlarge")],
        ),
    ] {
        let form = format!("{PRODUCT}/fields/new?kind={kind}");
        let answer = visitor.submit(&form, &form, &fields).await;
        assert_eq!(
            answer.status,
            303,
            "{kind}: {:?}",
            answer.text("#form-errors")
        );
    }
    let review = visitor.get(&format!("{PRODUCT}/review")).await;
    assert_eq!(review.status, 200);
    assert!(
        review
            .text("#plan-text")
            .contains("+ create collection type api::product.product")
    );
    assert!(!review.has("#data-loss"));
    let applied = visitor
        .submit(
            &format!("{PRODUCT}/review"),
            &format!("{PRODUCT}/apply"),
            &[],
        )
        .await;
    assert_eq!(
        (applied.status, applied.location.as_deref()),
        (303, Some(PRODUCT))
    );
}

backend_tests! {
    async fn first_run_creates_the_first_administrator_and_signs_them_in(app) {
        let visitor = Visitor::new(&app).await;
        let home = visitor.get("/admin").await;
        assert_eq!((home.status, home.location.as_deref()), (303, Some("/admin/setup")));
        assert_eq!(visitor.get("/admin/builder").await.location.as_deref(), Some("/admin/setup"));
        assert_eq!(visitor.get("/admin/login").await.location.as_deref(), Some("/admin/setup"));

        let setup = visitor.get("/admin/setup").await;
        assert_eq!(setup.status, 200);
        for id in ["email", "firstname", "lastname", "password", "password_confirmation"] {
            assert!(setup.has(&format!("#field-{id}")), "{id}");
        }
        let refused = visitor
            .submit("/admin/setup", "/admin/setup", &[
                ("email", "not-an-email"), ("firstname", "Ada"), ("lastname", ""),
                ("password", "short"), ("password_confirmation", "other"),
            ])
            .await;
        assert_eq!(refused.status, 400);
        assert_eq!(refused.value("#field-email"), "not-an-email");
        assert_eq!(refused.value("#field-firstname"), "Ada");
        assert_eq!(refused.value("#field-password"), "", "passwords are never sent back");
        assert!(refused.text("#field-email-error").contains("valid email"));
        assert!(refused.text("#field-password-error").contains("at least 8"));
        assert!(refused.has("#field-password_confirmation-error"));
        assert_eq!(admin_users::count(app.context.db().conn()).await?, 0);

        let created = visitor
            .submit("/admin/setup", "/admin/setup", &[
                ("email", EMAIL), ("firstname", "Ada"), ("lastname", "Lovelace"),
                ("password", PASSWORD), ("password_confirmation", PASSWORD),
            ])
            .await;
        assert_eq!((created.status, created.location.as_deref()), (303, Some("/admin")));
        let cookie = created.cookies.iter().find(|c| c.starts_with("cairn_session=")).unwrap();
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/admin"] {
            assert!(cookie.contains(attribute), "{cookie}");
        }
        assert!(!cookie.contains("Secure"), "plain HTTP gets no Secure cookie: {cookie}");

        let dashboard = visitor.get("/admin").await;
        assert_eq!(dashboard.status, 200);
        assert!(dashboard.text("#flash").contains("Welcome"));
        assert!(dashboard.has("#empty-types"));
        assert!(dashboard.text("#user-menu").contains("Ada Lovelace"));
        for id in ["nav-content", "nav-builder", "nav-media", "nav-settings"] {
            assert!(dashboard.has(&format!("#{id}")), "{id}");
        }
        assert!(!visitor.get("/admin").await.has("#flash"), "a flash shows once");
        for page in ["/admin/content", "/admin/media", "/admin/builder", "/admin/settings"] {
            let answer = visitor.get(page).await;
            assert_eq!(answer.status, 200, "{page}");
            assert!(answer.has("nav[aria-label=Breadcrumb] [aria-current=page]"), "{page}");
        }
        assert!(visitor.get("/admin/content").await.has("#empty-content"));
        assert!(visitor.get("/admin/media").await.has("#empty-media"));
        assert_eq!(visitor.get("/admin/setup").await.status, 404, "setup is gone once done");
        assert_eq!(admin_users::count(app.context.db().conn()).await?, 1);
        visitor.server.stop().await;
    }

    async fn sign_in_refuses_wrong_passwords_and_sign_out_revokes_the_session(app) {
        create_admin(&app).await;
        let visitor = Visitor::new(&app).await;
        assert_eq!(visitor.get("/admin").await.location.as_deref(), Some("/admin/login"));
        let refused = visitor
            .submit("/admin/login", "/admin/login", &[("email", EMAIL), ("password", "wrong password")])
            .await;
        assert_eq!(refused.status, 401);
        assert_eq!(refused.value("#field-email"), EMAIL);
        assert!(refused.text("#form-errors").contains("wrong"));

        visitor.sign_in().await;
        let dashboard = visitor.get("/admin").await;
        assert_eq!(dashboard.status, 200);
        let sessions = "SELECT COUNT(*) FROM cairn_admin_sessions";
        assert_eq!(app.scalar(sessions, vec![]).await, 1);

        let out = visitor.post("/admin/logout", &[("csrf", &dashboard.csrf())]).await;
        assert_eq!(out.location.as_deref(), Some("/admin/login?signed_out=true"));
        assert_eq!(app.scalar(sessions, vec![]).await, 0);
        assert_eq!(visitor.get("/admin").await.location.as_deref(), Some("/admin/login"));
        assert!(visitor.get("/admin/login?signed_out=true").await.text("#flash").contains("signed out"));
        visitor.server.stop().await;
    }

    async fn sign_in_is_throttled_after_repeated_failures(app) {
        create_admin(&app).await;
        let visitor = Visitor::new(&app).await;
        for _ in 0..5 {
            let answer = visitor
                .submit("/admin/login", "/admin/login", &[("email", EMAIL), ("password", "guess")])
                .await;
            assert_eq!(answer.status, 401);
        }
        let throttled = visitor
            .submit("/admin/login", "/admin/login", &[("email", EMAIL), ("password", PASSWORD)])
            .await;
        assert_eq!(throttled.status, 429, "even the right password waits");
        assert!(throttled.text("#form-errors").contains("Too many failed sign-in attempts"));
        let (status, body) = visitor
            .server
            .send(visitor.server.client.post(visitor.server.url("/management/auth/login")).json(
                &serde_json::json!({"email": EMAIL, "password": PASSWORD}),
            ))
            .await;
        assert_eq!((status, body["error"]["name"].as_str()), (429, Some("RateLimitError")));
        visitor.server.stop().await;
    }

    async fn forged_or_stale_csrf_tokens_change_nothing(app) {
        create_admin(&app).await;
        let visitor = Visitor::new(&app).await;
        let no_cookie = visitor
            .post("/admin/login", &[("csrf", "0".repeat(64).as_str()), ("email", EMAIL), ("password", PASSWORD)])
            .await;
        assert_eq!(no_cookie.status, 403, "sign-in needs the token its page set");

        visitor.sign_in().await;
        let stale = visitor.get("/admin").await.csrf();
        let forged = visitor
            .post("/admin/builder/new", &[("csrf", "forged"), ("display_name", "Product")])
            .await;
        assert_eq!(forged.status, 403);
        assert!(forged.text("#error-message").contains("nothing was changed"));
        let missing = visitor.post("/admin/builder/new", &[("display_name", "Product")]).await;
        assert_eq!(missing.status, 403);

        visitor.post("/admin/logout", &[("csrf", &stale)]).await;
        visitor.sign_in().await;
        let replayed = visitor
            .post("/admin/builder/new", &[("csrf", &stale), ("display_name", "Product")])
            .await;
        assert_eq!(replayed.status, 403, "a token from an ended session is stale");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM cairn_admin_drafts", vec![]).await, 0);
        visitor.server.stop().await;
    }

    async fn every_content_media_and_settings_form_refuses_a_missing_or_forged_token(app) {
        create_admin(&app).await;
        app.apply_fixture("kitchen").await;
        let visitor = Visitor::new(&app).await;
        visitor.sign_in().await;
        let recipe = app.context.entries("recipe")?.create(&data!({"title": "Soup"}), &Default::default()).await?;
        let id = recipe["documentId"].as_str().unwrap().to_owned();
        let forms = [
            "/admin/content/api::recipe.recipe/new".to_owned(),
            format!("/admin/content/api::recipe.recipe/{id}"),
            "/admin/content/api::recipe.recipe/bulk".to_owned(),
            "/admin/content/api::recipe.recipe/bulk/confirm".to_owned(),
            "/admin/content/api::recipe.recipe/columns".to_owned(),
            format!("/admin/content/api::recipe.recipe/{id}/history/1/restore"),
            "/admin/markdown".to_owned(),
            "/admin/settings/tokens".to_owned(),
            "/admin/settings/tokens/revoke".to_owned(),
            "/admin/settings/administrators".to_owned(),
            "/admin/settings/locales".to_owned(),
            "/admin/settings/public".to_owned(),
        ];
        for form in &forms {
            let fields = [("title", "Stew"), ("action", "delete"), ("ids", id.as_str()), ("name", "x")];
            let missing = visitor.post(form, &fields).await;
            assert_eq!(missing.status, 403, "{form} without a token");
            let mut forged = vec![("csrf", "forged")];
            forged.extend_from_slice(&fields);
            assert_eq!(visitor.post(form, &forged).await.status, 403, "{form} with a forged token");
        }
        let stored = app.context.entries("recipe")?.find_one(&id, &cairn_core::entries::ReadOptions { status: cairn_core::entries::Status::Draft, ..Default::default() }).await?;
        assert_eq!(stored.map(|r| r["title"].clone()), Some(json!("Soup")), "nothing changed");

        // An upload is read only after its token: a file sent without one,
        // or before it, is not stored.
        let png = cairn_tests::images::png_with_alpha(4, 4);
        let part = || reqwest::multipart::Part::bytes(png.clone()).file_name("a.png").mime_str("image/png").unwrap();
        let forged = reqwest::multipart::Form::new().text("csrf", "forged").part("files", part());
        let response = visitor.client.post(visitor.server.url("/admin/media/upload")).multipart(forged).send().await?;
        assert_eq!(response.status(), 403);
        let csrf = visitor.get("/admin/media").await.csrf();
        let late = reqwest::multipart::Form::new().part("files", part()).text("csrf", csrf.clone());
        let response = visitor.client.post(visitor.server.url("/admin/media/upload")).multipart(late).send().await?;
        assert_eq!(response.status(), 403, "the token comes before the files");
        assert!(app.context.files().list().await?.is_empty());
        let good = reqwest::multipart::Form::new().text("csrf", csrf).part("files", part());
        let response = visitor.client.post(visitor.server.url("/admin/media/upload")).multipart(good).send().await?;
        assert_eq!(response.status(), 303);
        assert_eq!(app.context.files().list().await?.len(), 1);
        visitor.server.stop().await;
    }

    async fn builder_forms_keep_input_and_show_errors_beside_fields(app) {
        create_admin(&app).await;
        let visitor = Visitor::new(&app).await;
        visitor.sign_in().await;
        let refused = visitor
            .submit("/admin/builder/new", "/admin/builder/new", &[
                ("display_name", ""), ("singular_name", "Bad Id"), ("plural_name", "upload"),
            ])
            .await;
        assert_eq!(refused.status, 400);
        assert_eq!(refused.value("#field-singular_name"), "Bad Id");
        assert!(refused.has("#field-display_name-error"));
        assert!(refused.text("#field-singular_name-error").contains("not a valid API id"));
        assert!(refused.text("#field-plural_name-error").contains("reserved"), "the engine's own message");

        let created = visitor
            .submit("/admin/builder/new", "/admin/builder/new", &[("display_name", "Product")])
            .await;
        assert_eq!(created.location.as_deref(), Some(PRODUCT), "API ids are derived");
        let form = format!("{PRODUCT}/fields/new?kind=string");
        let refused = visitor
            .submit(&form, &form, &[("name", "select"), ("min_length", "many"), ("regex", "([")])
            .await;
        assert_eq!(refused.status, 400);
        assert_eq!(refused.value("#field-name"), "select");
        assert_eq!(refused.value("#field-min_length"), "many");
        assert_eq!(refused.value("#field-regex"), "([");
        assert!(refused.text("#field-name-error").contains("SQL keyword"));
        assert!(refused.text("#field-min_length-error").contains("whole number"));

        let refused = visitor
            .submit(&form, &form, &[("name", "title"), ("min_length", "9"), ("max_length", "3"), ("regex", "([")])
            .await;
        assert!(refused.text("#field-min_length-error").contains("greater than `maxLength`"));
        assert!(refused.text("#field-regex-error").contains("`regex` is invalid"));

        let uid = format!("{PRODUCT}/fields/new?kind=uid");
        visitor.submit(&form, &form, &[("name", "title")]).await;
        visitor.submit(&uid, &uid, &[("name", "slug"), ("target_field", "title")]).await;
        let duplicate = visitor.submit(&form, &form, &[("name", "title")]).await;
        assert!(duplicate.text("#field-name-error").contains("already a field"));

        // The engine's plan-time errors land beside the field they name.
        let removed = visitor.submit(PRODUCT, &format!("{PRODUCT}/fields/title/remove"), &[]).await;
        assert_eq!(removed.status, 303);
        let review = visitor.get(&format!("{PRODUCT}/review")).await;
        assert_eq!(review.status, 400);
        assert!(review.text("#field-error-slug").contains("targetField `title`"), "{}", review.page.html());
        visitor.server.stop().await;
    }

    async fn builder_applies_a_type_whose_table_takes_entries(app) {
        create_admin(&app).await;
        let visitor = Visitor::new(&app).await;
        visitor.sign_in().await;
        build_product(&visitor).await;
        let editor = visitor.get(PRODUCT).await;
        assert!(editor.text("#flash").contains("Applied"));
        assert!(editor.has("#row-title") && editor.has("#row-size"));
        assert!(!editor.has("#review"), "nothing left to apply");

        let products = app.context.entries("product")?;
        let created = products
            .create(&data!({"title": "Walnut Desk", "stock": 3, "size": "large"}), &Default::default())
            .await?;
        assert_eq!(created["slug"], "walnut-desk");
        assert!(products.create(&data!({"title": "Chair", "size": "huge"}), &Default::default()).await.is_err());
        assert_eq!(visitor.get("/admin/content").await.text("#count-products"), "1");
        visitor.server.stop().await;
    }

    async fn editing_renames_fields_keeps_data_and_confirms_drops(app) {
        create_admin(&app).await;
        let visitor = Visitor::new(&app).await;
        visitor.sign_in().await;
        build_product(&visitor).await;
        app.context.entries("product")?
            .create(&data!({"title": "Oak Shelf", "stock": 7, "size": "small"}), &Default::default())
            .await?;

        let edit = format!("{PRODUCT}/fields/title");
        let form = visitor.get(&edit).await;
        assert_eq!(form.value("#field-name"), "title");
        assert_eq!(form.value("#field-max_length"), "80");
        let saved = visitor
            .submit(&edit, &edit, &[("name", "headline"), ("required", "true"), ("max_length", "120")])
            .await;
        assert_eq!(saved.status, 303);
        let slug = format!("{PRODUCT}/fields/slug");
        visitor.submit(&slug, &slug, &[("name", "slug"), ("target_field", "headline")]).await;
        visitor.submit(PRODUCT, &format!("{PRODUCT}/fields/size/move"), &[("direction", "up")]).await;
        visitor.submit(PRODUCT, &format!("{PRODUCT}/fields/stock/remove"), &[]).await;

        let review = visitor.get(&format!("{PRODUCT}/review")).await;
        let plan = review.text("#plan-text");
        assert!(plan.contains("~ rename title -> headline"), "{plan}");
        assert!(plan.contains("- stock: integer (1 values will be lost)"), "{plan}");
        assert!(review.text("#data-loss").contains("drop field api::product.product.stock"));
        assert!(review.has("#field-confirm_drop"));

        let unconfirmed = visitor.post(&format!("{PRODUCT}/apply"), &[("csrf", &review.csrf())]).await;
        assert_eq!(unconfirmed.status, 400);
        assert!(unconfirmed.has("#field-confirm_drop-error"));
        assert!(app.context.schema().find_type("product").unwrap().field("stock").is_some());

        let applied = visitor
            .post(&format!("{PRODUCT}/apply"), &[("csrf", &review.csrf()), ("confirm_drop", "true")])
            .await;
        assert_eq!(applied.status, 303);
        let schema = app.context.schema();
        let product = schema.find_type("product").unwrap();
        let names: Vec<&str> = product.fields.iter().map(|f| f.name()).collect();
        assert_eq!(names, ["headline", "slug", "size"]);
        let page = app.context.entries("product")?.find_many(&ListOptions::default()).await?;
        assert_eq!(page.entries().expect("entries")[0]["headline"], "Oak Shelf", "the rename kept the value");

        visitor.server.stop().await;
    }

    async fn builder_makes_components_and_both_sides_of_relations(app) {
        create_admin(&app).await;
        let visitor = Visitor::new(&app).await;
        visitor.sign_in().await;
        let component = visitor
            .submit("/admin/builder/new-component", "/admin/builder/new-component", &[
                ("display_name", "Seo"), ("category", "shared"),
            ])
            .await;
        let seo = "/admin/builder/components/shared.seo";
        assert_eq!(component.location.as_deref(), Some(seo));
        let field = format!("{seo}/fields/new?kind=string");
        visitor.submit(&field, &field, &[("name", "meta_title")]).await;
        let field = format!("{seo}/fields/new?kind=relation");
        let one_way = visitor
            .submit(&field, &field, &[("name", "owner"), ("relation", "oneToOne"), ("target", "api::x.x"), ("inverse", "seo")])
            .await;
        assert!(one_way.text("#form-errors").contains("one-way"), "{}", one_way.page.html());
        assert_eq!(visitor.submit(seo, &format!("{seo}/apply"), &[]).await.status, 303);

        visitor.submit("/admin/builder/new", "/admin/builder/new", &[("display_name", "Category")]).await;
        let category = "/admin/builder/types/api::category.category";
        let field = format!("{category}/fields/new?kind=string");
        visitor.submit(&field, &field, &[("name", "label")]).await;
        visitor.submit(category, &format!("{category}/apply"), &[]).await;

        visitor.submit("/admin/builder/new", "/admin/builder/new", &[("display_name", "Article")]).await;
        let article = "/admin/builder/types/api::article.article";
        for (kind, fields) in [
            ("string", vec![("name", "title")]),
            ("relation", vec![("name", "category"), ("relation", "manyToOne"), ("target", "api::category.category"), ("inverse", "articles")]),
            ("component", vec![("name", "seo"), ("component", "shared.seo")]),
            ("media", vec![("name", "cover"), ("allowed_types", "images")]),
        ] {
            let form = format!("{article}/fields/new?kind={kind}");
            let answer = visitor.submit(&form, &form, &fields).await;
            assert_eq!(answer.status, 303, "{kind}: {}", answer.page.html());
        }
        let review = visitor.get(&format!("{article}/review")).await;
        assert!(review.text("#plan-text").contains("+ articles: relation"), "{}", review.text("#plan-text"));
        assert_eq!(visitor.submit(article, &format!("{article}/apply"), &[]).await.status, 303);

        let schema = app.context.schema();
        let category_type = schema.find_type("category").unwrap();
        assert!(category_type.field("articles").is_some(), "the inverse side was added");
        let categories = app.context.entries("category")?;
        let news = categories.create(&data!({"label": "News"}), &Default::default()).await?;
        let articles = app.context.entries("article")?;
        let written = articles
            .create(
                &data!({"title": "Hello", "category": news["documentId"].clone(), "seo": {"meta_title": "Hi"}}),
                &Default::default(),
            )
            .await?;
        assert_eq!(written["title"], "Hello");
        assert!(
            articles.create(&data!({"title": "Bad", "seo": {"unknown": 1}}), &Default::default()).await.is_err(),
            "the component's fields are checked"
        );
        visitor.server.stop().await;
    }
}
