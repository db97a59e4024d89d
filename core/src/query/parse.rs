//! From the parsed query string to a [`Query`], with error paths such as
//! `filters.title.$eqq: unknown operator` and the configured limits.
//!
//! The grammar follows Strapi v5's REST parameters:
//!
//! ```text
//! filters     = { field: value | { operator: operand } | { field: … } , "$and"|"$or": [filters], "$not": filters }
//! operand     = text | [text] (for $in, $notIn, $between) | "true"/"false" (for $null, $notNull)
//! sort        = "field[:asc|desc]" | "a,b:desc" | [ … ] | { field: "asc"|"desc" }
//! pagination  = { page, pageSize } | { start, limit } | { cursor, pageSize|limit } , withCount
//! fields      = "a,b" | [ "a", "b" ]
//! populate    = "*" | "a,b" | [ "a", "b.c" ] | { field: "*" | "true" | { fields, filters, sort, populate, on } }
//! locale      = code
//! status      = "draft" | "published"
//! ```
//!
//! Field names are not checked here: that needs the schema (`resolve`).

use std::sync::Arc;

use serde_json::{Map, Value};

use super::ast::{
    Filter, Operand, Operator, Pagination, Populate, PopulateField, Query, Sort, Status,
};
use crate::config::QueryLimits;
use crate::error::{Error, Path, Result, ValidationErrors};

const PARAMETERS: [&str; 7] = [
    "filters",
    "sort",
    "pagination",
    "fields",
    "populate",
    "locale",
    "status",
];

/// Reads a query from its JSON tree (see `qs::parse`).
pub fn parse(tree: &Value, limits: &QueryLimits) -> Result<Query> {
    let Value::Object(params) = tree else {
        return Err(Error::field("query", "must be an object"));
    };
    let mut parser = Parser {
        limits,
        errors: ValidationErrors::default(),
    };
    for key in params.keys() {
        if !PARAMETERS.contains(&key.as_str()) {
            parser.fail(
                Path::from(key.as_str()),
                format!(
                    "unknown query parameter `{key}`; use one of {}",
                    PARAMETERS.join(", ")
                ),
            );
        }
    }
    let query = Query {
        filters: params.get("filters").and_then(|v| parser.filters(v)),
        sort: params
            .get("sort")
            .map(|v| parser.sort(v, &Path::from("sort")))
            .unwrap_or_default(),
        pagination: params.get("pagination").map_or_else(
            || Pagination::Page {
                page: 1,
                page_size: limits.default_page_size,
                with_count: true,
            },
            |v| parser.pagination(v),
        ),
        fields: params
            .get("fields")
            .and_then(|v| parser.fields(v, &Path::from("fields"))),
        populate: params
            .get("populate")
            .map(|v| parser.populate(v, &Path::from("populate"), 1))
            .unwrap_or_default(),
        locale: params
            .get("locale")
            .and_then(|v| parser.text(v, &Path::from("locale"))),
        status: params.get("status").and_then(|v| parser.status(v)),
    };
    parser.errors.into_result()?;
    Ok(query)
}

struct Parser<'a> {
    limits: &'a QueryLimits,
    errors: ValidationErrors,
}

impl Parser<'_> {
    fn fail(&mut self, path: Path, message: impl Into<String>) {
        self.errors.push(path, message);
    }

    fn text(&mut self, value: &Value, path: &Path) -> Option<String> {
        match value {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.fail(path.clone(), "must be a single value");
                None
            }
        }
    }

    fn status(&mut self, value: &Value) -> Option<Status> {
        match value.as_str() {
            Some("draft") => Some(Status::Draft),
            Some("published") => Some(Status::Published),
            _ => {
                self.fail(Path::from("status"), "must be `draft` or `published`");
                None
            }
        }
    }

    fn filters(&mut self, value: &Value) -> Option<Filter> {
        let path = Path::from("filters");
        let filter = self.filter_object(value, &[], &path)?;
        let depth = filter.depth();
        if depth > self.limits.max_filter_depth {
            self.fail(
                path,
                format!(
                    "nested {depth} levels deep; at most {} are allowed",
                    self.limits.max_filter_depth
                ),
            );
            return None;
        }
        let conditions = filter.conditions();
        if conditions > self.limits.max_filter_conditions {
            self.fail(
                path,
                format!(
                    "holds {conditions} conditions; at most {} are allowed",
                    self.limits.max_filter_conditions
                ),
            );
            return None;
        }
        Some(filter)
    }

    /// Filters on `field` (empty at the top level).
    fn filter_object(&mut self, value: &Value, field: &[String], path: &Path) -> Option<Filter> {
        let object = match value {
            Value::Object(object) => object,
            Value::String(_) | Value::Array(_) if !field.is_empty() => {
                // `filters[title]=x` is `$eq`, `filters[id][0]=1&…` is `$in`.
                let operator = if value.is_array() {
                    Operator::In
                } else {
                    Operator::Eq
                };
                let operand = self.operand(operator, value, path)?;
                return Some(Filter::Condition {
                    path: field.to_vec(),
                    operator,
                    operand,
                    at: Arc::new(path.child(operator.name())),
                });
            }
            _ => {
                self.fail(path.clone(), "must be an object of fields and operators");
                return None;
            }
        };
        if object.is_empty() {
            self.fail(path.clone(), "is empty");
            return None;
        }
        let mut parts = Vec::new();
        for (key, child) in object {
            let child_path = path.child(key);
            let part = match key.as_str() {
                "$and" | "$or" => {
                    let items = match child {
                        Value::Array(items) if !items.is_empty() => items,
                        _ => {
                            self.fail(child_path, "must be a non-empty list of filters");
                            continue;
                        }
                    };
                    let filters: Vec<Filter> = items
                        .iter()
                        .enumerate()
                        .filter_map(|(i, item)| {
                            self.filter_object(item, field, &child_path.child(i))
                        })
                        .collect();
                    if key == "$and" {
                        Filter::And(filters)
                    } else {
                        Filter::Or(filters)
                    }
                }
                "$not" => match self.filter_object(child, field, &child_path) {
                    Some(inner) => Filter::Not(Box::new(inner)),
                    None => continue,
                },
                operator if operator.starts_with('$') => {
                    let Some(operator) = Operator::parse(operator) else {
                        self.fail(child_path, format!("unknown operator `{operator}`"));
                        continue;
                    };
                    if field.is_empty() {
                        self.fail(child_path, format!("`{}` needs a field", operator.name()));
                        continue;
                    }
                    let Some(operand) = self.operand(operator, child, &child_path) else {
                        continue;
                    };
                    Filter::Condition {
                        path: field.to_vec(),
                        operator,
                        operand,
                        at: Arc::new(child_path),
                    }
                }
                name => {
                    let mut nested = field.to_vec();
                    nested.push(name.to_owned());
                    match self.filter_object(child, &nested, &child_path) {
                        Some(filter) => filter,
                        None => continue,
                    }
                }
            };
            parts.push(part);
        }
        match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Filter::And(parts)),
        }
    }

    fn operand(&mut self, operator: Operator, value: &Value, path: &Path) -> Option<Operand> {
        match operator {
            Operator::Null | Operator::NotNull => match value.as_str() {
                Some("true") => Some(Operand::Flag(true)),
                Some("false") => Some(Operand::Flag(false)),
                _ => {
                    self.fail(path.clone(), "must be true or false");
                    None
                }
            },
            Operator::In | Operator::NotIn | Operator::Between => {
                let values: Vec<String> = match value {
                    Value::Array(items) => items
                        .iter()
                        .filter_map(|item| item.as_str().map(str::to_owned))
                        .collect(),
                    Value::String(single) if operator != Operator::Between => vec![single.clone()],
                    _ => Vec::new(),
                };
                let list_len = value.as_array().map_or(1, Vec::len);
                if values.len() != list_len || values.is_empty() {
                    self.fail(path.clone(), "must be a list of values");
                    return None;
                }
                if operator == Operator::Between && values.len() != 2 {
                    self.fail(path.clone(), "must be a list of two values");
                    return None;
                }
                if values.len() > self.limits.max_operand_values {
                    self.fail(
                        path.clone(),
                        format!(
                            "holds {} values; at most {} are allowed",
                            values.len(),
                            self.limits.max_operand_values
                        ),
                    );
                    return None;
                }
                Some(Operand::Many(values))
            }
            _ => match value {
                Value::String(s) => Some(Operand::One(s.clone())),
                _ => {
                    self.fail(path.clone(), "must be a single value");
                    None
                }
            },
        }
    }

    fn sort(&mut self, value: &Value, path: &Path) -> Vec<Sort> {
        match value {
            Value::String(text) => text
                .split(',')
                .filter(|part| !part.trim().is_empty())
                .filter_map(|part| self.sort_key(part.trim(), path))
                .collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .flat_map(|(i, item)| self.sort(item, &path.child(i)))
                .collect(),
            Value::Object(object) => object
                .iter()
                .filter_map(|(field, direction)| match direction.as_str() {
                    Some(direction @ ("asc" | "desc" | "ASC" | "DESC")) => Some(Sort {
                        path: field.split('.').map(str::to_owned).collect(),
                        descending: direction.eq_ignore_ascii_case("desc"),
                    }),
                    _ => {
                        self.fail(path.child(field), "must be asc or desc");
                        None
                    }
                })
                .collect(),
            _ => {
                self.fail(
                    path.clone(),
                    "must be a field name, `field:asc|desc`, or a list of them",
                );
                Vec::new()
            }
        }
    }

    fn sort_key(&mut self, text: &str, path: &Path) -> Option<Sort> {
        let (field, descending) = match text.split_once(':') {
            None => (text, false),
            Some((field, direction)) => match direction.to_ascii_lowercase().as_str() {
                "asc" => (field, false),
                "desc" => (field, true),
                _ => {
                    self.fail(
                        path.clone(),
                        format!("`{text}`: the direction must be asc or desc"),
                    );
                    return None;
                }
            },
        };
        Some(Sort {
            path: field.split('.').map(str::to_owned).collect(),
            descending,
        })
    }

    fn pagination(&mut self, value: &Value) -> Pagination {
        let path = Path::from("pagination");
        let default = Pagination::Page {
            page: 1,
            page_size: self.limits.default_page_size,
            with_count: true,
        };
        let Value::Object(object) = value else {
            self.fail(
                path,
                "must be an object such as pagination[page]=1&pagination[pageSize]=25",
            );
            return default;
        };
        for key in object.keys() {
            if !["page", "pageSize", "start", "limit", "withCount", "cursor"]
                .contains(&key.as_str())
            {
                self.fail(
                    path.child(key),
                    format!("unknown pagination parameter `{key}`"),
                );
            }
        }
        let with_count = match object.get("withCount").map(|v| v.as_str()) {
            None | Some(Some("true")) => true,
            Some(Some("false")) => false,
            Some(_) => {
                self.fail(path.child("withCount"), "must be true or false");
                true
            }
        };
        let page_based = object.contains_key("page") || object.contains_key("pageSize");
        let offset_based = object.contains_key("start") || object.contains_key("limit");
        if let Some(cursor) = object.get("cursor") {
            if object.contains_key("page") || object.contains_key("start") {
                self.fail(
                    path.child("cursor"),
                    "a cursor replaces page and start; use pageSize or limit for the size",
                );
            }
            let limit = self
                .size(object, "pageSize", &path)
                .or_else(|| self.size(object, "limit", &path));
            return Pagination::Cursor {
                after: self
                    .text(cursor, &path.child("cursor"))
                    .filter(|c| !c.is_empty()),
                limit: limit.unwrap_or(self.limits.default_page_size),
                with_count,
            };
        }
        if page_based && offset_based {
            self.fail(path, "use page and pageSize, or start and limit, not both");
            return default;
        }
        if offset_based {
            let start = self.number(object, "start", &path, 0).unwrap_or(0);
            let limit = self
                .size(object, "limit", &path)
                .unwrap_or(self.limits.default_page_size);
            return Pagination::Offset {
                start,
                limit,
                with_count,
            };
        }
        let page = self.number(object, "page", &path, 1).unwrap_or(1);
        let page_size = self
            .size(object, "pageSize", &path)
            .unwrap_or(self.limits.default_page_size);
        Pagination::Page {
            page,
            page_size,
            with_count,
        }
    }

    /// A page size: 1 to the configured maximum.
    fn size(&mut self, object: &Map<String, Value>, key: &str, path: &Path) -> Option<u64> {
        let size = self.number(object, key, path, 1)?;
        if size > self.limits.max_page_size {
            self.fail(
                path.child(key),
                format!(
                    "is {size}; at most {} entries fit in a page",
                    self.limits.max_page_size
                ),
            );
            return None;
        }
        Some(size)
    }

    fn number(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        path: &Path,
        min: u64,
    ) -> Option<u64> {
        let value = object.get(key)?;
        match value.as_str().and_then(|s| s.parse::<u64>().ok()) {
            Some(n) if n >= min => Some(n),
            _ => {
                self.fail(
                    path.child(key),
                    format!("must be a whole number of {min} or more"),
                );
                None
            }
        }
    }

    fn fields(&mut self, value: &Value, path: &Path) -> Option<Vec<String>> {
        let names: Vec<String> = match value {
            Value::String(text) => text
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| self.text(item, &path.child(i)))
                .collect(),
            _ => {
                self.fail(path.clone(), "must be a list of field names");
                return None;
            }
        };
        Some(names)
    }

    fn populate(&mut self, value: &Value, path: &Path, depth: usize) -> Populate {
        if depth > self.limits.max_populate_depth {
            self.fail(
                path.clone(),
                format!(
                    "nested deeper than {} levels",
                    self.limits.max_populate_depth
                ),
            );
            return Populate::default();
        }
        match value {
            Value::String(text) if text == "*" => Populate::all(),
            Value::String(text) => {
                let mut populate = Populate::default();
                for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    self.populate_dotted(&mut populate, name, path, depth);
                }
                populate
            }
            Value::Array(items) => {
                let mut populate = Populate::default();
                for (i, item) in items.iter().enumerate() {
                    match item.as_str() {
                        Some("*") => populate.all = true,
                        Some(name) => {
                            self.populate_dotted(&mut populate, name, &path.child(i), depth)
                        }
                        None => self.fail(path.child(i), "must be a field name"),
                    }
                }
                populate
            }
            Value::Object(object) => {
                let mut populate = Populate::default();
                for (name, node) in object {
                    if let Some(field) = self.populate_field(node, &path.child(name), depth) {
                        populate.fields.insert(name.clone(), field);
                    }
                }
                populate
            }
            _ => {
                self.fail(path.clone(), "must be `*`, a list of fields or an object");
                Populate::default()
            }
        }
    }

    /// `category.articles` populates `category`, and `articles` inside it.
    fn populate_dotted(&mut self, populate: &mut Populate, name: &str, path: &Path, depth: usize) {
        let (first, rest) = match name.split_once('.') {
            Some((first, rest)) => (first, Some(rest)),
            None => (name, None),
        };
        let field = populate.fields.entry(first.to_owned()).or_default();
        if let Some(rest) = rest {
            if depth >= self.limits.max_populate_depth {
                self.fail(
                    path.clone(),
                    format!(
                        "nested deeper than {} levels",
                        self.limits.max_populate_depth
                    ),
                );
                return;
            }
            let mut nested = std::mem::take(&mut field.populate);
            self.populate_dotted(&mut nested, rest, path, depth + 1);
            if let Some(field) = populate.fields.get_mut(first) {
                field.populate = nested;
            }
        }
    }

    fn populate_field(
        &mut self,
        value: &Value,
        path: &Path,
        depth: usize,
    ) -> Option<PopulateField> {
        match value {
            Value::String(text) if text == "*" => Some(PopulateField {
                populate: Populate::all(),
                ..PopulateField::default()
            }),
            Value::String(text) if text == "true" => Some(PopulateField::default()),
            Value::String(text) if text == "false" => None,
            Value::Object(object) => {
                let mut field = PopulateField::default();
                for (key, child) in object {
                    let child_path = path.child(key);
                    match key.as_str() {
                        "fields" => field.fields = self.fields(child, &child_path),
                        "filters" => field.filters = self.filters_at(child, &child_path),
                        "sort" => field.sort = self.sort(child, &child_path),
                        "populate" => field.populate = self.populate(child, &child_path, depth + 1),
                        "on" => {
                            let Value::Object(components) = child else {
                                self.fail(child_path, "must map component uids to what to populate in them");
                                continue;
                            };
                            for (uid, node) in components {
                                if let Some(on) = self.populate_field(node, &child_path.child(uid), depth + 1) {
                                    field.on.insert(uid.clone(), on);
                                }
                            }
                        }
                        other => self.fail(
                            child_path,
                            format!("unknown populate option `{other}`; use fields, filters, sort, populate or on"),
                        ),
                    }
                }
                Some(field)
            }
            _ => {
                self.fail(path.clone(), "must be `*`, `true` or an object");
                None
            }
        }
    }

    fn filters_at(&mut self, value: &Value, path: &Path) -> Option<Filter> {
        let filter = self.filter_object(value, &[], path)?;
        if filter.depth() > self.limits.max_filter_depth
            || filter.conditions() > self.limits.max_filter_conditions
        {
            self.fail(path.clone(), "is larger than the filter limits allow");
            return None;
        }
        Some(filter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::qs;

    const LIMITS: QueryLimits = QueryLimits {
        default_page_size: 25,
        max_page_size: 100,
        max_filter_depth: 6,
        max_filter_conditions: 20,
        max_operand_values: 50,
        max_populate_depth: 4,
    };

    fn query(text: &str) -> Result<Query> {
        let tree = qs::parse(text, qs::Limits::default())
            .map_err(|e| Error::field("query", e.to_string()))?;
        parse(&tree, &LIMITS)
    }

    fn messages(text: &str) -> Vec<String> {
        match query(text) {
            Err(Error::Validation(errors)) => errors
                .errors
                .iter()
                .map(|e| format!("{}: {}", e.path, e.message))
                .collect(),
            other => panic!("expected errors for {text}, got {other:?}"),
        }
    }

    #[test]
    fn filters_become_a_tree() -> Result<()> {
        let parsed = query(
            "filters[$or][0][title][$containsi]=rust&filters[$or][1][category][name][$eq]=News&filters[views][$between][0]=1&filters[views][$between][1]=9&filters[slug]=hello",
        )?;
        let condition =
            |path: &[&str], operator: Operator, operand, at: &[&str]| Filter::Condition {
                path: path.iter().map(|s| (*s).to_owned()).collect(),
                operator,
                operand,
                at: Arc::new(Path(at.iter().map(|s| (*s).to_owned()).collect())),
            };
        assert_eq!(
            parsed.filters,
            Some(Filter::And(vec![
                Filter::Or(vec![
                    condition(
                        &["title"],
                        Operator::Containsi,
                        Operand::One("rust".into()),
                        &["filters", "$or", "0", "title", "$containsi"]
                    ),
                    condition(
                        &["category", "name"],
                        Operator::Eq,
                        Operand::One("News".into()),
                        &["filters", "$or", "1", "category", "name", "$eq"]
                    ),
                ]),
                condition(
                    &["views"],
                    Operator::Between,
                    Operand::Many(vec!["1".into(), "9".into()]),
                    &["filters", "views", "$between"]
                ),
                condition(
                    &["slug"],
                    Operator::Eq,
                    Operand::One("hello".into()),
                    &["filters", "slug", "$eq"]
                ),
            ]))
        );
        let negated = query("filters[title][$not][$contains]=x&filters[$not][id][$null]=true")?;
        assert_eq!(
            negated.filters,
            Some(Filter::And(vec![
                Filter::Not(Box::new(condition(
                    &["title"],
                    Operator::Contains,
                    Operand::One("x".into()),
                    &["filters", "title", "$not", "$contains"]
                ))),
                Filter::Not(Box::new(condition(
                    &["id"],
                    Operator::Null,
                    Operand::Flag(true),
                    &["filters", "$not", "id", "$null"]
                ))),
            ]))
        );
        Ok(())
    }

    #[test]
    fn sort_pagination_fields_and_populate() -> Result<()> {
        let parsed = query(
            "sort=title:desc,views&fields[0]=title&fields[1]=slug&pagination[start]=10&pagination[limit]=5&populate[category][fields][0]=name&populate[blocks][on][shared.quote]=*&status=draft&locale=fr",
        )?;
        assert_eq!(
            parsed.sort,
            vec![
                Sort {
                    path: vec!["title".into()],
                    descending: true
                },
                Sort {
                    path: vec!["views".into()],
                    descending: false
                }
            ]
        );
        assert_eq!(parsed.fields, Some(vec!["title".into(), "slug".into()]));
        assert_eq!(
            parsed.pagination,
            Pagination::Offset {
                start: 10,
                limit: 5,
                with_count: true
            }
        );
        assert_eq!(
            parsed.populate.fields["category"].fields,
            Some(vec!["name".into()])
        );
        assert!(
            parsed.populate.fields["blocks"].on["shared.quote"]
                .populate
                .all
        );
        assert_eq!(parsed.status, Some(Status::Draft));
        assert_eq!(parsed.locale.as_deref(), Some("fr"));
        let dotted = query("populate=category.articles,authors")?;
        assert!(
            dotted.populate.fields["category"]
                .populate
                .fields
                .contains_key("articles")
        );
        assert!(dotted.populate.fields.contains_key("authors"));
        let cursor =
            query("pagination[cursor]=abc&pagination[pageSize]=10&pagination[withCount]=false")?;
        assert_eq!(
            cursor.pagination,
            Pagination::Cursor {
                after: Some("abc".into()),
                limit: 10,
                with_count: false
            }
        );
        Ok(())
    }

    #[test]
    fn mistakes_name_the_parameter() {
        assert_eq!(
            messages("filters[title][$eqq]=x"),
            ["filters.title.$eqq: unknown operator `$eqq`"]
        );
        assert_eq!(
            messages("filters[$eq]=x"),
            ["filters.$eq: `$eq` needs a field"]
        );
        assert_eq!(
            messages("filters[views][$between][0]=1"),
            ["filters.views.$between: must be a list of two values"]
        );
        assert_eq!(
            messages("filters[id][$null]=maybe"),
            ["filters.id.$null: must be true or false"]
        );
        assert_eq!(
            messages("pagination[pageSize]=500"),
            ["pagination.pageSize: is 500; at most 100 entries fit in a page"]
        );
        assert_eq!(
            messages("pagination[page]=0"),
            ["pagination.page: must be a whole number of 1 or more"]
        );
        assert_eq!(
            messages("pagination[page]=1&pagination[start]=0"),
            ["pagination: use page and pageSize, or start and limit, not both"]
        );
        assert_eq!(
            messages("sort=title:up"),
            ["sort: `title:up`: the direction must be asc or desc"]
        );
        assert_eq!(
            messages("status=live"),
            ["status: must be `draft` or `published`"]
        );
        assert_eq!(
            messages("sortt=title"),
            [
                "sortt: unknown query parameter `sortt`; use one of filters, sort, pagination, fields, populate, locale, status"
            ]
        );
        assert_eq!(
            messages("populate[category][select]=x"),
            [
                "populate.category.select: unknown populate option `select`; use fields, filters, sort, populate or on"
            ]
        );
    }

    #[test]
    fn oversized_filters_are_refused() {
        let wide = (0..21)
            .map(|i| format!("filters[$or][{i}][id][$eq]={i}"))
            .collect::<Vec<_>>()
            .join("&");
        assert_eq!(
            messages(&wide),
            ["filters: holds 21 conditions; at most 20 are allowed"]
        );
        let deep = format!("filters{}[id][$eq]=1", "[$not]".repeat(7));
        assert_eq!(
            messages(&deep),
            ["filters: nested 8 levels deep; at most 6 are allowed"]
        );
        let many = (0..51)
            .map(|i| format!("filters[id][$in][{i}]={i}"))
            .collect::<Vec<_>>()
            .join("&");
        assert_eq!(
            messages(&many),
            ["filters.id.$in: holds 51 values; at most 50 are allowed"]
        );
    }
}
