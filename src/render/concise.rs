//! `concise`: one line per finding, `path:row:col: CODE message`, as compilers print them
//! and editors' problem matchers read them; `grouped`: the same under a heading per file.

use std::io::{self, Write};

use super::position::Positions;
use super::{Emitter, summary};
use crate::report::{FileReport, FixMode, Totals};

pub struct Concise {
    mode: FixMode,
    grouped: bool,
}

impl Concise {
    pub fn new(mode: FixMode, grouped: bool) -> Concise {
        Concise { mode, grouped }
    }
}

impl Emitter for Concise {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        let path = report.display_path();
        if let Some(reason) = &report.write_error {
            writeln!(out, "{path}: error: {reason}")?;
        }
        if report.result.diagnostics.is_empty() {
            return Ok(());
        }
        let positions = Positions::new(&report.source);
        if self.grouped {
            writeln!(out, "{path}:")?;
        }
        let starts: Vec<String> = report
            .result
            .diagnostics
            .iter()
            .map(|diagnostic| {
                let (start, _) = positions.range(diagnostic.range);
                format!("{}:{}", start.row, start.column)
            })
            .collect();
        let width = starts.iter().map(String::len).max().unwrap_or(0);
        for (diagnostic, start) in report.result.diagnostics.iter().zip(&starts) {
            let code = diagnostic.code;
            // The function is already in the path of a JSON export's script.
            let message = match report.scope_of(diagnostic.range).filter(|_| report.embedded.is_none()) {
                Some(scope) => format!("{} (in {scope})", diagnostic.message),
                None => diagnostic.message.clone(),
            };
            if self.grouped {
                writeln!(out, "  {start:<width$}  {code}  {message}")?;
            } else {
                writeln!(out, "{path}:{start}: {code} {message}")?;
            }
        }
        if self.grouped {
            writeln!(out)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        summary::write(out, totals, self.mode, false)
    }
}
