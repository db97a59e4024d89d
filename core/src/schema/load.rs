//! Reading schema definitions from disk and writing them back.
//!
//! The layout is Strapi's, so a Strapi project's `src/` folder applies as it is:
//!
//! ```text
//! api/<api>/content-types/<name>/schema.json   content type `api::<api>.<name>`
//! components/<category>/<name>.json            component `<category>.<name>`
//! ```
//!
//! A folder is searched recursively (skipping hidden folders and
//! `node_modules`). Any JSON file with a `kind` is a content type; its uid
//! comes from the `api/` layout when it has one, from `singularName` otherwise.
//! Any other JSON file with `attributes` is a component named after its folder
//! and file.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::model::{
    ComponentDef, ComponentSource, ContentTypeDef, ContentTypeSource, SchemaSources,
    default_type_uid,
};
use super::registry::Schema;
use crate::error::{Error, Result, ValidationErrors};

/// Reads a schema file or every schema file under a folder.
pub fn load(path: &Path) -> Result<SchemaSources> {
    let metadata = std::fs::metadata(path).map_err(|e| Error::io(path.display(), e))?;
    let mut files = Vec::new();
    if metadata.is_dir() {
        collect_json_files(path, &mut files)?;
        files.sort();
    } else {
        files.push(path.to_owned());
    }
    let mut sources = SchemaSources::default();
    let mut errors = ValidationErrors::default();
    for file in files {
        let origin = file.display().to_string();
        let text = std::fs::read_to_string(&file).map_err(|e| Error::io(&origin, e))?;
        let json: Value = match serde_json::from_str(&text) {
            Ok(json) => json,
            Err(e) => {
                errors.push([origin.as_str()], format!("invalid JSON: {e}"));
                continue;
            }
        };
        if json.get("kind").is_some() {
            match serde_json::from_value::<ContentTypeDef>(json) {
                Ok(def) => sources.content_types.push(ContentTypeSource {
                    uid: type_uid_from_path(&file)
                        .unwrap_or_else(|| default_type_uid(&def.info.singular_name)),
                    origin,
                    def,
                }),
                Err(e) => errors.push([origin.as_str()], format!("not a content type schema: {e}")),
            }
        } else if json.get("attributes").is_some() {
            let Some(uid) = component_uid_from_path(&file) else {
                errors.push(
                    [origin.as_str()],
                    "a component file must sit in a folder named after its category",
                );
                continue;
            };
            match serde_json::from_value::<ComponentDef>(json) {
                Ok(def) => sources
                    .components
                    .push(ComponentSource { uid, origin, def }),
                Err(e) => errors.push([origin.as_str()], format!("not a component schema: {e}")),
            }
        } else if metadata.is_file() {
            errors.push(
                [origin.as_str()],
                "neither a content type (no `kind`) nor a component (no `attributes`)",
            );
        }
    }
    if !errors.is_empty() {
        return Err(Error::InvalidSchema(errors));
    }
    if sources.content_types.is_empty() && sources.components.is_empty() {
        return Err(Error::InvalidSchema(ValidationErrors::single(
            [path.display().to_string().as_str()],
            "no content type or component schema found",
        )));
    }
    Ok(sources)
}

fn collect_json_files(folder: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(folder).map_err(|e| Error::io(folder.display(), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(folder.display(), e))?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if !name.starts_with('.') && name != "node_modules" {
                collect_json_files(&path, files)?;
            }
        } else if name.ends_with(".json") {
            files.push(path);
        }
    }
    Ok(())
}

/// `…/api/<api>/content-types/<name>/schema.json` -> `api::<api>.<name>`.
fn type_uid_from_path(file: &Path) -> Option<String> {
    let parts: Vec<&str> = file
        .iter()
        .rev()
        .take(5)
        .map(|p| p.to_str().unwrap_or_default())
        .collect();
    match parts.as_slice() {
        ["schema.json", name, "content-types", api, "api"] => Some(format!("api::{api}.{name}")),
        _ => None,
    }
}

/// `…/<category>/<name>.json` -> `<category>.<name>`.
fn component_uid_from_path(file: &Path) -> Option<String> {
    let name = file.file_stem()?.to_str()?;
    let category = file.parent()?.file_name()?.to_str()?;
    Some(format!("{category}.{name}"))
}

/// Writes every type and component of `schema` under `folder`, in the layout
/// `load` reads. Returns the files written.
pub fn export(schema: &Schema, folder: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for content_type in schema.content_types() {
        let (api, name) = content_type
            .uid
            .strip_prefix("api::")
            .and_then(|rest| rest.split_once('.'))
            .ok_or_else(|| Error::internal(format!("malformed uid {}", content_type.uid)))?;
        let file = folder
            .join("api")
            .join(api)
            .join("content-types")
            .join(name)
            .join("schema.json");
        write_json(
            &file,
            &serde_json::to_value(&content_type.def).map_err(Error::internal)?,
        )?;
        written.push(file);
    }
    for component in schema.components() {
        let (category, name) = component
            .uid
            .split_once('.')
            .ok_or_else(|| Error::internal(format!("malformed uid {}", component.uid)))?;
        let file = folder
            .join("components")
            .join(category)
            .join(format!("{name}.json"));
        write_json(
            &file,
            &serde_json::to_value(&component.def).map_err(Error::internal)?,
        )?;
        written.push(file);
    }
    Ok(written)
}

fn write_json(file: &Path, value: &Value) -> Result<()> {
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent.display(), e))?;
    }
    let mut text = serde_json::to_string_pretty(value).map_err(Error::internal)?;
    text.push('\n');
    std::fs::write(file, text).map_err(|e| Error::io(file.display(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_follow_strapi_layout() {
        assert_eq!(
            type_uid_from_path(Path::new("src/api/blog/content-types/post/schema.json")),
            Some("api::blog.post".into())
        );
        assert_eq!(type_uid_from_path(Path::new("fixtures/post.json")), None);
        assert_eq!(
            component_uid_from_path(Path::new("src/components/shared/seo.json")),
            Some("shared.seo".into())
        );
    }
}
