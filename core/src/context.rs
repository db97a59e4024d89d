//! The application context: configuration, database, schema, secrets and
//! the media store, created once at start-up and shared by every request
//! and command.

use std::sync::{Arc, RwLock};

use rand::RngCore;
use sea_orm::ActiveValue::Set;
use sea_orm::EntityTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use tokio::sync::Mutex;

use crate::auth::admin_users::{self, AdminUser};
use crate::auth::api_tokens::{self, ApiToken, TokenCache};
use crate::auth::permissions::{self, PublicPermissions};
use crate::auth::throttle::SignInThrottle;
use crate::config::Config;
use crate::db::Db;
use crate::db::entities::setting;
use crate::entries::{CountCache, Entries};
use crate::error::{Error, Result};
use crate::events::{self, Changes};
use crate::files::Files;
use crate::locales::DefaultLocale;
use crate::query::{self, QueryMemo};
use crate::schema::ddl::{self, ChangeRequest, Plan};
use crate::schema::{Schema, store, system};
use crate::time::now;

/// Cheap to clone: every clone shares the same state.
#[derive(Clone)]
pub struct AppContext {
    inner: Arc<Inner>,
}

struct Inner {
    config: Arc<Config>,
    db: Db,
    schema: RwLock<Arc<Schema>>,
    /// One schema change at a time per process.
    schema_changes: Mutex<()>,
    jwt_secret: Vec<u8>,
    changes: Arc<Changes>,
    default_locale: Arc<DefaultLocale>,
    counts: Arc<CountCache>,
    tokens: TokenCache,
    public_permissions: RwLock<Arc<PublicPermissions>>,
    sign_in_throttle: SignInThrottle,
    media_secret: Vec<u8>,
    files: Files,
    queries: QueryMemo,
}

impl AppContext {
    /// Connects, applies pending migrations and loads the schema.
    pub async fn start(config: Config) -> Result<Self> {
        let db = Db::connect(&config.database).await?;
        db.migrate().await?;
        let schema = store::load(db.conn()).await?;
        ddl::reconcile_indexes(&db, &schema).await?;
        let public_permissions = permissions::load(db.conn()).await?;
        let jwt_secret = if config.auth.jwt_secret.is_empty() {
            stored_secret(&db, "jwt_secret").await?
        } else {
            config.auth.jwt_secret.as_bytes().to_vec()
        };
        let sign_in_throttle =
            SignInThrottle::new(config.auth.sign_in_max_failures, config.auth.sign_in_window);
        let media_secret = if config.media.signing_secret.is_empty() {
            stored_secret(&db, "media_signing_secret").await?
        } else {
            config.media.signing_secret.as_bytes().to_vec()
        };
        let files = Files::open(db.clone(), &config.media, media_secret.clone()).await?;
        let queries = QueryMemo::new(config.api.query_limits());
        Ok(AppContext {
            inner: Arc::new(Inner {
                config: Arc::new(config),
                db,
                schema: RwLock::new(Arc::new(schema)),
                schema_changes: Mutex::new(()),
                jwt_secret,
                changes: Arc::new(Changes::default()),
                default_locale: Arc::new(DefaultLocale::default()),
                counts: Arc::new(CountCache::default()),
                tokens: TokenCache::default(),
                public_permissions: RwLock::new(Arc::new(public_permissions)),
                sign_in_throttle,
                media_secret,
                files,
                queries,
            }),
        })
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// The schema in force.
    pub fn schema(&self) -> Arc<Schema> {
        match self.inner.schema.read() {
            Ok(schema) => schema.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn jwt_secret(&self) -> &[u8] {
        &self.inner.jwt_secret
    }

    /// The query a content API query string (without `?`) asks for.
    pub fn parse_query(&self, raw: &str) -> Result<Arc<query::Query>> {
        self.inner.queries.parse(raw)
    }

    /// The change counter caches compare against.
    pub fn changes(&self) -> &Changes {
        &self.inner.changes
    }

    /// Follows changes made by other instances (PostgreSQL); a server calls
    /// this once at start-up.
    pub fn watch_changes(&self) {
        events::watch(&self.inner.db, self.inner.changes.clone());
    }

    /// The API token a request presents, if it is valid. Checks are
    /// remembered for a few seconds, so that most requests need no query.
    pub async fn verify_token(&self, secret: &str) -> Result<Option<Arc<ApiToken>>> {
        self.inner.tokens.verify(self.inner.db.conn(), secret).await
    }

    /// Deletes a token by name and forgets it at once in this process.
    pub async fn revoke_token(&self, name: &str) -> Result<bool> {
        let revoked = api_tokens::revoke(self.inner.db.conn(), name).await?;
        self.inner.tokens.forget();
        Ok(revoked)
    }

    /// What the public role may do.
    pub fn public_permissions(&self) -> Arc<PublicPermissions> {
        match self.inner.public_permissions.read() {
            Ok(permissions) => permissions.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Replaces the public role's grants.
    pub async fn set_public_permissions(&self, permissions: PublicPermissions) -> Result<()> {
        permissions.check(&self.schema())?;
        permissions::save(self.inner.db.conn(), &permissions).await?;
        let mut current = match self.inner.public_permissions.write() {
            Ok(current) => current,
            Err(poisoned) => poisoned.into_inner(),
        };
        *current = Arc::new(permissions);
        self.inner.changes.bump();
        Ok(())
    }

    /// Checks an administrator's credentials under the sign-in throttle:
    /// refused with `TooManyAttempts` after repeated failures for the email
    /// or from the client address, whatever the password.
    pub async fn sign_in(&self, email: &str, password: &str, client: &str) -> Result<AdminUser> {
        let throttle = &self.inner.sign_in_throttle;
        throttle.check(email, client)?;
        match admin_users::authenticate(self.inner.db.conn(), email, password).await {
            Ok(user) => {
                throttle.clear(email);
                Ok(user)
            }
            Err(Error::InvalidCredentials) => {
                throttle.record_failure(email, client);
                Err(Error::InvalidCredentials)
            }
            Err(other) => Err(other),
        }
    }

    /// The secret that signs variant URLs.
    pub fn media_secret(&self) -> &[u8] {
        &self.inner.media_secret
    }

    /// Uploaded files and their variants.
    pub fn files(&self) -> &Files {
        &self.inner.files
    }

    /// The entries of a content type, found by uid, singular or plural name.
    pub fn entries(&self, type_name: &str) -> Result<Entries> {
        let schema = self.schema();
        let content_type =
            schema
                .find_type(type_name)
                .cloned()
                .ok_or_else(|| Error::ContentTypeNotFound {
                    uid: type_name.to_owned(),
                })?;
        Ok(Entries::new(
            self.inner.db.clone(),
            schema,
            content_type,
            self.inner.config.content.max_versions_per_document,
            self.inner.changes.clone(),
            self.inner.default_locale.clone(),
            self.inner.counts.clone(),
        ))
    }

    /// The plan for a schema change, without applying it.
    pub async fn plan_schema(&self, request: &ChangeRequest) -> Result<Plan> {
        ddl::plan(&self.inner.db, self.schema(), request).await
    }

    /// Plans and applies a schema change in one transaction, then puts the
    /// new schema in force. Steps that remove data need `allow_drop`.
    pub async fn apply_schema(&self, request: &ChangeRequest, allow_drop: bool) -> Result<Plan> {
        let _guard = self.inner.schema_changes.lock().await;
        let plan = ddl::plan(&self.inner.db, self.schema(), request).await?;
        ddl::apply(&self.inner.db, &plan, allow_drop).await?;
        if !plan.is_empty() {
            self.inner.db.renew_connections();
            self.inner.changes.bump();
            let mut schema = match self.inner.schema.write() {
                Ok(schema) => schema,
                Err(poisoned) => poisoned.into_inner(),
            };
            *schema = plan.target.clone();
        }
        Ok(plan)
    }

    /// Adds a locale.
    pub async fn create_locale(
        &self,
        code: &str,
        name: &str,
        is_default: bool,
    ) -> Result<crate::locales::Locale> {
        let locale = crate::locales::create(&self.inner.db, code, name, is_default).await?;
        self.inner.changes.bump();
        Ok(locale)
    }

    /// Makes a locale the default, which changes what reads without a
    /// locale return.
    pub async fn set_default_locale(&self, code: &str) -> Result<crate::locales::Locale> {
        let locale = crate::locales::set_default(&self.inner.db, code).await?;
        self.inner.changes.bump();
        Ok(locale)
    }

    /// Removes a locale that no entry is written in.
    pub async fn delete_locale(&self, code: &str) -> Result<()> {
        let schema = self.schema();
        let mut rows = 0;
        for content_type in schema.content_types().filter(|t| t.localized) {
            let count = crate::db::scalar_i64(
                self.inner.db.conn(),
                &Query::select()
                    .expr(Func::count(Expr::col(Alias::new(system::ID))))
                    .from(Alias::new(&content_type.table))
                    .and_where(Expr::col(Alias::new(system::LOCALE)).eq(code))
                    .to_owned(),
            )
            .await?;
            rows += count.map_or(0, |n| u64::try_from(n).unwrap_or(0));
        }
        crate::locales::delete(&self.inner.db, code, rows).await?;
        self.inner.changes.bump();
        Ok(())
    }

    /// Closes the database pool.
    pub async fn close(&self) -> Result<()> {
        self.inner.db.clone().close().await
    }
}

/// A random secret kept in `cairn_settings`, created on first use. Every
/// instance sharing the database reads the same one.
async fn stored_secret(db: &Db, key: &str) -> Result<Vec<u8>> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    setting::Entity::insert(setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(serde_json::Value::String(hex::encode(bytes))),
        updated_at: Set(now()),
    })
    .on_conflict_do_nothing_on([setting::Column::Key])
    .exec(db.conn())
    .await?;
    let stored = setting::Entity::find_by_id(key.to_owned())
        .one(db.conn())
        .await?
        .and_then(|row| row.value.as_str().map(str::to_owned))
        .ok_or_else(|| Error::internal(format!("setting {key} is missing")))?;
    hex::decode(stored).map_err(|e| Error::internal(format!("setting {key} is not hex: {e}")))
}
