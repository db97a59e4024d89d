//! Who is calling the content API: nobody (the public role), an API token,
//! or a signed-in administrator.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use cairn_core::AppContext;
use cairn_core::auth::admin_users::{self, AdminUser};
use cairn_core::auth::api_tokens::{self, ApiToken, TokenKind};
use cairn_core::auth::jwt;

use super::error::{ApiError, ApiResult};
use super::extract::bearer;

/// The caller of a request. A missing `Authorization` header is the public
/// role; a header that does not authenticate is refused with 401.
#[derive(Debug, Clone)]
pub enum Principal {
    Public,
    Token(Arc<ApiToken>),
    Admin(AdminUser),
}

impl Principal {
    /// Full-access tokens and administrators write and read drafts.
    pub fn has_full_access(&self) -> bool {
        match self {
            Principal::Public => false,
            Principal::Token(token) => token.kind == TokenKind::FullAccess,
            Principal::Admin(_) => true,
        }
    }

    /// Refuses callers that may not write: 401 without credentials (so
    /// clients know to send some), 403 with credentials that fall short.
    pub fn require_full_access(&self) -> ApiResult<()> {
        match self {
            _ if self.has_full_access() => Ok(()),
            Principal::Public => Err(ApiError::unauthorized(
                "this action needs a full-access API token",
            )),
            _ => Err(ApiError::forbidden(
                "this action needs a full-access API token",
            )),
        }
    }

    /// The caller a request's bearer token names (the public role without one).
    pub async fn of(
        context: Option<web::Data<AppContext>>,
        token: Option<String>,
    ) -> ApiResult<Self> {
        let Some(token) = token else {
            return Ok(Principal::Public);
        };
        let context = context.ok_or_else(|| ApiError::unauthorized("no application context"))?;
        if token.starts_with(api_tokens::TOKEN_PREFIX) {
            return context
                .verify_token(&token)
                .await?
                .map(Principal::Token)
                .ok_or_else(|| ApiError::unauthorized("invalid or expired API token"));
        }
        let claims = jwt::verify(context.jwt_secret(), &token)?;
        admin_users::find(context.db().conn(), claims.sub)
            .await?
            .map(Principal::Admin)
            .ok_or_else(|| ApiError::unauthorized("the administrator no longer exists"))
    }

    /// The admin user id to record as author, if any.
    pub fn actor(&self) -> Option<i64> {
        match self {
            Principal::Admin(user) => Some(user.id),
            Principal::Public | Principal::Token(_) => None,
        }
    }
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let context = request.app_data::<web::Data<AppContext>>().cloned();
        Box::pin(Principal::of(context, bearer(request)))
    }
}
