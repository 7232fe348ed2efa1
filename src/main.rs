//! The `delint` command line: a thin layer over `deluge_syntax` and `delint_linter`.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.command {
        cli::Command::Debug(args) => commands::debug::run(&args),
    }
}
