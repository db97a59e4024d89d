//! Media over HTTP: uploads, metadata, originals and variants, on the local
//! store and on a real S3-compatible server, with real JPEG, PNG, WebP and
//! GIF files, and the bad input each step must refuse.

use cairn_tests::{TestApp, TestServer, Value, images, json, media_tests};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::multipart::{Form, Part};

/// A multipart body with `files` and, when given, `fileInfo`.
fn form(files: &[(&str, Vec<u8>)], info: Option<Value>) -> Form {
    let mut form = Form::new();
    for (name, bytes) in files {
        form = form.part(
            "files",
            Part::bytes(bytes.clone()).file_name((*name).to_owned()),
        );
    }
    if let Some(info) = info {
        form = form.text("fileInfo", info.to_string());
    }
    form
}

async fn upload(
    server: &TestServer,
    token: &str,
    files: &[(&str, Vec<u8>)],
    info: Option<Value>,
) -> (u16, Value) {
    server
        .send(
            server
                .client
                .post(server.url("/api/upload"))
                .bearer_auth(token)
                .multipart(form(files, info)),
        )
        .await
}

/// A response's status, headers and bytes.
struct Fetched {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Fetched {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// Whether the response names Accept in Vary (CORS adds its own names).
    fn varies_on_accept(&self) -> bool {
        self.header("vary")
            .split(',')
            .any(|name| name.trim().eq_ignore_ascii_case("accept"))
    }
}

async fn fetch(server: &TestServer, path: &str, headers: &[(&'static str, &str)]) -> Fetched {
    let mut request = server.client.get(server.url(path));
    for (name, value) in headers {
        request = request.header(*name, HeaderValue::from_str(value).unwrap());
    }
    let response = request.send().await.unwrap();
    Fetched {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.bytes().await.unwrap().to_vec(),
    }
}

fn url(file: &Value) -> String {
    file["url"].as_str().unwrap().to_owned()
}

/// Rows in `cairn_files`.
async fn file_count(app: &TestApp) -> i64 {
    app.scalar("SELECT COUNT(*) FROM cairn_files", vec![]).await
}

media_tests! {
    async fn uploads_store_originals_and_answer_in_strapi_shape(app) {
        let token = app.token("full-access").await;
        let server = app.serve().await;
        let jpeg = images::jpeg(1200, 800);
        let files = [
            ("Summer Holiday.JPG", jpeg.clone()),
            ("logo.png", images::png_with_alpha(300, 200)),
            ("photo.webp", images::webp(640, 480)),
            ("anim.gif", images::gif(100, 80)),
        ];
        let info = json!([{"alternativeText": "A beach", "caption": "Summer", "focalPoint": {"x": 0.25, "y": 0.5}, "folderPath": "/trips"}]);
        let (status, body) = upload(&server, &token, &files, Some(info)).await;
        assert_eq!(status, 201, "{body}");
        let created = body.as_array().unwrap();
        assert_eq!(created.len(), 4);

        let photo = &created[0];
        assert_eq!(photo["name"], "Summer Holiday.JPG");
        assert_eq!((photo["alternativeText"].clone(), photo["caption"].clone()), (json!("A beach"), json!("Summer")));
        assert_eq!((photo["width"].clone(), photo["height"].clone()), (json!(1200), json!(800)));
        assert_eq!((photo["mime"].clone(), photo["ext"].clone()), (json!("image/jpeg"), json!(".jpg")));
        assert_eq!(photo["size"], json!((jpeg.len() as f64 / 10.0).round() / 100.0), "kilobytes, two decimals");
        assert_eq!(photo["focalPoint"], json!({"x": 0.25, "y": 0.5}));
        assert_eq!(photo["folderPath"], "/trips");
        assert!(photo["hash"].as_str().unwrap().starts_with("summer_holiday_"));
        assert_eq!(url(photo), format!("/uploads/{}.jpg", photo["hash"].as_str().unwrap()));
        assert_eq!(photo["provider"], if app.store == cairn_tests::Store::S3 { "aws-s3" } else { "local" });
        for key in ["id", "documentId", "previewUrl", "provider_metadata", "createdAt", "updatedAt", "publishedAt", "blurhash", "dominantColor"] {
            assert!(photo.get(key).is_some(), "{key} is missing");
        }
        assert!(photo["blurhash"].as_str().unwrap().len() >= 20);
        assert!(photo["dominantColor"].as_str().unwrap().starts_with('#'));
        let formats = photo["formats"].as_object().unwrap();
        let sizes: Vec<(&str, i64, i64)> = ["thumbnail", "small", "medium", "large"]
            .iter()
            .map(|name| (*name, formats[*name]["width"].as_i64().unwrap(), formats[*name]["height"].as_i64().unwrap()))
            .collect();
        assert_eq!(sizes, [("thumbnail", 234, 156), ("small", 500, 333), ("medium", 750, 500), ("large", 1000, 667)]);
        let small = &formats["small"];
        assert_eq!((small["mime"].clone(), small["ext"].clone(), small["path"].clone()), (json!("image/jpeg"), json!(".jpg"), Value::Null));
        assert_eq!(small["url"], format!("{}?preset=small", url(photo)));

        // Other formats keep their type; GIF formats are PNG frames.
        assert_eq!((created[1]["width"].clone(), created[1]["mime"].clone()), (json!(300), json!("image/png")));
        assert_eq!(created[1]["formats"].as_object().unwrap().keys().collect::<Vec<_>>(), ["thumbnail"]);
        assert_eq!((created[2]["width"].clone(), created[2]["mime"].clone()), (json!(640), json!("image/webp")));
        assert_eq!(created[2]["formats"]["small"]["mime"], "image/webp");
        assert_eq!((created[3]["width"].clone(), created[3]["mime"].clone()), (json!(100), json!("image/gif")));
        assert_eq!(created[3]["formats"], json!({}), "smaller than every box");
        assert_eq!(created[1]["alternativeText"], Value::Null, "fileInfo entries go to files in order");

        // The original, byte for byte, with immutable caching.
        let original = fetch(&server, &url(photo), &[]).await;
        assert_eq!(original.status, 200);
        assert_eq!(original.body, jpeg);
        assert_eq!(original.header("content-type"), "image/jpeg");
        assert_eq!(original.header("cache-control"), "public, max-age=31536000, immutable");
        assert_eq!(original.header("accept-ranges"), "bytes");
        assert_eq!(original.header("etag").len(), 66, "a quoted SHA-256");
        assert!(!original.varies_on_accept());

        // Formats were rendered at upload: their URLs are cache hits.
        let small = fetch(&server, small["url"].as_str().unwrap(), &[]).await;
        assert_eq!((small.status, small.header("x-cache")), (200, "HIT"));
        assert_eq!(small.body.len() as i64, formats["small"]["sizeInBytes"].as_i64().unwrap());
        let decoded = images::decode(&small.body);
        assert_eq!((decoded.width(), decoded.height()), (500, 333));

        // Metadata: a token reads, the public does not, full access edits.
        let reader = app.token("read-only").await;
        let (status, list) = server.send(server.client.get(server.url("/api/upload/files")).bearer_auth(&reader)).await;
        assert_eq!(status, 200);
        assert_eq!(list.as_array().unwrap().len(), 4);
        let id = photo["id"].as_i64().unwrap();
        let (status, one) = server.send(server.client.get(server.url(&format!("/api/upload/files/{id}"))).bearer_auth(&reader)).await;
        assert_eq!((status, one["hash"].clone()), (200, photo["hash"].clone()));
        let (status, _) = server.send(server.client.get(server.url("/api/upload/files"))).await;
        assert_eq!(status, 401);
        let (status, _) = server
            .send(server.client.put(server.url(&format!("/api/upload/files/{id}"))).bearer_auth(&reader).json(&json!({"caption": "x"})))
            .await;
        assert_eq!(status, 403);
        let (status, updated) = server
            .send(server.client.put(server.url(&format!("/api/upload/files/{id}"))).bearer_auth(&token).json(&json!({"caption": "Sea", "alternativeText": "Waves", "name": "sea.jpg"})))
            .await;
        assert_eq!(status, 200, "{updated}");
        assert_eq!((updated["caption"].clone(), updated["alternativeText"].clone(), updated["name"].clone()), (json!("Sea"), json!("Waves"), json!("sea.jpg")));
        assert_eq!(updated["url"], photo["url"], "the bytes and their URL never change");
        let (status, missing) = server.send(server.client.get(server.url("/api/upload/files/999999")).bearer_auth(&reader)).await;
        assert_eq!((status, missing["error"]["name"].clone()), (404, json!("NotFoundError")));

        // Media fields of entries populate to the same object.
        app.apply_fixture("relations").await;
        let people = app.context.entries("person")?;
        let person = people
            .create(&cairn_tests::data!({"name": "Pat", "photos": [id]}), &cairn_core::entries::WriteOptions::default())
            .await?;
        let read = people
            .find_one(person["documentId"].as_str().unwrap(), &cairn_core::entries::ReadOptions {
                status: cairn_core::entries::Status::Draft,
                populate: cairn_core::entries::Populate::default().with("photos", cairn_core::entries::PopulateField::default()),
                ..cairn_core::entries::ReadOptions::default()
            })
            .await?
            .unwrap();
        assert_eq!(read["photos"][0], updated);
        server.stop().await;
    }

    async fn variants_render_once_in_the_size_and_format_asked(app) {
        let token = app.token("full-access").await;
        let server = app.serve().await;
        let (_, body) = upload(&server, &token, &[("big.jpg", images::jpeg(1600, 1200))], None).await;
        let path = url(&body[0]);

        let first = fetch(&server, &format!("{path}?w=800&fm=webp"), &[]).await;
        assert_eq!((first.status, first.header("x-cache")), (200, "MISS"));
        assert_eq!(first.header("content-type"), "image/webp");
        assert_eq!(first.header("cache-control"), "public, max-age=31536000, immutable");
        assert_eq!(&first.body[..4], b"RIFF");
        assert_eq!(&first.body[12..16], b"VP8 ", "lossy WebP");
        let decoded = images::decode(&first.body);
        assert_eq!((decoded.width(), decoded.height()), (800, 600));
        let again = fetch(&server, &format!("{path}?fm=webp&w=800"), &[]).await;
        assert_eq!((again.header("x-cache"), again.header("etag")), ("HIT", first.header("etag")));
        assert_eq!(again.body, first.body, "served from the store");
        let revalidated = fetch(&server, &format!("{path}?w=800&fm=webp"), &[("if-none-match", first.header("etag"))]).await;
        assert_eq!((revalidated.status, revalidated.body.len()), (304, 0));

        let cover = images::decode(&fetch(&server, &format!("{path}?w=400&h=400&fit=cover&fm=png"), &[]).await.body);
        assert_eq!((cover.width(), cover.height()), (400, 400));
        let contain = fetch(&server, &format!("{path}?w=400&h=400&fit=contain&fm=png"), &[]).await;
        let contain = images::decode(&contain.body).to_rgba8();
        assert_eq!((contain.width(), contain.height()), (400, 400));
        assert_eq!(contain.get_pixel(200, 2).0[3], 0, "padded with transparency above");
        assert_eq!(contain.get_pixel(200, 200).0[3], 255);
        let fill = images::decode(&fetch(&server, &format!("{path}?w=400&h=200&fit=fill&fm=jpeg&q=60"), &[]).await.body);
        assert_eq!((fill.width(), fill.height()), (400, 200));
        let outside = images::decode(&fetch(&server, &format!("{path}?w=400&h=400&fit=outside"), &[]).await.body);
        assert_eq!((outside.width(), outside.height()), (533, 400));
        let retina = images::decode(&fetch(&server, &format!("{path}?w=400&dpr=2"), &[]).await.body);
        assert_eq!((retina.width(), retina.height()), (800, 600));
        let huge = images::decode(&fetch(&server, &format!("{path}?w=2048"), &[]).await.body);
        assert_eq!(huge.width(), 1600, "never enlarged");

        let avif = fetch(&server, &format!("{path}?w=400&fm=avif&q=50"), &[]).await;
        assert_eq!((avif.status, avif.header("content-type")), (200, "image/avif"));
        assert_eq!(&avif.body[4..12], b"ftypavif");
        assert_eq!(images::avif_size(&avif.body), Some((400, 300)));

        // fm=auto follows the Accept header and says so.
        let auto = |accept: &'static str| {
            let server = &server;
            let path = path.clone();
            async move { fetch(server, &format!("{path}?w=320&fm=auto"), &[("accept", accept)]).await }
        };
        let avif = auto("image/avif,image/webp,*/*").await;
        assert_eq!((avif.header("content-type"), avif.varies_on_accept()), ("image/avif", true));
        let webp = auto("image/webp,*/*;q=0.8").await;
        assert_eq!((webp.header("content-type"), webp.varies_on_accept()), ("image/webp", true));
        let plain = auto("*/*").await;
        assert_eq!((plain.header("content-type"), plain.varies_on_accept()), ("image/jpeg", true));

        assert_ne!(avif.header("etag"), webp.header("etag"));

        // Concurrent first requests render once.
        let concurrent = format!("{path}?w=640&fm=webp&q=70");
        let requests = (0..6).map(|_| fetch(&server, &concurrent, &[]));
        let responses = futures::future::join_all(requests).await;
        let misses = responses.iter().filter(|r| r.header("x-cache") == "MISS").count();
        assert_eq!(misses, 1, "one render, the others wait for it");
        assert!(responses.iter().all(|r| r.status == 200 && r.body == responses[0].body));

        // Variants live beside their original.
        let hash = body[0]["hash"].as_str().unwrap();
        let keys = app.stored_keys().await;
        assert!(keys.contains(&format!("{hash}/w800-q80.webp")), "{keys:?}");
        assert!(keys.contains(&format!("{hash}/w640-q70.webp")), "{keys:?}");
        server.stop().await;
    }

    async fn png_webp_and_gif_originals_have_variants_too(app) {
        let token = app.token("full-access").await;
        let server = app.serve().await;
        let files = [
            ("alpha.png", images::png_with_alpha(300, 200)),
            ("photo.webp", images::webp(640, 480)),
            ("anim.gif", images::gif(100, 80)),
        ];
        let (status, body) = upload(&server, &token, &files, None).await;
        assert_eq!(status, 201, "{body}");

        let png = fetch(&server, &format!("{}?w=96", url(&body[0])), &[]).await;
        assert_eq!(png.header("content-type"), "image/png", "PNG stays PNG");
        let pixels = images::decode(&png.body).to_rgba8();
        assert_eq!((pixels.width(), pixels.height()), (96, 64));
        assert_eq!(pixels.get_pixel(10, 32).0, [255, 0, 0, 255], "opaque red on the left");
        assert_eq!(pixels.get_pixel(86, 32).0[3], 0, "transparent on the right");
        let flat = fetch(&server, &format!("{}?w=96&fm=jpg", url(&body[0])), &[]).await;
        assert_eq!(flat.header("content-type"), "image/jpeg");
        let flat = images::decode(&flat.body).to_rgb8();
        assert!(flat.get_pixel(86, 32).0.iter().all(|c| *c > 240), "JPEG has no alpha: white");

        let webp = fetch(&server, &format!("{}?w=320", url(&body[1])), &[]).await;
        assert_eq!(webp.header("content-type"), "image/webp");
        assert_eq!(&webp.body[12..16], b"VP8 ", "lossy, though the original was lossless");
        let decoded = images::decode(&webp.body);
        assert_eq!((decoded.width(), decoded.height()), (320, 240));

        let gif = fetch(&server, &format!("{}?w=64", url(&body[2])), &[]).await;
        assert_eq!(gif.header("content-type"), "image/png", "GIF variants are PNG frames");
        let decoded = images::decode(&gif.body);
        assert_eq!((decoded.width(), decoded.height()), (64, 51));
        let head = server.client.head(server.url(&format!("{}?w=64", url(&body[2])))).send().await.unwrap();
        assert_eq!((head.status().as_u16(), head.headers()["x-cache"].to_str().unwrap()), (200, "HIT"));
        server.stop().await;
    }

    async fn exif_orientation_is_applied_and_no_metadata_survives(app) {
        let token = app.token("full-access").await;
        let server = app.serve().await;
        let rotated = images::rotated_jpeg_with_gps();
        assert!(images::has_exif(&rotated));
        let (status, body) = upload(&server, &token, &[("camera.jpg", rotated)], None).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!((body[0]["width"].clone(), body[0]["height"].clone()), (json!(32), json!(64)), "upright size");
        let path = url(&body[0]);
        for (query, format) in [("fm=jpeg&q=95", "image/jpeg"), ("w=64&fm=png", "image/png"), ("fm=webp&q=95", "image/webp")] {
            let variant = fetch(&server, &format!("{path}?{query}"), &[]).await;
            assert_eq!((variant.status, variant.header("content-type")), (200, format), "{query}");
            assert!(!images::has_exif(&variant.body), "{query}: EXIF survived");
            let pixels = images::decode(&variant.body).to_rgb8();
            assert_eq!((pixels.width(), pixels.height()), (32, 64), "{query}");
            let top = pixels.get_pixel(16, 8).0;
            let bottom = pixels.get_pixel(16, 56).0;
            assert!(top[0] > 200 && top[2] < 60, "{query}: top is red, got {top:?}");
            assert!(bottom[2] > 200 && bottom[0] < 60, "{query}: bottom is blue, got {bottom:?}");
        }
        server.stop().await;
    }

    async fn cover_crops_follow_the_focal_point(app) {
        let token = app.token("full-access").await;
        let server = app.serve().await;
        let strip = images::png_of(images::halves(400, 100, [255, 0, 0], [0, 255, 0]));
        let (status, body) = upload(&server, &token, &[("strip.png", strip)], Some(json!({"focalPoint": {"x": 0.1, "y": 0.5}}))).await;
        assert_eq!(status, 201, "{body}");
        let path = format!("{}?w=96&h=96&fit=cover", url(&body[0]));
        let left = fetch(&server, &path, &[]).await;
        assert_eq!(images::decode(&left.body).to_rgb8().get_pixel(48, 48).0, [255, 0, 0]);

        let id = body[0]["id"].as_i64().unwrap();
        let (status, _) = server
            .send(server.client.put(server.url(&format!("/api/upload/files/{id}"))).bearer_auth(&token).json(&json!({"focalPoint": {"x": 0.9, "y": 0.5}})))
            .await;
        assert_eq!(status, 200);
        let right = fetch(&server, &path, &[]).await;
        assert_eq!(right.header("x-cache"), "MISS", "moving the focal point drops the variants");
        assert_eq!(images::decode(&right.body).to_rgb8().get_pixel(48, 48).0, [0, 255, 0]);
        let (status, body) = server
            .send(server.client.put(server.url(&format!("/api/upload/files/{id}"))).bearer_auth(&token).json(&json!({"focalPoint": {"x": 2, "y": 0.5}})))
            .await;
        assert_eq!((status, body["error"]["name"].clone()), (400, json!("ValidationError")));
        server.stop().await;
    }

    async fn originals_answer_ranges_and_conditional_requests(app) {
        let token = app.token("full-access").await;
        let server = app.serve().await;
        let video = images::mp4(5000);
        let size = video.len();
        let (status, body) = upload(&server, &token, &[("clip.mp4", video.clone())], None).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!((body[0]["mime"].clone(), body[0]["width"].clone(), body[0]["formats"].clone()), (json!("video/mp4"), Value::Null, Value::Null));
        let path = url(&body[0]);

        let head = fetch(&server, &path, &[("range", "bytes=0-99")]).await;
        assert_eq!(head.status, 206);
        assert_eq!(head.header("content-range"), format!("bytes 0-99/{size}"));
        assert_eq!(head.body, video[..100]);
        let tail = fetch(&server, &path, &[("range", "bytes=-10")]).await;
        assert_eq!((tail.status, tail.body.as_slice()), (206, &video[size - 10..]));
        let middle = fetch(&server, &path, &[("range", "bytes=4000-")]).await;
        assert_eq!((middle.status, middle.body.as_slice()), (206, &video[4000..]));
        assert_eq!(middle.header("content-type"), "video/mp4");
        let past = fetch(&server, &path, &[("range", &format!("bytes={size}-"))]).await;
        assert_eq!((past.status, past.header("content-range")), (416, format!("bytes */{size}").as_str()));
        let several = fetch(&server, &path, &[("range", "bytes=0-1,5-6")]).await;
        assert_eq!((several.status, several.body.len()), (200, size), "several ranges: the whole file");
        let whole = fetch(&server, &path, &[]).await;
        let cached = fetch(&server, &path, &[("if-none-match", whole.header("etag"))]).await;
        assert_eq!((cached.status, cached.header("etag")), (304, whole.header("etag")));
        let head = server.client.head(server.url(&path)).send().await.unwrap();
        assert_eq!(head.status().as_u16(), 200);
        assert_eq!(head.headers()["content-length"], size.to_string().as_str());

        let refused = fetch(&server, &format!("{path}?w=400"), &[]).await;
        assert_eq!(refused.status, 400, "videos have no variants");
        let other_ext = path.replace(".mp4", ".jpg");
        for missing in ["/uploads/nothing_here.jpg", "/uploads/..%2Fcairn.db", "/uploads/.hidden", "/uploads/nothing_here.jpg?w=400", &other_ext, &format!("{other_ext}?w=400")] {
            assert_eq!(fetch(&server, missing, &[]).await.status, 404, "{missing}");
        }
        server.stop().await;
    }

    async fn bad_uploads_are_refused_and_leave_nothing_behind(app) {
        app.reconfigure_media("max_upload_bytes = 200000").await;
        let token = app.token("full-access").await;
        let server = app.serve().await;
        let jpeg = images::jpeg(200, 150);
        let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
            ("cut.jpg", jpeg[..jpeg.len() / 2].to_vec(), 400, "truncated"),
            ("broken.png", images::corrupt_png(), 400, "cannot be decoded"),
            ("bomb.png", images::png_claiming(100_000, 100_000), 400, "100000x100000"),
            ("photo.jpg", images::png_of(images::halves(8, 8, [1, 2, 3], [4, 5, 6])), 400, "does not match the extension .jpg"),
            ("setup.exe", b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0\xb8\0\0\0\0\0\0\0@\0\0\0\0\0\0\0PE\0\0".to_vec(), 415, "not an allowed type"),
            ("notes.txt", b"just some words".to_vec(), 415, "not of a recognised type"),
            ("empty.png", Vec::new(), 400, "empty"),
            ("huge.jpg", images::jpeg(1200, 1200).into_iter().chain(std::iter::repeat_n(0, 200_000)).collect(), 413, "upload limit"),
        ];
        for (name, bytes, expected, message) in cases {
            let (status, body) = upload(&server, &token, &[(name, bytes)], None).await;
            assert_eq!(status, expected, "{name}: {body}");
            assert_eq!(body["data"], Value::Null, "{name}");
            let text = body["error"]["message"].as_str().unwrap_or_default();
            assert!(text.contains(message) && text.contains(name), "{name}: {text}");
        }
        // One bad file refuses the whole request.
        let (status, _) = upload(&server, &token, &[("good.png", images::png_with_alpha(20, 20)), ("cut.jpg", jpeg[..100].to_vec())], None).await;
        assert_eq!(status, 400);
        let (status, body) = upload(&server, &token, &[("good.png", images::png_with_alpha(20, 20))], Some(json!({"folderPath": "/../up"}))).await;
        assert_eq!((status, body["error"]["details"]["errors"][0]["path"].clone()), (400, json!(["fileInfo", "folderPath"])));
        let (status, _) = upload(&server, &token, &[("good.png", images::png_with_alpha(20, 20))], Some(json!({"unknown": 1}))).await;
        assert_eq!(status, 400);
        let (status, _) = upload(&server, &token, &[], None).await;
        assert_eq!(status, 400, "no file");
        let (status, _) = server
            .send(server.client.post(server.url("/api/upload")).bearer_auth(&token).json(&json!({"files": []})))
            .await;
        assert_eq!(status, 400, "not multipart");
        let (status, _) = upload(&server, &app.token("read-only").await, &[("a.png", images::png_with_alpha(4, 4))], None).await;
        assert_eq!(status, 403);
        let (status, _) = server
            .send(server.client.post(server.url("/api/upload")).multipart(form(&[("a.png", images::png_with_alpha(4, 4))], None)))
            .await;
        assert_eq!(status, 401);

        assert_eq!(file_count(&app).await, 0, "nothing recorded");
        assert_eq!(app.stored_keys().await, Vec::<String>::new(), "nothing stored");
        let (status, _) = server.send(server.client.get(server.url("/_health"))).await;
        assert_eq!(status, 200);
        let (status, _) = upload(&server, &token, &[("fine.jpg", jpeg)], None).await;
        assert_eq!(status, 201, "the server is unaffected");
        server.stop().await;
    }

    async fn variant_parameters_out_of_range_or_unsigned_are_refused(app) {
        app.reconfigure_media("[media.presets.card]\nwidth = 400\nheight = 300\nformat = \"webp\"").await;
        let token = app.token("full-access").await;
        let server = app.serve().await;
        let (_, body) = upload(&server, &token, &[("pic.jpg", images::jpeg(1000, 800))], None).await;
        let path = url(&body[0]);
        let stored = app.stored_keys().await;
        for query in ["w=0", "w=-1", "w=abc", "w=99999", "h=5000", "q=0", "q=101", "dpr=9", "dpr=1.3&w=400", "fit=squash&w=400", "fm=bmp", "w=401", "zoom=2", "w=400&w=800", "preset=nope", "preset=card&w=400"] {
            let refused = fetch(&server, &format!("{path}?{query}"), &[]).await;
            assert_eq!(refused.status, 400, "{query}");
            let error: Value = serde_json::from_slice(&refused.body).unwrap();
            assert_eq!(error["error"]["name"], "ValidationError", "{query}");
        }
        assert_eq!(app.stored_keys().await, stored, "refused variants write nothing");

        app.reconfigure_media("signed_urls = true\n[media.presets.card]\nwidth = 400\nheight = 300\nformat = \"webp\"").await;
        let server = app.serve().await;
        let unsigned = fetch(&server, &format!("{path}?w=800&fm=webp"), &[]).await;
        assert_eq!(unsigned.status, 403);
        let card = fetch(&server, &format!("{path}?preset=card"), &[]).await;
        assert_eq!((card.status, card.header("content-type")), (200, "image/webp"));
        let decoded = images::decode(&card.body);
        assert_eq!((decoded.width(), decoded.height()), (400, 300));
        let pairs = vec![("w".to_owned(), "777".to_owned()), ("fm".to_owned(), "png".to_owned())];
        let signature = cairn_core::media::signature::sign(app.context.media_secret(), &path, &pairs);
        let signed = fetch(&server, &format!("{path}?w=777&fm=png&s={signature}"), &[]).await;
        assert_eq!(signed.status, 200, "signed URLs may ask for any size");
        assert_eq!(images::decode(&signed.body).width(), 777);
        let forged = fetch(&server, &format!("{path}?w=778&fm=png&s={signature}"), &[]).await;
        assert_eq!(forged.status, 403);
        let (status, _) = server.send(server.client.get(server.url("/_health"))).await;
        assert_eq!(status, 200);
        server.stop().await;
    }

    async fn deleting_a_file_removes_its_bytes_and_variants(app) {
        let token = app.token("full-access").await;
        let server = app.serve().await;
        let (_, body) = upload(&server, &token, &[("gone.jpg", images::jpeg(900, 600))], None).await;
        let path = url(&body[0]);
        assert_eq!(fetch(&server, &format!("{path}?w=320&fm=webp"), &[]).await.status, 200);
        assert!(app.stored_keys().await.len() >= 3);
        let id = body[0]["id"].as_i64().unwrap();
        let (status, deleted) = server.send(server.client.delete(server.url(&format!("/api/upload/files/{id}"))).bearer_auth(&token)).await;
        assert_eq!((status, deleted["id"].clone()), (200, json!(id)));
        assert_eq!(app.stored_keys().await, Vec::<String>::new());
        assert_eq!(file_count(&app).await, 0);
        assert_eq!(fetch(&server, &path, &[]).await.status, 404);
        assert_eq!(fetch(&server, &format!("{path}?w=320&fm=webp"), &[]).await.status, 404);
        let (status, _) = server.send(server.client.delete(server.url(&format!("/api/upload/files/{id}"))).bearer_auth(&token)).await;
        assert_eq!(status, 404);
        server.stop().await;
    }
}
