//! `--statistics`: how many findings each rule reported, instead of the findings.

use std::io::{self, Write};

use serde::Serialize;

use super::Emitter;
use crate::report::{FileReport, Totals};

pub struct Statistics {
    /// A JSON array instead of a table.
    pub json: bool,
}

#[derive(Serialize)]
struct Row<'a> {
    code: &'a str,
    name: &'a str,
    count: usize,
    fixable: usize,
}

impl Emitter for Statistics {
    fn file(&mut self, _out: &mut dyn Write, _report: &FileReport) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        let rows: Vec<Row> = totals
            .by_rule
            .iter()
            .map(|(code, counts)| Row {
                code,
                name: counts.name,
                count: counts.count,
                fixable: counts.fixable,
            })
            .collect();
        if self.json {
            serde_json::to_writer_pretty(&mut *out, &rows).map_err(io::Error::other)?;
            return writeln!(out);
        }
        let width = rows.iter().map(|r| r.count.to_string().len()).max().unwrap_or(1);
        for row in &rows {
            let fixable = if row.fixable > 0 {
                format!("  ({} fixable)", row.fixable)
            } else {
                String::new()
            };
            writeln!(out, "{:>width$}  {}  {}{fixable}", row.count, row.code, row.name)?;
        }
        Ok(())
    }
}
