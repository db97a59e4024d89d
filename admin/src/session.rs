//! Who is signed in, and the CSRF checks every POST goes through.
//!
//! The session cookie holds a random token; the server keeps only its hash
//! (`cairn_core::auth::sessions`). It is HttpOnly, SameSite=Lax, limited to
//! `/admin`, and Secure when the request came over HTTPS. Signed-in forms
//! carry the session's CSRF token; the sign-in and setup forms, shown before
//! any session exists, use a double-submit token: a random value in a
//! SameSite=Strict cookie that the form must repeat.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::{FromRequest, HttpRequest, web};
use cairn_core::AppContext;
use cairn_core::auth::admin_users;
use cairn_core::auth::sessions::{self, Session, constant_time_eq, random_token};

use crate::error::{AdminError, AdminResult};
use crate::form::FormData;

pub const SESSION_COOKIE: &str = "cairn_session";
pub const CSRF_COOKIE: &str = "cairn_csrf";
const COOKIE_PATH: &str = "/admin";

/// The engine, as every handler needs it.
pub fn context(request: &HttpRequest) -> AdminResult<AppContext> {
    request
        .app_data::<web::Data<AppContext>>()
        .map(|data| data.get_ref().clone())
        .ok_or_else(|| AdminError::Engine(cairn_core::Error::internal("no application context")))
}

/// A cookie of the admin UI with the attributes every one of them shares.
pub fn cookie(request: &HttpRequest, name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build(name, value)
        .path(COOKIE_PATH)
        .http_only(true)
        .secure(request.connection_info().scheme() == "https")
        .finish()
}

/// The session cookie for a new session.
pub fn session_cookie(request: &HttpRequest, token: String) -> Cookie<'static> {
    let mut cookie = cookie(request, SESSION_COOKIE, token);
    cookie.set_same_site(SameSite::Lax);
    cookie
}

/// A cookie that removes `name`.
pub fn removal(request: &HttpRequest, name: &'static str) -> Cookie<'static> {
    let mut cookie = cookie(request, name, String::new());
    cookie.make_removal();
    cookie
}

/// The client's address for sign-in throttling: the TCP peer, not a header a
/// client could set.
pub fn client_address(request: &HttpRequest) -> String {
    request
        .peer_addr()
        .map_or_else(|| "unknown".to_owned(), |addr| addr.ip().to_string())
}

/// Where a visitor without a session belongs: the first-run setup while no
/// administrator exists, sign-in afterwards.
pub async fn entry_point(context: &AppContext) -> AdminResult<&'static str> {
    Ok(if admin_users::count(context.db().conn()).await? == 0 {
        "/admin/setup"
    } else {
        "/admin/login"
    })
}

/// The signed-in administrator's session. Without one, the request is sent
/// to [`entry_point`].
pub struct SignedIn {
    pub context: AppContext,
    pub session: Session,
    /// The message left by the previous action, shown once.
    pub flash: Option<String>,
}

impl SignedIn {
    async fn load(request: HttpRequest) -> AdminResult<Self> {
        let context = context(&request)?;
        let token = request.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
        let session = match token {
            Some(token) => sessions::find(context.db().conn(), &token).await?,
            None => None,
        };
        let Some(mut session) = session else {
            return Err(AdminError::Redirect(
                entry_point(&context).await?.to_owned(),
            ));
        };
        // A GET shows the message; a POST leaves it for the page it redirects to.
        let flash = match (request.method() == Method::GET, session.flash.take()) {
            (true, Some(message)) => {
                sessions::set_flash(context.db().conn(), session.id, None).await?;
                Some(message)
            }
            _ => None,
        };
        Ok(SignedIn {
            context,
            session,
            flash,
        })
    }

    /// Leaves a message for the next page.
    pub async fn flash(&self, message: impl Into<String>) -> AdminResult<()> {
        sessions::set_flash(
            self.context.db().conn(),
            self.session.id,
            Some(message.into()),
        )
        .await?;
        Ok(())
    }
}

impl FromRequest for SignedIn {
    type Error = AdminError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        Box::pin(SignedIn::load(request.clone()))
    }
}

/// A form posted by a signed-in administrator with the session's CSRF token.
/// A missing, stale or forged token is refused before the handler runs.
pub struct Posted {
    pub signed_in: SignedIn,
    pub form: FormData,
}

impl FromRequest for Posted {
    type Error = AdminError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = web::Form::<Vec<(String, String)>>::from_request(request, payload);
        let signed_in = SignedIn::load(request.clone());
        Box::pin(async move {
            let signed_in = signed_in.await?;
            let form = FormData(
                form.await
                    .map_err(|e| AdminError::BadRequest(e.to_string()))?
                    .0,
            );
            if !signed_in.session.csrf_matches(form.raw("csrf")) {
                return Err(AdminError::Csrf);
            }
            Ok(Posted { signed_in, form })
        })
    }
}

/// The double-submit token of a page shown before sign-in: the one the
/// browser already holds, or a new one to set.
pub fn anonymous_csrf(request: &HttpRequest) -> (String, Option<Cookie<'static>>) {
    match request.cookie(CSRF_COOKIE) {
        Some(existing) if existing.value().len() == 64 => (existing.value().to_owned(), None),
        _ => {
            let token = random_token();
            let mut cookie = cookie(request, CSRF_COOKIE, token.clone());
            cookie.set_same_site(SameSite::Strict);
            (token, Some(cookie))
        }
    }
}

/// A form posted before sign-in whose token matches the browser's cookie.
pub struct AnonymousPost {
    pub form: FormData,
}

impl FromRequest for AnonymousPost {
    type Error = AdminError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = web::Form::<Vec<(String, String)>>::from_request(request, payload);
        let expected = request.cookie(CSRF_COOKIE).map(|c| c.value().to_owned());
        Box::pin(async move {
            let form = FormData(
                form.await
                    .map_err(|e| AdminError::BadRequest(e.to_string()))?
                    .0,
            );
            match expected {
                Some(expected)
                    if !expected.is_empty()
                        && constant_time_eq(expected.as_bytes(), form.raw("csrf").as_bytes()) =>
                {
                    Ok(AnonymousPost { form })
                }
                _ => Err(AdminError::Csrf),
            }
        })
    }
}
