//! Admin sign-in: `POST /management/auth/login` returns a session token.
//! Failures count towards the same sign-in throttle as the admin UI's.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use cairn_core::AppContext;
use cairn_core::auth::jwt;
use serde::Deserialize;
use serde_json::json;

use crate::http::error::ApiResult;
use crate::http::extract::AdminSession;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    email: String,
    password: String,
}

/// Signs an administrator in; the token goes in `Authorization: Bearer`.
#[utoipa::path(
    post,
    path = "/management/auth/login",
    tag = "management",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "The session token and the administrator", body = ref("#/components/schemas/SignInResponse")),
        (status = 400, description = "Invalid email or password, or a body that is not one", body = ref("#/components/schemas/Error")),
        (status = 413, description = "The body is larger than server.max_body_bytes", body = ref("#/components/schemas/Error")),
        (status = 429, description = "Too many failed sign-ins for the email or from the client address", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    )
)]
#[post("/auth/login")]
pub async fn login(
    request: HttpRequest,
    context: web::Data<AppContext>,
    body: web::Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    // The TCP peer, not a header a client could set.
    let client = request
        .peer_addr()
        .map_or_else(|| "unknown".to_owned(), |addr| addr.ip().to_string());
    let user = context
        .sign_in(&body.email, &body.password, &client)
        .await?;
    let token = jwt::issue(
        context.jwt_secret(),
        user.id,
        context.config().auth.admin_token_ttl,
    )?;
    Ok(HttpResponse::Ok().json(json!({ "data": { "token": token, "user": user } })))
}

/// The signed-in administrator.
#[utoipa::path(
    get,
    path = "/management/auth/me",
    tag = "management",
    responses(
        (status = 200, description = "The administrator", body = ref("#/components/schemas/AdminUserResponse")),
        (status = 401, description = "No valid admin session token", body = ref("#/components/schemas/Error")),
        (status = 500, description = "An internal failure, logged with the request id", body = ref("#/components/schemas/Error")),
    ),
    security(("bearer" = []))
)]
#[get("/auth/me")]
pub async fn me(session: AdminSession) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "data": session.0 }))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(login).service(me);
}
