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
    /// Lint Deluge files and directories.
    Check(CheckArgs),
    /// List every rule.
    Rules,
    /// Explain a rule: what it finds, why, and how to fix it.
    Rule {
        /// A code (`DL001`) or a name (`authtoken-in-url`).
        code: String,
    },
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

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and directories to check (directories are walked for .dg, .deluge and .ds files).
    pub paths: Vec<PathBuf>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output_format: OutputFormat,
    /// Apply safe fixes to the files (atomically; only when the result parses cleanly).
    #[arg(long)]
    pub fix: bool,
    /// Also apply unsafe fixes (with `--fix` or `--diff`).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing.
    #[arg(long)]
    pub diff: bool,
    /// Use this delint.toml instead of the one found by walking up from each file.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Code frames with labels and help, for people.
    Text,
    /// A JSON array of findings, for tools.
    Json,
}
