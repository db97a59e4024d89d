//! `cairn token create|list|revoke`: API tokens for apps.

use std::io::Write;

use cairn_core::auth::api_tokens::{self, TokenKind};
use cairn_core::{AppContext, Error};
use clap::{Subcommand, ValueEnum};

use super::output_error;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TokenType {
    ReadOnly,
    FullAccess,
}

impl From<TokenType> for TokenKind {
    fn from(kind: TokenType) -> Self {
        match kind {
            TokenType::ReadOnly => TokenKind::ReadOnly,
            TokenType::FullAccess => TokenKind::FullAccess,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it once.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long = "type", value_enum)]
        kind: TokenType,
        /// Lifetime such as 30d, 12h or 1w; without it the token does not expire.
        #[arg(long)]
        duration: Option<String>,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// List tokens (never their secrets).
    List,
    /// Delete a token by name.
    Revoke { name: String },
}

pub async fn run(
    context: &AppContext,
    command: TokenCommand,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let conn = context.db().conn();
    match command {
        TokenCommand::Create {
            name,
            kind,
            duration,
            description,
        } => {
            let lifetime = duration
                .as_deref()
                .map(api_tokens::parse_duration)
                .transpose()?;
            let created =
                api_tokens::create(conn, &name, &description, kind.into(), lifetime).await?;
            let expiry = created
                .token
                .expires_at
                .as_deref()
                .map_or_else(|| "never expires".to_owned(), |at| format!("expires {at}"));
            writeln!(
                out,
                "Created {} token `{}` ({expiry}). It is shown only now:\n{}",
                created.token.kind.as_str(),
                created.token.name,
                created.secret
            )
            .map_err(output_error)?;
        }
        TokenCommand::List => {
            for token in api_tokens::list(conn).await? {
                writeln!(
                    out,
                    "{}\t{}\texpires {}\tlast used {}",
                    token.name,
                    token.kind.as_str(),
                    token.expires_at.as_deref().unwrap_or("never"),
                    token.last_used_at.as_deref().unwrap_or("never"),
                )
                .map_err(output_error)?;
            }
        }
        TokenCommand::Revoke { name } => {
            if !context.revoke_token(&name).await? {
                return Err(Error::RecordNotFound {
                    kind: "token",
                    key: name,
                });
            }
            writeln!(out, "Revoked token `{name}`.").map_err(output_error)?;
        }
    }
    Ok(())
}
