//! Layered configuration: compiled-in defaults < `cairn.toml` < environment.
//!
//! Environment variables are `CAIRN_<SECTION>__<KEY>` (for example
//! `CAIRN_SERVER__PORT=8080`), plus the conventional `DATABASE_URL` and the
//! `S3_*` variables of S3 clients.
//! `config/default.toml` documents every setting; a test keeps it equal to
//! `Config::default()`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use std::time::Duration;

use cairn_media::image::Fit;
use cairn_media::transform::Preset;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The documented defaults, identical to `Config::default()`.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

/// The conventional variables of S3 clients and the settings they set.
const S3_VARIABLES: [(&str, &str); 6] = [
    ("S3_ENDPOINT", "media.s3.endpoint"),
    ("S3_REGION", "media.s3.region"),
    ("S3_BUCKET", "media.s3.bucket"),
    ("S3_ACCESS_KEY_ID", "media.s3.access_key_id"),
    ("S3_SECRET_ACCESS_KEY", "media.s3.secret_access_key"),
    ("S3_FORCE_PATH_STYLE", "media.s3.force_path_style"),
];

/// The configuration file read when `--config` is not given.
pub const DEFAULT_CONFIG_FILE: &str = "cairn.toml";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub content: ContentConfig,
    pub api: ApiConfig,
    pub auth: AuthConfig,
    pub media: MediaConfig,
    pub log: LogConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to listen on.
    pub host: String,
    /// Port to listen on.
    pub port: u16,
    /// HTTP worker threads; 0 means one per CPU core.
    pub workers: usize,
    /// Largest accepted JSON request body, in bytes.
    pub max_body_bytes: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 1337,
            workers: 0,
            max_body_bytes: 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://PATH` (the file and its folder are created on first run) or
    /// `postgres://USER:PASSWORD@HOST:PORT/DATABASE`.
    pub url: String,
    /// Largest number of pooled connections; 0 picks one for the backend
    /// (SQLite: twice the cores, at least 4; PostgreSQL: 16).
    pub max_connections: u32,
    /// How long a request waits for a pooled connection.
    #[serde(with = "humantime_serde")]
    pub acquire_timeout: Duration,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: "sqlite://./data/cairn.db".into(),
            max_connections: 0,
            acquire_timeout: Duration::from_secs(10),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContentConfig {
    /// Versions kept per document and locale; older ones are pruned on save.
    pub max_versions_per_document: u32,
}

impl Default for ContentConfig {
    fn default() -> Self {
        Self {
            max_versions_per_document: 100,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApiConfig {
    /// Entries per page when a request names no size.
    pub default_page_size: u64,
    /// Largest page a request may ask for; larger requests get a 400.
    pub max_page_size: u64,
    /// Deepest filter tree (logical operators and relation hops) accepted.
    pub max_filter_depth: usize,
    /// Most conditions one filter tree may hold.
    pub max_filter_conditions: usize,
    /// Most values of one `$in`, `$notIn` or `$between`.
    pub max_operand_values: usize,
    /// Deepest `populate` accepted.
    pub max_populate_depth: usize,
    /// `Cache-Control` of content responses.
    pub cache_control: String,
    /// `Cache-Control` for particular content types, by uid.
    pub cache_control_by_type: BTreeMap<String, String>,
    /// Memory for cached published responses, in bytes; 0 turns the cache off.
    pub response_cache_bytes: u64,
    /// Origins allowed by CORS; `*` allows any.
    pub cors_origins: Vec<String>,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            default_page_size: 25,
            max_page_size: 100,
            max_filter_depth: 8,
            max_filter_conditions: 50,
            max_operand_values: 200,
            max_populate_depth: 5,
            cache_control: "no-cache".into(),
            cache_control_by_type: BTreeMap::new(),
            response_cache_bytes: 64 * 1024 * 1024,
            cors_origins: vec!["*".into()],
        }
    }
}

impl ApiConfig {
    /// The query limits these settings describe.
    pub fn query_limits(&self) -> QueryLimits {
        QueryLimits {
            default_page_size: self.default_page_size,
            max_page_size: self.max_page_size,
            max_filter_depth: self.max_filter_depth,
            max_filter_conditions: self.max_filter_conditions,
            max_operand_values: self.max_operand_values,
            max_populate_depth: self.max_populate_depth,
        }
    }
}

/// Limits on what one query may ask for.
#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    pub default_page_size: u64,
    pub max_page_size: u64,
    pub max_filter_depth: usize,
    pub max_filter_conditions: usize,
    pub max_operand_values: usize,
    pub max_populate_depth: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// Secret that signs admin tokens. Empty: a random secret is generated on
    /// first start and kept in the database, so every instance shares it.
    pub jwt_secret: String,
    /// Lifetime of an admin session token and of an admin UI session.
    #[serde(with = "humantime_serde")]
    pub admin_token_ttl: Duration,
    /// Failed sign-ins, per email and per client address, after which
    /// sign-in is refused for a while.
    pub sign_in_max_failures: usize,
    /// The sliding window in which failed sign-ins are counted.
    #[serde(with = "humantime_serde")]
    pub sign_in_window: Duration,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            jwt_secret: String::new(),
            admin_token_ttl: Duration::from_secs(12 * 3600),
            sign_in_max_failures: 5,
            sign_in_window: Duration::from_secs(15 * 60),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaConfig {
    /// Where originals and variants are kept.
    pub storage: StorageKind,
    /// The folder of the local store.
    pub local_folder: PathBuf,
    /// Largest accepted file, in bytes (413 beyond).
    pub max_upload_bytes: u64,
    /// Most files in one upload request.
    pub max_upload_files: usize,
    /// MIME types accepted, as detected from the content: `image/png`, or
    /// `image/*` for a family.
    pub allowed_types: Vec<String>,
    /// Largest image (width x height) decoded; larger ones are refused
    /// before decoding, as decompression bombs.
    pub max_pixels: u64,
    /// Most memory one image decode may allocate, in bytes.
    pub max_decode_bytes: u64,
    /// Largest width or height of a variant, in pixels, after `dpr`.
    pub max_dimension: u32,
    /// JPEG, WebP and AVIF quality when a URL or preset does not say.
    pub quality: u8,
    /// Memory for rendered variants answered without reading the store;
    /// 0 turns it off.
    pub variant_cache_bytes: u64,

    /// Widths and heights that unsigned variant URLs may ask for; empty
    /// allows any up to `max_dimension`.
    pub sizes: Vec<u32>,
    /// Whether variant URLs other than presets need a signature (`s`).
    pub signed_urls: bool,
    /// Secret that signs variant URLs. Empty: a random secret is generated
    /// on first start and kept in the database, so every instance shares it.
    pub signing_secret: String,
    /// Presets rendered at upload and listed in each image's `formats`
    /// (Strapi's responsive formats); a format is only made for images
    /// larger than its box.
    pub formats: Vec<String>,
    /// Named variants, asked for as `?preset=NAME`.
    pub presets: BTreeMap<String, Preset>,
    /// The S3 store, when `storage = "s3"`.
    pub s3: S3Config,
}

/// Where media is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageKind {
    Local,
    S3,
}

fn inside(width: u32, height: u32) -> Preset {
    Preset {
        width: Some(width),
        height: Some(height),
        fit: Some(Fit::Inside),
        ..Preset::default()
    }
}

impl Default for MediaConfig {
    fn default() -> Self {
        Self {
            storage: StorageKind::Local,
            local_folder: PathBuf::from("./data/uploads"),
            max_upload_bytes: 50 * 1024 * 1024,
            max_upload_files: 20,
            allowed_types: [
                "image/jpeg",
                "image/png",
                "image/gif",
                "image/webp",
                "video/mp4",
                "video/webm",
                "video/quicktime",
                "audio/mpeg",
                "audio/ogg",
                "audio/x-wav",
                "audio/x-flac",
                "audio/m4a",
                "application/pdf",
            ]
            .map(String::from)
            .to_vec(),
            max_pixels: 50_000_000,
            max_decode_bytes: 512 * 1024 * 1024,
            max_dimension: 4096,
            quality: 80,
            variant_cache_bytes: 32 * 1024 * 1024,
            sizes: vec![
                64, 96, 128, 160, 200, 245, 256, 320, 375, 400, 480, 500, 600, 640, 750, 768, 800,
                960, 1000, 1024, 1080, 1200, 1280, 1440, 1600, 1920, 2048,
            ],
            signed_urls: false,
            signing_secret: String::new(),
            formats: ["thumbnail", "small", "medium", "large"]
                .map(String::from)
                .to_vec(),
            presets: BTreeMap::from([
                ("thumbnail".to_owned(), inside(245, 156)),
                ("small".to_owned(), inside(500, 500)),
                ("medium".to_owned(), inside(750, 750)),
                ("large".to_owned(), inside(1000, 1000)),
            ]),
            s3: S3Config::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct S3Config {
    /// URL of an S3-compatible server (MinIO, R2, …); empty for AWS.
    pub endpoint: String,
    /// The bucket's region (`auto` for R2).
    pub region: String,
    pub bucket: String,
    /// Address the bucket as `endpoint/bucket` (MinIO and most
    /// self-hosted servers) instead of `bucket.endpoint`.
    pub force_path_style: bool,
    /// Empty: the AWS default chain (AWS_* variables, profile, instance role).
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Prepended to every key, so that several sites can share a bucket.
    pub prefix: String,
}

impl Default for S3Config {
    fn default() -> Self {
        Self {
            endpoint: String::new(),
            region: "us-east-1".into(),
            bucket: String::new(),
            force_path_style: false,
            access_key_id: String::new(),
            secret_access_key: String::new(),
            prefix: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// A tracing filter such as `info` or `cairn=debug,sqlx=warn`; `RUST_LOG`
    /// overrides it.
    pub level: String,
    /// `text` for people, `json` for log collectors.
    pub format: LogFormat,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            level: "info".into(),
            format: LogFormat::Text,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Config {
    /// Loads defaults, then the file at `path` (or `cairn.toml` when it exists),
    /// then the environment.
    pub fn load(path: Option<&Path>) -> Result<Self> {
        let file: Option<PathBuf> = match path {
            Some(path) if !path.exists() => {
                return Err(Error::Config(format!(
                    "configuration file {} does not exist",
                    path.display()
                )));
            }
            Some(path) => Some(path.to_owned()),
            None => Some(PathBuf::from(DEFAULT_CONFIG_FILE)).filter(|p| p.exists()),
        };
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            figment = figment.merge(Toml::file_exact(file));
        }
        Self::from_figment(
            figment
                .merge(
                    Env::raw()
                        .only(&["DATABASE_URL"])
                        .map(|_| "database.url".into()),
                )
                .merge(
                    Env::raw()
                        .only(&S3_VARIABLES.map(|(variable, _)| variable))
                        .map(|variable| {
                            S3_VARIABLES
                                .iter()
                                .find(|(name, _)| variable.as_str().eq_ignore_ascii_case(name))
                                .map_or_else(|| variable.as_str().into(), |(_, key)| (*key).into())
                        }),
                )
                .merge(
                    // Only sectioned names: `CAIRN_TEST_DATABASE_URL` and the like
                    // belong to tools, not to the server.
                    Env::prefixed("CAIRN_")
                        .filter(|key| key.as_str().contains("__"))
                        .split("__"),
                ),
        )
    }

    /// Defaults overlaid with a TOML document; used by tests and tools.
    pub fn from_toml(toml: &str) -> Result<Self> {
        Self::from_figment(
            Figment::from(Serialized::defaults(Config::default())).merge(Toml::string(toml)),
        )
    }

    fn from_figment(figment: Figment) -> Result<Self> {
        figment.extract().map_err(|e| Error::Config(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_toml_matches_compiled_defaults() -> Result<()> {
        let documented: Config =
            toml::from_str(DEFAULT_TOML).map_err(|e| Error::Config(e.to_string()))?;
        assert_eq!(documented, Config::default());
        Ok(())
    }

    #[test]
    fn file_values_override_defaults_and_keep_the_rest() -> Result<()> {
        let config = Config::from_toml("[server]\nport = 8080\n")?;
        assert_eq!(config.server.port, 8080);
        assert_eq!(config.server.host, "127.0.0.1");
        assert_eq!(config.database.url, "sqlite://./data/cairn.db");
        Ok(())
    }

    #[test]
    // Jail's closure returns figment's error type, which is large.
    #[allow(clippy::result_large_err)]
    fn s3_variables_set_the_media_store() -> Result<()> {
        figment::Jail::expect_with(|jail| {
            jail.set_env("S3_ENDPOINT", "http://127.0.0.1:9000");
            jail.set_env("S3_BUCKET", "media");
            jail.set_env("S3_FORCE_PATH_STYLE", "true");
            jail.set_env("S3_ACCESS_KEY_ID", "key");
            jail.set_env("CAIRN_MEDIA__STORAGE", "s3");
            let config = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(config.media.storage, StorageKind::S3);
            assert_eq!(config.media.s3.endpoint, "http://127.0.0.1:9000");
            assert_eq!(config.media.s3.bucket, "media");
            assert!(config.media.s3.force_path_style);
            assert_eq!(config.media.s3.access_key_id, "key");
            assert_eq!(config.media.s3.region, "us-east-1");
            Ok(())
        });
        Ok(())
    }

    #[test]
    fn unknown_keys_are_refused_with_their_name() {
        let error = Config::from_toml("[server]\nprot = 8080\n").err();
        let message = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("prot"), "{message}");
    }
}
