//! The columns of a list view: which fields an administrator chose to see,
//! remembered per administrator and type.

use cairn_core::AppContext;
use cairn_core::auth::preferences;
use cairn_core::error::Result;
use cairn_core::schema::registry::{ContentType, Field};
use serde_json::Value;

/// How many columns a list shows before its administrator chooses.
const DEFAULT_COLUMNS: usize = 3;

/// Fields that can be a column: values of the row itself, not secrets.
pub fn choices(content_type: &ContentType) -> impl Iterator<Item = &Field> {
    let main = content_type.main_field().map(Field::name);
    content_type.fields.iter().filter(move |f| {
        f.attribute.kind.scalar().is_some()
            && !f.attribute.kind.is_secret()
            && Some(f.name()) != main
    })
}

fn preference(content_type: &ContentType) -> String {
    format!("columns:{}", content_type.uid)
}

/// The columns `user` sees in the list of `content_type`: their choice
/// (fields since removed left out), or the first few fields.
pub async fn chosen(
    context: &AppContext,
    user: i64,
    content_type: &ContentType,
) -> Result<Vec<String>> {
    let stored = preferences::load(context.db().conn(), user, &preference(content_type)).await?;
    let available: Vec<&str> = choices(content_type).map(Field::name).collect();
    Ok(match stored {
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .filter(|name| available.contains(name))
            .map(str::to_owned)
            .collect(),
        _ => available
            .into_iter()
            .take(DEFAULT_COLUMNS)
            .map(str::to_owned)
            .collect(),
    })
}

/// Remembers the columns `user` chose, in the schema's order; names that
/// are not columns of the type are left out.
pub async fn choose(
    context: &AppContext,
    user: i64,
    content_type: &ContentType,
    names: &[String],
) -> Result<()> {
    let chosen: Vec<Value> = choices(content_type)
        .filter(|f| names.iter().any(|n| n == f.name()))
        .map(|f| Value::String(f.name().to_owned()))
        .collect();
    preferences::save(
        context.db().conn(),
        user,
        &preference(content_type),
        Value::Array(chosen),
    )
    .await
}
