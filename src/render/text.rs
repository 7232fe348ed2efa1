//! Human output: ariadne code frames with labels and help, then a summary line.

use std::io::{self, Write};

use ariadne::{Config, IndexType, Label, Report, ReportKind, Source};
use delint_linter::NeededConnection;
use delint_linter::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use delint_linter::fix::apply::apply_edits;

use crate::commands::check::{FileError, FileReport, FixMode, count};

pub fn write(out: &mut impl Write, reports: &[FileReport], errors: &[FileError], mode: FixMode) -> io::Result<()> {
    let color = std::env::var_os("NO_COLOR").is_none() && io::IsTerminal::is_terminal(&io::stdout());
    let config = Config::default().with_index_type(IndexType::Byte).with_color(color);
    for error in errors {
        writeln!(out, "error: {}: {}", error.path.display(), error.message)?;
    }
    for report in reports {
        if let Some(diff) = &report.diff {
            write!(out, "{diff}")?;
        }
        if let Some(reason) = &report.rejected {
            writeln!(out, "error: {}: fixes not applied: {reason}", report.path.display())?;
        }
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
            if let Some(fix) = &diagnostic.fix {
                write_fix(out, &shown, &report.source, &report.result.secrets, fix)?;
            }
        }
    }
    let (error_count, warning_count) = count(reports);
    let files = reports.len();
    match error_count + warning_count {
        0 => writeln!(out, "All checks passed ({files} file{} checked).", plural(files))?,
        _ => writeln!(
            out,
            "Found {error_count} error{} and {warning_count} warning{} in {files} file{} checked.",
            plural(error_count),
            plural(warning_count),
            plural(files)
        )?,
    }
    write_fix_summary(out, reports, mode)?;
    write_connections(out, reports)
}

/// The fix under a diagnostic: how safe it is, what it does, and the change as a diff.
fn write_fix(
    out: &mut impl Write,
    shown: &str,
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
    let after = apply_edits(shown, &super::redacted_edits(source, secrets, &fix.edits));
    let diff = similar::TextDiff::from_lines(shown, &after);
    for hunk in diff.unified_diff().context_radius(1).iter_hunks() {
        for line in hunk.to_string().lines() {
            writeln!(out, "  {line}")?;
        }
    }
    Ok(())
}

/// How many findings were (or can be) fixed, and how.
fn write_fix_summary(out: &mut impl Write, reports: &[FileReport], mode: FixMode) -> io::Result<()> {
    let fixed: usize = reports.iter().map(|r| r.fixed).sum();
    let fixable = |level: Applicability| {
        reports
            .iter()
            .flat_map(|r| &r.result.diagnostics)
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == level))
            .count()
    };
    let (safe, unsafe_) = (fixable(Applicability::Safe), fixable(Applicability::Unsafe));
    match mode {
        FixMode::Write(_) if fixed > 0 => writeln!(out, "Fixed {fixed} finding{}.", plural(fixed))?,
        FixMode::Diff(_) if fixed > 0 => writeln!(out, "Would fix {fixed} finding{}.", plural(fixed))?,
        _ => {}
    }
    if matches!(mode, FixMode::Report) && safe > 0 {
        writeln!(out, "{safe} fixable with --fix.")?;
    }
    if unsafe_ > 0
        && !matches!(
            mode,
            FixMode::Write(Applicability::Unsafe) | FixMode::Diff(Applicability::Unsafe)
        )
    {
        let more = if safe > 0 && matches!(mode, FixMode::Report) {
            " more"
        } else {
            ""
        };
        writeln!(out, "{unsafe_}{more} fixable with --fix --unsafe-fixes.")?;
    }
    Ok(())
}

/// The OAuth connections the code needs, per service, with the scopes to tick.
fn write_connections(out: &mut impl Write, reports: &[FileReport]) -> io::Result<()> {
    let touched_authtokens = reports
        .iter()
        .any(|r| r.fixed > 0 || r.result.diagnostics.iter().any(is_authtoken_finding));
    let mut needed: Vec<&NeededConnection> = reports.iter().flat_map(|r| &r.result.connections).collect();
    needed.sort();
    needed.dedup();
    if !touched_authtokens || needed.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\nConnections this code needs (create them in Zoho before deploying):"
    )?;
    for connection in needed {
        let scopes = connection.service.scopes();
        write!(out, "  {:<20} {}", connection.name, connection.service.display_name())?;
        if !scopes.is_empty() {
            write!(out, ", scopes: {}", scopes.join(", "))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn is_authtoken_finding(diagnostic: &Diagnostic) -> bool {
    matches!(diagnostic.code, "DL001" | "DL002" | "DL003")
}

/// The short text under the offending construct.
fn primary_label(diagnostic: &Diagnostic) -> &'static str {
    match diagnostic.code {
        "DL001" | "DL002" | "DL003" => "this call sends the authtoken",
        "DL901" | "DL902" => "this suppression",
        _ => "here",
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
