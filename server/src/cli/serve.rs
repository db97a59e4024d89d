//! `cairn serve`: the HTTP server until Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::TcpListener;

use cairn_core::{AppContext, Error};

use super::output_error;
use crate::app;

pub async fn run(context: AppContext, out: &mut dyn Write) -> Result<(), Error> {
    let requested = format!(
        "{}:{}",
        context.config().server.host,
        context.config().server.port
    );
    let listener = TcpListener::bind(&requested).map_err(|e| Error::io(&requested, e))?;
    // With port 0 the system picks one; say which.
    let address = listener
        .local_addr()
        .map_err(|e| Error::io(&requested, e))?;
    writeln!(out, "Cairn is listening on http://{address}").map_err(output_error)?;
    out.flush().map_err(output_error)?;
    tracing::info!(%address, "listening");
    app::serve(context, listener)
        .map_err(|e| Error::io(address, e))?
        .await
        .map_err(|e| Error::io(address, e))
}
