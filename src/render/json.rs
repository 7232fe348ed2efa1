//! `json`: an array of findings; `json-lines`: one finding per line. Rows and columns are
//! 1-based, columns count characters. The schema is documented in the README and stays
//! stable; messages and fix contents never carry a token value.

use std::io::{self, Write};

use delint_linter::diagnostic::{Applicability, Diagnostic};
use serde::Serialize;

use super::Emitter;
use super::position::{Location, Positions};
use crate::report::FileReport;

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
    /// The workflow or function of a container the finding is in.
    scope: Option<&'a str>,
    /// For a script of a JSON export: where the script string starts in `filename`;
    /// `location` and the other positions are then in the script.
    script_location: Option<Location>,
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

/// Streams findings as they come.
pub struct Json {
    lines: bool,
    written: usize,
}

impl Json {
    pub fn array() -> Json {
        Json {
            lines: false,
            written: 0,
        }
    }

    pub fn lines() -> Json {
        Json {
            lines: true,
            written: 0,
        }
    }
}

impl Emitter for Json {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.lines { Ok(()) } else { write!(out, "[") }
    }

    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        let positions = Positions::new(&report.source);
        for diagnostic in &report.result.diagnostics {
            let value = json_diagnostic(report, &positions, diagnostic);
            if self.lines {
                serde_json::to_writer(&mut *out, &value).map_err(io::Error::other)?;
                writeln!(out)?;
            } else {
                // Each element pretty-printed and indented, as one pretty-printed array.
                let text = serde_json::to_string_pretty(&value).map_err(io::Error::other)?;
                let separator = if self.written == 0 { "" } else { "," };
                write!(out, "{separator}\n  {}", text.replace('\n', "\n  "))?;
            }
            self.written += 1;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _totals: &crate::report::Totals) -> io::Result<()> {
        match (self.lines, self.written) {
            (true, _) => Ok(()),
            (false, 0) => writeln!(out, "]"),
            (false, _) => writeln!(out, "\n]"),
        }
    }
}

fn json_diagnostic<'a>(
    report: &'a FileReport,
    positions: &Positions,
    diagnostic: &'a Diagnostic,
) -> JsonDiagnostic<'a> {
    let (location, end_location) = positions.range(diagnostic.range);
    JsonDiagnostic {
        code: diagnostic.code,
        name: diagnostic.name,
        message: &diagnostic.message,
        severity: diagnostic.severity.as_str(),
        filename: report.path.display().to_string(),
        scope: report.scope_of(diagnostic.range),
        script_location: report.embedded.as_ref().map(|e| Location {
            row: e.line,
            column: e.column,
        }),
        location,
        end_location,
        labels: diagnostic
            .labels
            .iter()
            .map(|label| {
                let (location, end_location) = positions.range(label.range);
                JsonLabel {
                    message: &label.message,
                    location,
                    end_location,
                }
            })
            .collect(),
        help: diagnostic.help.as_deref(),
        fix: diagnostic.fix.as_ref().map(|fix| JsonFix {
            applicability: applicability_name(fix.applicability),
            message: &fix.message,
            edits: super::redacted_edits(&report.source, &report.result.secrets, &fix.edits)
                .into_iter()
                .map(|edit| {
                    let (location, end_location) = positions.range(edit.range);
                    JsonEdit {
                        content: edit.content,
                        location,
                        end_location,
                    }
                })
                .collect(),
        }),
    }
}

/// `safe`, `unsafe`, `display-only`.
pub fn applicability_name(applicability: Applicability) -> &'static str {
    match applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
        Applicability::DisplayOnly => "display-only",
    }
}
