//! The `cairn` command line. Every command writes its output to the writer it
//! is given, so tests run commands in-process and read what they print.

mod admin;
mod content;
mod schema;
mod serve;
mod token;

use std::io::Write;
use std::path::PathBuf;

use cairn_core::{AppContext, Config, Error};
use clap::{Parser, Subcommand};

use crate::telemetry;

/// Cairn: a headless CMS.
#[derive(Debug, Parser)]
#[command(name = "cairn", version, about)]
pub struct Cli {
    /// Configuration file (default: ./cairn.toml when it exists).
    #[arg(long, global = true, env = "CAIRN_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the server (the default command).
    Serve,
    /// Apply pending migrations of Cairn's own tables, then exit.
    Migrate,
    /// Content types and components.
    #[command(subcommand)]
    Schema(schema::SchemaCommand),
    /// Administrators.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// API tokens.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Documents in bulk.
    #[command(subcommand)]
    Content(content::ContentCommand),
}

/// Runs a command to completion.
pub async fn run(cli: Cli, out: &mut dyn Write) -> Result<(), Error> {
    let config = Config::load(cli.config.as_deref())?;
    let command = cli.command.unwrap_or(Command::Serve);
    telemetry::init(&config.log, !matches!(command, Command::Serve));
    let context = AppContext::start(config).await?;
    let result = match command {
        Command::Serve => serve::run(context.clone(), out).await,
        Command::Migrate => {
            writeln!(out, "Migrations are up to date.").map_err(output_error)?;
            Ok(())
        }
        Command::Schema(command) => schema::run(&context, command, out).await,
        Command::Admin(command) => admin::run(&context, command, out).await,
        Command::Token(command) => token::run(&context, command, out).await,
        Command::Content(command) => content::run(&context, command, out).await,
    };
    context.close().await?;
    result
}

/// A failure as the terminal shows it: the message, then each failing field.
pub fn describe(error: &Error) -> String {
    match error {
        Error::InvalidSchema(errors) => {
            // Schema paths start with the file they come from.
            let mut text = String::from("error: the schema is invalid; nothing was applied:");
            for error in &errors.errors {
                let (origin, rest) = error
                    .path
                    .0
                    .split_first()
                    .map_or(("", &[][..]), |(o, r)| (o.as_str(), r));
                text.push_str(&format!("\n  {origin}: "));
                if !rest.is_empty() {
                    text.push_str(&format!("{}: ", rest.join(".")));
                }
                text.push_str(&error.message);
            }
            text
        }
        Error::Validation(errors) if errors.errors.len() > 1 => {
            let mut text = String::from("error: the input is invalid:");
            for error in &errors.errors {
                text.push_str(&format!("\n  {}: {}", error.path, error.message));
            }
            text
        }
        other => format!("error: {other}"),
    }
}

fn output_error(error: std::io::Error) -> Error {
    Error::io("standard output", error)
}
