//! Schema changes: planned as a readable diff, applied in one transaction.

mod apply;
mod plan;
mod reconcile;
mod tables;

pub use apply::apply;
pub use plan::{
    Change, ChangeRequest, FieldRename, FieldSummary, Plan, Step, Tone, TypeRename, plan,
};
pub use reconcile::reconcile_indexes;
pub use tables::{IndexSpec, create_link_table, create_table, indexes};
