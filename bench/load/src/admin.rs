//! The admin's pages as an editor loads them: time to first byte and bytes
//! transferred (compressed, as a browser asks) of a type's list and of an
//! entry's edit view, measured one request at a time on the loaded
//! dataset. The stylesheet and script are counted once: they are served
//! under content-hashed names with a year-long cache.

use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT_ENCODING, COOKIE, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;

use crate::Outcome;
use crate::server::{Running, Setup};

const EMAIL: &str = "bench@example.com";
const PASSWORD: &str = "benchmark password";
/// Requests per page; the first warms the server's caches and is not kept.
const SAMPLES: usize = 31;

/// One admin page's figures.
#[derive(Debug, Clone)]
pub struct PageFigures {
    pub name: String,
    pub first_byte_p50: Duration,
    pub first_byte_max: Duration,
    /// The page's HTML as sent, brotli-compressed.
    pub bytes: usize,
}

/// The pages and the assets every page loads once.
#[derive(Debug, Clone, Default)]
pub struct AdminFigures {
    pub pages: Vec<PageFigures>,
    pub asset_bytes: usize,
}

fn cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.strip_prefix(&format!("{name}="))
                .and_then(|rest| rest.split(';').next())
                .map(str::to_owned)
        })
}

/// Signs in through the sign-in form; the session cookie.
async fn sign_in(client: &reqwest::Client, server: &Running) -> Outcome<String> {
    let page = client.get(server.url("/admin/login")).send().await?;
    let csrf = cookie(&page, "cairn_csrf").ok_or("no CSRF cookie on the sign-in page")?;
    let signed = client
        .post(server.url("/admin/login"))
        .header(COOKIE, format!("cairn_csrf={csrf}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", EMAIL),
            ("password", PASSWORD),
        ])
        .send()
        .await?;
    if signed.headers().get(LOCATION).is_none() {
        return Err(format!("signing in answered {}", signed.status()).into());
    }
    cookie(&signed, "cairn_session").ok_or_else(|| "signing in set no session".into())
}

/// Fetches `path` `SAMPLES` times with the session; time to the response's
/// head (its first byte) and the compressed size of its body.
async fn page(
    client: &reqwest::Client,
    server: &Running,
    session: &str,
    name: &str,
    path: &str,
) -> Outcome<PageFigures> {
    let mut times = Vec::with_capacity(SAMPLES);
    let mut bytes = 0;
    for _ in 0..SAMPLES {
        let started = Instant::now();
        let response = client
            .get(server.url(path))
            .header(COOKIE, format!("cairn_session={session}"))
            .header(ACCEPT_ENCODING, "br")
            .send()
            .await?;
        times.push(started.elapsed());
        let status = response.status();
        let body = response.bytes().await?;
        if !status.is_success() {
            return Err(format!("GET {path}: {status}").into());
        }
        bytes = body.len();
    }
    times.remove(0);
    times.sort();
    Ok(PageFigures {
        name: name.to_owned(),
        first_byte_p50: times[times.len() / 2],
        first_byte_max: times[times.len() - 1],
        bytes,
    })
}

/// The list of articles (its first page, and a page deep in it reached by
/// the list's own Next links), a filtered and sorted list, and one
/// article's edit view.
pub async fn measure(setup: &Setup, server: &Running, document_id: &str) -> Outcome<AdminFigures> {
    setup.cli(&["admin", "create", "--email", EMAIL, "--password", PASSWORD])?;
    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()?;
    let session = sign_in(&client, server).await?;
    let list = "/admin/content/api::article.article";
    let mut figures = AdminFigures::default();
    figures
        .pages
        .push(page(&client, server, &session, "list, first page", list).await?);

    // Ten pages on, through the Next links as an editor would follow them.
    let mut deep = list.to_owned();
    for _ in 0..10 {
        let html = client
            .get(server.url(&deep))
            .header(COOKIE, format!("cairn_session={session}"))
            .send()
            .await?
            .text()
            .await?;
        let Some(next) = html
            .split("id=\"next-page\"")
            .next()
            .and_then(|head| head.rsplit("href=\"").next())
            .and_then(|tail| tail.split('"').next())
        else {
            break;
        };
        if next.is_empty() || !next.starts_with("/admin/") {
            break;
        }
        // The page escapes `&` in attributes (askama writes `&#38;`).
        deep = next.replace("&#38;", "&").replace("&amp;", "&");
    }
    figures
        .pages
        .push(page(&client, server, &session, "list, 11th page", &deep).await?);
    let filtered = format!("{list}?q=a&f=views~%24gte~5000&sort=title:asc");
    figures.pages.push(
        page(
            &client,
            server,
            &session,
            "list, searched, filtered, sorted",
            &filtered,
        )
        .await?,
    );
    let edit = format!("{list}/{document_id}");
    figures
        .pages
        .push(page(&client, server, &session, "edit view", &edit).await?);

    let html = client
        .get(server.url(list))
        .header(COOKIE, format!("cairn_session={session}"))
        .send()
        .await?
        .text()
        .await?;
    for asset in html.split("/admin/assets/").skip(1) {
        let name = asset.split('"').next().unwrap_or_default();
        let body = client
            .get(server.url(&format!("/admin/assets/{name}")))
            .header(ACCEPT_ENCODING, "br")
            .send()
            .await?
            .bytes()
            .await?;
        figures.asset_bytes += body.len();
    }
    Ok(figures)
}
