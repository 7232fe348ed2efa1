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
        let diagnostics: Vec<&Diagnostic> = report.result.diagnostics.iter().collect();
        for call in super::by_call(&diagnostics) {
            let scope = scope_note(report, call[0]);
            frame(self.config, &name, &call, scope.as_deref()).write(&mut cache, &mut *out)?;
            for fix in distinct_fixes(&call) {
                write_fix(out, &shown, &index, &report.source, &report.result.secrets, fix)?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        summary::write(out, totals, self.mode, true)
    }
}

/// One call's code frame: every rule that fires on it (the first names the frame, the
/// others follow as notes), the labels of all, and each help once.
fn frame<'a>(
    config: Config,
    name: &'a str,
    call: &[&'a Diagnostic],
    scope: Option<&str>,
) -> Report<'a, (&'a str, std::ops::Range<usize>)> {
    let first = call[0];
    let kind = if call.iter().any(|d| d.severity == Severity::Error) {
        ReportKind::Error
    } else {
        ReportKind::Warning
    };
    let span = |range: deluge_syntax::TextRange| (name, usize::from(range.start())..usize::from(range.end()));
    // ariadne opens a new frame whenever a label sits above the previous one, so labels
    // go in source order: one frame per call, read top to bottom.
    let mut labels = vec![(first.range, primary_label(first))];
    for label in call.iter().flat_map(|d| &d.labels) {
        if !labels
            .iter()
            .any(|(range, message)| *range == label.range && *message == label.message)
        {
            labels.push((label.range, label.message.as_str()));
        }
    }
    labels.sort_by_key(|(range, _)| range.start());
    let codes: Vec<String> = call.iter().map(|d| format!("{} {}", d.code, d.name)).collect();
    let mut builder = Report::build(kind, span(first.range))
        .with_config(config)
        .with_code(codes.join(", "))
        .with_message(&first.message);
    for (range, message) in labels {
        builder = builder.with_label(Label::new(span(range)).with_message(message));
    }
    builder.with_helps(super::call_helps(call));
    for also in &call[1..] {
        builder = builder.with_note(format!("also {}: {}", also.code, also.message));
    }
    if let Some(scope) = scope {
        builder = builder.with_note(scope);
    }
    builder.finish()
}

/// The fixes of a call's findings, each once: rules that share a rewrite share its fix.
fn distinct_fixes<'d>(call: &[&'d Diagnostic]) -> Vec<&'d Fix> {
    let mut fixes: Vec<&Fix> = Vec::new();
    for fix in call.iter().filter_map(|d| d.fix.as_ref()) {
        if !fixes.iter().any(|seen| seen.edits == fix.edits) {
            fixes.push(fix);
        }
    }
    fixes
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
