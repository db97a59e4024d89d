//! `cairn content import`: bulk loads of documents from NDJSON files.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use cairn_core::entries::{Entries, WriteOptions};
use cairn_core::error::ValidationErrors;
use cairn_core::{AppContext, Error};
use clap::Subcommand;
use serde_json::{Map, Value};

use super::output_error;

#[derive(Debug, Subcommand)]
pub enum ContentCommand {
    /// Create documents from a file with one JSON object per line (NDJSON),
    /// each shaped like the `data` of a content API create.
    Import {
        /// The content type: its uid (`api::article.article`) or API name.
        content_type: String,
        /// The file to read; `-` reads standard input.
        file: PathBuf,
        /// Publish each document as it is created.
        #[arg(long)]
        publish: bool,
        /// The locale to create the documents in (default: the default one).
        #[arg(long)]
        locale: Option<String>,
        /// Documents per transaction: a batch is written whole or not at all.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        batch: u32,
    },
}

pub async fn run(
    context: &AppContext,
    command: ContentCommand,
    out: &mut dyn Write,
) -> Result<(), Error> {
    match command {
        ContentCommand::Import {
            content_type,
            file,
            publish,
            locale,
            batch,
        } => {
            let entries = context.entries(&content_type)?;
            let options = WriteOptions {
                locale,
                publish,
                ..WriteOptions::default()
            };
            let input: Box<dyn BufRead> = if file.as_os_str() == "-" {
                Box::new(std::io::stdin().lock())
            } else {
                let opened = File::open(&file).map_err(|e| {
                    Error::InvalidState(format!("cannot read {}: {e}", file.display()))
                })?;
                Box::new(BufReader::with_capacity(1 << 20, opened))
            };
            let mut import = Import {
                entries: &entries,
                options: &options,
                batch: Vec::with_capacity(batch as usize),
                lines: Vec::with_capacity(batch as usize),
                imported: 0,
                analyzed: 0,
            };
            let outcome = import.read(input, batch as usize).await;
            let name = entries.content_type().display_name().to_owned();
            if import.imported > import.analyzed {
                entries.analyze().await?;
            }
            match outcome {
                Ok(()) => writeln!(out, "Imported {} documents into {name}.", import.imported)
                    .map_err(output_error),
                Err(error) => {
                    writeln!(
                        out,
                        "Imported {} documents into {name} before the error below; \
                         the batch that holds it was not written.",
                        import.imported
                    )
                    .map_err(output_error)?;
                    Err(error)
                }
            }
        }
    }
}

/// An import under way: the batch being gathered and what is done.
struct Import<'a> {
    entries: &'a Entries,
    options: &'a WriteOptions,
    batch: Vec<Map<String, Value>>,
    /// The file's line number of each document in `batch`.
    lines: Vec<usize>,
    imported: usize,
    /// Documents imported when the statistics were last refreshed.
    analyzed: usize,
}

impl Import<'_> {
    async fn read(&mut self, input: Box<dyn BufRead>, batch: usize) -> Result<(), Error> {
        for (index, line) in input.lines().enumerate() {
            let number = index + 1;
            let line = line.map_err(|e| at_line(number, format!("cannot read: {e}")))?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Value>(&line) {
                Ok(Value::Object(data)) => {
                    self.batch.push(data);
                    self.lines.push(number);
                }
                Ok(_) => return Err(at_line(number, "expected a JSON object")),
                Err(e) => return Err(at_line(number, format!("invalid JSON: {e}"))),
            }
            if self.batch.len() == batch {
                self.flush().await?;
            }
        }
        self.flush().await
    }

    async fn flush(&mut self) -> Result<(), Error> {
        if self.batch.is_empty() {
            return Ok(());
        }
        match self.entries.create_many(&self.batch, self.options).await {
            Ok(created) => {
                self.imported += created;
                self.batch.clear();
                self.lines.clear();
                // After the first batch and whenever the import has doubled:
                // PostgreSQL plans each statement again for the table's new
                // size, rather than scanning it with a plan made when it
                // was nearly empty (which made an import quadratic).
                if self.imported >= 2 * self.analyzed {
                    self.entries.analyze().await?;
                    self.analyzed = self.imported;
                }
                Ok(())
            }
            Err(Error::Validation(mut errors)) => {
                // The engine names the row by its index in the batch.
                for error in &mut errors.errors {
                    if let Some(first) = error.path.0.first_mut()
                        && let Some(line) =
                            first.parse::<usize>().ok().and_then(|i| self.lines.get(i))
                    {
                        *first = format!("line {line}");
                    }
                }
                Err(Error::Validation(errors))
            }
            Err(other) => Err(other),
        }
    }
}

fn at_line(line: usize, message: impl Into<String>) -> Error {
    Error::Validation(ValidationErrors::single(format!("line {line}"), message))
}
