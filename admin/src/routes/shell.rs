//! The dashboard and the content manager's overview.

use actix_web::{get, web};
use cairn_core::entries::{ListOptions, ReadOptions, Status};
use cairn_core::locales;
use cairn_core::query::Pagination;
use cairn_core::schema::drafts::{self, Group};

use crate::error::{AdminError, AdminResult};
use crate::pages::{ContentPage, DashboardPage, Section, Shell, TypeRow};
use crate::session::SignedIn;

/// Every content type in force, marked when the session has a draft of it.
pub async fn type_rows(signed_in: &SignedIn) -> AdminResult<Vec<TypeRow>> {
    let keys = drafts::keys(signed_in.context.db().conn(), signed_in.session.id).await?;
    Ok(signed_in
        .context
        .schema()
        .content_types()
        .map(|t| TypeRow {
            uid: t.uid.clone(),
            display_name: t.display_name().to_owned(),
            api_id: if t.kind == cairn_core::schema::TypeKind::Single {
                t.singular_name().to_owned()
            } else {
                t.plural_name().to_owned()
            },
            single: t.kind == cairn_core::schema::TypeKind::Single,
            fields: t.fields.len(),
            drafted: keys.contains(&drafts::key(Group::ContentType, &t.uid)),
        })
        .collect())
}

async fn show_dashboard(signed_in: SignedIn) -> AdminResult<DashboardPage> {
    let schema = signed_in.context.schema();
    Ok(DashboardPage {
        types: type_rows(&signed_in).await?,
        components: schema.components().count(),
        locales: locales::list(signed_in.context.db().conn()).await?.len(),
        shell: Shell::new(&signed_in, Section::Dashboard, "Dashboard"),
    })
}

#[get("/content")]
async fn show_content(signed_in: SignedIn) -> AdminResult<ContentPage> {
    let mut types = Vec::new();
    for row in type_rows(&signed_in).await? {
        let page = signed_in
            .context
            .entries(&row.uid)?
            .find_many(&ListOptions {
                // Editors count every document, drafts included.
                read: ReadOptions {
                    status: Status::Draft,
                    include_private: true,
                    ..ReadOptions::default()
                },
                pagination: Pagination::Offset {
                    start: 0,
                    limit: 1,
                    with_count: true,
                },
                ..ListOptions::default()
            })
            .await?;
        types.push((row, page.total.unwrap_or(0)));
    }
    Ok(ContentPage {
        types,
        shell: Shell::new(&signed_in, Section::Content, "Content manager")
            .crumb("Content manager", None),
    })
}

/// Any other address under `/admin`: the admin's own not-found page.
pub async fn not_found() -> AdminResult<actix_web::HttpResponse> {
    Err(AdminError::NotFound(
        "There is no page at this address. It may have moved, or the link is mistyped.".to_owned(),
    ))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource(["", "/"]).route(web::get().to(show_dashboard)))
        .service(show_content);
}
