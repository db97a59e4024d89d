//! The OpenAPI 3.1 description: static routes from their `#[utoipa::path]`
//! annotations, plus, built from the schema in force at each request, the
//! paths, parameters, schemas and examples of every content type.

use std::collections::BTreeMap;

use cairn_core::config::ApiConfig;
use cairn_core::schema::attribute::{Attribute, Kind};
use cairn_core::schema::kinds::Values;
use cairn_core::schema::{Component, ContentType, Schema, TypeKind};
use serde_json::{Value, json};
use utoipa::OpenApi;
use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, Parameter, ParameterBuilder, ParameterIn,
    ParameterStyle, PathItem,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{
    AdditionalProperties, AllOfBuilder, ArrayBuilder, KnownFormat, ObjectBuilder, OneOfBuilder,
    Schema as OaSchema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, ContentBuilder, Ref, RefOr, Required};

use crate::routes;

mod management;

/// The routes whose shape does not depend on the schema.
#[derive(OpenApi)]
#[openapi(
    info(title = "Cairn", description = "Content, management and delivery APIs of a Cairn instance."),
    paths(
        routes::health::health,
        routes::management::auth::login,
        routes::management::auth::me,
        routes::management::schema::export_schema,
        routes::management::schema::plan_schema,
        routes::management::schema::apply_schema,
        routes::management::locales::list_locales,
        routes::management::locales::create_locale,
        routes::management::locales::set_default_locale,
        routes::management::locales::delete_locale,
        routes::management::permissions::get_public_permissions,
        routes::management::permissions::set_public_permissions,
        routes::management::content::list_entries,
        routes::management::content::create_entry,
        routes::management::content::bulk_action,
        routes::management::content::get_entry,
        routes::management::content::update_entry,
        routes::management::content::delete_entry,
        routes::management::content::publish_entry,
        routes::management::content::unpublish_entry,
        routes::management::content::discard_draft,
        routes::management::content::list_versions,
        routes::management::content::get_version,
        routes::management::content::restore_version,
    ),
    tags(
        (name = "health", description = "Liveness"),
        (name = "management", description = "Administration: sign-in, schema, locales, permissions, content as editors manage it"),
        (name = "content", description = "Content types, Strapi v5 REST conventions"),
    )
)]
struct StaticApi;

/// The whole description for `schema`, with the limits of `api`.
pub fn document(schema: &Schema, api: &ApiConfig) -> utoipa::openapi::OpenApi {
    let mut document = StaticApi::openapi();
    document.info.version = env!("CARGO_PKG_VERSION").to_owned();
    // Every body is read by `web::Json`, which refuses an empty one;
    // utoipa leaves bodies given by reference optional.
    for item in document.paths.paths.values_mut() {
        for operation in operations(item) {
            if let Some(RefOr::T(body)) = &mut operation.request_body {
                body.required = Some(Required::True);
            }
        }
    }
    let components = ComponentsBuilder::new()
        .security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token (`cairn token create`) or an admin session token",
                    ))
                    .build(),
            ),
        )
        .schema("Error", error_schema())
        .schema("Media", media_schema())
        .schema("Pagination", pagination_schema());
    let mut built = management::schemas(components).build();
    if let Some(existing) = document.components.take() {
        built.schemas.extend(existing.schemas);
    }
    let schemas = &mut built.schemas;
    for component in schema.components() {
        schemas.insert(
            component_name(&component.uid, Side::Read),
            component_schema(component).into(),
        );
        schemas.insert(
            component_name(&component.uid, Side::Write),
            component_input_schema(component).into(),
        );
    }
    for content_type in schema.content_types() {
        let name = type_name(content_type, schemas);
        schemas.insert(name.clone(), entry_schema(content_type).into());
        schemas.insert(
            format!("{name}Input"),
            input_schema(content_type, Write::Create).into(),
        );
        schemas.insert(
            format!("{name}Update"),
            input_schema(content_type, Write::Update).into(),
        );
        for (path, item) in content_paths(content_type, &name, api) {
            document.paths.paths.insert(path, item);
        }
    }
    document.components = Some(built);
    document
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
        &mut item.query,
    ]
    .into_iter()
    .flatten()
    .chain(item.additional_operations.values_mut())
}

/// The schema name of a type: its singular name in PascalCase, with `Entry`
/// appended while that, or its `Input` or `Update`, is taken by one of
/// Cairn's own schemas, a component or another type (`error`, `locale`).
fn type_name(content_type: &ContentType, taken: &BTreeMap<String, RefOr<OaSchema>>) -> String {
    let mut name = pascal(content_type.singular_name());
    while ["", "Input", "Update"]
        .iter()
        .any(|suffix| taken.contains_key(&format!("{name}{suffix}")))
    {
        name.push_str("Entry");
    }
    name
}

/// The name of a component's schema on `side`.
fn component_name(uid: &str, side: Side) -> String {
    let name = format!("Component{}", pascal(&uid.replace('.', "-")));
    match side {
        Side::Read => name,
        Side::Write | Side::ComponentWrite => name + "Input",
    }
}

fn pascal(kebab: &str) -> String {
    kebab
        .split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn reference(name: &str) -> RefOr<OaSchema> {
    RefOr::Ref(Ref::from_schema_name(name))
}

fn typed(kind: Type) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(kind)
}

fn string() -> ObjectBuilder {
    typed(Type::String)
}

fn date_time() -> ObjectBuilder {
    string().format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
}

fn list(items: impl Into<RefOr<OaSchema>>) -> ArrayBuilder {
    ArrayBuilder::new().items(items.into())
}

/// An object that refuses members it does not name.
fn closed(object: ObjectBuilder) -> ObjectBuilder {
    object.additional_properties(Some(AdditionalProperties::<OaSchema>::FreeForm(false)))
}

/// `schema` or `null`. Scalars and arrays gain `"null"` in their `type`
/// (and in their `enum`), so clients see one nullable type; a `oneOf`
/// gains a null branch, and anything else (a reference) becomes a `oneOf`
/// of it and null. Schemas without a type already admit null.
fn nullable(schema: RefOr<OaSchema>) -> RefOr<OaSchema> {
    fn with_null(schema_type: &mut SchemaType) {
        match schema_type {
            SchemaType::AnyValue | SchemaType::Type(Type::Null) => {}
            SchemaType::Type(single) => {
                *schema_type = SchemaType::from_iter([single.clone(), Type::Null]);
            }
            SchemaType::Array(types) => {
                if !types.contains(&Type::Null) {
                    types.push(Type::Null);
                }
            }
        }
    }
    match schema {
        RefOr::T(OaSchema::Object(mut object)) => {
            with_null(&mut object.schema_type);
            if let Some(values) = &mut object.enum_values
                && !values.contains(&Value::Null)
            {
                values.push(Value::Null);
            }
            RefOr::T(OaSchema::Object(object))
        }
        RefOr::T(OaSchema::Array(mut array)) => {
            with_null(&mut array.schema_type);
            RefOr::T(OaSchema::Array(array))
        }
        RefOr::T(OaSchema::OneOf(mut one_of)) => {
            one_of.items.push(typed(Type::Null).into());
            RefOr::T(OaSchema::OneOf(one_of))
        }
        other => RefOr::T(
            OneOfBuilder::new()
                .item(other)
                .item(typed(Type::Null))
                .into(),
        ),
    }
}

/// `schema` for a required input: an empty string or list counts as
/// missing (`entries::validate::is_empty`), so neither is accepted.
fn non_empty(schema: RefOr<OaSchema>) -> RefOr<OaSchema> {
    match schema {
        RefOr::T(OaSchema::Object(mut object)) if object.schema_type == Type::String.into() => {
            object.min_length = Some(object.min_length.unwrap_or(0).max(1));
            RefOr::T(OaSchema::Object(object))
        }
        RefOr::T(OaSchema::Array(mut array)) => {
            array.min_items = Some(array.min_items.unwrap_or(0).max(1));
            RefOr::T(OaSchema::Array(array))
        }
        RefOr::T(OaSchema::OneOf(mut one_of)) => {
            one_of.items = one_of.items.into_iter().map(non_empty).collect();
            RefOr::T(OaSchema::OneOf(one_of))
        }
        other => other,
    }
}

fn error_schema() -> OaSchema {
    let field_error = typed(Type::Object)
        .property("path", list(string()))
        .property("message", string())
        .property("name", string())
        .property(
            "value",
            ObjectBuilder::new().schema_type(SchemaType::AnyValue),
        )
        .required("path")
        .required("message");
    let details = typed(Type::Object)
        .description(Some(
            "Empty, or `errors` (each failing field), `destructive` (what a schema change would remove) or `size` (of a file, with 416)",
        ))
        .property("errors", list(field_error))
        .property("destructive", list(string()))
        .property("size", typed(Type::Integer));
    typed(Type::Object)
        .property("data", typed(Type::Null))
        .property(
            "error",
            typed(Type::Object)
                .property("status", typed(Type::Integer))
                .property("name", string().examples([json!("ValidationError")]))
                .property("message", string())
                .property("details", details)
                .required("status")
                .required("name")
                .required("message")
                .required("details"),
        )
        .required("data")
        .required("error")
        .into()
}

fn media_schema() -> OaSchema {
    let mut object = typed(Type::Object);
    let text = || RefOr::from(string());
    let optional_text = || nullable(text());
    let integer = || RefOr::from(typed(Type::Integer));
    let any = || RefOr::from(ObjectBuilder::new().schema_type(SchemaType::AnyValue));
    // Every member is always there (`core/src/files/object.rs`).
    for (name, schema) in [
        ("id", integer()),
        ("documentId", text()),
        ("name", text()),
        ("alternativeText", optional_text()),
        ("caption", optional_text()),
        ("width", nullable(integer())),
        ("height", nullable(integer())),
        ("formats", nullable(typed(Type::Object).into())),
        ("hash", text()),
        ("ext", text()),
        ("mime", text()),
        (
            "size",
            typed(Type::Number).description(Some("Kilobytes")).into(),
        ),
        ("url", text()),
        ("previewUrl", optional_text()),
        ("provider", text()),
        ("provider_metadata", any()),
        ("focalPoint", nullable(typed(Type::Object).into())),
        ("folderPath", text()),
        ("blurhash", optional_text()),
        ("dominantColor", optional_text()),
        ("createdAt", date_time().into()),
        ("updatedAt", date_time().into()),
        ("publishedAt", date_time().into()),
    ] {
        object = object.property(name, schema).required(name);
    }
    object.into()
}

/// Whose values a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Entries and components as reads return them.
    Read,
    /// The `data` of a write.
    Write,
    /// A component's attribute in the `data` of a write, where links are
    /// whole lists: `connect` and `disconnect` are for an entry's own fields.
    ComponentWrite,
}

/// The schema of one value of `attribute`, on `side`, leaving out whether
/// it may be null: the entry and component schemas decide that.
fn value_schema(attribute: &Attribute, side: Side) -> RefOr<OaSchema> {
    match &attribute.kind {
        Kind::Scalar(scalar) => RefOr::T(scalar.json_schema(match side {
            Side::Read => Values::Returned,
            Side::Write | Side::ComponentWrite => Values::Accepted,
        })),
        Kind::Media(media) => match side {
            Side::Read => many(reference("Media"), media.multiple),
            Side::Write | Side::ComponentWrite => links(
                typed(Type::Integer).description(Some("A file id")),
                media.multiple,
                side == Side::Write,
            ),
        },
        Kind::Relation(relation) => {
            let multiple = relation.kind.is_multiple();
            match side {
                Side::Read => {
                    let target = typed(Type::Object)
                        .property("id", typed(Type::Integer))
                        .property("documentId", string())
                        .required("id")
                        .required("documentId")
                        .description(Some(format!(
                            "A {} entry (populate to include it)",
                            relation.target
                        )));
                    many(target.into(), multiple)
                }
                Side::Write | Side::ComponentWrite => links(
                    string().description(Some(format!("The documentId of a {}", relation.target))),
                    multiple,
                    side == Side::Write,
                ),
            }
        }
        Kind::Component(component) => many(
            reference(&component_name(&component.component, side)),
            component.repeatable,
        ),
        Kind::DynamicZone(zone) => {
            // Each item names its component, which tells the branches apart.
            let mut one_of = OneOfBuilder::new();
            for uid in &zone.components {
                one_of = one_of.item(
                    AllOfBuilder::new()
                        .item(reference(&component_name(uid, side)))
                        .item(
                            typed(Type::Object)
                                .property("__component", string().enum_values(Some([uid.as_str()])))
                                .required("__component"),
                        ),
                );
            }
            list(one_of).into()
        }
    }
}

fn many(item: RefOr<OaSchema>, multiple: bool) -> RefOr<OaSchema> {
    if multiple { list(item).into() } else { item }
}

/// Links as a write gives them: an id or a list of ids and, for an
/// entry's own fields, `{ set }` or `{ connect, disconnect }` as well.
fn links(id: ObjectBuilder, multiple: bool, operations: bool) -> RefOr<OaSchema> {
    let id = RefOr::from(id);
    let whole = many(id.clone(), multiple);
    if !operations {
        return whole;
    }
    let patch = closed(typed(Type::Object))
        .description(Some(
            "`set` replaces the links; `connect` items may also be objects with a `position` ({ before | after: id } or { start | end: true })",
        ))
        .property("set", list(id.clone()))
        .property("connect", list(id.clone()))
        .property("disconnect", list(id));
    OneOfBuilder::new().item(whole).item(patch).into()
}

fn entry_schema(content_type: &ContentType) -> OaSchema {
    let mut object = typed(Type::Object)
        .property("id", typed(Type::Integer))
        .property("documentId", string())
        .required("id")
        .required("documentId");
    for field in content_type
        .fields
        .iter()
        .filter(|f| !f.attribute.is_hidden())
    {
        let schema = value_schema(&field.attribute, Side::Read);
        // Drafts are saved without their required fields.
        let schema = if field.attribute.required && !content_type.draft_and_publish {
            schema
        } else {
            nullable(schema)
        };
        object = object.property(field.name(), schema);
    }
    let published_at = if content_type.draft_and_publish {
        nullable(date_time().description(Some("null in a draft")).into())
    } else {
        date_time().into()
    };
    object = object
        .property("createdAt", date_time())
        .property("updatedAt", date_time())
        .property("publishedAt", published_at);
    if content_type.localized {
        object = object.property("locale", string());
    }
    object.examples([example(content_type)]).into()
}

/// Which writes a body schema is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Write {
    /// A new entry: required fields must be given.
    Create,
    /// An update sets the fields it gives; the rest keep their values.
    Update,
}

/// The body of a write: `data` holds the fields to set.
fn input_schema(content_type: &ContentType, write: Write) -> OaSchema {
    let mut data = closed(typed(Type::Object));
    for field in &content_type.fields {
        let schema = value_schema(&field.attribute, Side::Write);
        data = if !field.attribute.required {
            data.property(field.name(), nullable(schema))
        } else if write == Write::Create {
            data.property(field.name(), non_empty(schema))
                .required(field.name())
        } else {
            data.property(field.name(), non_empty(schema))
        };
    }
    typed(Type::Object)
        .property("data", data)
        .required("data")
        .into()
}

/// A component as reads return it. Every attribute may be null: drafts
/// skip required checks inside components too, and any type may use one.
fn component_schema(component: &Component) -> OaSchema {
    let mut object = typed(Type::Object)
        .property("id", typed(Type::Integer))
        .required("id");
    for attribute in component.attributes.iter().filter(|a| !a.is_hidden()) {
        object = object.property(
            &attribute.name,
            nullable(value_schema(attribute, Side::Read)),
        );
    }
    object.into()
}

/// A component in the `data` of a write.
fn component_input_schema(component: &Component) -> OaSchema {
    let mut object = closed(typed(Type::Object))
        .property(
            "id",
            typed(Type::Integer).description(Some("Ignored: items are numbered in order")),
        )
        .property(
            "__component",
            string().description(Some("The component's uid, in a dynamic zone")),
        );
    for attribute in &component.attributes {
        let schema = value_schema(attribute, Side::ComponentWrite);
        object = if attribute.required {
            object
                .property(&attribute.name, non_empty(schema))
                .required(&attribute.name)
        } else {
            object.property(&attribute.name, nullable(schema))
        };
    }
    object.into()
}

/// An example entry with a plausible value for each field.
fn example(content_type: &ContentType) -> Value {
    let mut entry = serde_json::Map::new();
    entry.insert("id".into(), json!(1));
    entry.insert("documentId".into(), json!("t5b4f0o8t1bq0g8z2j3y6c9w"));
    for field in content_type
        .fields
        .iter()
        .filter(|f| !f.attribute.is_hidden())
    {
        let Some(value) = field
            .attribute
            .kind
            .scalar()
            .and_then(|scalar| scalar.example(field.name()))
        else {
            continue;
        };
        entry.insert(field.name().to_owned(), value);
    }
    entry.insert("createdAt".into(), json!("2026-01-31T09:30:00.000Z"));
    entry.insert("updatedAt".into(), json!("2026-01-31T09:30:00.000Z"));
    entry.insert("publishedAt".into(), json!("2026-01-31T09:30:00.000Z"));
    if content_type.localized {
        entry.insert("locale".into(), json!("en"));
    }
    Value::Object(entry)
}

fn query_parameter(name: &str, description: &str, schema: RefOr<OaSchema>) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

fn read_parameters(list: bool, api: &ApiConfig) -> Vec<Parameter> {
    let text = || string().into();
    let at_least = |min: u64| typed(Type::Integer).minimum(Some(min));
    let size = || at_least(1).maximum(Some(api.max_page_size)).into();
    let mut parameters = vec![
        query_parameter(
            "fields",
            "Fields to return, e.g. fields[0]=title&fields[1]=slug",
            text(),
        ),
        query_parameter(
            "populate",
            "Relations, media, components and dynamic zones to include: *, a list, or nested objects",
            string().examples([json!("*")]).into(),
        ),
        query_parameter("locale", "The locale to read", text()),
        query_parameter(
            "status",
            "draft or published (drafts need a full-access token)",
            RefOr::T(
                typed(Type::String)
                    .enum_values(Some(["draft", "published"]))
                    .into(),
            ),
        ),
    ];
    if list {
        parameters.push(
            ParameterBuilder::new()
                .name("filters")
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .style(Some(ParameterStyle::DeepObject))
                .explode(Some(true))
                .description(Some("Strapi filters, e.g. filters[title][$containsi]=rust; operators $eq $eqi $ne $nei $lt $lte $gt $gte $in $notIn $contains $notContains $containsi $notContainsi $null $notNull $between $startsWith $startsWithi $endsWith $endsWithi, combined with $and $or $not, through relations and components"))
                .schema(Some(RefOr::T(typed(Type::Object).into())))
                .build(),
        );
        parameters.extend([
            query_parameter(
                "sort",
                "field:asc|desc, a list, or through a single relation (category.name:asc)",
                text(),
            ),
            query_parameter("pagination[page]", "Page number", at_least(1).into()),
            query_parameter(
                "pagination[pageSize]",
                &format!("Entries per page (default {})", api.default_page_size),
                size(),
            ),
            query_parameter(
                "pagination[start]",
                "Offset pagination: entries to skip",
                at_least(0).into(),
            ),
            query_parameter(
                "pagination[limit]",
                &format!(
                    "Offset pagination: entries to return (default {})",
                    api.default_page_size
                ),
                size(),
            ),
            query_parameter(
                "pagination[withCount]",
                "Count the matching entries (default true)",
                RefOr::T(typed(Type::Boolean).into()),
            ),
            query_parameter(
                "pagination[cursor]",
                "Keyset pagination: meta.pagination.nextCursor of the previous page",
                text(),
            ),
        ]);
    }
    parameters
}

/// What a write takes in its query: where to write, whether to publish,
/// and how to answer.
fn write_parameters() -> Vec<Parameter> {
    vec![
        query_parameter(
            "fields",
            "Fields of the answer, e.g. fields[0]=title",
            string().into(),
        ),
        query_parameter(
            "populate",
            "Relations, media, components and dynamic zones to include in the answer",
            string().examples([json!("*")]).into(),
        ),
        query_parameter(
            "locale",
            "The locale to write (default: the default locale)",
            string().into(),
        ),
        query_parameter(
            "status",
            "published to publish in the same step",
            string().enum_values(Some(["draft", "published"])).into(),
        ),
    ]
}

fn json_response(description: &str, schema: RefOr<OaSchema>) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new().schema(Some(schema)).build(),
        )
        .build()
}

fn etag() -> Header {
    HeaderBuilder::new()
        .schema(Some(string()))
        .description(Some(
            "A strong tag of the body; send it back in If-None-Match",
        ))
        .build()
}

/// A read's 200, with its ETag.
fn read_response(description: &str, schema: RefOr<OaSchema>) -> Response {
    let mut response = json_response(description, schema);
    response.headers.insert("ETag".to_owned(), RefOr::T(etag()));
    response
}

fn not_modified() -> Response {
    ResponseBuilder::new()
        .description("If-None-Match named the current ETag; no body")
        .header("ETag", etag())
        .build()
}

fn if_none_match() -> Parameter {
    ParameterBuilder::new()
        .name("If-None-Match")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some("ETags the client holds; a match answers 304"))
        .schema(Some(string()))
        .build()
}

/// Adds the error responses `statuses`, each with the `Error` envelope.
fn errors(mut operation: OperationBuilder, statuses: &[u16]) -> OperationBuilder {
    for &status in statuses {
        let description = match status {
            400 => "Invalid query, body or values (details.errors names each field)",
            401 => "A token that is not valid",
            403 => "Not allowed for this caller",
            404 => "No such document",
            413 => "The body is larger than server.max_body_bytes",
            _ => "An internal failure, logged with the request id",
        };
        operation = operation.response(
            status.to_string(),
            json_response(description, reference("Error")),
        );
    }
    operation
}

/// `{ data, meta }`; a list's meta holds its pagination, one entry's is empty.
fn data_of(entry: RefOr<OaSchema>, list: bool) -> RefOr<OaSchema> {
    let (data, meta) = if list {
        (
            RefOr::from(ArrayBuilder::new().items(entry)),
            typed(Type::Object)
                .property("pagination", reference("Pagination"))
                .required("pagination"),
        )
    } else {
        (entry, closed(typed(Type::Object)))
    };
    typed(Type::Object)
        .property("data", data)
        .property("meta", meta)
        .required("data")
        .required("meta")
        .into()
}

/// `meta.pagination` of a list: by page, by offset or by cursor, as asked.
/// Counts are left out with `pagination[withCount]=false`; `nextCursor`
/// is there when more entries follow.
fn pagination_schema() -> OaSchema {
    let count = || typed(Type::Integer).minimum(Some(0));
    let next_cursor = || {
        string().description(Some(
            "Pass as pagination[cursor] for the next page; absent on the last",
        ))
    };
    let page = closed(typed(Type::Object))
        .property("page", count())
        .property("pageSize", count())
        .property("pageCount", count())
        .property("total", count())
        .property("nextCursor", next_cursor())
        .required("page")
        .required("pageSize");
    let offset = closed(typed(Type::Object))
        .property("start", count())
        .property("limit", count())
        .property("total", count())
        .property("nextCursor", next_cursor())
        .required("start")
        .required("limit");
    let cursor = closed(typed(Type::Object))
        .property("limit", count())
        .property("total", count())
        .property("nextCursor", next_cursor())
        .required("limit");
    OneOfBuilder::new()
        .item(page)
        .item(offset)
        .item(cursor)
        .into()
}

fn content_paths(
    content_type: &ContentType,
    name: &str,
    api: &ApiConfig,
) -> Vec<(String, PathItem)> {
    let entry = reference(name);
    let body = |kind: Write| {
        let schema = match kind {
            Write::Create => format!("{name}Input"),
            Write::Update => format!("{name}Update"),
        };
        RequestBodyBuilder::new()
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(reference(&schema)))
                    .build(),
            )
            .required(Some(Required::True))
            .build()
    };
    let operation = |id: String, summary: String| {
        OperationBuilder::new()
            .tag("content")
            .operation_id(Some(id))
            .summary(Some(summary))
            .security(SecurityRequirement::default())
            .security(SecurityRequirement::new("bearer", Vec::<String>::new()))
    };
    let read = |id: String, summary: String, list: bool| {
        let mut parameters = read_parameters(list, api);
        parameters.push(if_none_match());
        errors(operation(id, summary), &[400, 401, 403, 500])
            .parameters(Some(parameters))
            .response("304", not_modified())
    };
    let write = |id: String, summary: String, kind: Write| {
        errors(operation(id, summary), &[400, 401, 403, 413, 500])
            .parameters(Some(write_parameters()))
            .request_body(Some(body(kind)))
    };
    let delete = |id: String, summary: String| {
        errors(operation(id, summary), &[400, 401, 403, 404, 500])
            .parameters(Some(vec![query_parameter(
                "locale",
                "The locale to delete; * for every locale (default: the default locale)",
                string().into(),
            )]))
            .response("204", ResponseBuilder::new().description("Deleted").build())
    };
    let display = content_type.display_name();
    match content_type.kind {
        TypeKind::Collection => {
            let plural = content_type.plural_name();
            let list = PathItem::builder()
                .operation(
                    HttpMethod::Get,
                    read(
                        format!("list_{plural}"),
                        format!("List {display} entries"),
                        true,
                    )
                    .response(
                        "200",
                        read_response("A page of entries", data_of(entry.clone(), true)),
                    )
                    .build(),
                )
                .operation(
                    HttpMethod::Post,
                    write(
                        format!("create_{plural}"),
                        format!("Create a {display} entry"),
                        Write::Create,
                    )
                    .response(
                        "201",
                        json_response("The new entry", data_of(entry.clone(), false)),
                    )
                    .build(),
                )
                .build();
            let document_id = ParameterBuilder::new()
                .name("documentId")
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .schema(Some(string()))
                .build();
            let get = read(
                format!("get_{plural}"),
                format!("One {display} entry"),
                false,
            );
            let update = write(
                format!("update_{plural}"),
                format!("Update a {display} entry: the fields given"),
                Write::Update,
            );
            let one = PathItem::builder()
                .parameters(Some(vec![document_id]))
                .operation(
                    HttpMethod::Get,
                    errors(get, &[404])
                        .response(
                            "200",
                            read_response("The entry", data_of(entry.clone(), false)),
                        )
                        .build(),
                )
                .operation(
                    HttpMethod::Put,
                    errors(update, &[404])
                        .response(
                            "200",
                            json_response("The updated entry", data_of(entry, false)),
                        )
                        .build(),
                )
                .operation(
                    HttpMethod::Delete,
                    delete(
                        format!("delete_{plural}"),
                        format!("Delete a {display} entry"),
                    )
                    .build(),
                )
                .build();
            vec![
                (format!("/api/{plural}"), list),
                (format!("/api/{plural}/{{documentId}}"), one),
            ]
        }
        TypeKind::Single => {
            let singular = content_type.singular_name();
            let get = read(
                format!("get_{singular}"),
                format!("The {display} entry"),
                false,
            );
            let item = PathItem::builder()
                .operation(
                    HttpMethod::Get,
                    errors(get, &[404])
                        .response(
                            "200",
                            read_response("The entry", data_of(entry.clone(), false)),
                        )
                        .build(),
                )
                .operation(
                    HttpMethod::Put,
                    // Partial once the entry exists; creating it without a
                    // required field is a 400.
                    write(
                        format!("put_{singular}"),
                        format!("Create or update the {display} entry"),
                        Write::Update,
                    )
                    .response("200", json_response("The entry", data_of(entry, false)))
                    .build(),
                )
                .operation(
                    HttpMethod::Delete,
                    delete(
                        format!("delete_{singular}"),
                        format!("Delete the {display} entry"),
                    )
                    .build(),
                )
                .build();
            vec![(format!("/api/{singular}"), item)]
        }
    }
}
