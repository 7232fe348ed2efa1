//! The audit report in CommonMark (GitHub-flavoured tables).

use std::io::{self, Write};

use super::{Audit, CallEntry, FunctionAudit, Status, service_rows, summary_rows};
use crate::render::mask_secret_texts;
use crate::report::Totals;

pub fn write(out: &mut dyn Write, audit: &Audit, totals: &Totals) -> io::Result<()> {
    writeln!(out, "# Deluge authtoken audit\n")?;
    writeln!(
        out,
        "Zoho retired authtokens: every call below that still sends one fails. The cure is an \
         OAuth connection per service. Produced by delint {}; token values are redacted.\n",
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(
        out,
        "Contents: [Summary](#summary) · [Status per function](#status-per-function) · \
         [Findings per function](#findings-per-function) · [Connections to create](#connections-to-create) · \
         [Appendix](#appendix)\n"
    )?;
    write_summary(out, audit, totals)?;
    let functions = audit.functions_in_order();
    write_status(out, &functions)?;
    write_functions(out, &functions)?;
    write_connections(out, audit)?;
    writeln!(out, "## Appendix\n")?;
    write_syntax_errors(out, audit)?;
    write_files(out, "Files skipped (not Deluge)", &audit.skipped)?;
    write_files(out, "Files that could not be read", &audit.unreadable)
}

fn write_summary(out: &mut dyn Write, audit: &Audit, totals: &Totals) -> io::Result<()> {
    writeln!(out, "## Summary\n\n{}\n", super::lead(audit).join(" "))?;
    writeln!(out, "| | |\n|---|---:|")?;
    for (label, value) in summary_rows(audit, totals) {
        writeln!(out, "| {label} | {} |", cell(&value))?;
    }
    let services = service_rows(audit);
    if !services.is_empty() {
        writeln!(
            out,
            "\n### Per Zoho service\n\n| Service | Functions that fail | Calls with a fix | Calls to migrate by hand | Calls that work | Authtokens stopped working |\n|---|---:|---:|---:|---:|---|"
        )?;
        for row in &services {
            let c = row.counts;
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                row.name,
                c.failing_functions,
                c.fixable,
                c.manual,
                c.works,
                cell(&row.retired)
            )?;
        }
    }
    if !totals.by_rule.is_empty() {
        writeln!(
            out,
            "\n### Findings per rule\n\n| Rule | Name | Findings | Auto-fixable |\n|---|---|---:|---:|"
        )?;
        for (code, count) in &totals.by_rule {
            writeln!(
                out,
                "| {code} | `{}` | {} | {} |",
                count.name, count.count, count.fixable
            )?;
        }
    }
    writeln!(out)
}

fn write_status(out: &mut dyn Write, functions: &[(String, &FunctionAudit)]) -> io::Result<()> {
    writeln!(out, "## Status per function\n")?;
    if functions.is_empty() {
        return writeln!(out, "No functions.\n");
    }
    writeln!(
        out,
        "| Function | Status | Calls to change | Where |\n|---|---|---:|---|"
    )?;
    for (anchor, function) in functions {
        let title = match function.status {
            Status::Clean => inline(&function.title),
            _ => format!("[{}](#{anchor})", cell(&function.title)),
        };
        writeln!(
            out,
            "| {title} | {} | {} | `{}` |",
            function.status.describe(),
            function.calls.len(),
            function.location.replace('|', "\\|")
        )?;
    }
    writeln!(out)
}

fn write_functions(out: &mut dyn Write, functions: &[(String, &FunctionAudit)]) -> io::Result<()> {
    writeln!(out, "## Findings per function\n")?;
    let with_calls: Vec<_> = functions.iter().filter(|(_, f)| !f.calls.is_empty()).collect();
    if with_calls.is_empty() {
        return writeln!(out, "No findings.\n");
    }
    for (anchor, function) in with_calls {
        writeln!(
            out,
            "<a id=\"{anchor}\"></a>\n\n### {}\n\n`{}` · {}\n",
            inline(&function.title),
            function.location,
            function.status.describe()
        )?;
        for call in &function.calls {
            write_call(out, call)?;
        }
        if function.syntax_errors > 0 {
            writeln!(
                out,
                "{} syntax error(s) in this function are listed in the appendix.\n",
                function.syntax_errors
            )?;
        }
    }
    Ok(())
}

fn write_call(out: &mut dyn Write, call: &CallEntry) -> io::Result<()> {
    writeln!(out, "#### {}: {} ({})\n", call.position, call.codes(), call.severity)?;
    for rule in &call.rules {
        writeln!(
            out,
            "- **{}** `{}` ({}): {}",
            rule.code,
            rule.name,
            rule.severity,
            inline(&rule.message)
        )?;
    }
    writeln!(out)?;
    write_block(out, "", &call.numbered_excerpt())?;
    for help in &call.help {
        writeln!(out, "**Help:** {}\n", inline(help))?;
    }
    match &call.fix {
        Some(fix) => {
            writeln!(out, "**Fix** ({}): {}\n", fix.safety, inline(&fix.message))?;
            write_block(out, "diff", &fix.diff)?;
        }
        None => writeln!(out, "**Fix:** none automatic; change it by hand as the help says.\n")?,
    }
    if let Some(connection) = &call.connection {
        let scopes: Vec<String> = connection.scopes.iter().map(|s| format!("`{s}`")).collect();
        writeln!(
            out,
            "**Connection:** `{}` ({}){}{}\n",
            connection.name,
            connection.status,
            if scopes.is_empty() { "" } else { ", scopes " },
            scopes.join(", ")
        )?;
    }
    Ok(())
}

fn write_connections(out: &mut dyn Write, audit: &Audit) -> io::Result<()> {
    writeln!(out, "## Connections to create\n")?;
    if audit.connections.is_empty() {
        return writeln!(out, "None.\n");
    }
    writeln!(out, "{}\n", super::CONNECTIONS_INTRO)?;
    writeln!(
        out,
        "| Link name | Services | Status | Scopes | Used by |\n|---|---|---|---|---|"
    )?;
    for (connection, users) in audit.connection_rows() {
        let name = mask_secret_texts(&connection.name, "", &[]);
        let scopes: Vec<String> = connection.scopes.iter().map(|s| format!("`{s}`")).collect();
        let users: Vec<String> = users.iter().map(|u| inline(u)).collect();
        writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            name.replace('|', "\\|"),
            connection.service_names(),
            connection.status.describe(),
            scopes.join(", "),
            users.join("<br>")
        )?;
    }
    writeln!(out)
}

fn write_syntax_errors(out: &mut dyn Write, audit: &Audit) -> io::Result<()> {
    writeln!(out, "### Syntax errors\n")?;
    if audit.syntax_errors.is_empty() {
        return writeln!(out, "None.\n");
    }
    writeln!(
        out,
        "delint reads past these and checks the rest of each function; Zoho's editor would refuse them.\n"
    )?;
    for error in &audit.syntax_errors {
        writeln!(
            out,
            "- {} (`{}`): {}",
            inline(&error.function),
            error.location,
            inline(&error.message)
        )?;
    }
    writeln!(out)
}

fn write_files(out: &mut dyn Write, heading: &str, files: &[(String, String)]) -> io::Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    writeln!(out, "### {heading}\n")?;
    for (path, reason) in files {
        writeln!(out, "- `{path}`: {}", inline(reason))?;
    }
    writeln!(out)
}

/// A fenced block, its fence longer than any backtick run inside.
fn write_block(out: &mut dyn Write, language: &str, lines: &[String]) -> io::Result<()> {
    let longest = lines
        .iter()
        .flat_map(|line| line.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    writeln!(out, "{fence}{language}")?;
    for line in lines {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "{fence}\n")
}

/// Text with `code spans` kept and Markdown's special characters escaped elsewhere, so
/// a message quoting `<Contacts>` or `a_b` renders as written.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let parts: Vec<&str> = text.split('`').collect();
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 {
            // An unmatched last backtick is escaped rather than left to open a span.
            let close = if i + 1 < parts.len() { "`" } else { "" };
            out.push_str(if close.is_empty() { "\\`" } else { "`" });
            out.push_str(part);
            out.push_str(close);
            continue;
        }
        for c in part.chars() {
            if matches!(c, '\\' | '*' | '_' | '<' | '>' | '[' | ']' | '|' | '#') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// A table cell: inline text without line breaks.
fn cell(text: &str) -> String {
    inline(&text.replace('\n', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_text_escapes_outside_code_spans_only() {
        assert_eq!(inline("`a_b` in Add_x <b>"), "`a_b` in Add\\_x \\<b\\>");
    }

    #[test]
    fn a_fence_outgrows_the_backticks_inside() {
        let mut out = Vec::new();
        write_block(&mut out, "", &["x = \"```\";".to_owned()]).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "````\nx = \"```\";\n````\n\n");
    }
}
