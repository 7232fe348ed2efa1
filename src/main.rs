//! The `delint` command line: a thin layer over `deluge_syntax` and `delint_linter`.

mod cli;
mod commands;
mod interrupt;
mod ordered;
mod render;
mod report;

use std::process::ExitCode;

use clap::Parser;

/// Parsing and linting allocate many small, short-lived nodes; mimalloc serves them faster
/// than the system allocator, in threads too (as ruff does). Built with `no_thp`: a run
/// needs ~20 MB, and transparent huge pages made the kernel zero 2 MB pages each time
/// mimalloc purged and touched memory again (5-10% of a corpus run, in `clear_page`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.command {
        cli::Command::Check(args) => commands::check::run(&args),
        cli::Command::Config(args) => commands::config::run(&args),
        cli::Command::Rules => commands::rules::list(),
        cli::Command::Rule { code } => commands::rules::explain(&code),
        cli::Command::Debug(args) => commands::debug::run(&args),
        cli::Command::Server => match delint_server::run_stdio() {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: delint server: {error}");
                ExitCode::from(2)
            }
        },
    }
}
