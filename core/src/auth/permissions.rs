//! What the public role (requests without credentials) may do, per content
//! type and action. Nothing is allowed until an administrator grants it.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use crate::db::settings;
use crate::error::{Error, Result, ValidationErrors};
use crate::query::Readable;
use crate::schema::Schema;

const SETTING: &str = "public_permissions";

/// An action of the content API, named as Strapi names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Action {
    Find,
    FindOne,
    Create,
    Update,
    Delete,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::Find,
        Action::FindOne,
        Action::Create,
        Action::Update,
        Action::Delete,
    ];

    /// The action's name, as Strapi writes it.
    pub fn name(self) -> &'static str {
        match self {
            Action::Find => "find",
            Action::FindOne => "findOne",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }

    pub fn parse(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Whether the action only reads.
    pub fn reads(self) -> bool {
        matches!(self, Action::Find | Action::FindOne)
    }
}

/// The public role's grants: content type uid -> actions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PublicPermissions(pub BTreeMap<String, BTreeSet<Action>>);

impl PublicPermissions {
    pub fn allows(&self, uid: &str, action: Action) -> bool {
        self.0
            .get(uid)
            .is_some_and(|actions| actions.contains(&action))
    }

    /// The types the public role may read (through relations too).
    pub fn readable(&self) -> Readable {
        Readable::Only(
            self.0
                .iter()
                .filter(|(_, actions)| actions.iter().any(|a| a.reads()))
                .map(|(uid, _)| uid.clone())
                .collect(),
        )
    }

    /// Grants to types that no longer exist are refused.
    pub fn check(&self, schema: &Schema) -> Result<()> {
        let mut errors = ValidationErrors::default();
        for uid in self.0.keys() {
            if schema.content_type(uid).is_none() {
                errors.push(uid.as_str(), format!("no content type `{uid}`"));
            }
        }
        errors.into_result().map_err(Error::Validation)
    }
}

pub async fn load(conn: &impl ConnectionTrait) -> Result<PublicPermissions> {
    match settings::get(conn, SETTING).await? {
        Some(value) => serde_json::from_value(value)
            .map_err(|e| Error::internal(format!("stored public permissions: {e}"))),
        None => Ok(PublicPermissions::default()),
    }
}

pub async fn save(conn: &impl ConnectionTrait, permissions: &PublicPermissions) -> Result<()> {
    let value = serde_json::to_value(permissions).map_err(Error::internal)?;
    settings::put(conn, SETTING, value).await
}
