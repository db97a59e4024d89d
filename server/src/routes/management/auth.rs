//! Admin sign-in: `POST /management/auth/login` returns a session token.

use actix_web::{HttpResponse, get, post, web};
use cairn_core::AppContext;
use cairn_core::auth::{admin_users, jwt};
use serde::Deserialize;
use serde_json::json;

use crate::http::error::ApiResult;
use crate::http::extract::AdminSession;

#[derive(Debug, Deserialize)]
struct LoginRequest {
    email: String,
    password: String,
}

#[post("/auth/login")]
async fn login(
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

#[get("/auth/me")]
async fn me(session: AdminSession) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "data": session.0 }))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(login).service(me);
}
