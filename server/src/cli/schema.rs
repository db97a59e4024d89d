//! `cairn schema apply|export`: content types and components from and to
//! Strapi-layout schema files.

use std::io::Write;
use std::path::PathBuf;

use cairn_core::schema::ddl::{ChangeRequest, FieldRename, TypeRename};
use cairn_core::schema::load;
use cairn_core::schema::request::resolve_type;
use cairn_core::{AppContext, Error};
use clap::Subcommand;

use super::output_error;

#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// Plan a schema file or folder against the database, print the plan and
    /// apply it in one transaction.
    Apply {
        /// A schema.json, a component file, or a folder (such as a Strapi
        /// project's src/) searched recursively.
        path: PathBuf,
        /// Print the plan without applying it.
        #[arg(long)]
        dry_run: bool,
        /// Confirm steps that remove data (dropped fields and types).
        #[arg(long)]
        allow_drop: bool,
        /// Treat PATH as the whole schema: drop types and components it lacks.
        #[arg(long)]
        prune: bool,
        /// Rename a field instead of dropping and adding it: TYPE.OLD=NEW,
        /// where TYPE is a uid or a singular or plural name.
        #[arg(long = "rename", value_name = "TYPE.OLD=NEW")]
        renames: Vec<String>,
        /// Rename a content type: OLD_UID=NEW_UID (the new definition is in PATH).
        #[arg(long = "rename-type", value_name = "OLD=NEW")]
        type_renames: Vec<String>,
    },
    /// Write every content type and component under DIR, in Strapi's layout.
    Export { dir: PathBuf },
}

pub async fn run(
    context: &AppContext,
    command: SchemaCommand,
    out: &mut dyn Write,
) -> Result<(), Error> {
    match command {
        SchemaCommand::Apply {
            path,
            dry_run,
            allow_drop,
            prune,
            renames,
            type_renames,
        } => {
            let mut request = ChangeRequest {
                sources: load::load(&path)?,
                prune,
                ..ChangeRequest::default()
            };
            for hint in &type_renames {
                let (from, to) = split_hint(hint, "--rename-type", "OLD=NEW")?;
                request.type_renames.push(TypeRename {
                    from: from.to_owned(),
                    to: to.to_owned(),
                });
            }
            for hint in &renames {
                let (left, to) = split_hint(hint, "--rename", "TYPE.OLD=NEW")?;
                let (type_name, from) = left.rsplit_once('.').ok_or_else(|| {
                    Error::field("rename", format!("`{hint}` is not TYPE.OLD=NEW"))
                })?;
                let type_uid = resolve_type(type_name, &request, &context.schema());
                request.field_renames.push(FieldRename {
                    type_uid,
                    from: from.to_owned(),
                    to: to.to_owned(),
                });
            }
            if dry_run {
                let plan = context.plan_schema(&request).await?;
                write!(out, "{plan}").map_err(output_error)?;
                if !plan.is_empty() {
                    writeln!(out, "Dry run: nothing was applied.").map_err(output_error)?;
                }
                return Ok(());
            }
            let plan = context.plan_schema(&request).await?;
            write!(out, "{plan}").map_err(output_error)?;
            if plan.is_empty() {
                return Ok(());
            }
            let applied = context.apply_schema(&request, allow_drop).await?;
            writeln!(out, "Applied {} steps.", applied.steps.len()).map_err(output_error)?;
            Ok(())
        }
        SchemaCommand::Export { dir } => {
            let files = load::export(&context.schema(), &dir)?;
            for file in &files {
                writeln!(out, "{}", file.display()).map_err(output_error)?;
            }
            writeln!(out, "Exported {} files.", files.len()).map_err(output_error)?;
            Ok(())
        }
    }
}

fn split_hint<'a>(hint: &'a str, flag: &str, shape: &str) -> Result<(&'a str, &'a str), Error> {
    hint.split_once('=')
        .filter(|(left, right)| !left.is_empty() && !right.is_empty())
        .ok_or_else(|| {
            Error::field(
                flag.trim_start_matches('-'),
                format!("`{hint}` is not {shape}"),
            )
        })
}
