//! `delint check [PATHS...]`: lint files and directories and report the findings.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use delint_linter::LintResult;
use delint_linter::diagnostic::{Applicability, Diagnostic, Severity};
use delint_linter::fix::apply::fix_source;
use delint_linter::settings::Settings;

use super::config::ConfigResolver;
use crate::cli::{CheckArgs, OutputFormat};
use crate::render;

/// File extensions checked when a directory is walked.
const EXTENSIONS: &[&str] = &["dg", "deluge", "ds"];

/// One file's source (after any fixes) and its findings.
pub struct FileReport {
    pub path: PathBuf,
    pub source: String,
    pub result: LintResult,
    /// How many findings fixes resolved.
    pub fixed: usize,
    /// Why this file's fixes were thrown away.
    pub rejected: Option<String>,
    /// The unified diff of the fixes, with `--diff`.
    pub diff: Option<String>,
}

/// What to do with fixes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FixMode {
    /// Report only.
    Report,
    /// Write the fixed files.
    Write(Applicability),
    /// Print a diff, write nothing.
    Diff(Applicability),
}

/// A file that could not be checked.
pub struct FileError {
    pub path: PathBuf,
    pub message: String,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let level = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let mode = match (args.diff, args.fix) {
        (true, _) => FixMode::Diff(level),
        (false, true) => FixMode::Write(level),
        (false, false) => FixMode::Report,
    };
    let mut configs = ConfigResolver::new(args.config.as_deref());
    let (files, mut errors) = collect_files(&paths);
    let mut reports = Vec::with_capacity(files.len());
    for path in files {
        let settings = match configs.settings_for(&path) {
            Ok(settings) => settings,
            Err(message) => {
                errors.push(FileError { path, message });
                continue;
            }
        };
        match read_source(&path).and_then(|source| check_file(path.clone(), source, &settings, mode)) {
            Ok(report) => reports.push(report),
            Err(message) => errors.push(FileError { path, message }),
        }
    }
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    errors.sort_by(|a, b| a.path.cmp(&b.path));

    let mut out = std::io::stdout().lock();
    let written = match args.output_format {
        OutputFormat::Text => render::text::write(&mut out, &reports, &errors, mode),
        OutputFormat::Json => render::json::write(&mut out, &reports),
    };
    if args.output_format != OutputFormat::Text {
        for error in &errors {
            eprintln!("error: {}: {}", error.path.display(), error.message);
        }
    }
    if written.and_then(|()| out.flush()).is_err() {
        return ExitCode::from(2);
    }
    let findings = reports.iter().map(|r| r.result.diagnostics.len()).sum::<usize>();
    if !errors.is_empty() {
        ExitCode::from(2)
    } else if findings > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn check_file(path: PathBuf, source: String, settings: &Settings, mode: FixMode) -> Result<FileReport, String> {
    let (FixMode::Write(level) | FixMode::Diff(level)) = mode else {
        let parsed = deluge_syntax::parse(&source);
        let result = delint_linter::lint(&source, &parsed, settings);
        return Ok(FileReport {
            path,
            source,
            result,
            fixed: 0,
            rejected: None,
            diff: None,
        });
    };
    let outcome = fix_source(&source, settings, level);
    let changed = outcome.text != source;
    let diff = (mode == FixMode::Diff(level) && changed).then(|| {
        let before = render::redact(&source, &outcome.original_secrets);
        let after = render::redact(&outcome.text, &outcome.remaining.secrets);
        let after = render::mask_secret_texts(&after, &source, &outcome.original_secrets);
        unified_diff(&path, &before, &after)
    });
    if matches!(mode, FixMode::Write(_)) && changed {
        write_atomically(&path, &outcome.text).map_err(|e| format!("could not write the fixed file: {e}"))?;
    }
    Ok(FileReport {
        path,
        source: outcome.text,
        result: outcome.remaining,
        fixed: outcome.fixed,
        rejected: outcome.rejected,
        diff,
    })
}

/// Writes `text` to a temporary file beside `path`, with `path`'s permissions, then renames
/// it over `path`: a reader sees the old file or the new one, never half of either.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(path)?.permissions();
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    temp.as_file().set_permissions(permissions)?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn unified_diff(path: &Path, before: &str, after: &str) -> String {
    let name = path.display().to_string();
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&name, &name)
        .to_string()
}

/// Files named on the command line are checked whatever their extension; directories are
/// walked (honouring `.gitignore`) for Deluge extensions.
fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<FileError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_file() {
            files.push(path.clone());
            continue;
        }
        if !path.exists() {
            errors.push(FileError {
                path: path.clone(),
                message: "no such file or directory".to_owned(),
            });
            continue;
        }
        for entry in ignore::WalkBuilder::new(path).build() {
            match entry {
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) && has_deluge_extension(entry.path()) => {
                    files.push(entry.into_path());
                }
                Ok(_) => {}
                Err(error) => errors.push(FileError {
                    path: path.clone(),
                    message: error.to_string(),
                }),
            }
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

fn has_deluge_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

pub fn read_source(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        format!(
            "not valid UTF-8 (line {line}, byte offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Counts per severity, for the summary line.
pub fn count(reports: &[FileReport]) -> (usize, usize) {
    let all = reports.iter().flat_map(|r| &r.result.diagnostics);
    let errors = all
        .clone()
        .filter(|d: &&Diagnostic| d.severity == Severity::Error)
        .count();
    (errors, all.count() - errors)
}
