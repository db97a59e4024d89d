//! The one error type of the media layer.
//!
//! Each variant names a failure the engine reports differently: a file that
//! is too large, of a refused type or unreadable is the uploader's problem
//! (4xx), a storage failure is the operator's (5xx).

pub type Result<T, E = MediaError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// A storage key that could escape the store or is not portable.
    #[error("`{key}` is not a valid storage key: {reason}")]
    InvalidKey { key: String, reason: &'static str },
    #[error("the requested range is outside the {size}-byte object")]
    RangeNotSatisfiable { size: u64 },
    /// The store answered with an error (S3) or could not be reached.
    #[error("storage: {0}")]
    Storage(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the file is larger than the {limit}-byte limit")]
    TooLarge { limit: u64 },
    #[error("the file is empty")]
    Empty,
    /// The content matches no known file signature.
    #[error("the content's type cannot be recognised")]
    UnknownType,
    #[error("the content is {mime}, which is not an allowed type")]
    TypeNotAllowed { mime: String },
    #[error("the content is {mime}, which does not match the extension .{ext}")]
    ExtensionMismatch { mime: String, ext: String },
    /// More pixels than allowed: refused before decoding (decompression bombs).
    #[error("the image is {width}x{height} pixels, more than the {max} allowed")]
    TooManyPixels { width: u32, height: u32, max: u64 },
    /// Truncated, corrupt, or needing more memory to decode than allowed.
    #[error("the image cannot be decoded: {0}")]
    Undecodable(String),
    #[error("{mime} files cannot be transformed")]
    NotTransformable { mime: String },
    #[error("cannot encode {format}: {message}")]
    Encode {
        format: &'static str,
        message: String,
    },
    /// A variant parameter that is malformed or out of range.
    #[error("{name}: {message}")]
    InvalidParameter { name: String, message: String },
    /// A variant outside the presets and sizes, without a valid signature.
    #[error("{0}")]
    NotAllowed(String),
}

impl MediaError {
    pub fn io(path: impl std::fmt::Display, source: std::io::Error) -> Self {
        MediaError::Io {
            path: path.to_string(),
            source,
        }
    }

    pub(crate) fn parameter(name: &str, message: impl Into<String>) -> Self {
        MediaError::InvalidParameter {
            name: name.to_owned(),
            message: message.into(),
        }
    }
}
