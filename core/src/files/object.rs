//! The one place a file becomes Strapi's media object, for the upload API
//! and for media fields of entries alike.

use serde_json::{Map, Number, Value};

use crate::db::entities::file;
use crate::time::format_datetime;

/// Strapi reports sizes in kilobytes of 1000 bytes, to two decimals.
pub fn kilobytes(bytes: i64) -> Value {
    Number::from_f64((bytes as f64 / 10.0).round() / 100.0)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

fn text(value: &Option<String>) -> Value {
    value.clone().map(Value::String).unwrap_or(Value::Null)
}

/// `{id, documentId, name, alternativeText, caption, width, height,
/// formats, hash, ext, mime, size, url, previewUrl, provider,
/// provider_metadata, createdAt, updatedAt, publishedAt}` as Strapi sends
/// them, plus Cairn's `focalPoint`, `folderPath`, `blurhash` and
/// `dominantColor`.
pub fn file_object(file: &file::Model) -> Map<String, Value> {
    let created_at = Value::String(format_datetime(file.created_at));
    let mut object = Map::new();
    object.insert("id".into(), Value::from(file.id));
    object.insert("documentId".into(), Value::String(file.document_id.clone()));
    object.insert("name".into(), Value::String(file.name.clone()));
    object.insert("alternativeText".into(), text(&file.alternative_text));
    object.insert("caption".into(), text(&file.caption));
    object.insert(
        "width".into(),
        file.width.map(Value::from).unwrap_or(Value::Null),
    );
    object.insert(
        "height".into(),
        file.height.map(Value::from).unwrap_or(Value::Null),
    );
    object.insert(
        "formats".into(),
        file.formats.clone().unwrap_or(Value::Null),
    );
    object.insert("hash".into(), Value::String(file.hash.clone()));
    object.insert("ext".into(), Value::String(file.ext.clone()));
    object.insert("mime".into(), Value::String(file.mime.clone()));
    object.insert("size".into(), kilobytes(file.size));
    object.insert("url".into(), Value::String(file.url.clone()));
    object.insert("previewUrl".into(), text(&file.preview_url));
    object.insert("provider".into(), Value::String(file.provider.clone()));
    object.insert(
        "provider_metadata".into(),
        file.provider_metadata.clone().unwrap_or(Value::Null),
    );
    object.insert(
        "focalPoint".into(),
        file.focal_point.clone().unwrap_or(Value::Null),
    );
    object.insert("folderPath".into(), Value::String(file.folder_path.clone()));
    object.insert("blurhash".into(), text(&file.blurhash));
    object.insert("dominantColor".into(), text(&file.dominant_color));
    object.insert("createdAt".into(), created_at.clone());
    object.insert(
        "updatedAt".into(),
        Value::String(format_datetime(file.updated_at)),
    );
    // Files are never drafts: Strapi v5 publishes them when created.
    object.insert("publishedAt".into(), created_at);
    object
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_strapi_kilobytes() {
        assert_eq!(kilobytes(123_456), Value::from(123.46));
        assert_eq!(kilobytes(999), Value::from(1.0));
        assert_eq!(kilobytes(0), Value::from(0.0));
    }
}
