//! Names that reach SQL: which are allowed and how tables, columns and indexes
//! are named.
//!
//! Every identifier the engine sends to the database is built here from a
//! validated schema name, never from a request.

use heck::ToSnakeCase;
use sha2::{Digest, Sha256};

/// PostgreSQL truncates identifiers longer than this; Cairn refuses them.
pub const MAX_IDENTIFIER: usize = 63;

/// Longest table name of a content type: leaves room for link-table suffixes.
pub const MAX_TABLE_NAME: usize = 40;

/// Attribute names the engine uses for its own fields.
const RESERVED_ATTRIBUTES: &[&str] = &[
    "id",
    "document_id",
    "documentid",
    "locale",
    "localizations",
    "published",
    "published_at",
    "publishedat",
    "created_at",
    "createdat",
    "updated_at",
    "updatedat",
    "created_by",
    "createdby",
    "created_by_id",
    "updated_by",
    "updatedby",
    "updated_by_id",
    "__component",
    "__typename",
];

/// PostgreSQL's reserved key words (plus SQLite's own): refused as attribute
/// and table names so that schemas stay portable to hand-written SQL.
const SQL_KEYWORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "binary",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "delete",
    "desc",
    "distinct",
    "do",
    "drop",
    "else",
    "end",
    "escape",
    "except",
    "exists",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "glob",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "index",
    "initially",
    "inner",
    "insert",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "returning",
    "right",
    "select",
    "session_user",
    "similar",
    "some",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "transaction",
    "true",
    "union",
    "unique",
    "update",
    "user",
    "using",
    "values",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
];

/// API ids that would shadow Cairn's own routes under `/api`.
const RESERVED_API_IDS: &[&str] = &[
    "admin",
    "auth",
    "connect",
    "docs",
    "i18n",
    "management",
    "openapi",
    "plugins",
    "search",
    "upload",
    "uploads",
    "users",
    "users-permissions",
];

pub fn is_sql_keyword(name: &str) -> bool {
    SQL_KEYWORDS.contains(&name.to_ascii_lowercase().as_str())
}

/// Checks an attribute name; `Err` holds the reason.
pub fn check_attribute_name(name: &str) -> Result<(), String> {
    if !is_identifier(name) {
        return Err(format!(
            "`{name}` is not a valid attribute name: use letters, digits and underscores, starting with a letter"
        ));
    }
    if name.len() > MAX_IDENTIFIER {
        return Err(format!(
            "`{name}` is longer than {MAX_IDENTIFIER} characters"
        ));
    }
    let lower = name.to_ascii_lowercase();
    if RESERVED_ATTRIBUTES.contains(&lower.as_str())
        || RESERVED_ATTRIBUTES.contains(&column_name(name).as_str())
    {
        return Err(format!("`{name}` is reserved for Cairn's own fields"));
    }
    if is_sql_keyword(name) || is_sql_keyword(&column_name(name)) {
        return Err(format!("`{name}` is an SQL keyword; choose another name"));
    }
    Ok(())
}

/// Checks a singular or plural API id (kebab-case, as Strapi requires).
pub fn check_api_id(name: &str) -> Result<(), String> {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-')
        && !name.contains("--");
    if !valid {
        return Err(format!(
            "`{name}` is not a valid API id: use lower-case letters, digits and single hyphens, starting with a letter"
        ));
    }
    if name.len() > MAX_IDENTIFIER {
        return Err(format!(
            "`{name}` is longer than {MAX_IDENTIFIER} characters"
        ));
    }
    if RESERVED_API_IDS.contains(&name) {
        return Err(format!("`{name}` is reserved for Cairn's own routes"));
    }
    Ok(())
}

/// The API ids the builder proposes for a display name: kebab-case singular
/// (transliterated) and a plural by the common English rules (`Category` -> `category`,
/// `categories`). People may change both before applying.
pub fn suggest_api_ids(display_name: &str) -> (String, String) {
    let singular = slug::slugify(display_name);
    let plural = plural_of(&singular);
    (singular, plural)
}

fn plural_of(singular: &str) -> String {
    if singular.is_empty() {
        return String::new();
    }
    let vowel_before_y = singular
        .strip_suffix('y')
        .and_then(|stem| stem.chars().last())
        .is_some_and(|c| "aeiou".contains(c));
    if let Some(stem) = singular.strip_suffix('y').filter(|_| !vowel_before_y) {
        format!("{stem}ies")
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|end| singular.ends_with(end))
    {
        format!("{singular}es")
    } else {
        format!("{singular}s")
    }
}

/// Checks a table name (a type's `collectionName` or the default one).
pub fn check_table_name(name: &str) -> Result<(), String> {
    if !is_identifier(name) || name.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(format!(
            "`{name}` is not a valid table name: use lower-case letters, digits and underscores, starting with a letter"
        ));
    }
    if name.len() > MAX_TABLE_NAME {
        return Err(format!(
            "table name `{name}` is longer than {MAX_TABLE_NAME} characters; set a shorter collectionName"
        ));
    }
    if name.starts_with("cairn_") || name.starts_with("sqlite_") || name.starts_with("pg_") {
        return Err(format!("table name `{name}` uses a reserved prefix"));
    }
    if name.ends_with("_lnk") {
        return Err(format!(
            "table name `{name}` ends in `_lnk`, which Cairn keeps for link tables"
        ));
    }
    if is_sql_keyword(name) {
        return Err(format!("`{name}` is an SQL keyword; choose another name"));
    }
    Ok(())
}

fn is_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The column of an attribute: `coverImage` -> `cover_image`.
pub fn column_name(attribute: &str) -> String {
    attribute.to_snake_case()
}

/// The table of a content type without `collectionName`: `blog-posts` -> `blog_posts`.
pub fn default_table_name(plural_name: &str) -> String {
    plural_name.replace('-', "_")
}

/// The link table of a relation or media attribute: `articles_category_lnk`.
pub fn link_table_name(table: &str, attribute: &str) -> String {
    format!("{table}_{}_lnk", column_name(attribute))
}

/// An index name, shortened with a hash when it would pass the identifier limit.
pub fn index_name(prefix: &str, table: &str, suffix: &str) -> String {
    let name = format!("{prefix}_{table}_{suffix}");
    if name.len() <= MAX_IDENTIFIER {
        return name;
    }
    let digest = Sha256::digest(name.as_bytes());
    let hash = hex::encode(&digest[..4]);
    format!("{}_{hash}", &name[..MAX_IDENTIFIER - 9])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_ids_are_proposed_from_display_names() {
        let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        assert_eq!(suggest_api_ids("Category"), pair("category", "categories"));
        assert_eq!(
            suggest_api_ids("Blog Post"),
            pair("blog-post", "blog-posts")
        );
        assert_eq!(suggest_api_ids("Box"), pair("box", "boxes"));
        assert_eq!(suggest_api_ids("Day"), pair("day", "days"));
        assert_eq!(
            suggest_api_ids("Café menu!"),
            pair("cafe-menu", "cafe-menus")
        );
        assert_eq!(suggest_api_ids(""), pair("", ""));
    }

    #[test]
    fn reserved_and_keyword_names_are_refused() {
        assert!(check_attribute_name("documentId").is_err());
        assert!(check_attribute_name("published_at").is_err());
        assert!(check_attribute_name("select").is_err());
        assert!(check_attribute_name("Order").is_err());
        assert!(check_attribute_name("2fast").is_err());
        assert!(check_attribute_name("title-text").is_err());
        assert!(check_attribute_name("coverImage").is_ok());
        assert!(check_attribute_name("name").is_ok());
        assert!(check_attribute_name("date").is_ok());
    }

    #[test]
    fn columns_are_snake_case() {
        assert_eq!(column_name("coverImage"), "cover_image");
        assert_eq!(column_name("title"), "title");
        assert_eq!(
            link_table_name("articles", "relatedPosts"),
            "articles_related_posts_lnk"
        );
    }

    #[test]
    fn long_index_names_stay_within_the_limit_and_distinct() {
        let a = index_name("uq", &"t".repeat(40), &"a".repeat(40));
        let b = index_name("uq", &"t".repeat(40), &format!("{}b", "a".repeat(39)));
        assert!(a.len() <= MAX_IDENTIFIER);
        assert_ne!(a, b);
    }

    #[test]
    fn api_ids_are_kebab_case() {
        assert!(check_api_id("blog-post").is_ok());
        assert!(check_api_id("BlogPost").is_err());
        assert!(check_api_id("blog_post").is_err());
        assert!(check_api_id("upload").is_err());
    }
}
