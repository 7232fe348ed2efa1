//! `junit`: JUnit XML for CI test reports: a test suite per file, a failing test case per
//! finding (an erroring one for a file that could not be read), one passing case for a
//! clean file.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::Emitter;
use super::position::Positions;
use super::xml_escape as escape;
use crate::report::{FileReport, Totals};

#[derive(Default)]
pub struct Junit {
    suites: String,
    tests: usize,
    failures: usize,
    errors: usize,
}

impl Emitter for Junit {
    fn file(&mut self, _out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        if report.skipped.is_some() {
            return Ok(());
        }
        let path = escape(&report.display_path());
        let positions = Positions::new(&report.source);
        let diagnostics = &report.result.diagnostics;
        let (errors, failures) = if report.unreadable {
            (diagnostics.len(), 0)
        } else {
            (0, diagnostics.len())
        };
        let tests = diagnostics.len().max(1);
        let suite = &mut self.suites;
        let _ = writeln!(
            suite,
            "  <testsuite name=\"{path}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
        );
        if diagnostics.is_empty() {
            let _ = writeln!(
                suite,
                "    <testcase name=\"delint\" classname=\"{path}\" file=\"{path}\"/>"
            );
        }
        for diagnostic in diagnostics {
            let (start, _) = positions.range(diagnostic.range);
            let (row, column) = (start.row, start.column);
            let message = escape(&diagnostic.message);
            let element = if report.unreadable { "error" } else { "failure" };
            let _ = writeln!(
                suite,
                "    <testcase name=\"{} {} at {row}:{column}\" classname=\"{path}\" file=\"{path}\" line=\"{row}\">\n      \
                 <{element} type=\"{}\" message=\"{message}\">{path}:{row}:{column}: {message}</{element}>\n    </testcase>",
                diagnostic.code, diagnostic.name, diagnostic.code
            );
        }
        suite.push_str("  </testsuite>\n");
        self.tests += tests;
        self.failures += failures;
        self.errors += errors;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            out,
            "<testsuites name=\"delint\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            self.tests, self.failures, self.errors
        )?;
        out.write_all(self.suites.as_bytes())?;
        writeln!(out, "</testsuites>")
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_forbidden_characters_are_escaped() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;\u{FFFD}");
    }
}
