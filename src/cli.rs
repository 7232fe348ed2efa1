//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A linter for Zoho Deluge: finds and fixes calls that still send retired authtokens.
#[derive(Debug, Parser)]
#[command(name = "delint", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inspect how delint reads a file (for debugging the parser).
    Debug(DebugArgs),
}

#[derive(Debug, Args)]
pub struct DebugArgs {
    /// What to print.
    #[arg(value_enum)]
    pub what: DebugWhat,
    /// The Deluge file to read (`-` for standard input).
    pub file: PathBuf,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DebugWhat {
    /// The syntax tree and syntax errors.
    Ast,
    /// The token stream.
    Tokens,
}
