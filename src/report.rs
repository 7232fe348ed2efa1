//! What checking produces: one report per file, and the run's totals.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Duration;

use delint_container::ScriptSummary;
use delint_linter::diagnostic::{Applicability, Diagnostic, Severity};
use delint_linter::rules::UNREADABLE_FILE;
use delint_linter::{LintResult, NeededConnection};
use delint_workspace::walk_filter::PassedOver;
use deluge_syntax::TextRange;

/// What to do with fixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixMode {
    /// Report only.
    Report,
    /// Write the fixed files.
    Write(Applicability),
    /// Print a diff, write nothing.
    Diff(Applicability),
}

/// One file's source (after any fixes) and its findings.
#[derive(Debug, Default)]
pub struct FileReport {
    /// The path as the user reads it (`-` or `--stdin-filename` for standard input).
    pub path: PathBuf,
    /// The text the diagnostics' ranges refer to: the fixed text after fixes, the lossy
    /// text of a file that is not UTF-8, empty when nothing could be read.
    pub source: String,
    pub result: LintResult,
    /// How many findings fixes resolved.
    pub fixed: usize,
    /// Why this file's fixes were thrown away.
    pub rejected: Option<String>,
    /// The unified diff of the fixes, with `--diff`.
    pub diff: Option<String>,
    /// The file could not be read: its only diagnostic is `DL900`.
    pub unreadable: bool,
    /// `--fix` could not write the fixed text back; the findings are the original's.
    pub write_error: Option<String>,
    /// Whether `--fix` wrote the fixed text back.
    pub written: bool,
    /// The named scripts of a container (a Creator export's workflows and functions), in
    /// source order; empty for a plain Deluge file, which is one script.
    pub scripts: Vec<ScriptSummary>,
    /// The file is a Markdown document and `scripts` are its code blocks of Deluge.
    pub markdown: bool,
    /// Set when `source` is a script taken out of a JSON export.
    pub embedded: Option<EmbeddedScript>,
    /// Why the file was not linted (it is not Deluge).
    pub skipped: Option<String>,
    /// Things the user should know that are not findings (functions of an export that
    /// hold no Deluge), printed as notes on stderr.
    pub notes: Vec<String>,
}

/// A script that lives in a JSON string of the file at `path`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbeddedScript {
    /// The function's name.
    pub function: String,
    /// `function send_invoice (automation)`.
    pub title: String,
    /// Where the script string starts in the JSON file (1-based).
    pub line: u32,
    pub column: u32,
    /// Whether this is the file's first function (files are counted once).
    pub first: bool,
}

impl FileReport {
    /// A report for a file that could not be read, with the `DL900` diagnostic at `at`.
    pub fn unreadable(path: PathBuf, reason: String, source: String, at: usize) -> FileReport {
        let offset = u32::try_from(at).unwrap_or(u32::MAX).into();
        let end = source[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        let range = TextRange::new(offset, u32::try_from(end).unwrap_or(u32::MAX).into());
        let diagnostic = Diagnostic::new(&UNREADABLE_FILE, range, reason);
        FileReport {
            path,
            source,
            result: LintResult {
                diagnostics: vec![diagnostic],
                ..LintResult::default()
            },
            unreadable: true,
            ..FileReport::default()
        }
    }
}

impl FileReport {
    /// The report of a file that is not Deluge.
    pub fn skipped(path: PathBuf, reason: String) -> FileReport {
        FileReport {
            path,
            skipped: Some(reason),
            ..FileReport::default()
        }
    }

    /// The path as positions are reported against it: `export.json:send_invoice` for a
    /// script of a JSON export (as ruff names notebook cells), the path otherwise.
    pub fn display_path(&self) -> String {
        match &self.embedded {
            Some(embedded) => format!("{}:{}", self.path.display(), embedded.function),
            None => self.path.display().to_string(),
        }
    }

    /// The workflow or function `range` is in: a container's script, or the function a
    /// JSON export's script belongs to.
    pub fn scope_of(&self, range: TextRange) -> Option<&str> {
        match &self.embedded {
            Some(embedded) => Some(&embedded.title),
            None => self.script_of(range).map(|i| self.scripts[i].name.as_str()),
        }
    }

    /// The index in `scripts` of the script `range` starts in.
    pub fn script_of(&self, range: TextRange) -> Option<usize> {
        let after = self.scripts.partition_point(|s| s.range.start() <= range.start());
        after
            .checked_sub(1)
            .filter(|&i| self.scripts[i].range.contains_inclusive(range.start()))
    }

    /// How many functions (scripts) the report covers.
    pub fn functions(&self) -> usize {
        if self.unreadable || self.skipped.is_some() {
            0
        } else {
            self.scripts.len().max(1)
        }
    }
}

/// Per-rule counts, for `--statistics`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleCount {
    pub name: &'static str,
    pub count: usize,
    /// How many of them have a fix applied by `--fix` (safe) or `--fix --unsafe-fixes`.
    pub fixable: usize,
}

/// The run's totals: everything the summary, the statistics and the exit code need, so
/// reports can be dropped as soon as they are printed.
#[derive(Debug, Default)]
pub struct Totals {
    /// Files read and linted.
    pub files: usize,
    /// Files that could not be read.
    pub unreadable: usize,
    /// Files skipped as not Deluge.
    pub skipped: usize,
    /// The skipped files by what they are ("JavaScript", "Markdown or prose", "binary").
    pub skipped_as: BTreeMap<&'static str, usize>,
    /// Files a walk passed over by name, by why.
    pub passed_over: BTreeMap<PassedOver, usize>,
    /// Broken configuration files: the files below them were not checked.
    pub config_errors: usize,
    /// Scripts linted: one per plain file, one per workflow or function of a container.
    pub functions: usize,
    /// Files whose fixes could not be written.
    pub write_errors: usize,
    /// Files `--fix` wrote back.
    pub files_written: usize,
    /// Files not checked because a signal stopped the run.
    pub not_checked: usize,
    pub errors: usize,
    pub warnings: usize,
    pub by_rule: BTreeMap<&'static str, RuleCount>,
    /// Findings resolved by fixes.
    pub fixed: usize,
    pub safe_fixable: usize,
    pub unsafe_fixable: usize,
    /// Connections the checked code needs.
    pub connections: BTreeSet<NeededConnection>,
    /// Whether any authtoken finding was seen or fixed (the connections list matters then).
    pub authtokens_seen: bool,
    pub elapsed: Duration,
}

impl Totals {
    /// Counts one report.
    pub fn add(&mut self, report: &FileReport) {
        if report.unreadable {
            self.unreadable += 1;
            let entry = self.by_rule.entry(UNREADABLE_FILE.code).or_default();
            entry.name = UNREADABLE_FILE.name;
            entry.count += 1;
            return;
        }
        if let Some(reason) = &report.skipped {
            self.skipped += 1;
            *self.skipped_as.entry(kind_of_skipped(reason)).or_default() += 1;
            return;
        }
        // A JSON export yields one report per function: count the file once.
        let first_of_file = report.embedded.as_ref().is_none_or(|e| e.first);
        self.files += usize::from(first_of_file);
        self.functions += report.functions();
        self.write_errors += usize::from(report.write_error.is_some());
        self.files_written += usize::from(report.written);
        self.fixed += report.fixed;
        self.authtokens_seen |= report.fixed > 0;
        for diagnostic in &report.result.diagnostics {
            match diagnostic.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
            let applicability = diagnostic.fix.as_ref().map(|fix| fix.applicability);
            match applicability {
                Some(Applicability::Safe) => self.safe_fixable += 1,
                Some(Applicability::Unsafe) => self.unsafe_fixable += 1,
                _ => {}
            }
            let entry = self.by_rule.entry(diagnostic.code).or_default();
            entry.name = diagnostic.name;
            entry.count += 1;
            entry.fixable += usize::from(applicability > Some(Applicability::DisplayOnly));
            self.authtokens_seen |= is_authtoken_finding(diagnostic);
        }
        self.connections.extend(report.result.connections.iter().cloned());
    }

    /// The connections to list, one per link name (see [`delint_linter::connections`]).
    pub fn connection_list(&self) -> Vec<delint_linter::connections::Connection> {
        delint_linter::connections::summarise(&self.connections)
    }

    /// Findings in files that were read.
    pub fn findings(&self) -> usize {
        self.errors + self.warnings
    }

    /// Whether something could not be checked: a file unread or unwritten, a broken
    /// configuration.
    pub fn tool_errors(&self) -> usize {
        self.unreadable + self.write_errors + self.config_errors
    }
}

/// What a file skipped for `reason` is, in a word or two, for the summary's counts.
pub fn kind_of_skipped(reason: &str) -> &'static str {
    if reason.contains("JavaScript") {
        "JavaScript"
    } else if reason.contains("Markdown") {
        "Markdown or prose"
    } else if reason.contains("another language") {
        "other language"
    } else if reason.starts_with("binary") {
        "binary"
    } else {
        "other JSON"
    }
}

/// Whether the finding makes its call fail today: it sends an authtoken (DL001–DL003) or
/// calls a retired v1 API (DL011).
pub fn fails_today(diagnostic: &Diagnostic) -> bool {
    is_authtoken_finding(diagnostic) || diagnostic.code == "DL011"
}

/// DL001–DL003.
pub fn is_authtoken_finding(diagnostic: &Diagnostic) -> bool {
    matches!(diagnostic.code, "DL001" | "DL002" | "DL003")
}
