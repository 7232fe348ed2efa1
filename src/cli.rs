//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use delint_linter::rule_selection::RuleSelector;
use delint_workspace::source::{DEFAULT_MAX_FILE_SIZE, parse_size};

/// A linter for Zoho Deluge: finds and fixes calls that still send retired authtokens.
#[derive(Debug, Parser)]
#[command(name = "delint", version = env!("DELINT_VERSION"), about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint Deluge files and directories.
    Check(Box<CheckArgs>),
    /// Print the settings in force for a file or directory, and where they come from.
    Config(ConfigCommandArgs),
    /// List every rule.
    Rules,
    /// Explain a rule: what it finds, why, and how to fix it.
    Rule {
        /// A code (`DL001`) or a name (`authtoken-in-url`).
        code: String,
    },
    /// Run the language server on stdin/stdout (for editors).
    Server,
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

/// Where settings come from, shared by `check` and `config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Use this delint.toml for every file instead of the nearest one walking up.
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore every delint.toml: defaults and command-line options only.
    #[arg(long)]
    pub isolated: bool,
    /// Rules to run (codes, prefixes, names, categories or ALL), replacing `select`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<RuleSelector>>,
    /// Rules not to run, replacing `ignore`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Option<Vec<RuleSelector>>,
    /// Also read files with this extension when walking, even images or archives
    /// (repeatable; `--extension ''` means files without one, which are read anyway unless
    /// `extensions` in delint.toml lists others).
    #[arg(long = "extension", value_delimiter = ',', value_name = "EXT")]
    pub extensions: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ConfigCommandArgs {
    /// The file or directory whose settings to show.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and directories to check (`-` reads standard input). Directories are walked,
    /// honouring .gitignore: every file but images, archives, documents, fonts, media,
    /// binaries and lock files is read, whatever its extension (`.txt`, `.js`, none), and its
    /// content decides: Deluge is linted, Zoho exports are opened, JavaScript, prose and
    /// other JSON are counted as skipped.
    pub paths: Vec<PathBuf>,
    /// List each file a run would read and what it holds (Deluge, an export, skipped and
    /// why), then the files passed over by name; check nothing.
    #[arg(long)]
    pub show_files: bool,
    /// No notes on stderr (skipped files, export functions without Deluge): only the
    /// diagnostics and the summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Skip paths matching this glob (repeatable; relative to the working directory).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Apply exclusions to files named on the command line too (for pre-commit).
    #[arg(long)]
    pub force_exclude: bool,
    /// The file name standard input stands for: shown in messages, used to find delint.toml.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Files larger than this are reported and not read (e.g. 10MB, 512KB).
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value_t = DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output_format: OutputFormat,
    /// Write the findings to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// The directory SARIF URIs are relative to (default: the working directory).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Print how many findings each rule reported instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Apply safe fixes to the files (atomically; only when the result parses cleanly).
    #[arg(long)]
    pub fix: bool,
    /// Also apply unsafe fixes (with `--fix` or `--diff`).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing.
    #[arg(long)]
    pub diff: bool,
    /// Exit with status 0 even when there are findings (tool errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Exit with status 1 when fixes were applied, even if no finding remains.
    #[arg(long)]
    pub exit_non_zero_on_fix: bool,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub threads: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Code frames with labels, help and fix diffs, for people.
    Text,
    /// One line per finding: `path:row:col: CODE message`.
    Concise,
    /// Findings under a heading per file.
    Grouped,
    /// A JSON array of findings (schema in the README).
    Json,
    /// One JSON finding per line.
    JsonLines,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML, for CI test reports.
    Junit,
    /// An audit report in Markdown for a consultant to hand over: summary, connections to
    /// create, findings per function with fixes, deprecation dates.
    Markdown,
    /// The audit report as one self-contained HTML page.
    Html,
}

impl OutputFormat {
    /// Whether the output is for people; machine formats keep stdout clean and put the
    /// summary on stderr.
    pub fn is_human(self) -> bool {
        matches!(self, OutputFormat::Text | OutputFormat::Concise | OutputFormat::Grouped)
    }
}
