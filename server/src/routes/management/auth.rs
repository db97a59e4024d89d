//! Admin sign-in: `POST /management/auth/login` returns a session token.

use actix_web::{HttpResponse, get, post, web};
use cairn_core::AppContext;
use cairn_core::auth::{admin_users, jwt};
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
        (status = 200, description = "`{ data: { token, user } }`"),
        (status = 400, description = "Invalid email or password"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    context: web::Data<AppContext>,
    body: web::Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let user = admin_users::authenticate(context.db().conn(), &body.email, &body.password).await?;
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
    responses((status = 200, description = "`{ data: user }`"), (status = 401, description = "No valid session")),
    security(("bearer" = []))
)]
#[get("/auth/me")]
pub async fn me(session: AdminSession) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "data": session.0 }))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(login).service(me);
}
