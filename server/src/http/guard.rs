//! The content API's guard: before a content handler runs, [`Guarded`]
//! finds the caller, the content type the route names, checks that the
//! route serves that kind of type, and that the caller may do the route's
//! action on it. A handler receives all of it, or never runs.
//!
//! The route is a type parameter, so what a handler may do is in its
//! signature: `Guarded<Create>` cannot reach a handler for a read-only token.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use cairn_core::AppContext;
use cairn_core::auth::permissions::Action;
use cairn_core::entries::{Entries, Entry, ReadOptions, Status, WriteOptions};
use cairn_core::error::Code;
use cairn_core::query::{Query, Readable};
use cairn_core::schema::{ContentType, TypeKind};
use serde_json::{Value, json};

use super::envelope::envelope;
use super::error::{ApiError, ApiResult};
use super::extract::bearer;
use super::principal::Principal;

/// A content route: the action it performs, and the kinds of type it serves.
pub trait Route {
    const ACTION: Action;

    /// Refuses a type the route does not serve.
    fn admits(kind: TypeKind) -> ApiResult<()>;
}

/// Lists a collection, or reads a single type's entry (`GET /api/{name}`).
pub struct Find;
/// One document of a collection.
pub struct FindOne;
pub struct Create;
pub struct Update;
pub struct Delete;
/// Writes a single type's entry (`PUT /api/{singularName}`).
pub struct UpsertSingle;
/// Deletes a single type's entry (`DELETE /api/{singularName}`).
pub struct DeleteSingle;

/// Routes under `/api/{pluralName}` know no single types: Strapi's 404.
fn collections_only(kind: TypeKind) -> ApiResult<()> {
    match kind {
        TypeKind::Collection => Ok(()),
        TypeKind::Single => Err(ApiError::not_found("Not Found")),
    }
}

/// Writes to `/api/{name}` itself exist for single types only.
fn singles_only(kind: TypeKind, instead: &str) -> ApiResult<()> {
    match kind {
        TypeKind::Single => Ok(()),
        TypeKind::Collection => Err(ApiError::new(Code::MethodNotAllowed, instead)),
    }
}

impl Route for Find {
    const ACTION: Action = Action::Find;

    fn admits(_: TypeKind) -> ApiResult<()> {
        Ok(())
    }
}

impl Route for FindOne {
    const ACTION: Action = Action::FindOne;

    fn admits(kind: TypeKind) -> ApiResult<()> {
        collections_only(kind)
    }
}

impl Route for Create {
    const ACTION: Action = Action::Create;

    fn admits(kind: TypeKind) -> ApiResult<()> {
        collections_only(kind)
    }
}

impl Route for Update {
    const ACTION: Action = Action::Update;

    fn admits(kind: TypeKind) -> ApiResult<()> {
        collections_only(kind)
    }
}

impl Route for Delete {
    const ACTION: Action = Action::Delete;

    fn admits(kind: TypeKind) -> ApiResult<()> {
        collections_only(kind)
    }
}

impl Route for UpsertSingle {
    const ACTION: Action = Action::Update;

    fn admits(kind: TypeKind) -> ApiResult<()> {
        singles_only(kind, "update a document at /api/{pluralName}/{documentId}")
    }
}

impl Route for DeleteSingle {
    const ACTION: Action = Action::Delete;

    fn admits(kind: TypeKind) -> ApiResult<()> {
        singles_only(kind, "delete a document at /api/{pluralName}/{documentId}")
    }
}

/// What a caller may do with one content type.
#[derive(Debug, Clone)]
pub struct Access {
    /// Drafts may be read (full access).
    pub drafts: bool,
    /// The types relations and population may reach.
    pub readable: Readable,
}

/// A content request that passed the guard of route `R`.
pub struct Guarded<R> {
    pub content_type: Arc<ContentType>,
    pub principal: Principal,
    pub access: Access,
    route: PhantomData<R>,
}

impl<R: Route> FromRequest for Guarded<R> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let context = request.app_data::<web::Data<AppContext>>().cloned();
        let token = bearer(request);
        let name = request.match_info().get("name").map(str::to_owned);
        Box::pin(async move {
            // Credentials first: a bad token is a 401 whatever the route names.
            let principal = Principal::of(context.clone(), token).await?;
            let context =
                context.ok_or_else(|| ApiError::unauthorized("no application context"))?;
            let content_type = routed_type(&context, name.as_deref().unwrap_or_default())?;
            R::admits(content_type.kind)?;
            let access = authorize(&context, &principal, &content_type, R::ACTION)?;
            Ok(Guarded {
                content_type,
                principal,
                access,
                route: PhantomData,
            })
        })
    }
}

/// The type a route names: collections by plural name, single types by
/// singular name, as Strapi routes them.
fn routed_type(context: &AppContext, name: &str) -> ApiResult<Arc<ContentType>> {
    let schema = context.schema();
    let found = schema.find_type(name).filter(|t| match t.kind {
        TypeKind::Collection => t.plural_name() == name,
        TypeKind::Single => t.singular_name() == name,
    });
    found
        .cloned()
        .ok_or_else(|| ApiError::not_found("Not Found"))
}

/// What `principal` may do with `content_type` for `action`.
fn authorize(
    context: &AppContext,
    principal: &Principal,
    content_type: &ContentType,
    action: Action,
) -> ApiResult<Access> {
    let everything = Access {
        drafts: true,
        readable: Readable::All,
    };
    match principal {
        Principal::Admin(_) => Ok(everything),
        Principal::Token(_) if principal.has_full_access() => Ok(everything),
        Principal::Token(_) if action.reads() => Ok(Access {
            drafts: false,
            readable: Readable::All,
        }),
        Principal::Token(_) => Err(ApiError::forbidden(
            "a read-only token cannot change content",
        )),
        Principal::Public => {
            let permissions = context.public_permissions();
            if permissions.allows(&content_type.uid, action) {
                Ok(Access {
                    drafts: false,
                    readable: permissions.readable(),
                })
            } else {
                Err(ApiError::forbidden("Forbidden"))
            }
        }
    }
}

impl<R> Guarded<R> {
    /// How a read runs for this caller: drafts only with full access.
    pub fn read_options(&self, query: &Query) -> ApiResult<ReadOptions> {
        let status = query.status.unwrap_or(Status::Published);
        if status == Status::Draft && !self.access.drafts {
            return Err(ApiError::forbidden(
                "reading drafts needs a full-access token",
            ));
        }
        Ok(ReadOptions {
            locale: query.locale.clone(),
            status,
            fields: query.fields.clone(),
            populate: query.populate.clone(),
            include_private: false,
            readable: self.access.readable.clone(),
        })
    }

    /// How a write runs: in the query's locale, by this caller, published
    /// in the same step with `status=published`.
    pub fn write_options(&self, query: &Query) -> WriteOptions {
        WriteOptions {
            locale: query.locale.clone(),
            actor: self.principal.actor(),
            publish: query.status == Some(Status::Published),
            expected_version: None,
        }
    }

    /// The entries of the guarded type.
    pub fn entries(&self, context: &AppContext) -> ApiResult<Entries> {
        Ok(context.entries(&self.content_type.uid)?)
    }

    /// The body a write answers with: the entry it wrote, read the way
    /// this caller would read it (with the query's fields and populate).
    pub async fn written(
        &self,
        context: &AppContext,
        entry: &Entry,
        query: &Query,
    ) -> ApiResult<Value> {
        let document_id = entry
            .get("documentId")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let status = if self.content_type.draft_and_publish
            && entry.get("publishedAt").is_none_or(Value::is_null)
        {
            Status::Draft
        } else {
            Status::Published
        };
        let read = ReadOptions {
            locale: entry
                .get("locale")
                .and_then(Value::as_str)
                .map(str::to_owned),
            status,
            fields: query.fields.clone(),
            populate: query.populate.clone(),
            include_private: false,
            readable: self.access.readable.clone(),
        };
        let found = self.entries(context)?.find_one(document_id, &read).await?;
        Ok(envelope(
            found.map_or(Value::Null, Value::Object),
            json!({}),
        ))
    }
}
