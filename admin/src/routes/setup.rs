//! First run: while no administrator exists, every admin page leads here,
//! and this page creates the first one and signs them in. Once one exists
//! the page is gone.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use cairn_core::Error;
use cairn_core::auth::admin_users::{self, NewAdmin};
use cairn_core::auth::sessions;

use super::{respond, see_other};
use crate::error::{AdminError, AdminResult};
use crate::form::{FieldErrors, sentence};
use crate::pages::SetupPage;
use crate::session::{
    AnonymousPost, CSRF_COOKIE, anonymous_csrf, context, removal, session_cookie,
};

async fn ensure_first_run(context: &cairn_core::AppContext) -> AdminResult<()> {
    if admin_users::count(context.db().conn()).await? > 0 {
        return Err(AdminError::NotFound(
            "Cairn is already set up: sign in instead.".into(),
        ));
    }
    Ok(())
}

#[get("/setup")]
async fn show_setup(request: HttpRequest) -> AdminResult<HttpResponse> {
    ensure_first_run(&context(&request)?).await?;
    let (csrf, cookie) = anonymous_csrf(&request);
    let page = SetupPage {
        csrf,
        email: String::new(),
        firstname: String::new(),
        lastname: String::new(),
        errors: FieldErrors::default(),
    };
    Ok(respond(&request, page, StatusCode::OK, cookie))
}

#[post("/setup")]
async fn create_first_admin(
    request: HttpRequest,
    posted: AnonymousPost,
) -> AdminResult<HttpResponse> {
    let context = context(&request)?;
    ensure_first_run(&context).await?;
    let form = posted.form;
    let new = NewAdmin {
        email: form.text("email"),
        password: form.raw("password").to_owned(),
        firstname: form.text("firstname"),
        lastname: form.text("lastname"),
    };
    let mut errors = FieldErrors::default();
    if let Err(found) = admin_users::check(&new) {
        for error in found.errors {
            errors.add(&error.path.to_string(), sentence(&error.message));
        }
    }
    if form.raw("password") != form.raw("password_confirmation") {
        errors.add("password_confirmation", "The two passwords differ.");
    }
    let user = if errors.is_empty() {
        match admin_users::create(context.db().conn(), &new).await {
            Ok(user) => Some(user),
            Err(Error::Validation(found)) => {
                for error in found.errors {
                    errors.add(&error.path.to_string(), sentence(&error.message));
                }
                None
            }
            Err(other) => return Err(other.into()),
        }
    } else {
        None
    };
    let Some(user) = user else {
        let page = SetupPage {
            csrf: form.raw("csrf").to_owned(),
            email: new.email,
            firstname: new.firstname,
            lastname: new.lastname,
            errors,
        };
        return Ok(respond(&request, page, StatusCode::BAD_REQUEST, None));
    };
    let welcome = format!(
        "Welcome, {}. Cairn is ready: create your first content type.",
        user.email
    );
    let (token, session) = sessions::create(
        context.db().conn(),
        user,
        context.config().auth.admin_token_ttl,
    )
    .await?;
    sessions::set_flash(context.db().conn(), session.id, Some(welcome)).await?;
    let mut response = see_other("/admin");
    response.add_cookie(&session_cookie(&request, token)).ok();
    response.add_cookie(&removal(&request, CSRF_COOKIE)).ok();
    Ok(response)
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(show_setup).service(create_first_admin);
}
