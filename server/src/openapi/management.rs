//! Schemas of the management API's bodies, which the handlers write with
//! `json!`: each follows the value it describes in `cairn_core` (named in
//! its comment). The schemathesis run in CI holds them to the responses.

use serde_json::json;
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat,
    SchemaType, Type,
};
use utoipa::openapi::{ComponentsBuilder, RefOr};

use super::{closed, date_time, list, reference, string, typed};

/// Adds the management API's schemas to `components`.
pub fn schemas(components: ComponentsBuilder) -> ComponentsBuilder {
    components
        .schema("Health", health())
        .schema("AdminUser", admin_user())
        .schema(
            "SignInResponse",
            data(
                typed(Type::Object)
                    .property(
                        "token",
                        string().description(Some("An admin session token")),
                    )
                    .property("user", reference("AdminUser"))
                    .required("token")
                    .required("user"),
            ),
        )
        .schema("AdminUserResponse", data(reference("AdminUser")))
        .schema("Locale", locale())
        .schema("LocaleResponse", data(reference("Locale")))
        .schema("LocaleListResponse", data(list(reference("Locale"))))
        .schema("SchemaExportResponse", data(schema_export()))
        .schema("SchemaChange", schema_change())
        .schema("SchemaPlanResponse", data(schema_plan()))
        .schema("PublicPermissions", public_permissions())
        .schema(
            "PublicPermissionsResponse",
            data(reference("PublicPermissions")),
        )
        .schema("ManagedEntry", managed_entry())
        .schema(
            "ManagedEntryResponse",
            members(
                typed(Type::Object),
                &[
                    ("data", reference("ManagedEntry")),
                    ("meta", saved_version().into()),
                ],
            ),
        )
        .schema(
            "ManagedEntryListResponse",
            members(
                typed(Type::Object),
                &[
                    ("data", list(reference("ManagedEntry")).into()),
                    (
                        "meta",
                        members(
                            typed(Type::Object),
                            &[("pagination", reference("Pagination"))],
                        )
                        .into(),
                    ),
                ],
            ),
        )
        .schema("Version", version(false))
        .schema("VersionWithData", version(true))
        .schema("VersionListResponse", data(list(reference("Version"))))
        .schema("VersionResponse", data(reference("VersionWithData")))
        .schema(
            "BulkResponse",
            data(members(
                typed(Type::Object),
                &[("count", typed(Type::Integer).minimum(Some(0)).into())],
            )),
        )
}

/// An entry as the content manager reads it (private fields included):
/// its fields depend on its type, whose own schema the content API's
/// paths describe.
fn managed_entry() -> Schema {
    members(
        typed(Type::Object),
        &[
            ("id", typed(Type::Integer).into()),
            ("documentId", string().into()),
        ],
    )
    .additional_properties(Some(AdditionalProperties::FreeForm(true)))
    .into()
}

/// The version a read found: `meta` of a managed document.
fn saved_version() -> ObjectBuilder {
    let nullable_integer =
        || ObjectBuilder::new().schema_type(SchemaType::from_iter([Type::Integer, Type::Null]));
    members(
        typed(Type::Object),
        &[
            (
                "version",
                nullable_integer()
                    .description(Some(
                        "The version to name in If-Match; null before any save",
                    ))
                    .into(),
            ),
            (
                "savedAt",
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
                    .into(),
            ),
            (
                "savedBy",
                nullable_integer()
                    .description(Some("The administrator who saved it"))
                    .into(),
            ),
        ],
    )
}

/// `entries::VersionSummary`, and `entries::Version` with its data.
fn version(with_data: bool) -> Schema {
    let nullable =
        |kind: Type| ObjectBuilder::new().schema_type(SchemaType::from_iter([kind, Type::Null]));
    let object = members(
        typed(Type::Object),
        &[
            ("id", typed(Type::Integer).into()),
            ("documentId", string().into()),
            ("locale", nullable(Type::String).into()),
            (
                "status",
                string().enum_values(Some(["draft", "published"])).into(),
            ),
            (
                "reason",
                string()
                    .enum_values(Some(["create", "update", "publish", "discard", "restore"]))
                    .into(),
            ),
            ("createdAt", date_time().into()),
            ("createdBy", nullable(Type::Integer).into()),
        ],
    );
    if !with_data {
        return object.into();
    }
    members(
        object,
        &[(
            "data",
            typed(Type::Object)
                .description(Some(
                    "The fields as they were: values, relation documentIds, file ids",
                ))
                .additional_properties(Some(AdditionalProperties::FreeForm(true)))
                .into(),
        )],
    )
    .into()
}

/// `{ data: … }`.
fn data(schema: impl Into<RefOr<Schema>>) -> Schema {
    typed(Type::Object)
        .property("data", schema)
        .required("data")
        .into()
}

fn members(mut object: ObjectBuilder, members: &[(&str, RefOr<Schema>)]) -> ObjectBuilder {
    for (name, schema) in members {
        object = object.property(*name, schema.clone()).required(*name);
    }
    object
}

fn health() -> Schema {
    members(
        typed(Type::Object),
        &[("status", string().enum_values(Some(["ok"])).into())],
    )
    .into()
}

/// `auth::admin_users::AdminUser`.
fn admin_user() -> Schema {
    members(
        typed(Type::Object),
        &[
            ("id", typed(Type::Integer).into()),
            ("email", string().into()),
            ("firstname", string().into()),
            ("lastname", string().into()),
            ("isActive", typed(Type::Boolean).into()),
            ("createdAt", date_time().into()),
        ],
    )
    .into()
}

/// `locales::Locale`.
fn locale() -> Schema {
    members(
        typed(Type::Object),
        &[
            ("code", string().into()),
            ("name", string().into()),
            ("isDefault", typed(Type::Boolean).into()),
        ],
    )
    .into()
}

/// `schema::request::SchemaExport`.
fn schema_export() -> ObjectBuilder {
    let definition = || typed(Type::Object).description(Some("A Strapi schema.json document"));
    let content_type = members(
        typed(Type::Object),
        &[
            ("uid", string().into()),
            ("schema", definition().into()),
            (
                "fieldIds",
                typed(Type::Object)
                    .additional_properties(Some(RefOr::from(string())))
                    .description(Some("Field name -> field id"))
                    .into(),
            ),
        ],
    );
    let component = members(
        typed(Type::Object),
        &[("uid", string().into()), ("schema", definition().into())],
    );
    members(
        typed(Type::Object),
        &[
            ("contentTypes", list(content_type).into()),
            ("components", list(component).into()),
        ],
    )
}

/// `schema::request::SchemaChangeInput`: every member is optional.
fn schema_change() -> Schema {
    let strings = || ArrayBuilder::new().items(string());
    let content_type = closed(typed(Type::Object))
        .property(
            "uid",
            string().description(Some("Default: api::<singularName>.<singularName>")),
        )
        .property(
            "schema",
            typed(Type::Object).description(Some("A Strapi schema.json document")),
        )
        .property(
            "fieldIds",
            typed(Type::Object)
                .additional_properties(Some(RefOr::from(string())))
                .description(Some("Field name -> field id, as an export gave them")),
        )
        .required("schema");
    let component = closed(typed(Type::Object))
        .property("uid", string())
        .property(
            "schema",
            typed(Type::Object).description(Some("A Strapi component file")),
        )
        .required("uid")
        .required("schema");
    let field_rename = closed(typed(Type::Object))
        .property(
            "type",
            string().description(Some("The type's uid, singular or plural name")),
        )
        .property("from", string())
        .property("to", string())
        .required("type")
        .required("from")
        .required("to");
    let type_rename = closed(typed(Type::Object))
        .property("from", string())
        .property("to", string())
        .required("from")
        .required("to");
    closed(typed(Type::Object))
        .property("contentTypes", list(content_type))
        .property("components", list(component))
        .property("fieldRenames", list(field_rename))
        .property("typeRenames", list(type_rename))
        .property("dropTypes", strings())
        .property("dropComponents", strings())
        .property(
            "prune",
            typed(Type::Boolean).description(Some(
                "The request holds the whole schema: whatever it lacks is removed",
            )),
        )
        .property(
            "allowDrop",
            typed(Type::Boolean).description(Some("Confirms steps that remove data")),
        )
        .into()
}

/// The plan of a schema change, as `routes::management::schema` writes it.
fn schema_plan() -> ObjectBuilder {
    let step = typed(Type::Object)
        .property(
            "action",
            string().enum_values(Some([
                "createComponent",
                "updateComponent",
                "dropComponent",
                "createType",
                "alterType",
                "dropType",
            ])),
        )
        .property("uid", string())
        .required("action")
        .required("uid");
    members(
        typed(Type::Object),
        &[
            ("applied", typed(Type::Boolean).into()),
            ("empty", typed(Type::Boolean).into()),
            ("steps", list(step).into()),
            (
                "destructive",
                list(string())
                    .description(Some("What the change removes"))
                    .into(),
            ),
            (
                "text",
                string()
                    .description(Some("The plan as the CLI prints it"))
                    .into(),
            ),
        ],
    )
}

/// `auth::permissions::PublicPermissions`: content type uid -> actions.
fn public_permissions() -> Schema {
    let actions = ArrayBuilder::new()
        .items(string().enum_values(Some(["find", "findOne", "create", "update", "delete"])))
        .unique_items(true);
    typed(Type::Object)
        .additional_properties(Some(AdditionalProperties::RefOr(RefOr::from(actions))))
        .examples([json!({ "api::article.article": ["find", "findOne"] })])
        .into()
}
