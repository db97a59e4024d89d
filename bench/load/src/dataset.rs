//! The canonical dataset: categories, one 12-megapixel cover image, and N
//! articles generated deterministically (a seeded ChaCha8 stream), loaded
//! through the content and upload APIs.

use std::io::Cursor;
use std::sync::Arc;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};
use tokio::sync::Semaphore;

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

/// What later measurements need from the loaded data.
pub struct Loaded {
    pub probe_article: String,
    pub cover_url: Option<String>,
}

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
    json!({ "data": data })
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

/// Loads the dataset through the API, 16 requests at a time.
pub async fn load(server: &Running, token: &str, articles: usize) -> Outcome<Loaded> {
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
    let cover_id = cover.as_ref().map(|(id, _)| *id);
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let bodies: Vec<Value> = (0..articles)
        .map(|i| article(&mut rng, i, &categories[i % categories.len()], cover_id))
        .collect();
    let permits = Arc::new(Semaphore::new(16));
    let mut tasks = Vec::new();
    for body in bodies {
        let permit = permits.clone().acquire_owned().await?;
        let client = server.client.clone();
        let url = server.url("/api/articles?status=published");
        let token = token.to_owned();
        tasks.push(tokio::spawn(async move {
            let _permit = permit;
            let response = client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await?;
            let status = response.status();
            let answer: Value = response.json().await?;
            if !status.is_success() {
                return Err::<String, Box<dyn std::error::Error + Send + Sync>>(
                    format!("{status}: {answer}").into(),
                );
            }
            Ok(answer["data"]["documentId"]
                .as_str()
                .unwrap_or_default()
                .to_owned())
        }));
    }
    let mut ids = Vec::with_capacity(tasks.len());
    for task in tasks {
        ids.push(task.await??);
    }
    Ok(Loaded {
        probe_article: ids.get(ids.len() / 2).cloned().ok_or("no articles")?,
        cover_url: cover.map(|(_, url)| url),
    })
}
