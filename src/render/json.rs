//! `json`: an object with the findings and the run's summary (counts and the connections
//! the code needs); `json-lines`: one finding per line. Rows and columns are 1-based,
//! columns count characters. The schema is documented in the README; messages, fix
//! contents and link names never carry a token value.

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
        if self.lines {
            Ok(())
        } else {
            write!(out, "{{\n  \"findings\": [")
        }
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
                write!(out, "{separator}\n    {}", text.replace('\n', "\n    "))?;
            }
            self.written += 1;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &crate::report::Totals) -> io::Result<()> {
        if self.lines {
            return Ok(());
        }
        let close = if self.written == 0 { "]" } else { "\n  ]" };
        let summary = serde_json::to_string_pretty(&summary(totals)).map_err(io::Error::other)?;
        writeln!(out, "{close},\n  \"summary\": {}\n}}", summary.replace('\n', "\n  "))
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

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    functions: usize,
    errors: usize,
    warnings: usize,
    fixed: usize,
    safe_fixable: usize,
    unsafe_fixable: usize,
    skipped: usize,
    unreadable: usize,
    connections: Vec<JsonConnection>,
}

/// One connection of the run: a link name, what to do about it, its services and scopes.
#[derive(Serialize)]
pub struct JsonConnection {
    name: String,
    status: &'static str,
    services: Vec<&'static str>,
    scopes: Vec<String>,
}

fn summary(totals: &crate::report::Totals) -> JsonSummary {
    JsonSummary {
        files: totals.files,
        functions: totals.functions,
        errors: totals.errors,
        warnings: totals.warnings,
        fixed: totals.fixed,
        safe_fixable: totals.safe_fixable,
        unsafe_fixable: totals.unsafe_fixable,
        skipped: totals.skipped,
        unreadable: totals.unreadable,
        connections: connections(totals),
    }
}

/// The connections list, as JSON and SARIF give it (names masked like every other text).
pub fn connections(totals: &crate::report::Totals) -> Vec<JsonConnection> {
    totals
        .connection_list()
        .into_iter()
        .map(|c| JsonConnection {
            name: super::mask_secret_texts(&c.name, "", &[]),
            status: c.status.key(),
            services: c.services.iter().map(|s| s.display_name()).collect(),
            scopes: c.scopes.into_iter().collect(),
        })
        .collect()
}
