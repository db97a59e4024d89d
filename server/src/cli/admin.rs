//! `cairn admin create`: the first administrator, or another one.

use std::io::{BufRead, Write};

use cairn_core::auth::admin_users::{self, NewAdmin};
use cairn_core::{AppContext, Error};
use clap::Subcommand;

use super::output_error;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an administrator.
    Create {
        #[arg(long)]
        email: String,
        /// The password; read from standard input when absent, so that it
        /// stays out of the shell history.
        #[arg(long)]
        password: Option<String>,
        #[arg(long, default_value = "")]
        firstname: String,
        #[arg(long, default_value = "")]
        lastname: String,
    },
}

pub async fn run(
    context: &AppContext,
    command: AdminCommand,
    out: &mut dyn Write,
) -> Result<(), Error> {
    match command {
        AdminCommand::Create {
            email,
            password,
            firstname,
            lastname,
        } => {
            let password = match password {
                Some(password) => password,
                None => read_password()?,
            };
            let user = admin_users::create(
                context.db().conn(),
                &NewAdmin {
                    email,
                    password,
                    firstname,
                    lastname,
                },
            )
            .await?;
            writeln!(
                out,
                "Created administrator {} (id {}).",
                user.email, user.id
            )
            .map_err(output_error)?;
            Ok(())
        }
    }
}

fn read_password() -> Result<String, Error> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::io("standard input", e))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
