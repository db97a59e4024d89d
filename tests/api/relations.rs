//! Relations and media: both sides of a relation read the same links, the
//! inverse side writes the owner's links, order and exclusivity hold, and
//! links stay right across drafts and locales.

use cairn_core::entries::{Entries, Populate, PopulateField, ReadOptions, Status, WriteOptions};
use cairn_core::locales;
use cairn_tests::{Map, Value, backend_tests, data, images};

async fn draft_with(
    entries: &Entries,
    id: &str,
    field: &str,
) -> cairn_core::Result<Map<String, Value>> {
    Ok(entries
        .find_one(
            id,
            &ReadOptions {
                status: Status::Draft,
                populate: Populate::default().with(field, PopulateField::default()),
                ..ReadOptions::default()
            },
        )
        .await?
        .expect("the document exists"))
}

fn ids(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter_map(|i| i["documentId"].as_str().map(str::to_owned))
            .collect(),
        Value::Object(item) => item
            .get("documentId")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

fn id(entry: &Map<String, Value>) -> String {
    entry["documentId"].as_str().unwrap().to_owned()
}

backend_tests! {
    async fn both_sides_read_the_same_links(app) {
        app.apply_fixture("blog/src").await;
        let categories = app.context.entries("category")?;
        let news = categories.create(&data!({"name": "News"}), &WriteOptions::default()).await?;
        let articles = app.context.entries("article")?;
        let published = articles
            .create(&data!({"title": "Out", "category": id(&news)}), &WriteOptions { publish: true, ..WriteOptions::default() })
            .await?;
        let draft_only = articles.create(&data!({"title": "Soon", "category": id(&news)}), &WriteOptions::default()).await?;

        let read = |status| ReadOptions {
            status,
            populate: Populate::default().with("articles", PopulateField::default()),
            ..ReadOptions::default()
        };
        let delivered = categories.find_one(&id(&news), &read(Status::Published)).await?.unwrap();
        assert_eq!(ids(&delivered["articles"]), [id(&published)], "published reads see published articles only");
        let mut drafts = ids(&categories.find_one(&id(&news), &read(Status::Draft)).await?.unwrap()["articles"]);
        drafts.sort();
        let mut expected = vec![id(&published), id(&draft_only)];
        expected.sort();
        assert_eq!(drafts, expected);

        // Nested population: the article's category, its articles.
        let nested = articles
            .find_one(&id(&published), &ReadOptions {
                populate: Populate::default().with("category", PopulateField { populate: Populate::default().with("articles", PopulateField::default()), ..PopulateField::default() }),
                ..ReadOptions::default()
            })
            .await?
            .unwrap();
        assert_eq!(nested["category"]["name"], "News");
        assert_eq!(ids(&nested["category"]["articles"]), [id(&published)]);
    }

    async fn the_inverse_side_writes_the_owner_links(app) {
        app.apply_fixture("blog/src").await;
        let categories = app.context.entries("category")?;
        let news = categories.create(&data!({"name": "News"}), &WriteOptions::default()).await?;
        let sport = categories.create(&data!({"name": "Sport"}), &WriteOptions::default()).await?;
        let articles = app.context.entries("article")?;
        let a1 = articles.create(&data!({"title": "One"}), &WriteOptions::default()).await?;
        let a2 = articles.create(&data!({"title": "Two", "category": id(&sport)}), &WriteOptions::default()).await?;
        let a3 = articles.create(&data!({"title": "Three", "category": id(&news)}), &WriteOptions::default()).await?;

        categories.update(&id(&news), &data!({"articles": [id(&a1), id(&a2)]}), &WriteOptions::default()).await?;
        assert_eq!(ids(&draft_with(&articles, &id(&a1), "category").await?["category"]), [id(&news)]);
        assert_eq!(ids(&draft_with(&articles, &id(&a2), "category").await?["category"]), [id(&news)], "moved from Sport");
        assert_eq!(draft_with(&articles, &id(&a3), "category").await?["category"], Value::Null, "left out, so unlinked");

        categories
            .update(&id(&sport), &data!({"articles": {"connect": [id(&a3)]}}), &WriteOptions::default())
            .await?;
        assert_eq!(ids(&draft_with(&articles, &id(&a3), "category").await?["category"]), [id(&sport)]);
    }

    async fn connect_disconnect_and_positions_order_the_links(app) {
        app.apply_fixture("blog/src").await;
        let authors = app.context.entries("author")?;
        let mut people = Vec::new();
        for name in ["A", "B", "C", "D"] {
            people.push(id(&authors.create(&data!({"name": name}), &WriteOptions::default()).await?));
        }
        let articles = app.context.entries("article")?;
        let article = articles.create(&data!({"title": "Team", "authors": [people[0], people[1]]}), &WriteOptions::default()).await?;
        let article_id = id(&article);
        let order = |entry: Map<String, Value>| -> Vec<String> {
            entry["authors"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_owned()).collect()
        };

        articles
            .update(&article_id, &data!({"authors": {"connect": [{"documentId": people[2], "position": {"before": people[0]}}]}}), &WriteOptions::default())
            .await?;
        assert_eq!(order(draft_with(&articles, &article_id, "authors").await?), ["C", "A", "B"]);
        articles
            .update(&article_id, &data!({"authors": {"connect": [{"documentId": people[3], "position": {"start": true}}], "disconnect": [people[0]]}}), &WriteOptions::default())
            .await?;
        assert_eq!(order(draft_with(&articles, &article_id, "authors").await?), ["D", "C", "B"]);
        articles
            .update(&article_id, &data!({"authors": {"connect": [{"documentId": people[3], "position": {"after": people[1]}}]}}), &WriteOptions::default())
            .await?;
        assert_eq!(order(draft_with(&articles, &article_id, "authors").await?), ["C", "B", "D"]);
        articles.update(&article_id, &data!({"authors": {"set": [people[1]]}}), &WriteOptions::default()).await?;
        assert_eq!(order(draft_with(&articles, &article_id, "authors").await?), ["B"]);

        let many = articles
            .update(&article_id, &data!({"category": [people[0], people[1]]}), &WriteOptions::default())
            .await
            .unwrap_err();
        assert!(many.to_string().contains("holds one item"), "{many}");
        let malformed = articles
            .update(&article_id, &data!({"authors": {"connect": [{"documentId": people[0], "position": {"middle": 1}}]}}), &WriteOptions::default())
            .await
            .unwrap_err();
        assert!(malformed.to_string().contains("authors.connect.0.position"), "{malformed}");
    }

    async fn one_to_one_targets_belong_to_one_source_per_locale(app) {
        app.apply_fixture("relations").await;
        locales::create(app.context.db(), "fr", "Français", false).await?;
        let passports = app.context.entries("passport")?;
        let people = app.context.entries("person")?;
        let passport = passports.create(&data!({"number": "X1"}), &WriteOptions::default()).await?;
        let ann = people.create(&data!({"name": "Ann", "passport": id(&passport)}), &WriteOptions::default()).await?;
        let bob = people.create(&data!({"name": "Bob", "passport": id(&passport)}), &WriteOptions::default()).await?;
        assert_eq!(draft_with(&people, &id(&ann), "passport").await?["passport"], Value::Null, "Bob took it");
        assert_eq!(ids(&draft_with(&people, &id(&bob), "passport").await?["passport"]), [id(&passport)]);
        assert_eq!(ids(&draft_with(&passports, &id(&passport), "holder").await?["holder"]), [id(&bob)]);

        // In French, the passport exists once translated, and links are per locale.
        let fr = WriteOptions { locale: Some("fr".into()), ..WriteOptions::default() };
        passports.update(&id(&passport), &data!({"number": "X1-fr"}), &fr).await?;
        people.update(&id(&ann), &data!({"name": "Anne", "passport": id(&passport)}), &fr).await?;
        let in_french = people
            .find_one(&id(&ann), &ReadOptions {
                locale: Some("fr".into()),
                status: Status::Draft,
                populate: Populate::default().with("passport", PopulateField::default()),
                ..ReadOptions::default()
            })
            .await?
            .unwrap();
        assert_eq!(in_french["passport"]["number"], "X1-fr", "the target is read in the source's locale");
        assert_eq!(ids(&draft_with(&people, &id(&bob), "passport").await?["passport"]), [id(&passport)], "English links are untouched");
    }

    async fn media_links_need_existing_files_of_allowed_kinds(app) {
        app.apply_fixture("relations").await;
        let photo = app.upload("photo.jpg", &images::jpeg(64, 48)).await["id"].clone();
        let second = app.upload("second.png", &images::png_with_alpha(300, 200)).await["id"].clone();
        let manual = app.upload("manual.pdf", &images::pdf()).await["id"].clone();
        let people = app.context.entries("person")?;
        let person = people
            .create(&data!({"name": "Pat", "photos": [second, photo], "card": {"phone": "123", "avatar": manual}}), &WriteOptions::default())
            .await?;
        let read = people
            .find_one(&id(&person), &ReadOptions {
                status: Status::Draft,
                populate: Populate::default().with("photos", PopulateField::default()).with("card", PopulateField::default()),
                ..ReadOptions::default()
            })
            .await?
            .unwrap();
        let names: Vec<&str> = read["photos"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["second.png", "photo.jpg"]);
        assert_eq!(read["photos"][0]["mime"], "image/png");
        let url = read["photos"][0]["url"].as_str().unwrap();
        assert!(url.starts_with("/uploads/second_") && url.ends_with(".png"), "{url}");
        assert_eq!((read["photos"][0]["width"].clone(), read["photos"][0]["height"].clone()), (300.into(), 200.into()));
        assert_eq!(read["photos"][0]["formats"]["thumbnail"]["width"], 234, "a 245x156 box");
        assert!(read["photos"][0]["formats"].get("small").is_none(), "the image fits the small box already");
        assert_eq!(read["card"]["phone"], "123");
        assert!(read["card"].get("avatar").is_none(), "media inside components show when populated");
        let deep = people
            .find_one(&id(&person), &ReadOptions {
                status: Status::Draft,
                populate: Populate::default().with("card", PopulateField {
                    populate: Populate::default().with("avatar", PopulateField::default()),
                    ..PopulateField::default()
                }),
                ..ReadOptions::default()
            })
            .await?
            .unwrap();
        assert_eq!(deep["card"]["avatar"]["id"], manual);
        assert_eq!(deep["card"]["avatar"]["name"], "manual.pdf");


        let refused = people.update(&id(&person), &data!({"photos": [manual]}), &WriteOptions::default()).await.unwrap_err();
        assert!(refused.to_string().contains("not one of the allowed kinds: images"), "{refused}");
        let missing = people
            .update(&id(&person), &data!({"card": {"referrer": "nobody00000000000000000"}}), &WriteOptions::default())
            .await
            .unwrap_err();
        assert!(missing.to_string().contains("card.referrer"), "{missing}");
    }
}
