//! `delint check [PATHS...]`: lint files and directories and report the findings.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use delint_linter::LintResult;
use delint_linter::diagnostic::{Diagnostic, Severity};

use crate::cli::{CheckArgs, OutputFormat};
use crate::render;

/// File extensions checked when a directory is walked.
const EXTENSIONS: &[&str] = &["dg", "deluge", "ds"];

/// One file's source and findings.
pub struct FileReport {
    pub path: PathBuf,
    pub source: String,
    pub result: LintResult,
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
    let (files, mut errors) = collect_files(&paths);
    let mut reports = Vec::with_capacity(files.len());
    for path in files {
        match read_source(&path) {
            Ok(source) => reports.push(lint_file(path, source)),
            Err(message) => errors.push(FileError { path, message }),
        }
    }
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    errors.sort_by(|a, b| a.path.cmp(&b.path));

    let mut out = std::io::stdout().lock();
    let written = match args.output_format {
        OutputFormat::Text => render::text::write(&mut out, &reports, &errors),
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

fn lint_file(path: PathBuf, source: String) -> FileReport {
    let parsed = deluge_syntax::parse(&source);
    let result = delint_linter::lint(&source, &parsed);
    FileReport { path, source, result }
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
