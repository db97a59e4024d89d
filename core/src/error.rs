//! The one error type of the content engine.
//!
//! Every failure a caller can act on has its own variant and a [`Code`]; the
//! codes' table gives each its HTTP status and Strapi error name, so the API
//! and the admin UI answer alike without matching on errors themselves.
//! Database errors are classified on the way in (see `db::errors`), so a unique
//! violation reaches the client as a validation error with a field path, never
//! as an internal error.

use cairn_media::MediaError;
use serde::Serialize;
use serde_json::Value;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input data failed validation; every failing field is listed.
    #[error("{0}")]
    Validation(#[from] ValidationErrors),
    /// A schema file or schema request is invalid; nothing was applied.
    #[error("{0}")]
    InvalidSchema(ValidationErrors),
    /// The plan removes data and the caller did not confirm it.
    #[error(
        "the plan removes data; confirm with --allow-drop (API: \"allowDrop\": true): {}",
        .steps.join("; ")
    )]
    DestructivePlan { steps: Vec<String> },
    #[error("no content type `{uid}`")]
    ContentTypeNotFound { uid: String },
    #[error("no {type_name} with documentId `{document_id}`{}", locale_suffix(.locale))]
    EntryNotFound {
        type_name: String,
        document_id: String,
        locale: Option<String>,
    },
    #[error("no locale `{code}`")]
    LocaleNotFound { code: String },
    #[error("no version {id}")]
    VersionNotFound { id: i64 },
    #[error("no {kind} `{key}`")]
    RecordNotFound { kind: &'static str, key: String },
    /// A request that contradicts the current state, e.g. unpublishing a draft.
    #[error("{0}")]
    InvalidState(String),
    /// A write that started from an older version of a document than the
    /// one saved since: applying it would silently undo that save.
    #[error(
        "this entry was saved again since you opened it (version {version}, {saved_at}{}); reload it and make your changes again",
        saved_by.as_ref().map(|name| format!(", by {name}")).unwrap_or_default()
    )]
    Conflict {
        /// The version now current.
        version: i64,
        saved_at: String,
        saved_by: Option<String>,
    },
    #[error("invalid email or password")]
    InvalidCredentials,
    /// Sign-in refused after repeated failures, until `retry_after` passes.
    #[error(
        "too many failed sign-in attempts; try again in {} minute(s)",
        .retry_after.as_secs().div_ceil(60).max(1)
    )]
    TooManyAttempts { retry_after: std::time::Duration },
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    /// An uploaded file is larger than `media.max_upload_bytes`.
    #[error("{name} is larger than the {limit}-byte upload limit")]
    FileTooLarge { name: String, limit: u64 },
    /// An upload whose content is not recognised or not an allowed type.
    #[error("{name}: {reason}")]
    UnsupportedFileType { name: String, reason: String },
    /// An upload that cannot be used: empty, truncated, corrupt, or whose
    /// content contradicts its extension.
    #[error("{name}: {reason}")]
    InvalidFile { name: String, reason: String },
    /// An image with more pixels than `media.max_pixels` (a decompression
    /// bomb, or simply too large to handle).
    #[error("{name}: the image is {width}x{height} pixels, more than the {max} allowed")]
    ImageTooLarge {
        name: String,
        width: u32,
        height: u32,
        max: u64,
    },
    /// Variant parameters that are malformed or out of range.
    #[error("{0}")]
    InvalidVariant(String),
    /// A variant URL outside the presets and sizes, without a valid signature.
    #[error("{0}")]
    VariantNotAllowed(String),
    /// A byte range that starts past the end of the file.
    #[error("the requested range is outside the {size}-byte file")]
    RangeNotSatisfiable { size: u64 },
    /// The media store failed (the cause is logged, not shown).
    #[error("storage: {0}")]
    Storage(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("{0}")]
    Internal(String),
}

fn locale_suffix(locale: &Option<String>) -> String {
    locale
        .as_ref()
        .map(|l| format!(" in locale `{l}`"))
        .unwrap_or_default()
}

/// Declares the error codes: each line gives a code its HTTP status and the
/// error name Strapi answers with.
macro_rules! codes {
    ($($(#[$doc:meta])* $code:ident = $status:literal, $name:literal, $text:literal;)*) => {
        /// What went wrong, in the terms a client acts on. [`Error::code`]
        /// gives an engine error's code; the HTTP layers answer with its
        /// status and name, and log it by its text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[$doc])* $code,)*
        }

        impl Code {
            /// The HTTP status of a response with this error.
            pub const fn status(self) -> u16 {
                match self {
                    $(Code::$code => $status,)*
                }
            }

            /// The error name of Strapi's envelope (`error.name`).
            pub const fn name(self) -> &'static str {
                match self {
                    $(Code::$code => $name,)*
                }
            }

            /// A stable snake_case name, for logs and metrics.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => $text,)*
                }
            }
        }
    };
}

codes! {
    /// Input failed validation; `details.errors` lists every field.
    Validation = 400, "ValidationError", "validation";
    /// A schema file or request is invalid; nothing was applied.
    InvalidSchema = 400, "ValidationError", "invalid_schema";
    /// A schema change removes data and was not confirmed.
    DestructivePlan = 400, "ValidationError", "destructive_plan";
    /// A request the server cannot read: malformed JSON, query or path.
    BadRequest = 400, "ValidationError", "bad_request";
    /// A request that contradicts the current state.
    InvalidState = 400, "ApplicationError", "invalid_state";
    InvalidCredentials = 400, "ValidationError", "invalid_credentials";
    /// An upload that is empty, truncated, corrupt or mislabelled.
    InvalidFile = 400, "ValidationError", "invalid_file";
    ImageTooLarge = 400, "ValidationError", "image_too_large";
    InvalidVariant = 400, "ValidationError", "invalid_variant";
    Unauthorized = 401, "UnauthorizedError", "unauthorized";
    Forbidden = 403, "ForbiddenError", "forbidden";
    /// A variant URL outside the presets, without a valid signature.
    VariantNotAllowed = 403, "ForbiddenError", "variant_not_allowed";
    /// No route, or nothing at this address the caller may know of.
    NotFound = 404, "NotFoundError", "not_found";
    ContentTypeNotFound = 404, "NotFoundError", "content_type_not_found";
    EntryNotFound = 404, "NotFoundError", "entry_not_found";
    LocaleNotFound = 404, "NotFoundError", "locale_not_found";
    VersionNotFound = 404, "NotFoundError", "version_not_found";
    RecordNotFound = 404, "NotFoundError", "record_not_found";
    /// A write that started from a version saved over since.
    Conflict = 409, "ConflictError", "conflict";
    /// The route exists, but not for this method or this kind of type.
    MethodNotAllowed = 405, "MethodNotAllowedError", "method_not_allowed";
    /// A request body over the configured limit.
    PayloadTooLarge = 413, "PayloadTooLargeError", "payload_too_large";
    FileTooLarge = 413, "PayloadTooLargeError", "file_too_large";
    UnsupportedFileType = 415, "UnsupportedMediaTypeError", "unsupported_file_type";
    RangeNotSatisfiable = 416, "RangeNotSatisfiableError", "range_not_satisfiable";
    TooManyAttempts = 429, "RateLimitError", "too_many_attempts";
    /// The media store failed.
    Storage = 500, "InternalServerError", "storage";
    Config = 500, "InternalServerError", "config";
    Io = 500, "InternalServerError", "io";
    Database = 500, "InternalServerError", "database";
    Internal = 500, "InternalServerError", "internal";
}

impl Code {
    /// A failure of the server, not of the request: its cause is logged and
    /// never shown.
    pub const fn is_internal(self) -> bool {
        self.status() >= 500
    }
}

impl Error {
    /// The code that decides how this error reaches a client.
    pub fn code(&self) -> Code {
        match self {
            Error::Validation(_) => Code::Validation,
            Error::InvalidSchema(_) => Code::InvalidSchema,
            Error::DestructivePlan { .. } => Code::DestructivePlan,
            Error::ContentTypeNotFound { .. } => Code::ContentTypeNotFound,
            Error::EntryNotFound { .. } => Code::EntryNotFound,
            Error::LocaleNotFound { .. } => Code::LocaleNotFound,
            Error::VersionNotFound { .. } => Code::VersionNotFound,
            Error::RecordNotFound { .. } => Code::RecordNotFound,
            Error::InvalidState(_) => Code::InvalidState,
            Error::Conflict { .. } => Code::Conflict,
            Error::InvalidCredentials => Code::InvalidCredentials,
            Error::TooManyAttempts { .. } => Code::TooManyAttempts,
            Error::Unauthorized(_) => Code::Unauthorized,
            Error::Forbidden(_) => Code::Forbidden,
            Error::FileTooLarge { .. } => Code::FileTooLarge,
            Error::UnsupportedFileType { .. } => Code::UnsupportedFileType,
            Error::InvalidFile { .. } => Code::InvalidFile,
            Error::ImageTooLarge { .. } => Code::ImageTooLarge,
            Error::InvalidVariant(_) => Code::InvalidVariant,
            Error::VariantNotAllowed(_) => Code::VariantNotAllowed,
            Error::RangeNotSatisfiable { .. } => Code::RangeNotSatisfiable,
            Error::Storage(_) => Code::Storage,
            Error::Config(_) => Code::Config,
            Error::Io { .. } => Code::Io,
            Error::Database(_) => Code::Database,
            Error::Internal(_) => Code::Internal,
        }
    }

    /// What a client needs beyond the message: the failing fields of a
    /// validation error, the destructive steps of a plan, the size of a
    /// file a range missed. Empty for the rest.
    pub fn details(&self) -> Value {
        match self {
            Error::Validation(errors) | Error::InvalidSchema(errors) => {
                serde_json::json!({ "errors": errors.errors })
            }
            Error::DestructivePlan { steps } => serde_json::json!({ "destructive": steps }),
            Error::RangeNotSatisfiable { size } => serde_json::json!({ "size": size }),
            Error::Conflict {
                version,
                saved_at,
                saved_by,
            } => serde_json::json!({
                "version": version,
                "savedAt": saved_at,
                "savedBy": saved_by,
            }),
            _ => Value::Object(serde_json::Map::new()),
        }
    }

    /// One validation error at `path`.
    pub fn field(path: impl Into<Path>, message: impl Into<String>) -> Self {
        Error::Validation(ValidationErrors::single(path, message))
    }

    pub fn io(path: impl std::fmt::Display, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_string(),
            source,
        }
    }

    pub fn internal(message: impl std::fmt::Display) -> Self {
        Error::Internal(message.to_string())
    }

    /// A media failure about `name` (a file being uploaded, or the file a
    /// URL asks for), as the engine reports it.
    pub fn media(name: &str, error: MediaError) -> Self {
        let name = name.to_owned();
        match error {
            MediaError::TooLarge { limit } => Error::FileTooLarge { name, limit },
            MediaError::UnknownType => Error::UnsupportedFileType {
                name,
                reason: "its content is not of a recognised type".into(),
            },
            error @ MediaError::TypeNotAllowed { .. } => Error::UnsupportedFileType {
                name,
                reason: error.to_string(),
            },
            error @ (MediaError::Empty
            | MediaError::ExtensionMismatch { .. }
            | MediaError::Undecodable(_)) => Error::InvalidFile {
                name,
                reason: error.to_string(),
            },
            MediaError::TooManyPixels { width, height, max } => Error::ImageTooLarge {
                name,
                width,
                height,
                max,
            },
            error @ (MediaError::InvalidParameter { .. } | MediaError::NotTransformable { .. }) => {
                Error::InvalidVariant(error.to_string())
            }
            MediaError::NotAllowed(message) => Error::VariantNotAllowed(message),
            MediaError::RangeNotSatisfiable { size } => Error::RangeNotSatisfiable { size },
            // A name that is not a storage key names no stored file.
            MediaError::InvalidKey { .. } => Error::RecordNotFound {
                kind: "file",
                key: name,
            },
            error
            @ (MediaError::Storage(_) | MediaError::Io { .. } | MediaError::Encode { .. }) => {
                Error::Storage(format!("{name}: {error}"))
            }
        }
    }
}

/// A path into a document or a schema: `["blocks", "1", "body"]`.
///
/// Strapi reports paths as arrays of strings, list indexes included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Path(pub Vec<String>);

impl Path {
    pub fn root() -> Self {
        Path(Vec::new())
    }

    pub fn child(&self, segment: impl ToString) -> Self {
        let mut segments = self.0.clone();
        segments.push(segment.to_string());
        Path(segments)
    }
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

impl From<&str> for Path {
    fn from(segment: &str) -> Self {
        Path(vec![segment.to_owned()])
    }
}

impl From<String> for Path {
    fn from(segment: String) -> Self {
        Path(vec![segment])
    }
}

impl<const N: usize> From<[&str; N]> for Path {
    fn from(segments: [&str; N]) -> Self {
        Path(segments.iter().map(|s| (*s).to_owned()).collect())
    }
}

/// One failing field, in the shape of Strapi's `details.errors[]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldError {
    pub path: Path,
    pub message: String,
    pub name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

/// Every failing field of one request.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ValidationErrors {
    pub errors: Vec<FieldError>,
}

impl ValidationErrors {
    pub fn single(path: impl Into<Path>, message: impl Into<String>) -> Self {
        let mut errors = Self::default();
        errors.push(path, message);
        errors
    }

    pub fn push(&mut self, path: impl Into<Path>, message: impl Into<String>) {
        self.errors.push(FieldError {
            path: path.into(),
            message: message.into(),
            name: "ValidationError",
            value: None,
        });
    }

    pub fn extend(&mut self, other: ValidationErrors) {
        self.errors.extend(other.errors);
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The same errors with `segment` put before every path: the errors of
    /// one item, as seen from the list that holds it.
    pub fn under(mut self, segment: impl ToString) -> Self {
        let segment = segment.to_string();
        for error in &mut self.errors {
            error.path.0.insert(0, segment.clone());
        }
        self
    }

    /// `Ok(())` when nothing failed, the collected errors otherwise.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl std::fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.errors.as_slice() {
            [] => f.write_str("validation failed"),
            [one] if one.path.0.is_empty() => f.write_str(&one.message),
            [one] => write!(f, "{}: {}", one.path, one.message),
            many => {
                write!(f, "{} errors occurred", many.len())?;
                for error in many {
                    write!(f, "\n  {}: {}", error.path, error.message)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ValidationErrors {}
