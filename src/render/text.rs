//! Human output: ariadne code frames with labels and help, then a summary line.

use std::io::{self, Write};

use ariadne::{Config, IndexType, Label, Report, ReportKind, Source};
use delint_linter::diagnostic::Severity;

use crate::commands::check::{FileError, FileReport, count};

pub fn write(out: &mut impl Write, reports: &[FileReport], errors: &[FileError]) -> io::Result<()> {
    let color = std::env::var_os("NO_COLOR").is_none() && io::IsTerminal::is_terminal(&io::stdout());
    let config = Config::default().with_index_type(IndexType::Byte).with_color(color);
    for error in errors {
        writeln!(out, "error: {}: {}", error.path.display(), error.message)?;
    }
    for report in reports {
        if report.result.diagnostics.is_empty() {
            continue;
        }
        let name = report.path.display().to_string();
        let shown = super::redact(&report.source, &report.result.secrets);
        let mut cache = (name.as_str(), Source::from(shown.as_str()));
        for diagnostic in &report.result.diagnostics {
            let kind = match diagnostic.severity {
                Severity::Error => ReportKind::Error,
                Severity::Warning => ReportKind::Warning,
            };
            let primary = (
                name.as_str(),
                usize::from(diagnostic.range.start())..usize::from(diagnostic.range.end()),
            );
            // ariadne opens a new frame whenever a label sits above the previous one, so labels
            // go in source order: one frame per diagnostic, read top to bottom.
            let mut labels = vec![(diagnostic.range, primary_label(diagnostic))];
            labels.extend(
                diagnostic
                    .labels
                    .iter()
                    .map(|label| (label.range, label.message.as_str())),
            );
            labels.sort_by_key(|(range, _)| range.start());
            let mut builder = Report::build(kind, primary)
                .with_config(config)
                .with_code(format!("{} {}", diagnostic.code, diagnostic.name))
                .with_message(&diagnostic.message);
            for (range, message) in labels {
                let span = (name.as_str(), usize::from(range.start())..usize::from(range.end()));
                builder = builder.with_label(Label::new(span).with_message(message));
            }
            if let Some(help) = &diagnostic.help {
                builder = builder.with_help(help);
            }
            builder.finish().write(&mut cache, &mut *out)?;
        }
    }
    let (error_count, warning_count) = count(reports);
    let files = reports.len();
    match error_count + warning_count {
        0 => writeln!(out, "All checks passed ({files} file{} checked).", plural(files)),
        _ => writeln!(
            out,
            "Found {error_count} error{} and {warning_count} warning{} in {files} file{} checked.",
            plural(error_count),
            plural(warning_count),
            plural(files)
        ),
    }
}

/// The short text under the offending construct.
fn primary_label(diagnostic: &delint_linter::diagnostic::Diagnostic) -> &'static str {
    match diagnostic.code {
        "DL001" | "DL002" | "DL003" => "this call sends the authtoken",
        "DL901" | "DL902" => "this suppression",
        _ => "here",
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
