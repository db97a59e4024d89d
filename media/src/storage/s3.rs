//! The S3 store: AWS, MinIO, Cloudflare R2 and other S3-compatible servers.
//!
//! The client speaks HTTP(S) through rustls with ring (no native TLS, no
//! aws-lc build), checksums only where S3 requires them (compatible servers
//! differ in what they support), and path-style addressing when asked
//! (MinIO and most self-hosted servers need it).

use aws_config::BehaviorVersion;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::{
    Credentials, Region, RequestChecksumCalculation, ResponseChecksumValidation,
};
use aws_sdk_s3::error::{DisplayErrorContext, SdkError};
use aws_sdk_s3::primitives::ByteStream as S3Body;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use tokio_util::io::ReaderStream;

use super::{Body, ByteRange, CHUNK, Key, Object, Storage};
use crate::error::{MediaError, Result};

/// Where the bucket is and how to sign requests to it.
#[derive(Debug, Clone, Default)]
pub struct S3Settings {
    /// `https://…` of an S3-compatible server; empty for AWS itself.
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    /// `endpoint/bucket/key` instead of `bucket.endpoint/key`.
    pub force_path_style: bool,
    /// Empty: the AWS default chain (environment, profile, instance role).
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Prepended to every key, so that several sites can share a bucket.
    pub prefix: String,
}

#[derive(Debug, Clone)]
pub struct S3Storage {
    client: Client,
    bucket: String,
    /// Empty, or a valid key followed by `/`.
    prefix: String,
}

impl S3Storage {
    /// A client for the bucket; nothing is sent until the first request.
    pub async fn connect(settings: &S3Settings) -> Result<Self> {
        if settings.bucket.is_empty() {
            return Err(MediaError::Storage("media.s3.bucket is empty".into()));
        }
        let prefix = match settings.prefix.trim_matches('/') {
            "" => String::new(),
            prefix => format!("{}/", Key::new(prefix)?),
        };
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
            .build_https();
        let region = match settings.region.as_str() {
            "" => "us-east-1".to_owned(),
            region => region.to_owned(),
        };
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http)
            .region(Region::new(region));
        if !settings.access_key_id.is_empty() {
            loader = loader.credentials_provider(Credentials::new(
                &settings.access_key_id,
                &settings.secret_access_key,
                None,
                None,
                "cairn-config",
            ));
        }
        if !settings.endpoint.is_empty() {
            loader = loader.endpoint_url(&settings.endpoint);
        }
        let shared = loader.load().await;
        let config = aws_sdk_s3::config::Builder::from(&shared)
            .force_path_style(settings.force_path_style)
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
            .build();
        Ok(S3Storage {
            client: Client::from_conf(config),
            bucket: settings.bucket.clone(),
            prefix,
        })
    }

    fn name(&self, key: &Key) -> String {
        format!("{}{key}", self.prefix)
    }

    /// The size of `key`, `None` when absent.
    async fn size(&self, key: &Key) -> Result<Option<u64>> {
        match self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(self.name(key))
            .send()
            .await
        {
            Ok(head) => Ok(Some(length(head.content_length()))),
            Err(error) if is_not_found(&error) => Ok(None),
            Err(error) => Err(failure("HEAD", key, error)),
        }
    }
}

fn length(value: Option<i64>) -> u64 {
    value.and_then(|n| u64::try_from(n).ok()).unwrap_or(0)
}

fn is_not_found<E>(error: &SdkError<E, aws_sdk_s3::config::http::HttpResponse>) -> bool {
    error
        .raw_response()
        .is_some_and(|response| response.status().as_u16() == 404)
}

fn failure<E>(operation: &str, key: impl std::fmt::Display, error: SdkError<E>) -> MediaError
where
    E: std::error::Error + Send + Sync + 'static,
{
    MediaError::Storage(format!(
        "{operation} {key}: {}",
        DisplayErrorContext(&error)
    ))
}

#[async_trait::async_trait]
impl Storage for S3Storage {
    fn provider(&self) -> &'static str {
        "aws-s3"
    }

    async fn put(&self, key: &Key, body: Body<'_>, content_type: &str) -> Result<()> {
        let body = match body {
            Body::File(path) => S3Body::from_path(path)
                .await
                .map_err(|e| MediaError::Storage(format!("{}: {e}", path.display())))?,
            Body::Bytes(bytes) => S3Body::from(bytes.clone()),
        };
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(self.name(key))
            .content_type(content_type)
            .body(body)
            .send()
            .await
            .map_err(|e| failure("PUT", key, e))?;
        Ok(())
    }

    async fn get(&self, key: &Key, range: Option<ByteRange>) -> Result<Option<Object>> {
        // A range is resolved against the size first, so that every store
        // answers an unsatisfiable range the same way.
        let resolved = match range {
            Some(range) => match self.size(key).await? {
                Some(size) => Some((size, range.resolve(size)?)),
                None => return Ok(None),
            },
            None => None,
        };
        let request = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(self.name(key))
            .set_range(resolved.map(|(_, (start, end))| format!("bytes={start}-{end}")));
        let output = match request.send().await {
            Ok(output) => output,
            Err(error) if is_not_found(&error) => return Ok(None),
            Err(error) => return Err(failure("GET", key, error)),
        };
        let (size, range) = match resolved {
            Some((size, range)) => (size, Some(range)),
            None => (length(output.content_length()), None),
        };
        Ok(Some(Object {
            size,
            range,
            body: Box::pin(ReaderStream::with_capacity(
                output.body.into_async_read(),
                CHUNK,
            )),
        }))
    }

    async fn list(&self, prefix: Option<&Key>) -> Result<Vec<Key>> {
        let wanted = match prefix {
            Some(prefix) => format!("{}/", self.name(prefix)),
            None => self.prefix.clone(),
        };
        let mut keys = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(&wanted)
                .set_continuation_token(token.take())
                .send()
                .await
                .map_err(|e| failure("LIST", &wanted, e))?;
            for object in page.contents() {
                let name = object.key().unwrap_or_default();
                // Objects that are not keys were not written by Cairn.
                if let Some(Ok(key)) = name.strip_prefix(&self.prefix).map(Key::new) {
                    keys.push(key);
                }
            }
            match page.next_continuation_token() {
                Some(next) if page.is_truncated().unwrap_or(false) => token = Some(next.to_owned()),
                _ => break,
            }
        }
        keys.sort();
        Ok(keys)
    }

    async fn delete(&self, key: &Key) -> Result<()> {
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(self.name(key))
            .send()
            .await
            .map_err(|e| failure("DELETE", key, e))?;
        Ok(())
    }
}
