//! Output formats. Every renderer consumes the same reports; none recomputes anything.
//! Reports arrive one file at a time, in path order, and are dropped once rendered.

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

use delint_linter::diagnostic::Edit;
use deluge_syntax::TextRange;

use crate::cli::OutputFormat;
use crate::commands::check::FixMode;
use crate::report::{FileReport, Totals};

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
    }
}

/// How many characters of a secret stay visible.
const VISIBLE_PREFIX: usize = 4;

/// `source` with every secret range masked except a short prefix, byte for byte the same
/// length, so ranges computed on the original still point at the same places.
pub fn redact(source: &str, secrets: &[TextRange]) -> String {
    let mut text = source.to_owned();
    for secret in secrets {
        text.replace_range(std::ops::Range::<usize>::from(*secret), &masked(&source[*secret]));
    }
    text
}

/// The secret's text with all but its first characters masked, byte for byte as long.
fn masked(secret: &str) -> String {
    secret
        .chars()
        .enumerate()
        .map(|(i, ch)| {
            if i < VISIBLE_PREFIX {
                ch.to_string()
            } else {
                "*".repeat(ch.len_utf8())
            }
        })
        .collect()
}

/// `text` (not `source`) with every secret of `source` masked wherever it appears, and any
/// token-shaped run masked too: for text built from the source, such as a fix's content.
pub fn mask_secret_texts(text: &str, source: &str, secrets: &[TextRange]) -> String {
    let mut text = text.to_owned();
    for secret in secrets {
        let value = &source[*secret];
        if value.chars().count() > VISIBLE_PREFIX {
            text = text.replace(value, &masked(value));
        }
    }
    let shaped = delint_linter::secrets::token_shaped(&text);
    redact(&text, &shaped)
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

/// `n thing` / `n things`.
pub fn count(n: usize, thing: &str) -> String {
    format!("{n} {thing}{}", if n == 1 { "" } else { "s" })
}
