//! Settings: your account, API tokens (shown once, revoked at once),
//! administrators (added, deactivated, given a new password), locales, and
//! the public role's grants per content type and action.

use std::collections::{BTreeMap, BTreeSet};

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use cairn_core::Error;
use cairn_core::auth::admin_users::{self, NewAdmin};
use cairn_core::auth::api_tokens::{self, TokenKind};
use cairn_core::auth::permissions::{Action, PublicPermissions};
use cairn_core::locales;
use cairn_core::time::format_datetime;

use super::{respond, see_other};
use crate::error::{AdminError, AdminResult};
use crate::form::{FieldErrors, FormData, sentence};
use crate::pages::{
    AdministratorsPage, Grants, LocalesPage, PublicPage, Section, SettingsPage, SettingsTab, Shell,
    TokensPage,
};
use crate::session::{Posted, SignedIn};

fn shell(signed_in: &SignedIn, tab: SettingsTab) -> Shell {
    let shell = Shell::new(signed_in, Section::Settings, tab.label());
    if tab == SettingsTab::Account {
        shell.crumb("Settings", None)
    } else {
        shell
            .crumb("Settings", Some("/admin/settings".to_owned()))
            .crumb(tab.label(), None)
    }
}

/// A refused change's messages beside the form's fields; other errors stay
/// errors.
fn form_errors(error: Error) -> AdminResult<FieldErrors> {
    let mut errors = FieldErrors::default();
    match error {
        Error::Validation(invalid) => {
            for failure in invalid.errors {
                errors.add(
                    &failure.path.to_string(),
                    format!("{}.", sentence(&failure.message)),
                );
            }
        }
        Error::InvalidState(message) => errors.add("", format!("{}.", sentence(&message))),
        other => return Err(other.into()),
    }
    Ok(errors)
}

#[get("/settings")]
async fn show_account(signed_in: SignedIn) -> AdminResult<SettingsPage> {
    Ok(SettingsPage {
        session_expires: format_datetime(signed_in.session.expires_at),
        shell: shell(&signed_in, SettingsTab::Account),
        tab: SettingsTab::Account,
    })
}

async fn tokens_page(
    signed_in: &SignedIn,
    created: Option<(String, String)>,
    form: FormData,
    errors: FieldErrors,
) -> AdminResult<TokensPage> {
    Ok(TokensPage {
        shell: shell(signed_in, SettingsTab::Tokens),
        tab: SettingsTab::Tokens,
        tokens: api_tokens::list(signed_in.context.db().conn()).await?,
        created,
        form,
        errors,
    })
}

#[get("/settings/tokens")]
async fn show_tokens(signed_in: SignedIn) -> AdminResult<TokensPage> {
    tokens_page(
        &signed_in,
        None,
        FormData::default(),
        FieldErrors::default(),
    )
    .await
}

/// Creates a token and answers with its secret on the page, once: it is
/// never stored where a later page could read it.
#[post("/settings/tokens")]
async fn create_token(posted: Posted, request: HttpRequest) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let kind = TokenKind::parse(&form.text("type"));
    let duration = match form.text("duration").as_str() {
        "" => Ok(None),
        text => api_tokens::parse_duration(text).map(Some),
    };
    let outcome = match (kind, duration) {
        (None, _) => Err(Error::field("type", "choose read-only or full access")),
        (_, Err(error)) => Err(error),
        (Some(kind), Ok(lifetime)) => {
            api_tokens::create(
                signed_in.context.db().conn(),
                &form.text("name"),
                &form.text("description"),
                kind,
                lifetime,
            )
            .await
        }
    };
    let (page, status) = match outcome {
        Ok(created) => (
            tokens_page(
                &signed_in,
                Some((created.token.name, created.secret)),
                FormData::default(),
                FieldErrors::default(),
            )
            .await?,
            StatusCode::CREATED,
        ),
        Err(error) => {
            let errors = form_errors(error)?;
            (
                tokens_page(&signed_in, None, form, errors).await?,
                StatusCode::BAD_REQUEST,
            )
        }
    };
    Ok(respond(&request, page, status, []))
}

#[post("/settings/tokens/revoke")]
async fn revoke_token(posted: Posted) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let name = form.text("name");
    if signed_in.context.revoke_token(&name).await? {
        signed_in
            .flash(format!(
                "The token “{name}” is revoked: apps using it are refused."
            ))
            .await?;
    } else {
        signed_in
            .flash(format!("There was no token “{name}” to revoke."))
            .await?;
    }
    Ok(see_other(SettingsTab::Tokens.href()))
}

async fn administrators_page(
    signed_in: &SignedIn,
    form: FormData,
    errors: FieldErrors,
) -> AdminResult<AdministratorsPage> {
    Ok(AdministratorsPage {
        shell: shell(signed_in, SettingsTab::Administrators),
        tab: SettingsTab::Administrators,
        administrators: admin_users::list(signed_in.context.db().conn()).await?,
        me: signed_in.session.user.id,
        form,
        errors,
    })
}

#[get("/settings/administrators")]
async fn show_administrators(signed_in: SignedIn) -> AdminResult<AdministratorsPage> {
    administrators_page(&signed_in, FormData::default(), FieldErrors::default()).await
}

#[post("/settings/administrators")]
async fn create_administrator(posted: Posted, request: HttpRequest) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let new = NewAdmin {
        email: form.text("email"),
        password: form.raw("password").to_owned(),
        firstname: form.text("firstname"),
        lastname: form.text("lastname"),
    };
    match admin_users::create(signed_in.context.db().conn(), &new).await {
        Ok(user) => {
            signed_in
                .flash(format!("{} can sign in now.", user.email))
                .await?;
            Ok(see_other(SettingsTab::Administrators.href()))
        }
        Err(error) => {
            let errors = form_errors(error)?;
            let page = administrators_page(&signed_in, form, errors).await?;
            Ok(respond(&request, page, StatusCode::BAD_REQUEST, []))
        }
    }
}

#[post("/settings/administrators/{id}/active")]
async fn set_active(posted: Posted, id: web::Path<i64>) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let id = id.into_inner();
    if id == signed_in.session.user.id {
        return Err(AdminError::BadRequest(
            "You cannot deactivate yourself; another administrator can.".to_owned(),
        ));
    }
    let active = form.flag("active");
    let message = match admin_users::set_active(signed_in.context.db().conn(), id, active).await {
        Ok(user) if active => format!("{} can sign in again.", user.email),
        Ok(user) => format!("{} is deactivated and signed out.", user.email),
        Err(Error::InvalidState(message)) => format!("Nothing changed: {message}."),
        Err(other) => return Err(other.into()),
    };
    signed_in.flash(message).await?;
    Ok(see_other(SettingsTab::Administrators.href()))
}

#[post("/settings/administrators/{id}/password")]
async fn set_password(posted: Posted, id: web::Path<i64>) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let message =
        match admin_users::set_password(signed_in.context.db().conn(), *id, form.raw("password"))
            .await
        {
            Ok(()) => "The password is set and their sessions ended.".to_owned(),
            Err(Error::Validation(invalid)) => format!(
                "The password was not changed: it {}.",
                invalid
                    .errors
                    .first()
                    .map_or("is not valid", |e| e.message.as_str())
            ),
            Err(other) => return Err(other.into()),
        };
    signed_in.flash(message).await?;
    Ok(see_other(SettingsTab::Administrators.href()))
}

async fn locales_page(
    signed_in: &SignedIn,
    form: FormData,
    errors: FieldErrors,
) -> AdminResult<LocalesPage> {
    Ok(LocalesPage {
        shell: shell(signed_in, SettingsTab::Locales),
        tab: SettingsTab::Locales,
        locales: locales::list(signed_in.context.db().conn()).await?,
        form,
        errors,
    })
}

#[get("/settings/locales")]
async fn show_locales(signed_in: SignedIn) -> AdminResult<LocalesPage> {
    locales_page(&signed_in, FormData::default(), FieldErrors::default()).await
}

#[post("/settings/locales")]
async fn create_locale(posted: Posted, request: HttpRequest) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let outcome = signed_in
        .context
        .create_locale(
            &form.text("code"),
            &form.text("name"),
            form.flag("is_default"),
        )
        .await;
    match outcome {
        Ok(locale) => {
            signed_in
                .flash(format!("Entries can be written in {} now.", locale.name))
                .await?;
            Ok(see_other(SettingsTab::Locales.href()))
        }
        Err(error) => {
            let errors = form_errors(error)?;
            let page = locales_page(&signed_in, form, errors).await?;
            Ok(respond(&request, page, StatusCode::BAD_REQUEST, []))
        }
    }
}

#[post("/settings/locales/{code}/{action}")]
async fn change_locale(
    posted: Posted,
    path: web::Path<(String, String)>,
) -> AdminResult<HttpResponse> {
    let signed_in = posted.signed_in;
    let (code, action) = path.into_inner();
    let context = &signed_in.context;
    let outcome = match action.as_str() {
        "default" => context
            .set_default_locale(&code)
            .await
            .map(|l| format!("{} is the default locale.", l.name)),
        "delete" => context
            .delete_locale(&code)
            .await
            .map(|()| format!("The locale {code} is removed.")),
        _ => {
            return Err(AdminError::NotFound(format!(
                "No action `{action}` on locales."
            )));
        }
    };
    let message = match outcome {
        Ok(message) => message,
        Err(error @ (Error::Validation(_) | Error::InvalidState(_))) => {
            format!("Nothing changed: {}.", error)
        }
        Err(other) => return Err(other.into()),
    };
    signed_in.flash(message).await?;
    Ok(see_other(SettingsTab::Locales.href()))
}

#[get("/settings/public")]
async fn show_public(signed_in: SignedIn) -> AdminResult<PublicPage> {
    let context = &signed_in.context;
    let granted = context.public_permissions();
    let types = context
        .schema()
        .content_types()
        .map(|t| Grants {
            uid: t.uid.clone(),
            name: t.display_name().to_owned(),
            actions: Action::ALL
                .iter()
                .map(|a| (a.name(), granted.allows(&t.uid, *a)))
                .collect(),
        })
        .collect();
    Ok(PublicPage {
        shell: shell(&signed_in, SettingsTab::Public),
        tab: SettingsTab::Public,
        types,
    })
}

#[post("/settings/public")]
async fn save_public(posted: Posted) -> AdminResult<HttpResponse> {
    let Posted { signed_in, form } = posted;
    let mut grants: BTreeMap<String, BTreeSet<Action>> = BTreeMap::new();
    for grant in form.all("grant") {
        let parsed = grant
            .split_once(' ')
            .and_then(|(uid, action)| Some((uid.to_owned(), Action::parse(action)?)));
        let Some((uid, action)) = parsed else {
            return Err(AdminError::BadRequest(format!("`{grant}` is not a grant.")));
        };
        grants.entry(uid).or_default().insert(action);
    }
    signed_in
        .context
        .set_public_permissions(PublicPermissions(grants))
        .await?;
    signed_in
        .flash("Saved: requests without a token may do what is ticked.")
        .await?;
    Ok(see_other(SettingsTab::Public.href()))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(show_account)
        .service(show_tokens)
        .service(create_token)
        .service(revoke_token)
        .service(show_administrators)
        .service(create_administrator)
        .service(set_active)
        .service(set_password)
        .service(show_locales)
        .service(create_locale)
        .service(change_locale)
        .service(show_public)
        .service(save_public);
}
