//! Planning a schema change: the difference between the schema in force and
//! the one requested, as steps a person can read before anything happens.
//!
//! A file applied from disk cannot show a rename, so without a hint a renamed
//! field appears as a drop plus an add. Hints come from the CLI
//! (`--rename api::article.article.title=headline`) or from field ids the
//! admin builder keeps. Changes that would lose data without saying so are
//! refused; changes that remove data on purpose (dropping a field or a type)
//! are marked destructive and need the caller's confirmation.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use rand::Rng;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::Serialize;
use serde_json::Value;

use crate::db::Db;
use crate::error::{Error, Path, Result, ValidationErrors};
use crate::schema::attribute::Kind;
use crate::schema::build::build;
use crate::schema::column::Storage;
use crate::schema::model::{ComponentSource, ContentTypeSource, SchemaSources, TypeKind};
use crate::schema::registry::{ContentType, Field, Schema};

/// What a caller asks to change.
#[derive(Debug, Clone, Default)]
pub struct ChangeRequest {
    /// Definitions to create or replace.
    pub sources: SchemaSources,
    /// Field renames: `(type uid, old name, new name)`.
    pub field_renames: Vec<FieldRename>,
    /// Type renames: old uid -> new uid (the new definition is in `sources`).
    pub type_renames: Vec<TypeRename>,
    /// Types to remove, by uid.
    pub drop_types: Vec<String>,
    /// Components to remove, by uid.
    pub drop_components: Vec<String>,
    /// `sources` is the whole schema: whatever it lacks is removed.
    pub prune: bool,
    /// Field ids known to the caller: type uid -> field name -> id. A known
    /// id under a new name is a rename.
    pub field_ids: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRename {
    pub type_uid: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeRename {
    pub from: String,
    pub to: String,
}

/// The steps of a change, in the order they run, and the schema that results.
#[derive(Debug, Clone)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// The schema in force when the plan was made.
    pub current: Arc<Schema>,
    /// The schema once the plan is applied.
    pub target: Arc<Schema>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum Step {
    #[serde(rename_all = "camelCase")]
    CreateComponent { uid: String },
    #[serde(rename_all = "camelCase")]
    UpdateComponent { uid: String },
    #[serde(rename_all = "camelCase")]
    DropComponent { uid: String },
    #[serde(rename_all = "camelCase")]
    CreateType {
        uid: String,
        kind: TypeKind,
        table: String,
        fields: Vec<FieldSummary>,
    },
    #[serde(rename_all = "camelCase")]
    AlterType {
        uid: String,
        /// Set when the type is renamed: its former uid.
        renamed_from: Option<String>,
        table: String,
        /// Set when the table is renamed: its former name.
        table_renamed_from: Option<String>,
        changes: Vec<Change>,
    },
    #[serde(rename_all = "camelCase")]
    DropType {
        uid: String,
        table: String,
        documents: u64,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldSummary {
    pub name: String,
    #[serde(rename = "type")]
    pub type_name: String,
}

/// One change inside an altered type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "camelCase")]
pub enum Change {
    #[serde(rename_all = "camelCase")]
    AddField {
        name: String,
        #[serde(rename = "type")]
        type_name: String,
        default: Option<Value>,
    },
    #[serde(rename_all = "camelCase")]
    RenameField { from: String, to: String },
    #[serde(rename_all = "camelCase")]
    RetypeField {
        name: String,
        from: String,
        to: String,
    },
    #[serde(rename_all = "camelCase")]
    UpdateField { name: String, what: Vec<String> },
    #[serde(rename_all = "camelCase")]
    DropField {
        name: String,
        #[serde(rename = "type")]
        type_name: String,
        values: u64,
    },
    #[serde(rename_all = "camelCase")]
    SetKind { kind: TypeKind },
    #[serde(rename_all = "camelCase")]
    EnableDraftAndPublish,
    #[serde(rename_all = "camelCase")]
    DisableDraftAndPublish { drafts_removed: u64 },
    #[serde(rename_all = "camelCase")]
    EnableI18n,
    #[serde(rename_all = "camelCase")]
    DisableI18n { rows_removed: u64 },
    #[serde(rename_all = "camelCase")]
    AddIndex { fields: Vec<String> },
    #[serde(rename_all = "camelCase")]
    DropIndex { fields: Vec<String> },
    #[serde(rename_all = "camelCase")]
    UpdateInfo { what: Vec<String> },
}

impl Step {
    /// A description of the data this step removes, if it removes any.
    pub fn data_loss(&self) -> Vec<String> {
        match self {
            Step::DropType {
                uid, documents, ..
            } => vec![format!("drop type {uid} ({documents} documents)")],
            Step::AlterType { uid, changes, .. } => changes
                .iter()
                .filter_map(|change| match change {
                    Change::DropField { name, values, .. } => {
                        Some(format!("drop field {uid}.{name} ({values} values)"))
                    }
                    Change::DisableDraftAndPublish { drafts_removed } if *drafts_removed > 0 => {
                        Some(format!(
                            "disable draft & publish on {uid} ({drafts_removed} drafts with unpublished changes)"
                        ))
                    }
                    Change::DisableI18n { rows_removed } if *rows_removed > 0 => Some(format!(
                        "disable i18n on {uid} ({rows_removed} entries in other locales)"
                    )),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Every step that removes data, described.
    pub fn data_loss(&self) -> Vec<String> {
        self.steps.iter().flat_map(Step::data_loss).collect()
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.steps.is_empty() {
            return writeln!(f, "No changes: the database already matches the schema.");
        }
        for step in &self.steps {
            write!(f, "{step}")?;
        }
        Ok(())
    }
}

/// What a step or a change does to the database, as a review marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Adds something: `+`.
    Create,
    /// Changes something in place: `~`.
    Alter,
    /// Removes something: `-`.
    Drop,
}

impl Tone {
    pub fn sign(self) -> char {
        match self {
            Tone::Create => '+',
            Tone::Alter => '~',
            Tone::Drop => '-',
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Create => "create",
            Tone::Alter => "alter",
            Tone::Drop => "drop",
        }
    }
}

impl Step {
    /// Whether the step adds, changes or removes a component or a type.
    pub fn tone(&self) -> Tone {
        match self {
            Step::CreateComponent { .. } | Step::CreateType { .. } => Tone::Create,
            Step::UpdateComponent { .. } | Step::AlterType { .. } => Tone::Alter,
            Step::DropComponent { .. } | Step::DropType { .. } => Tone::Drop,
        }
    }

    /// What the step does, in one line.
    pub fn title(&self) -> String {
        match self {
            Step::CreateComponent { uid } => format!("create component {uid}"),
            Step::UpdateComponent { uid } => format!("update component {uid}"),
            Step::DropComponent { uid } => format!("drop component {uid}"),
            Step::CreateType {
                uid, kind, table, ..
            } => format!("create {kind} {uid} (table {table})"),
            Step::AlterType {
                uid, renamed_from, ..
            } => match renamed_from {
                Some(from) => format!("rename type {from} -> {uid}"),
                None => format!("alter type {uid}"),
            },
            Step::DropType {
                uid,
                table,
                documents,
            } => format!("drop type {uid} (table {table}; {documents} documents will be lost)"),
        }
    }

    /// The step's parts, each with its own tone: the fields of a new type,
    /// the changes to an existing one.
    pub fn lines(&self) -> Vec<(Tone, String)> {
        match self {
            Step::CreateType { fields, .. } => fields
                .iter()
                .map(|field| (Tone::Create, format!("{}: {}", field.name, field.type_name)))
                .collect(),
            Step::AlterType {
                table,
                table_renamed_from,
                changes,
                ..
            } => table_renamed_from
                .iter()
                .map(|from| (Tone::Alter, format!("table {from} -> {table}")))
                .chain(changes.iter().map(|c| (c.tone(), c.description())))
                .collect(),
            Step::CreateComponent { .. }
            | Step::UpdateComponent { .. }
            | Step::DropComponent { .. }
            | Step::DropType { .. } => Vec::new(),
        }
    }
}

impl Change {
    pub fn tone(&self) -> Tone {
        match self {
            Change::AddField { .. } | Change::AddIndex { .. } => Tone::Create,
            Change::DropField { .. } | Change::DropIndex { .. } => Tone::Drop,
            Change::RenameField { .. }
            | Change::RetypeField { .. }
            | Change::UpdateField { .. }
            | Change::SetKind { .. }
            | Change::EnableDraftAndPublish
            | Change::DisableDraftAndPublish { .. }
            | Change::EnableI18n
            | Change::DisableI18n { .. }
            | Change::UpdateInfo { .. } => Tone::Alter,
        }
    }

    /// What the change does, without its sign.
    pub fn description(&self) -> String {
        match self {
            Change::AddField {
                name,
                type_name,
                default: Some(default),
            } => format!("{name}: {type_name} (existing entries get {default})"),
            Change::AddField {
                name, type_name, ..
            } => format!("{name}: {type_name}"),
            Change::RenameField { from, to } => format!("rename {from} -> {to}"),
            Change::RetypeField { name, from, to } => format!("{name}: {from} -> {to}"),
            Change::UpdateField { name, what } => format!("{name}: {}", what.join(", ")),
            Change::DropField {
                name,
                type_name,
                values,
            } => format!("{name}: {type_name} ({values} values will be lost)"),
            Change::SetKind { kind } => format!("becomes a {kind}"),
            Change::EnableDraftAndPublish => {
                "enable draft & publish (existing entries stay published)".to_owned()
            }
            Change::DisableDraftAndPublish { drafts_removed } => format!(
                "disable draft & publish ({drafts_removed} drafts with unpublished changes will be lost)"
            ),
            Change::EnableI18n => {
                "enable i18n (existing entries join the default locale)".to_owned()
            }
            Change::DisableI18n { rows_removed } => {
                format!("disable i18n ({rows_removed} entries in other locales will be lost)")
            }
            Change::AddIndex { fields } | Change::DropIndex { fields } => {
                format!("index ({})", fields.join(", "))
            }
            Change::UpdateInfo { what } => what.join(", "),
        }
    }
}

/// The diff the CLI prints and the API returns: a signed title per step,
/// its parts indented below.
impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.tone().sign(), self.title())?;
        for (tone, line) in self.lines() {
            writeln!(f, "    {} {line}", tone.sign())?;
        }
        Ok(())
    }
}

/// Computes the plan that takes `current` to what `request` describes.
pub async fn plan(db: &Db, current: Arc<Schema>, request: &ChangeRequest) -> Result<Plan> {
    let sources = desired_sources(&current, request)?;
    let mut target = build(&sources).map_err(Error::InvalidSchema)?;
    let mut planner = Planner {
        conn: db.conn(),
        current: &current,
        request,
        errors: ValidationErrors::default(),
        steps: Vec::new(),
        field_ids: BTreeMap::new(),
    };
    planner.components(&target);
    let renamed_from: BTreeMap<&str, &str> = request
        .type_renames
        .iter()
        .map(|r| (r.to.as_str(), r.from.as_str()))
        .collect();
    let mut alters = Vec::new();
    for desired in target.content_types() {
        let old_uid = renamed_from.get(desired.uid.as_str()).copied();
        match old_uid
            .and_then(|uid| current.content_type(uid))
            .or_else(|| current.content_type(&desired.uid))
        {
            Some(old) => {
                if let Some(step) = planner.alter(old, desired, old_uid).await? {
                    alters.push(step);
                }
            }
            None => {
                planner.field_ids.insert(
                    desired.uid.clone(),
                    desired
                        .fields
                        .iter()
                        .map(|f| {
                            (
                                f.name().to_owned(),
                                planner.id_for(&desired.uid, f.name(), None),
                            )
                        })
                        .collect(),
                );
                planner.steps.push(Step::CreateType {
                    uid: desired.uid.clone(),
                    kind: desired.kind,
                    table: desired.table.clone(),
                    fields: desired
                        .fields
                        .iter()
                        .map(|f| FieldSummary {
                            name: f.name().to_owned(),
                            type_name: f.attribute.kind.type_name().to_owned(),
                        })
                        .collect(),
                })
            }
        }
    }
    planner.steps.extend(alters);
    let renamed: BTreeSet<&str> = renamed_from.values().copied().collect();
    for old in current.content_types() {
        if target.content_type(&old.uid).is_none() && !renamed.contains(old.uid.as_str()) {
            let documents = count(
                planner.conn,
                Query::select()
                    .expr(Func::count_distinct(Expr::col(Alias::new("document_id"))))
                    .from(Alias::new(&old.table))
                    .to_owned(),
            )
            .await?;
            planner.steps.push(Step::DropType {
                uid: old.uid.clone(),
                table: old.table.clone(),
                documents,
            });
        }
    }
    for old in current.components() {
        if target.component(&old.uid).is_none() {
            planner.steps.push(Step::DropComponent {
                uid: old.uid.clone(),
            });
        }
    }
    planner
        .errors
        .clone()
        .into_result()
        .map_err(Error::InvalidSchema)?;
    let field_ids = std::mem::take(&mut planner.field_ids);
    target = target.with_field_ids(field_ids);
    Ok(Plan {
        steps: planner.steps,
        current,
        target: Arc::new(target),
    })
}

/// The full set of definitions the request leads to.
fn desired_sources(current: &Schema, request: &ChangeRequest) -> Result<SchemaSources> {
    let mut errors = ValidationErrors::default();
    for rename in &request.type_renames {
        if current.content_type(&rename.from).is_none() {
            errors.push(
                ["typeRenames", rename.from.as_str()],
                format!("cannot rename `{}`: no such content type", rename.from),
            );
        }
        if !request
            .sources
            .content_types
            .iter()
            .any(|s| s.uid == rename.to)
        {
            errors.push(
                ["typeRenames", rename.from.as_str()],
                format!(
                    "the definition of `{}` is not part of the request",
                    rename.to
                ),
            );
        }
    }
    for uid in &request.drop_types {
        if current.content_type(uid).is_none() {
            errors.push(
                ["dropTypes", uid.as_str()],
                format!("no content type `{uid}`"),
            );
        }
    }
    for uid in &request.drop_components {
        if current.component(uid).is_none() {
            errors.push(
                ["dropComponents", uid.as_str()],
                format!("no component `{uid}`"),
            );
        }
    }
    errors.into_result().map_err(Error::InvalidSchema)?;

    let given_types: BTreeSet<&str> = request
        .sources
        .content_types
        .iter()
        .map(|s| s.uid.as_str())
        .collect();
    let given_components: BTreeSet<&str> = request
        .sources
        .components
        .iter()
        .map(|s| s.uid.as_str())
        .collect();
    let removed_types: BTreeSet<&str> = request
        .drop_types
        .iter()
        .map(String::as_str)
        .chain(request.type_renames.iter().map(|r| r.from.as_str()))
        .collect();
    let mut sources = request.sources.clone();
    if !request.prune {
        for kept in current.content_types().filter(|t| {
            !given_types.contains(t.uid.as_str()) && !removed_types.contains(t.uid.as_str())
        }) {
            sources.content_types.push(ContentTypeSource {
                uid: kept.uid.clone(),
                origin: format!("current schema › {}", kept.uid),
                def: kept.def.clone(),
            });
        }
        for kept in current.components().filter(|c| {
            !given_components.contains(c.uid.as_str()) && !request.drop_components.contains(&c.uid)
        }) {
            sources.components.push(ComponentSource {
                uid: kept.uid.clone(),
                origin: format!("current schema › {}", kept.uid),
                def: kept.def.clone(),
            });
        }
    }
    Ok(sources)
}

struct Planner<'a> {
    conn: &'a DatabaseConnection,
    current: &'a Schema,
    request: &'a ChangeRequest,
    errors: ValidationErrors,
    steps: Vec<Step>,
    field_ids: BTreeMap<String, BTreeMap<String, String>>,
}

impl Planner<'_> {
    fn components(&mut self, target: &Schema) {
        for component in target.components() {
            match self.current.component(&component.uid) {
                None => self.steps.push(Step::CreateComponent {
                    uid: component.uid.clone(),
                }),
                Some(old) if old.def != component.def => self.steps.push(Step::UpdateComponent {
                    uid: component.uid.clone(),
                }),
                Some(_) => {}
            }
        }
    }

    /// The id of a field: kept from the old schema, or given by the caller, or new.
    fn id_for(&self, uid: &str, name: &str, old: Option<(&ContentType, &str)>) -> String {
        if let Some(id) = old.and_then(|(t, old_name)| t.field_ids.get(old_name)) {
            return id.clone();
        }
        if let Some(id) = self
            .request
            .field_ids
            .get(uid)
            .and_then(|ids| ids.get(name))
        {
            return id.clone();
        }
        new_field_id()
    }

    /// Old name -> new name for the fields of one type.
    fn renames(&mut self, old: &ContentType, desired: &ContentType) -> BTreeMap<String, String> {
        let mut renames = BTreeMap::new();
        for rename in self.request.field_renames.iter().filter(|r| {
            r.type_uid == desired.uid || Some(r.type_uid.as_str()) == Some(old.uid.as_str())
        }) {
            let path = Path::from(["fieldRenames", desired.uid.as_str(), rename.from.as_str()]);
            if old.field(&rename.from).is_none() {
                self.errors.push(
                    path,
                    format!("`{}` has no field `{}` to rename", old.uid, rename.from),
                );
            } else if desired.field(&rename.to).is_none() {
                self.errors.push(
                    path,
                    format!(
                        "the new schema of `{}` has no field `{}`",
                        desired.uid, rename.to
                    ),
                );
            } else if old.field(&rename.to).is_some()
                && !self
                    .request
                    .field_renames
                    .iter()
                    .any(|r| r.from == rename.to)
            {
                self.errors.push(
                    path,
                    format!("`{}` already has a field `{}`", old.uid, rename.to),
                );
            } else {
                renames.insert(rename.from.clone(), rename.to.clone());
            }
        }
        // A field id the caller knows, now under another name, is a rename.
        if let Some(known) = self.request.field_ids.get(&desired.uid) {
            for (new_name, id) in known {
                let previous = old
                    .field_ids
                    .iter()
                    .find(|(_, old_id)| *old_id == id)
                    .map(|(name, _)| name.clone());
                if let Some(old_name) = previous
                    && &old_name != new_name
                    && desired.field(new_name).is_some()
                {
                    renames.insert(old_name, new_name.clone());
                }
            }
        }
        renames
    }

    async fn alter(
        &mut self,
        old: &ContentType,
        desired: &ContentType,
        renamed_from: Option<&str>,
    ) -> Result<Option<Step>> {
        let renames = self.renames(old, desired);
        let new_name_of = |old_name: &str| {
            renames
                .get(old_name)
                .cloned()
                .unwrap_or_else(|| old_name.to_owned())
        };
        let mut changes = Vec::new();
        let mut ids = BTreeMap::new();
        let matched: BTreeMap<String, &Field> = old
            .fields
            .iter()
            .filter_map(|f| {
                let new_name = new_name_of(f.name());
                desired.field(&new_name).map(|_| (new_name, f))
            })
            .collect();
        for field in &desired.fields {
            let path = Path::from([desired.uid.as_str(), "attributes", field.name()]);
            match matched.get(field.name()) {
                None => {
                    ids.insert(
                        field.name().to_owned(),
                        self.id_for(&desired.uid, field.name(), None),
                    );
                    changes.push(Change::AddField {
                        name: field.name().to_owned(),
                        type_name: field.attribute.kind.type_name().to_owned(),
                        default: field
                            .attribute
                            .default
                            .clone()
                            .filter(|_| field.column_type().is_some()),
                    });
                }
                Some(previous) => {
                    ids.insert(
                        field.name().to_owned(),
                        self.id_for(&desired.uid, field.name(), Some((old, previous.name()))),
                    );
                    if previous.name() != field.name() {
                        changes.push(Change::RenameField {
                            from: previous.name().to_owned(),
                            to: field.name().to_owned(),
                        });
                    }
                    if let Err(message) = compatible(previous, field) {
                        self.errors.push(path, message);
                        continue;
                    }
                    let (from, to) = (
                        previous.attribute.kind.type_name(),
                        field.attribute.kind.type_name(),
                    );
                    if from != to {
                        changes.push(Change::RetypeField {
                            name: field.name().to_owned(),
                            from: from.to_owned(),
                            to: to.to_owned(),
                        });
                    }
                    let what = option_changes(previous, field);
                    if !what.is_empty() {
                        changes.push(Change::UpdateField {
                            name: field.name().to_owned(),
                            what,
                        });
                    }
                }
            }
        }
        for field in &old.fields {
            if !matched.values().any(|m| m.name() == field.name()) {
                let values = self.count_values(old, field).await?;
                changes.push(Change::DropField {
                    name: field.name().to_owned(),
                    type_name: field.attribute.kind.type_name().to_owned(),
                    values,
                });
            }
        }
        index_changes(old, desired, &mut changes);
        self.type_options(old, desired, &mut changes).await?;
        self.field_ids.insert(desired.uid.clone(), ids);
        let table_renamed_from = (old.table != desired.table).then(|| old.table.clone());
        if changes.is_empty() && renamed_from.is_none() && table_renamed_from.is_none() {
            return Ok(None);
        }
        Ok(Some(Step::AlterType {
            uid: desired.uid.clone(),
            renamed_from: renamed_from.map(str::to_owned),
            table: desired.table.clone(),
            table_renamed_from,
            changes,
        }))
    }

    async fn type_options(
        &mut self,
        old: &ContentType,
        desired: &ContentType,
        changes: &mut Vec<Change>,
    ) -> Result<()> {
        let table = Alias::new(&old.table);
        if old.kind != desired.kind {
            if desired.kind == TypeKind::Single {
                let documents = count(
                    self.conn,
                    Query::select()
                        .expr(Func::count_distinct(Expr::col(Alias::new("document_id"))))
                        .from(table.clone())
                        .to_owned(),
                )
                .await?;
                if documents > 1 {
                    self.errors.push(
                        [desired.uid.as_str(), "kind"],
                        format!(
                            "cannot make `{}` a single type: it has {documents} documents",
                            desired.uid
                        ),
                    );
                }
            }
            changes.push(Change::SetKind { kind: desired.kind });
        }
        match (old.draft_and_publish, desired.draft_and_publish) {
            (false, true) => changes.push(Change::EnableDraftAndPublish),
            (true, false) => {
                let drafts_removed = count(self.conn, drafts_with_published(&old.table)).await?;
                changes.push(Change::DisableDraftAndPublish { drafts_removed });
            }
            _ => {}
        }
        match (old.localized, desired.localized) {
            (false, true) => changes.push(Change::EnableI18n),
            (true, false) => {
                let default_locale = crate::locales::default_code(self.conn).await?;
                let rows_removed = count(
                    self.conn,
                    Query::select()
                        .expr(Func::count(Expr::col(Alias::new("id"))))
                        .from(table)
                        .and_where(Expr::col(Alias::new("locale")).ne(default_locale))
                        .to_owned(),
                )
                .await?;
                changes.push(Change::DisableI18n { rows_removed });
            }
            _ => {}
        }
        let mut what = Vec::new();
        if old.def.info.display_name != desired.def.info.display_name {
            what.push(format!(
                "display name \"{}\"",
                desired.def.info.display_name
            ));
        }
        if old.def.info.description != desired.def.info.description {
            what.push("description".to_owned());
        }
        if old.def.info.singular_name != desired.def.info.singular_name
            || old.def.info.plural_name != desired.def.info.plural_name
        {
            what.push(format!(
                "API ids {}/{}",
                desired.def.info.singular_name, desired.def.info.plural_name
            ));
        }
        if what.is_empty() && changes.is_empty() && old.def != desired.def {
            what.push("attribute order or other options".to_owned());
        }
        if !what.is_empty() {
            changes.push(Change::UpdateInfo { what });
        }
        Ok(())
    }

    /// How many values dropping `field` removes.
    async fn count_values(&self, content_type: &ContentType, field: &Field) -> Result<u64> {
        let statement = match (&field.storage, &field.link) {
            (Storage::Column(_), _) => Query::select()
                .expr(Func::count(Expr::col(Alias::new(&field.column))))
                .from(Alias::new(&content_type.table))
                .to_owned(),
            (Storage::Links, Some(link)) => Query::select()
                .expr(Func::count(Expr::col(Alias::new("id"))))
                .from(Alias::new(&link.table))
                .to_owned(),
            _ => return Ok(0),
        };
        count(self.conn, statement).await
    }
}

/// Declared indexes added and removed; a renamed field moves its indexes.
fn index_changes(old: &ContentType, desired: &ContentType, changes: &mut Vec<Change>) {
    for index in &old.indexes {
        if !desired.indexes.iter().any(|i| i.columns == index.columns) {
            changes.push(Change::DropIndex {
                fields: index.fields.clone(),
            });
        }
    }
    for index in &desired.indexes {
        if !old.indexes.iter().any(|i| i.columns == index.columns) {
            changes.push(Change::AddIndex {
                fields: index.fields.clone(),
            });
        }
    }
}

/// Draft rows whose document also has a published row in the same locale.
pub(crate) fn drafts_with_published(table: &str) -> SelectStatement {
    let t = Alias::new(table);
    Query::select()
        .expr(Func::count(Expr::col(Alias::new("id"))))
        .from(t.clone())
        .and_where(Expr::col(Alias::new("published")).eq(false))
        .and_where(
            Expr::tuple([
                Expr::col(Alias::new("document_id")),
                Expr::col(Alias::new("locale")),
            ])
            .in_subquery(
                Query::select()
                    .columns([Alias::new("document_id"), Alias::new("locale")])
                    .from(t)
                    .and_where(Expr::col(Alias::new("published")).eq(true))
                    .to_owned(),
            ),
        )
        .to_owned()
}

/// Whether `from` can become `to` without losing data; `Err` says why not.
fn compatible(from: &Field, to: &Field) -> Result<(), String> {
    let (a, b) = (&from.attribute.kind, &to.attribute.kind);
    let refuse = |why: &str| {
        Err(format!(
            "cannot change `{}` from {} to {}: {why}; add a new field and move the data instead",
            to.name(),
            describe(a),
            describe(b)
        ))
    };
    match (a, b) {
        (Kind::Relation(x), Kind::Relation(y)) => {
            if x.target != y.target {
                refuse("the links point at another type")
            } else if x.is_owner() != y.is_owner() {
                refuse("the side that stores the links would change")
            } else if x.kind.is_multiple() && !y.kind.is_multiple() {
                refuse("entries with several links would lose some")
            } else {
                Ok(())
            }
        }
        (Kind::Media(x), Kind::Media(y)) => {
            if x.multiple && !y.multiple {
                refuse("entries with several files would lose some")
            } else {
                Ok(())
            }
        }
        (Kind::Component(x), Kind::Component(y)) => {
            if x.component != y.component {
                refuse("the stored values belong to another component")
            } else if x.repeatable != y.repeatable {
                refuse("repeatable and single components store different shapes")
            } else {
                Ok(())
            }
        }
        (Kind::DynamicZone(_), Kind::DynamicZone(_)) => Ok(()),
        (Kind::Scalar(x), Kind::Scalar(y)) if x.converts_to(y) => Ok(()),
        _ => refuse("no lossless conversion exists"),
    }
}

fn describe(kind: &Kind) -> String {
    match kind {
        Kind::Relation(relation) => {
            format!("{} relation to {}", relation.kind.name(), relation.target)
        }
        Kind::Component(reference) => format!("component {}", reference.component),
        other => other.type_name().to_owned(),
    }
}

/// Option changes of a field that need no data migration, for the plan's text.
fn option_changes(from: &Field, to: &Field) -> Vec<String> {
    let (a, b) = (&from.attribute, &to.attribute);
    let mut what = Vec::new();
    let flag = |name: &str, on: bool| format!("{name} {}", if on { "on" } else { "off" });
    if a.required != b.required {
        what.push(flag("required", b.required));
    }
    if a.unique != b.unique {
        what.push(flag("unique", b.unique));
    }
    if a.private != b.private {
        what.push(flag("private", b.private));
    }
    if a.localized != b.localized {
        what.push(flag("localized", b.localized));
    }
    if a.default != b.default {
        what.push(match &b.default {
            Some(default) => format!("default {default}"),
            None => "no default".to_owned(),
        });
    }
    if what.is_empty() && a.kind != b.kind {
        what.push("validations".to_owned());
    }
    what
}

fn new_field_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let id: String = (0..10)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("f_{id}")
}

async fn count(conn: &impl ConnectionTrait, statement: SelectStatement) -> Result<u64> {
    let n = crate::db::scalar_i64(conn, &statement).await?;
    Ok(n.map_or(0, |n| u64::try_from(n).unwrap_or(0)))
}
