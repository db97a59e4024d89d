//! Sign-in and sign-out.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use cairn_core::Error;
use cairn_core::auth::sessions;
use serde::Deserialize;

use super::{respond, see_other};
use crate::error::AdminResult;
use crate::form::{FieldErrors, sentence};
use crate::pages::LoginPage;
use crate::session::{
    AnonymousPost, CSRF_COOKIE, Posted, SESSION_COOKIE, anonymous_csrf, context, entry_point,
    removal, session_cookie,
};

#[derive(Deserialize)]
struct LoginQuery {
    #[serde(default)]
    signed_out: bool,
}

#[get("/login")]
async fn show_login(
    request: HttpRequest,
    query: web::Query<LoginQuery>,
) -> AdminResult<HttpResponse> {
    let context = context(&request)?;
    let entry = entry_point(&context).await?;
    if entry != "/admin/login" {
        return Ok(see_other(entry));
    }
    let (csrf, cookie) = anonymous_csrf(&request);
    let page = LoginPage {
        csrf,
        email: String::new(),
        errors: FieldErrors::default(),
        notice: query.signed_out.then(|| "You are signed out.".to_owned()),
    };
    Ok(respond(&request, page, StatusCode::OK, cookie))
}

#[post("/login")]
async fn sign_in(request: HttpRequest, posted: AnonymousPost) -> AdminResult<HttpResponse> {
    let context = context(&request)?;
    let form = posted.form;
    let email = form.text("email");
    let client = crate::session::client_address(&request);
    let refused = |message: String, status: StatusCode| {
        let mut errors = FieldErrors::default();
        errors.add("", message);
        let page = LoginPage {
            csrf: form.raw("csrf").to_owned(),
            email: email.clone(),
            errors,
            notice: None,
        };
        respond(&request, page, status, None)
    };
    let user = match context.sign_in(&email, form.raw("password"), &client).await {
        Ok(user) => user,
        Err(Error::InvalidCredentials) => {
            return Ok(refused(
                "The email or the password is wrong.".into(),
                StatusCode::UNAUTHORIZED,
            ));
        }
        Err(error @ Error::TooManyAttempts { .. }) => {
            return Ok(refused(
                sentence(&format!("{error}.")),
                StatusCode::TOO_MANY_REQUESTS,
            ));
        }
        Err(other) => return Err(other.into()),
    };
    let (token, _) = sessions::create(
        context.db().conn(),
        user,
        context.config().auth.admin_token_ttl,
    )
    .await?;
    let mut response = see_other("/admin");
    response.add_cookie(&session_cookie(&request, token)).ok();
    response.add_cookie(&removal(&request, CSRF_COOKIE)).ok();
    Ok(response)
}

#[post("/logout")]
async fn sign_out(request: HttpRequest, posted: Posted) -> AdminResult<HttpResponse> {
    if let Some(cookie) = request.cookie(SESSION_COOKIE) {
        sessions::delete(posted.signed_in.context.db().conn(), cookie.value()).await?;
    }
    let mut response = see_other("/admin/login?signed_out=true");
    response.add_cookie(&removal(&request, SESSION_COOKIE)).ok();
    Ok(response)
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(show_login).service(sign_in).service(sign_out);
}
