//! Human output: ariadne code frames with labels, help and fix diffs, then the summary.

use std::io::{self, Write};

use ariadne::{Config, IndexType, Label, Report, ReportKind, Source};
use delint_linter::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use deluge_syntax::LineIndex;

use super::{Emitter, RenderContext, summary};
use crate::report::{FileReport, FixMode, Totals};

pub struct Text {
    config: Config,
    mode: FixMode,
}

impl Text {
    pub fn new(context: &RenderContext) -> Text {
        Text {
            config: Config::default()
                .with_index_type(IndexType::Byte)
                .with_color(context.color),
            mode: context.mode,
        }
    }
}

impl Emitter for Text {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        let name = report.display_path();
        if let Some(reason) = &report.rejected {
            writeln!(out, "error: {name}: fixes not applied: {reason}")?;
        }
        if let Some(reason) = &report.write_error {
            writeln!(out, "error: {name}: {reason}")?;
        }
        if report.unreadable && report.source.is_empty() {
            for diagnostic in &report.result.diagnostics {
                writeln!(out, "error[{}]: {name}: {}", diagnostic.code, diagnostic.message)?;
            }
            return Ok(());
        }
        if report.result.diagnostics.is_empty() {
            return Ok(());
        }
        let shown = super::redact(&report.source, &report.result.secrets);
        let index = LineIndex::new(&shown);
        let mut cache = (name.as_str(), Source::from(shown.as_str()));
        for diagnostic in &report.result.diagnostics {
            let scope = scope_note(report, diagnostic);
            frame(self.config, &name, diagnostic, scope.as_deref()).write(&mut cache, &mut *out)?;
            if let Some(fix) = &diagnostic.fix {
                write_fix(out, &shown, &index, &report.source, &report.result.secrets, fix)?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        summary::write(out, totals, self.mode, true)
    }
}

/// One diagnostic's code frame.
fn frame<'a>(
    config: Config,
    name: &'a str,
    diagnostic: &'a Diagnostic,
    scope: Option<&str>,
) -> Report<'a, (&'a str, std::ops::Range<usize>)> {
    let kind = match diagnostic.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
    };
    let span = |range: deluge_syntax::TextRange| (name, usize::from(range.start())..usize::from(range.end()));
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
    let mut builder = Report::build(kind, span(diagnostic.range))
        .with_config(config)
        .with_code(format!("{} {}", diagnostic.code, diagnostic.name))
        .with_message(&diagnostic.message);
    for (range, message) in labels {
        builder = builder.with_label(Label::new(span(range)).with_message(message));
    }
    if let Some(help) = &diagnostic.help {
        builder = builder.with_help(help);
    }
    if let Some(scope) = scope {
        builder = builder.with_note(scope);
    }
    builder.finish()
}

/// The fix under a diagnostic: how safe it is, what it does, and the change as a diff.
fn write_fix(
    out: &mut dyn Write,
    shown: &str,
    index: &LineIndex,
    source: &str,
    secrets: &[deluge_syntax::TextRange],
    fix: &Fix,
) -> io::Result<()> {
    let safety = match fix.applicability {
        Applicability::Safe => "safe fix, applied with --fix",
        Applicability::Unsafe => "unsafe fix, applied with --fix --unsafe-fixes",
        Applicability::DisplayOnly => "suggested fix, never applied automatically",
    };
    writeln!(out, "  = {safety}: {}", fix.message)?;
    let edits = super::redacted_edits(source, secrets, &fix.edits);
    for line in super::fix_diff::hunk_lines(shown, index, &edits) {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

/// Which workflow or function of a container the finding is in.
fn scope_note(report: &FileReport, diagnostic: &Diagnostic) -> Option<String> {
    let scope = report.scope_of(diagnostic.range)?;
    Some(match &report.embedded {
        Some(embedded) => format!(
            "in {scope}, whose script starts at {}:{}:{}",
            report.path.display(),
            embedded.line,
            embedded.column
        ),
        None => format!("in {scope}"),
    })
}

/// The short text under the offending construct.
fn primary_label(diagnostic: &Diagnostic) -> &'static str {
    match diagnostic.code {
        "DL001" | "DL002" | "DL003" => "this call sends the authtoken",
        "DL901" | "DL902" => "this suppression",
        "DL900" => "this byte",
        _ => "here",
    }
}
