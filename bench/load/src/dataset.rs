//! The canonical dataset: categories, one 12-megapixel cover image, and N
//! articles generated deterministically (a seeded ChaCha8 stream). The
//! categories and the cover go through the content and upload APIs, the
//! articles through `cairn content import`.

use std::io::{Cursor, Write};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

use crate::Outcome;
use crate::server::Running;

/// A word that appears in about one title in a hundred, for Q3.
pub const RARE_WORD: &str = "lighthouse";

const CATEGORIES: [&str; 20] = [
    "Architecture",
    "Art",
    "Biology",
    "Business",
    "Climate",
    "Culture",
    "Design",
    "Economy",
    "Education",
    "Film",
    "Food",
    "Health",
    "History",
    "Music",
    "Politics",
    "Science",
    "Space",
    "Sport",
    "Technology",
    "Travel",
];

const WORDS: [&str; 64] = [
    "river", "garden", "engine", "quiet", "signal", "harbor", "winter", "silver", "market",
    "orbit", "paper", "stone", "forest", "letter", "window", "bridge", "summer", "thread",
    "valley", "castle", "pattern", "meadow", "circuit", "canvas", "anchor", "lantern", "compass",
    "mirror", "ladder", "candle", "meridian", "harvest", "citadel", "prairie", "glacier", "echo",
    "falcon", "granite", "horizon", "island", "jasmine", "kettle", "lagoon", "marble", "nectar",
    "oasis", "pepper", "quartz", "rhythm", "saddle", "timber", "umbrella", "velvet", "whisper",
    "yonder", "zephyr", "atlas", "beacon", "cobalt", "delta", "ember", "fable", "gravel", "haven",
];

/// Article `index` of the dataset; the same for every run.
pub fn article(rng: &mut ChaCha8Rng, index: usize, category: &str, cover: Option<i64>) -> Value {
    let mut title: Vec<&str> = (0..6)
        .map(|_| WORDS[rng.random_range(0..WORDS.len())])
        .collect();
    if rng.random_range(0..100) == 0 {
        title[rng.random_range(0..6)] = RARE_WORD;
    }
    let title = format!("{} {index}", title.join(" "));
    let mut body = String::with_capacity(2100);
    while body.len() < 2000 {
        body.push_str(WORDS[rng.random_range(0..WORDS.len())]);
        body.push(if rng.random_range(0..12) == 0 {
            '.'
        } else {
            ' '
        });
    }
    let mut data = json!({
        "title": title,
        "slug": format!("article-{index}"),
        "body": body,
        "views": rng.random_range(0..=10_000),
        "rating": f64::from(rng.random_range(0..=50)) / 10.0,
        "category": category,
    });
    if let Some(cover) = cover {
        data["cover"] = json!(cover);
    }
    data
}

/// A 4000x3000 photo-like JPEG: gradients with grain, so the encoder has a
/// camera photo's work to do.
fn photo() -> Outcome<Vec<u8>> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let image = image::RgbImage::from_fn(4000, 3000, |x, y| {
        let grain = rng.random_range(0..24) - 12;
        let channel = |base: u32| (base as i32 + grain).clamp(0, 255) as u8;
        image::Rgb([
            channel(x * 255 / 4000),
            channel(y * 255 / 3000),
            channel(((x / 40 + y / 30) % 2) * 120 + 60),
        ])
    });
    let mut bytes = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image).write_to(&mut bytes, image::ImageFormat::Jpeg)?;
    Ok(bytes.into_inner())
}

async fn post(server: &Running, token: &str, path: &str, body: &Value) -> Outcome<Value> {
    let response = server
        .client
        .post(server.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await?;
    let status = response.status();
    let body: Value = response.json().await?;
    if !status.is_success() {
        return Err(format!("POST {path}: {status}: {body}").into());
    }
    Ok(body)
}

/// Uploads the cover; `None` where this build has no upload API.
async fn upload_cover(server: &Running, token: &str) -> Outcome<Option<(i64, String)>> {
    let part = reqwest::multipart::Part::bytes(photo()?)
        .file_name("cover.jpg")
        .mime_str("image/jpeg")?;
    let form = reqwest::multipart::Form::new().part("files", part);
    let response = server
        .client
        .post(server.url("/api/upload"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await?;
    if response.status().as_u16() == 404 {
        return Ok(None);
    }
    let status = response.status();
    let body: Value = response.json().await?;
    if !status.is_success() {
        return Err(format!("upload: {status}: {body}").into());
    }
    let file = &body[0];
    let id = file["id"].as_i64().ok_or("the upload answered no id")?;
    let url = file["url"]
        .as_str()
        .ok_or("the upload answered no url")?
        .to_owned();
    Ok(Some((id, url)))
}

/// What the articles point at, created through the API.
pub struct Seeds {
    pub categories: Vec<String>,
    pub cover: Option<(i64, String)>,
}

/// Creates the categories and uploads the cover through the API.
pub async fn seed(server: &Running, token: &str) -> Outcome<Seeds> {
    let mut categories = Vec::new();
    for name in CATEGORIES {
        let created = post(
            server,
            token,
            "/api/categories",
            &json!({ "data": { "name": name } }),
        )
        .await?;
        categories.push(
            created["data"]["documentId"]
                .as_str()
                .ok_or("no documentId")?
                .to_owned(),
        );
    }
    let cover = upload_cover(server, token).await?;
    Ok(Seeds { categories, cover })
}

/// Writes `articles` articles as NDJSON, the input of `cairn content import`.
pub fn write_articles(out: &mut impl Write, seeds: &Seeds, articles: usize) -> Outcome {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let cover = seeds.cover.as_ref().map(|(id, _)| *id);
    for i in 0..articles {
        let category = &seeds.categories[i % seeds.categories.len()];
        serde_json::to_writer(&mut *out, &article(&mut rng, i, category, cover))?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// The slug of the article the single-document query reads.
pub fn probe_slug(articles: usize) -> String {
    format!("article-{}", articles / 2)
}
