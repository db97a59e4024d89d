//! The upload API, as Strapi's: `POST /api/upload` (multipart: `files`,
//! optionally `fileInfo`), `GET /api/upload/files`, and
//! `GET/PUT/DELETE /api/upload/files/{id}`.
//!
//! Uploading and changing files needs a full-access caller; reading the
//! list needs at least an API token. Files themselves are public at
//! `/uploads/...` (see `uploads.rs`).

use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::{HttpResponse, web};
use cairn_core::files::{FileInfo, FileUpdate, Upload};
use cairn_core::{AppContext, Error};
use futures::StreamExt;
use serde_json::Value;

use crate::http::error::{ApiError, ApiResult};
use crate::http::principal::Principal;

/// Largest `fileInfo` field, in bytes.
const MAX_FILE_INFO: usize = 64 * 1024;
/// After a refused file, the rest of the request is read and dropped up to
/// this many bytes, so that the client sees the answer rather than a reset
/// connection; past it the connection is closed.
const MAX_DRAIN: usize = 64 * 1024 * 1024;

fn invalid_body(error: MultipartError) -> ApiError {
    ApiError::bad_request(format!("invalid multipart body: {error}"))
}

/// The body being read, and whether it broke: a multipart stream that
/// returned an error cannot be polled again, so it is not drained.
struct Reader<'a> {
    payload: &'a mut Multipart,
    broken: bool,
}

impl Reader<'_> {
    fn broken(&mut self, error: MultipartError) -> ApiError {
        self.broken = true;
        invalid_body(error)
    }
}

async fn upload_files(
    context: web::Data<AppContext>,
    principal: Principal,
    mut payload: Multipart,
) -> ApiResult<HttpResponse> {
    principal.require_full_access()?;
    let mut reader = Reader {
        payload: &mut payload,
        broken: false,
    };
    let uploads = match receive(&context, &mut reader).await {
        Ok(uploads) => uploads,
        Err(error) => {
            if !reader.broken {
                drain(reader.payload).await;
            }
            return Err(error);
        }
    };
    let created = context.files().upload(uploads).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Reads every part: files are spooled to disk as they arrive, `fileInfo`
/// (one JSON object per file, in order, or an array of them) is collected.
async fn receive(context: &AppContext, reader: &mut Reader<'_>) -> ApiResult<Vec<Upload>> {
    let files = context.files();
    let max_files = context.config().media.max_upload_files;
    let mut received = Vec::new();
    let mut infos: Vec<FileInfo> = Vec::new();
    while let Some(field) = reader.payload.next().await {
        let mut field = field.map_err(|e| reader.broken(e))?;
        match field.name() {
            Some("files") => {
                if received.len() == max_files {
                    return Err(Error::field(
                        "files",
                        format!("at most {max_files} files per upload"),
                    )
                    .into());
                }
                let file_name = field
                    .content_disposition()
                    .and_then(|disposition| disposition.get_filename())
                    .unwrap_or("file")
                    .to_owned();
                let mut spool = files.spool()?;
                while let Some(chunk) = field.next().await {
                    let chunk = chunk.map_err(|e| reader.broken(e))?;
                    spool
                        .write(&chunk)
                        .await
                        .map_err(|e| Error::media(&file_name, e))?;
                }
                let file = spool
                    .finish()
                    .await
                    .map_err(|e| Error::media(&file_name, e))?;
                received.push((file, file_name));
            }
            Some("fileInfo") => {
                let text = read_text(&mut field, reader).await?;
                let parsed: Value = serde_json::from_str(&text)
                    .map_err(|e| Error::field("fileInfo", format!("must be JSON: {e}")))?;
                let list = match parsed {
                    Value::Array(items) => items,
                    single => vec![single],
                };
                for item in list {
                    infos.push(
                        serde_json::from_value(item)
                            .map_err(|e| Error::field("fileInfo", e.to_string()))?,
                    );
                }
            }
            other => {
                return Err(ApiError::bad_request(format!(
                    "unexpected form field `{}`: send `files` and, optionally, `fileInfo`",
                    other.unwrap_or_default()
                )));
            }
        }
    }
    if infos.len() > received.len() {
        return Err(Error::field("fileInfo", "there are more fileInfo entries than files").into());
    }
    let mut infos = infos.into_iter();
    Ok(received
        .into_iter()
        .map(|(file, file_name)| Upload {
            file,
            file_name,
            info: infos.next().unwrap_or_default(),
        })
        .collect())
}

async fn read_text(field: &mut Field, reader: &mut Reader<'_>) -> ApiResult<String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.next().await {
        bytes.extend_from_slice(&chunk.map_err(|e| reader.broken(e))?);
        if bytes.len() > MAX_FILE_INFO {
            return Err(
                Error::field("fileInfo", format!("is larger than {MAX_FILE_INFO} bytes")).into(),
            );
        }
    }
    String::from_utf8(bytes).map_err(|_| Error::field("fileInfo", "is not UTF-8 text").into())
}

async fn drain(payload: &mut Multipart) {
    let mut read = 0;
    while let Some(Ok(mut field)) = payload.next().await {
        while let Some(Ok(chunk)) = field.next().await {
            read += chunk.len();
            if read > MAX_DRAIN {
                return;
            }
        }
    }
}

/// Any caller but the public role.
fn require_token(principal: &Principal) -> ApiResult<()> {
    match principal {
        Principal::Public => Err(ApiError::unauthorized("listing files needs an API token")),
        Principal::Token(_) | Principal::Admin(_) => Ok(()),
    }
}

async fn list_files(
    context: web::Data<AppContext>,
    principal: Principal,
) -> ApiResult<HttpResponse> {
    require_token(&principal)?;
    Ok(HttpResponse::Ok().json(context.files().list().await?))
}

async fn get_file(
    context: web::Data<AppContext>,
    principal: Principal,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    require_token(&principal)?;
    Ok(HttpResponse::Ok().json(context.files().find(*id).await?))
}

async fn update_file(
    context: web::Data<AppContext>,
    principal: Principal,
    id: web::Path<i64>,
    body: web::Json<FileUpdate>,
) -> ApiResult<HttpResponse> {
    principal.require_full_access()?;
    Ok(HttpResponse::Ok().json(context.files().update(*id, body.into_inner()).await?))
}

async fn delete_file(
    context: web::Data<AppContext>,
    principal: Principal,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    principal.require_full_access()?;
    Ok(HttpResponse::Ok().json(context.files().delete(*id).await?))
}

/// One scope: its fixed prefix turns every other path away before the
/// patterns inside run, and each pattern tried is a regex search.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/upload")
            .route("", web::post().to(upload_files))
            .route("/files", web::get().to(list_files))
            .service(
                web::resource("/files/{id}")
                    .route(web::get().to(get_file))
                    .route(web::put().to(update_file))
                    .route(web::delete().to(delete_file)),
            ),
    );
}
