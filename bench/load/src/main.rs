//! Cairn's load benchmark (see docs/benchmarks.md).
//!
//! `cairn-bench run` starts the release `cairn` binary on SQLite and then on
//! PostgreSQL, loads the canonical dataset (seeds through the API, articles
//! with `cairn content import`), and drives HTTP load at it with `wrk` from
//! a separate process: the queries Q1 to Q5, and two reference servers
//! that answer Q1's exact bytes, the ceiling (`cairn-bench ceiling`, from
//! memory) and the floor (`cairn-bench floor`, after reading Q1's page from
//! the database). It prints a Markdown report.

mod admin;
mod cpu;
mod dataset;
mod reference;
mod report;
mod server;
mod wrk;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};

use crate::dataset::Seeds;

/// The row the floor is the bound of.
const UNCACHED_Q1: &str = "Q1 list, response cache off";

type Outcome<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

#[derive(Parser)]
#[command(name = "cairn-bench", about = "Cairn's load benchmark")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the benchmark and print the report.
    Run(RunArgs),
    /// Load the dataset and leave it, with a configuration and tokens, for
    /// running and profiling a server by hand.
    Prepare {
        #[command(flatten)]
        installation: Installation,
        #[arg(long, value_enum, default_value = "sqlite")]
        backend: Backend,
    },
    /// Serve a file's bytes as JSON on every path (the ceiling).
    Ceiling {
        #[arg(long)]
        port: u16,
        #[arg(long)]
        body: PathBuf,
    },
    /// Read Q1's page from a benchmark database, then serve a file's bytes
    /// as JSON, on every path (the floor).
    Floor {
        #[arg(long)]
        port: u16,
        #[arg(long)]
        body: PathBuf,
        /// The database's URL, as Cairn's configuration gives it.
        #[arg(long)]
        database: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Backend {
    Sqlite,
    Postgres,
}

/// What is measured: the binary, the database server, the dataset's size.
#[derive(clap::Args, Clone)]
struct Installation {
    /// Articles in the dataset.
    #[arg(long, default_value_t = 10_000)]
    articles: usize,
    /// A PostgreSQL server to create the benchmark's database on.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    postgres: String,
    /// The cairn binary to measure.
    #[arg(long, default_value = "target/release/cairn")]
    cairn: PathBuf,
}

#[derive(clap::Args, Clone)]
struct RunArgs {
    #[command(flatten)]
    installation: Installation,
    /// Seconds of load per measurement.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Concurrent connections of the load generator.
    #[arg(long, default_value_t = 32)]
    connections: u32,
    #[arg(long, value_delimiter = ',', default_values = ["sqlite", "postgres"])]
    backends: Vec<Backend>,
    /// A few seconds and a small dataset: proves the benchmark still runs.
    #[arg(long)]
    smoke: bool,
}

fn main() -> Outcome {
    match Cli::parse().command {
        Command::Ceiling { port, body } => reference::serve(port, body, None),
        Command::Floor {
            port,
            body,
            database,
        } => reference::serve(port, body, Some(database)),
        Command::Run(mut args) => {
            if args.smoke {
                args.installation.articles = args.installation.articles.min(200);
                args.duration = 2;
            }
            tokio::runtime::Runtime::new()?.block_on(run(args))
        }
        Command::Prepare {
            installation,
            backend,
        } => tokio::runtime::Runtime::new()?.block_on(prepare(&installation, backend)),
    }
}

async fn run(args: RunArgs) -> Outcome {
    let started = Instant::now();
    let mut reports = Vec::new();
    for backend in &args.backends {
        eprintln!("== {backend:?}: {} articles", args.installation.articles);
        let mut report = BackendReport {
            backend: format!("{backend:?}"),
            ..BackendReport::default()
        };
        let outcome = measure(&args, *backend, &mut report).await;
        reports.push(report);
        if let Err(error) = outcome {
            // A scale run takes an hour: what it measured before the
            // failure is still worth reading.
            println!("{}", report::markdown(&args, &reports));
            return Err(error);
        }
    }
    println!("{}", report::markdown(&args, &reports));
    eprintln!("done in {:.0?}", started.elapsed());
    Ok(())
}

/// Everything measured on one backend.
#[derive(Debug, Default)]
pub struct BackendReport {
    pub backend: String,
    pub start_to_ready: Duration,
    pub load_time: Duration,
    pub ceiling: Option<wrk::Result>,
    pub floor: Option<wrk::Result>,
    pub rows: Vec<(String, wrk::Result)>,
    pub first_render: Option<Duration>,
    pub cold_list: Duration,
    pub first_scan: Duration,
    pub peak_rss_kib: u64,
    pub database_bytes: u64,
    pub admin: admin::AdminFigures,
}

/// An installation with the dataset loaded, its server stopped; the seeds,
/// and how long the import of the articles took.
async fn load(
    installation: &Installation,
    backend: Backend,
) -> Outcome<(server::Setup, Seeds, Duration)> {
    let setup = server::Setup::new(installation, backend).await?;
    let seeding = setup.start(true).await?;
    let seeds = dataset::seed(&seeding, &setup.full_token).await?;
    drop(seeding);
    let loaded = Instant::now();
    setup.import(&seeds, installation.articles)?;
    Ok((setup, seeds, loaded.elapsed()))
}

async fn prepare(installation: &Installation, backend: Backend) -> Outcome {
    let (setup, _, load_time) = load(installation, backend).await?;
    eprintln!(
        "loaded {} articles in {load_time:.1?}",
        installation.articles
    );
    let (read_token, full_token) = (setup.read_token.clone(), setup.full_token.clone());
    let config = setup.keep();
    println!("config: {}", config.display());
    println!(
        "serve:  {} --config {} serve",
        installation.cairn.display(),
        config.display()
    );
    println!("read-only token:   {read_token}");
    println!("full-access token: {full_token}");
    Ok(())
}

async fn measure(args: &RunArgs, backend: Backend, report: &mut BackendReport) -> Outcome {
    let (setup, seeds, load_time) = load(&args.installation, backend).await?;
    report.load_time = load_time;
    let cached = setup.start(true).await?;
    report.start_to_ready = cached.ready_after;
    let probe = cached
        .get(
            &format!(
                "/api/articles?filters[slug][$eq]={}&fields[0]=slug",
                dataset::probe_slug(args.installation.articles)
            ),
            &setup.read_token,
        )
        .await?;
    let probe: serde_json::Value = serde_json::from_str(&probe)?;
    let probe_article = probe["data"][0]["documentId"]
        .as_str()
        .ok_or("the probe article is missing")?;

    let q1 = "/api/articles?pagination[page]=3&pagination[pageSize]=25&filters[views][$gt]=5000&sort=publishedAt:desc&fields[0]=title&fields[1]=slug&fields[2]=views&fields[3]=publishedAt";
    let q2 = format!(
        "/api/articles/{}?populate[0]=category&populate[1]=cover",
        probe_article
    );
    let q3 = format!(
        "/api/articles?filters[title][$containsi]={}",
        dataset::RARE_WORD
    );
    let q1_body = cached.get(q1, &setup.read_token).await?;

    let ceiling = reference::Reference::ceiling(&q1_body).await?;
    report.ceiling = Some(wrk::run(ceiling.pid(), &ceiling.url(q1), None, None, args).await?);
    drop(ceiling);
    let floor = reference::Reference::floor(&q1_body, setup.database_url()).await?;
    report.floor = Some(wrk::run(floor.pid(), &floor.url(q1), None, None, args).await?);
    drop(floor);

    let read = Some(setup.read_token.as_str());
    report.rows.push((
        "Q1 list, response cache on".into(),
        wrk::run(cached.pid(), &cached.url(q1), read, None, args).await?,
    ));
    report.rows.push((
        "Q2 one article, populated".into(),
        wrk::run(cached.pid(), &cached.url(&q2), read, None, args).await?,
    ));
    // A substring match reads every title; the first one after a start is
    // timed alone, the row measures the answers the cache then keeps.
    let first = Instant::now();
    cached.get(&q3, &setup.read_token).await?;
    report.first_scan = first.elapsed();
    report.rows.push((
        "Q3 title contains a word".into(),
        wrk::run(cached.pid(), &cached.url(&q3), read, None, args).await?,
    ));
    if let Some((_, cover)) = &seeds.cover {
        let variant = format!("{cover}?w=800&fm=webp");
        let first = Instant::now();
        cached.get(&variant, &setup.read_token).await?;
        report.first_render = Some(first.elapsed());
        report.rows.push((
            "Q4 cover as 800 px WebP (rendered)".into(),
            wrk::run(cached.pid(), &cached.url(&variant), None, None, args).await?,
        ));
        report.rows.push((
            "Q4 original file (static)".into(),
            wrk::run(cached.pid(), &cached.url(cover), None, None, args).await?,
        ));
    }
    report.admin = admin::measure(&setup, &cached, probe_article).await?;
    let write = Some(setup.full_token.as_str());
    report.rows.push((
        "Q5 create article".into(),
        wrk::run(
            cached.pid(),
            &cached.url("/api/articles"),
            write,
            Some(wrk::CREATE_SCRIPT),
            args,
        )
        .await?,
    ));
    report.peak_rss_kib = cached.peak_rss_kib()?;
    drop(cached);

    let uncached = setup.start(false).await?;
    // Rows measure the steady state; the first list after a start also
    // counts the matches (remembered until the next change), timed here.
    let cold = Instant::now();
    uncached.get(q1, &setup.read_token).await?;
    report.cold_list = cold.elapsed();
    report.rows.insert(
        1,
        (
            UNCACHED_Q1.into(),
            wrk::run(uncached.pid(), &uncached.url(q1), read, None, args).await?,
        ),
    );
    report.rows.insert(
        3,
        (
            "Q2 one article, cache off".into(),
            wrk::run(uncached.pid(), &uncached.url(&q2), read, None, args).await?,
        ),
    );
    report.peak_rss_kib = report.peak_rss_kib.max(uncached.peak_rss_kib()?);
    drop(uncached);
    report.database_bytes = setup.database_bytes().await?;
    setup.finish().await?;
    Ok(())
}
