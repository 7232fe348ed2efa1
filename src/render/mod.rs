//! Output formats. Every renderer consumes the same reports; none recomputes anything.
//! Reports arrive one file at a time, in path order, and are dropped once rendered.

mod audit;
pub mod concise;
mod fix_diff;
pub mod github;
pub mod json;
pub mod junit;
mod position;
pub mod sarif;
pub mod statistics;
pub mod summary;
pub mod text;

use std::io::{self, Write};
use std::path::PathBuf;

use delint_linter::diagnostic::{Diagnostic, Edit};
use deluge_syntax::TextRange;

use crate::cli::OutputFormat;
use crate::report::{FileReport, FixMode, Totals};

/// What renderers need to know about the run.
#[derive(Clone, Debug)]
pub struct RenderContext {
    pub mode: FixMode,
    /// ANSI colours in text output.
    pub color: bool,
    /// The working directory.
    pub cwd: PathBuf,
    /// The directory SARIF URIs are relative to.
    pub root: PathBuf,
}

/// Writes one output format, a file at a time.
pub trait Emitter {
    /// Before the first file.
    fn begin(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// One file's report.
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()>;

    /// After the last file.
    fn finish(&mut self, _out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        Ok(())
    }
}

/// The emitter for `format`; with `statistics`, the per-rule counts replace the findings.
pub fn emitter(format: OutputFormat, statistics: bool, context: &RenderContext) -> Box<dyn Emitter> {
    if statistics {
        return Box::new(statistics::Statistics {
            json: matches!(format, OutputFormat::Json | OutputFormat::JsonLines),
        });
    }
    match format {
        OutputFormat::Text => Box::new(text::Text::new(context)),
        OutputFormat::Concise => Box::new(concise::Concise::new(context.mode, false)),
        OutputFormat::Grouped => Box::new(concise::Concise::new(context.mode, true)),
        OutputFormat::Json => Box::new(json::Json::array()),
        OutputFormat::JsonLines => Box::new(json::Json::lines()),
        OutputFormat::Sarif => Box::new(sarif::Sarif::new(context)),
        OutputFormat::Github => Box::new(github::Github),
        OutputFormat::Junit => Box::new(junit::Junit::default()),
        OutputFormat::Markdown => Box::new(audit::Audit::new(audit::Style::Markdown)),
        OutputFormat::Html => Box::new(audit::Audit::new(audit::Style::Html)),
    }
}

pub use delint_linter::secrets::{mask_secret_texts, redact};

/// Messages, help, labels and fix descriptions sometimes quote the code (a path, a name):
/// mask any secret they picked up, before any format prints them.
pub fn mask_messages(report: &mut FileReport) {
    let (source, secrets) = (&report.source, &report.result.secrets);
    let mask = |text: &mut String| *text = mask_secret_texts(text, source, secrets);
    for diagnostic in &mut report.result.diagnostics {
        mask(&mut diagnostic.message);
        diagnostic.help.iter_mut().for_each(mask);
        diagnostic.labels.iter_mut().for_each(|label| mask(&mut label.message));
        if let Some(fix) = &mut diagnostic.fix {
            mask(&mut fix.message);
        }
    }
}

/// A fix's edits with secrets masked in their content; ranges still fit the redacted source.
pub fn redacted_edits(source: &str, secrets: &[TextRange], edits: &[Edit]) -> Vec<Edit> {
    edits
        .iter()
        .map(|edit| Edit {
            range: edit.range,
            content: mask_secret_texts(&edit.content, source, secrets),
        })
        .collect()
}

/// Findings grouped by the call (or construct) they are on, that is by identical range,
/// in the order each call is first seen: renderers show a call once, with all its rules.
pub fn by_call<'d>(diagnostics: &[&'d Diagnostic]) -> Vec<Vec<&'d Diagnostic>> {
    let mut groups: Vec<Vec<&Diagnostic>> = Vec::new();
    for diagnostic in diagnostics {
        match groups.iter_mut().find(|g| g[0].range == diagnostic.range) {
            Some(group) => group.push(diagnostic),
            None => groups.push(vec![diagnostic]),
        }
    }
    groups
}

/// The helps of one call's findings, each once. A call that fails today has its remedy
/// in the failing rule's help, which covers the rewrite DL010's help asks for: that one
/// is left out.
pub fn call_helps<'d>(call: &[&'d Diagnostic]) -> Vec<&'d str> {
    let fails = call.iter().any(|d| crate::report::fails_today(d));
    let mut helps: Vec<&str> = Vec::new();
    for help in call
        .iter()
        .filter(|d| !(fails && d.code == "DL010"))
        .filter_map(|d| d.help.as_deref())
    {
        if !helps.contains(&help) {
            helps.push(help);
        }
    }
    helps
}

/// `n thing` / `n things`.
pub fn count(n: usize, thing: &str) -> String {
    format!("{n} {thing}{}", if n == 1 { "" } else { "s" })
}

/// Text for an XML attribute or element: markup escaped, and characters XML 1.0 forbids
/// replaced.
pub fn xml_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\t' | '\n' | '\r' => escaped.push(ch),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => escaped.push('\u{FFFD}'),
            c => escaped.push(c),
        }
    }
    escaped
}
