//! `github`: GitHub Actions workflow commands, which the runner turns into annotations on
//! the pull request's diff.

use std::io::{self, Write};

use delint_linter::diagnostic::Severity;

use super::Emitter;
use super::position::Positions;
use crate::report::FileReport;

pub struct Github;

impl Emitter for Github {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        let positions = Positions::new(&report.source);
        let file = escape_property(&report.path.display().to_string());
        for diagnostic in &report.result.diagnostics {
            let (start, end) = positions.range(diagnostic.range);
            let command = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let title = escape_property(&format!("{} {}", diagnostic.code, diagnostic.name));
            if let Some(embedded) = &report.embedded {
                // Annotations need a line of the file: the script's start in the JSON.
                writeln!(
                    out,
                    "::{command} file={file},line={},col={},title={title}::{}",
                    embedded.line,
                    embedded.column,
                    escape_data(&format!(
                        "{} (in {}, script line {}, column {})",
                        diagnostic.message, embedded.title, start.row, start.column
                    ))
                )?;
                continue;
            }
            let message = match report.scope_of(diagnostic.range) {
                Some(scope) => format!("{} (in {scope})", diagnostic.message),
                None => diagnostic.message.clone(),
            };
            writeln!(
                out,
                "::{command} file={file},line={},col={},endLine={},endColumn={},title={title}::{}",
                start.row,
                start.column,
                end.row,
                end.column,
                escape_data(&message)
            )?;
        }
        Ok(())
    }
}

/// A command's message: `%`, CR and LF are encoded.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A command's property value: also `:` and `,`, which delimit properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_escaped() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
