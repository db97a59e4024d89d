//! The measured Cairn: its configuration, database, tokens, and the server
//! process (started for each phase, timed from spawn to the first 200).

use std::io::BufWriter;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rand::Rng;
use tempfile::TempDir;

use crate::dataset::{self, Seeds};
use crate::{Backend, Installation, Outcome};

/// The configuration's name in the installation's folder.
const CONFIG_FILE: &str = "cairn.toml";

/// A Cairn installation for one backend: folder, configuration, database.
pub struct Setup {
    folder: TempDir,
    cairn: PathBuf,
    database_url: String,
    postgres: Option<(String, String)>,
    pub full_token: String,
    pub read_token: String,
}

impl Setup {
    pub async fn new(installation: &Installation, backend: Backend) -> Outcome<Setup> {
        let folder = tempfile::tempdir()?;
        let (database_url, postgres) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}/cairn.db", folder.path().display()),
                None,
            ),
            Backend::Postgres => {
                let name = format!("cairn_bench_{}", rand::rng().random_range(0..u32::MAX));
                psql(&installation.postgres, &format!("CREATE DATABASE {name}"))?;
                let base = installation
                    .postgres
                    .rsplit_once('/')
                    .map_or(installation.postgres.as_str(), |(base, _)| base);
                (
                    format!("{base}/{name}"),
                    Some((installation.postgres.clone(), name)),
                )
            }
        };
        let mut setup = Setup {
            folder,
            cairn: std::fs::canonicalize(&installation.cairn).map_err(|e| {
                format!(
                    "{}: {e}; build it with `cargo build --release`",
                    installation.cairn.display()
                )
            })?,
            database_url,
            postgres,
            full_token: String::new(),
            read_token: String::new(),
        };
        setup.write_config(0, true)?;
        let dataset = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dataset/src");
        setup.cli(&["schema", "apply", &dataset.display().to_string()])?;
        setup.full_token = last_line(&setup.cli(&[
            "token",
            "create",
            "--name",
            "bench-writer",
            "--type",
            "full-access",
        ])?);
        setup.read_token = last_line(&setup.cli(&[
            "token",
            "create",
            "--name",
            "bench-reader",
            "--type",
            "read-only",
        ])?);
        Ok(setup)
    }

    /// Leaves the folder and database in place: the configuration's path.
    pub fn keep(self) -> PathBuf {
        self.folder.keep().join(CONFIG_FILE)
    }

    /// The database's URL, as the configuration gives it to Cairn.
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    fn config_path(&self) -> PathBuf {
        self.folder.path().join(CONFIG_FILE)
    }

    fn write_config(&self, port: u16, cache: bool) -> Outcome {
        let cache_bytes = if cache { 64 * 1024 * 1024 } else { 0 };
        std::fs::write(
            self.config_path(),
            format!(
                "[server]\nport = {port}\n\n[database]\nurl = \"{}\"\n\n[api]\nresponse_cache_bytes = {cache_bytes}\n\n[log]\nlevel = \"warn\"\n",
                self.database_url,
            ),
        )?;
        Ok(())
    }

    pub fn cli(&self, args: &[&str]) -> Outcome<String> {
        let output = Command::new(&self.cairn)
            .arg("--config")
            .arg(self.config_path())
            .args(args)
            .current_dir(self.folder.path())
            .output()?;
        if !output.status.success() {
            return Err(format!(
                "cairn {args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Loads `articles` published articles with `cairn content import`,
    /// generated straight into its standard input.
    pub fn import(&self, seeds: &Seeds, articles: usize) -> Outcome {
        let mut child = Command::new(&self.cairn)
            .arg("--config")
            .arg(self.config_path())
            .args([
                "content",
                "import",
                "api::article.article",
                "-",
                "--publish",
            ])
            .current_dir(self.folder.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take().ok_or("no standard input")?;
        let written = dataset::write_articles(&mut BufWriter::new(stdin), seeds, articles);
        let output = child.wait_with_output()?;
        if !output.status.success() {
            return Err(format!(
                "cairn content import: {}",
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
        written
    }

    /// Starts the server, with or without the response cache.
    pub async fn start(&self, cache: bool) -> Outcome<Running> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        self.write_config(port, cache)?;
        let spawned = Instant::now();
        let child = Command::new(&self.cairn)
            .arg("--config")
            .arg(self.config_path())
            .arg("serve")
            .current_dir(self.folder.path())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()?;
        let mut running = Running {
            child,
            base: format!("http://127.0.0.1:{port}"),
            // The one-off requests include the first scan of a million
            // rows; load itself comes from wrk, with its own timeout.
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(600))
                .build()?,
            ready_after: Duration::ZERO,
        };
        let health = running.url("/_health");
        loop {
            if let Ok(response) = running.client.get(&health).send().await
                && response.status().is_success()
            {
                break;
            }
            if spawned.elapsed() > Duration::from_secs(30) {
                return Err("cairn did not answer /_health within 30 s".into());
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        running.ready_after = spawned.elapsed();
        Ok(running)
    }

    /// The size of the database: the SQLite files, or PostgreSQL's count.
    pub async fn database_bytes(&self) -> Outcome<u64> {
        match &self.postgres {
            None => Ok(std::fs::read_dir(self.folder.path())?
                .filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().starts_with("cairn.db"))
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()),
            Some((server, name)) => {
                let size = psql(server, &format!("SELECT pg_database_size('{name}')"))?;
                Ok(size.trim().parse()?)
            }
        }
    }

    pub async fn finish(self) -> Outcome {
        if let Some((server, name)) = &self.postgres {
            psql(server, &format!("DROP DATABASE {name} WITH (FORCE)"))?;
        }
        Ok(())
    }
}

fn psql(url: &str, sql: &str) -> Outcome<String> {
    let output = Command::new("psql")
        .arg(url)
        .arg("-qAtc")
        .arg(sql)
        .output()?;
    if !output.status.success() {
        return Err(format!("psql: {}", String::from_utf8_lossy(&output.stderr)).into());
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn last_line(text: &str) -> String {
    text.lines().last().unwrap_or_default().trim().to_owned()
}

/// A running server, stopped when dropped.
pub struct Running {
    child: Child,
    base: String,
    pub client: reqwest::Client,
    pub ready_after: Duration,
}

impl Running {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A GET that must succeed; its body.
    pub async fn get(&self, path: &str, token: &str) -> Outcome<String> {
        let response = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await?;
        let status = response.status();
        let body = response.text().await?;
        if !status.is_success() {
            return Err(format!("GET {path}: {status}: {body}").into());
        }
        Ok(body)
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's peak resident memory so far (VmHWM), in KiB.
    pub fn peak_rss_kib(&self) -> Outcome<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let line = status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .ok_or("no VmHWM in /proc/PID/status")?;
        Ok(line
            .split_whitespace()
            .nth(1)
            .ok_or("malformed VmHWM")?
            .parse()?)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
