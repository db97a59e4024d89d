//! The media benchmark (see docs/benchmarks.md). It makes a 12-megapixel
//! JPEG, times the pipeline that turns it into an 800-pixel-wide WebP, then
//! starts Cairn on loopback (SQLite, local store), uploads the JPEG, times
//! first requests for that variant over HTTP, and prints the URLs of the
//! original and of the already rendered variant for a load generator
//! (`bench/media/run` drives wrk against both). It keeps serving until
//! stdin closes.

use std::error::Error;
use std::io::{Cursor, Read};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use cairn_core::auth::api_tokens::{self, TokenKind};
use cairn_core::media::image::resize::Target;
use cairn_core::media::image::{Fit, FocalPoint, Format, Limits, encode, orient, resize};
use cairn_core::{AppContext, Config};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

type Outcome<T = ()> = Result<T, Box<dyn Error + Send + Sync>>;

/// How many times each timing is taken; the median is reported.
const RUNS: usize = 5;

/// A 4000x3000 photo-like image: gradients with deterministic grain, so
/// that the JPEG has a camera's size and the encoders real work.
fn photo() -> Outcome<Vec<u8>> {
    let mut seed: u32 = 0x2545_F491;
    let image = RgbImage::from_fn(4000, 3000, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let grain = (seed % 24) as i32 - 12;
        let channel = |base: u32| (base as i32 + grain).clamp(0, 255) as u8;
        Rgb([
            channel(x * 255 / 4000),
            channel(y * 255 / 3000),
            channel(((x / 40 + y / 30) % 2) * 120 + 60),
        ])
    });
    let mut bytes = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(image).write_to(&mut bytes, ImageFormat::Jpeg)?;
    Ok(bytes.into_inner())
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn millis(duration: Duration) -> String {
    format!("{:.0} ms", duration.as_secs_f64() * 1000.0)
}

/// Decode, resize and encode, each timed, as a variant request does them.
fn pipeline(jpeg: &[u8]) -> Outcome {
    let limits = Limits {
        max_pixels: 50_000_000,
        max_decode_bytes: 512 * 1024 * 1024,
    };
    let target = Target {
        width: Some(800),
        height: None,
        fit: Fit::Inside,
    };
    let (mut decode, mut scale, mut webp) = (Vec::new(), Vec::new(), Vec::new());
    let mut size = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let needed = target.plan((4000, 3000), FocalPoint::default()).scale();
        let pixels = orient::decode_bytes_for(jpeg, Format::Jpeg, &limits, needed)?;
        decode.push(start.elapsed());
        let start = Instant::now();
        let plan = target.plan((pixels.width, pixels.height), FocalPoint::default());
        let resized = resize::apply(&pixels, &plan, true)?;
        scale.push(start.elapsed());
        let start = Instant::now();
        size = encode::encode(&resized, Format::Webp, 80)?.len();
        webp.push(start.elapsed());
    }
    let (decode, scale, webp) = (median(decode), median(scale), median(webp));
    println!("pipeline, median of {RUNS} (one thread):");
    println!("  decode at 1/4 scale     {}", millis(decode));
    println!("  resize to 800x600       {}", millis(scale));
    println!(
        "  encode WebP q80         {} ({} KB)",
        millis(webp),
        size / 1000
    );
    println!(
        "  total                   {}",
        millis(decode + scale + webp)
    );
    Ok(())
}

async fn serve(jpeg: Vec<u8>) -> Outcome {
    let folder = tempfile::tempdir()?;
    let config = Config::from_toml(&format!(
        "[database]\nurl = \"sqlite://{}\"\n[log]\nlevel = \"warn\"\n[media]\nlocal_folder = \"{}\"\n",
        folder.path().join("cairn.db").display(),
        folder.path().join("uploads").display()
    ))?;
    let context = AppContext::start(config).await?;
    let token = api_tokens::create(
        context.db().conn(),
        "bench",
        "",
        TokenKind::FullAccess,
        None,
    )
    .await?
    .secret;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    let server = cairn_server::app::serve(context, listener)?;
    let handle = server.handle();
    tokio::spawn(server);

    let client = reqwest::Client::new();
    let mut first = Vec::new();
    let mut variant = String::new();
    let mut original = String::new();
    for run in 0..RUNS {
        let form = reqwest::multipart::Form::new().part(
            "files",
            reqwest::multipart::Part::bytes(jpeg.clone()).file_name(format!("photo-{run}.jpg")),
        );
        let uploaded: serde_json::Value = client
            .post(format!("{base}/api/upload"))
            .bearer_auth(&token)
            .multipart(form)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        original = format!("{base}{}", uploaded[0]["url"].as_str().unwrap_or_default());
        variant = format!("{original}?w=800&fm=webp");
        let start = Instant::now();
        let response = client.get(&variant).send().await?.error_for_status()?;
        let cache = response
            .headers()
            .get("x-cache")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        response.bytes().await?;
        first.push(start.elapsed());
        if cache != "MISS" {
            return Err(format!("the first request was a {cache}").into());
        }
    }
    println!(
        "first request for ?w=800&fm=webp over HTTP, median of {RUNS}: {}",
        millis(median(first))
    );
    println!("ORIGINAL {original}");
    println!("VARIANT {variant}");
    // Serve until the driver closes stdin.
    tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new())).await??;
    handle.stop(true).await;
    Ok(())
}

#[tokio::main]
async fn main() -> Outcome {
    let jpeg = photo()?;
    println!("source: 4000x3000 JPEG, {} KB", jpeg.len() / 1000);
    pipeline(&jpeg)?;
    serve(jpeg).await
}
