//! `--output-format json`: one array of findings; rows and columns are 1-based, columns in
//! characters. Messages never contain token values.

use std::io::{self, Write};

use delint_linter::diagnostic::Applicability;
use deluge_syntax::{LineIndex, TextRange};
use serde::Serialize;

use crate::commands::check::FileReport;

#[derive(Serialize)]
struct Location {
    row: u32,
    column: u32,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    location: Location,
    end_location: Location,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    message: &'a str,
    severity: &'a str,
    filename: String,
    location: Location,
    end_location: Location,
    labels: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'static str,
    message: &'a str,
    edits: Vec<JsonEdit>,
}

#[derive(Serialize)]
struct JsonEdit {
    content: String,
    location: Location,
    end_location: Location,
}

pub fn write(out: &mut impl Write, reports: &[FileReport]) -> io::Result<()> {
    let mut all = Vec::new();
    for report in reports {
        let index = LineIndex::new(&report.source);
        let position = |range: TextRange| {
            let (start, end) = index.range_line_cols(&report.source, range);
            (
                Location {
                    row: start.line,
                    column: start.column,
                },
                Location {
                    row: end.line,
                    column: end.column,
                },
            )
        };
        for diagnostic in &report.result.diagnostics {
            let (location, end_location) = position(diagnostic.range);
            all.push(JsonDiagnostic {
                code: diagnostic.code,
                name: diagnostic.name,
                message: &diagnostic.message,
                severity: diagnostic.severity.as_str(),
                filename: report.path.display().to_string(),
                location,
                end_location,
                labels: diagnostic
                    .labels
                    .iter()
                    .map(|label| {
                        let (location, end_location) = position(label.range);
                        JsonLabel {
                            message: &label.message,
                            location,
                            end_location,
                        }
                    })
                    .collect(),
                help: diagnostic.help.as_deref(),
                fix: diagnostic.fix.as_ref().map(|fix| JsonFix {
                    applicability: match fix.applicability {
                        Applicability::Safe => "safe",
                        Applicability::Unsafe => "unsafe",
                        Applicability::DisplayOnly => "display-only",
                    },
                    message: &fix.message,
                    edits: super::redacted_edits(&report.source, &report.result.secrets, &fix.edits)
                        .into_iter()
                        .map(|edit| {
                            let (location, end_location) = position(edit.range);
                            JsonEdit {
                                content: edit.content,
                                location,
                                end_location,
                            }
                        })
                        .collect(),
                }),
            });
        }
    }
    serde_json::to_writer_pretty(&mut *out, &all).map_err(io::Error::other)?;
    writeln!(out)
}
