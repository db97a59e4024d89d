//! The schema: export it, plan a change, apply a change. The admin UI's
//! content-type builder and `cairn schema apply` run the same engine steps.

use actix_web::{HttpResponse, get, post, web};
use cairn_core::AppContext;
use cairn_core::schema::ddl::Plan;
use cairn_core::schema::request::{SchemaChangeInput, SchemaExport};
use serde_json::{Value, json};

use crate::http::error::ApiResult;
use crate::http::extract::AdminSession;

/// Every content type (with its field ids) and component.
#[utoipa::path(
    get,
    path = "/management/schema",
    tag = "management",
    responses(
        (status = 200, description = "The schema in force", body = ref("#/components/schemas/SchemaExportResponse")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[get("/schema")]
pub async fn export_schema(context: web::Data<AppContext>, _session: AdminSession) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "data": SchemaExport::of(&context.schema()) }))
}

/// The plan of a schema change; nothing is applied.
#[utoipa::path(
    post,
    path = "/management/schema/plan",
    tag = "management",
    request_body = ref("#/components/schemas/SchemaChange"),
    responses(
        (status = 200, description = "The plan", body = ref("#/components/schemas/SchemaPlanResponse")),
        (status = 400, description = "An invalid change: details.errors name the definition and attribute", body = ref("#/components/schemas/Error")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 413, description = "The body is larger than server.max_body_bytes", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[post("/schema/plan")]
pub async fn plan_schema(
    context: web::Data<AppContext>,
    _session: AdminSession,
    body: web::Json<SchemaChangeInput>,
) -> ApiResult<HttpResponse> {
    let request = body.into_inner().into_request(&context.schema())?;
    let plan = context.plan_schema(&request).await?;
    Ok(HttpResponse::Ok().json(json!({ "data": plan_json(&plan, false) })))
}

/// Plans and applies a schema change in one transaction.
#[utoipa::path(
    post,
    path = "/management/schema/apply",
    tag = "management",
    request_body = ref("#/components/schemas/SchemaChange"),
    responses(
        (status = 200, description = "The plan, applied", body = ref("#/components/schemas/SchemaPlanResponse")),
        (status = 400, description = "An invalid change, or data loss without allowDrop (details.destructive)", body = ref("#/components/schemas/Error")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 413, description = "The body is larger than server.max_body_bytes", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[post("/schema/apply")]
pub async fn apply_schema(
    context: web::Data<AppContext>,
    _session: AdminSession,
    body: web::Json<SchemaChangeInput>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner();
    let allow_drop = input.allow_drop;
    let request = input.into_request(&context.schema())?;
    let plan = context.apply_schema(&request, allow_drop).await?;
    Ok(HttpResponse::Ok().json(json!({ "data": plan_json(&plan, true) })))
}

fn plan_json(plan: &Plan, applied: bool) -> Value {
    json!({
        "applied": applied && !plan.is_empty(),
        "empty": plan.is_empty(),
        "steps": plan.steps,
        "destructive": plan.data_loss(),
        "text": plan.to_string(),
    })
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(export_schema)
        .service(plan_schema)
        .service(apply_schema);
}
