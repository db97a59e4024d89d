use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cairn_server::cli::Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    match runtime.block_on(cairn_server::cli::run(cli, &mut stdout)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}", cairn_server::cli::describe(&error));
            ExitCode::FAILURE
        }
    }
}
