//! The audit report in CommonMark (GitHub-flavoured tables).

use std::io::{self, Write};

use super::{Audit, Finding, service_name, summary_rows};
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
    write_summary(out, audit, totals)?;
    write_dates(out, audit)?;
    write_connections(out, audit)?;
    write_functions(out, audit)?;
    write_files(out, "Files skipped (not Deluge)", &audit.skipped)?;
    write_files(out, "Files that could not be read", &audit.unreadable)
}

fn write_summary(out: &mut dyn Write, audit: &Audit, totals: &Totals) -> io::Result<()> {
    writeln!(out, "## Summary\n\n| | |\n|---|---:|")?;
    for (label, value) in summary_rows(audit, totals) {
        writeln!(out, "| {label} | {} |", cell(&value))?;
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
    if !audit.findings_by_service.is_empty() {
        writeln!(
            out,
            "\n### Findings per Zoho service\n\n| Service | Findings |\n|---|---:|"
        )?;
        for (service, count) in &audit.findings_by_service {
            writeln!(out, "| {} | {count} |", service_name(*service))?;
        }
    }
    writeln!(out)
}

fn write_dates(out: &mut dyn Write, audit: &Audit) -> io::Result<()> {
    let services = audit.services_involved();
    if services.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "## When authtokens stopped working\n\n| Service | Since | What happened |\n|---|---|---|"
    )?;
    for service in services {
        match service.authtoken_retirement() {
            Some((date, what)) => writeln!(out, "| {} | {date} | {} |", service.display_name(), cell(what))?,
            None => writeln!(
                out,
                "| {} | — | authtokens are retired; Zoho announced no separate date |",
                service.display_name()
            )?,
        }
    }
    writeln!(out)
}

fn write_connections(out: &mut dyn Write, audit: &Audit) -> io::Result<()> {
    if audit.connections.is_empty() {
        return Ok(());
    }
    writeln!(out, "## Connections\n\n{}\n", super::CONNECTIONS_INTRO)?;
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

fn write_functions(out: &mut dyn Write, audit: &Audit) -> io::Result<()> {
    if audit.functions.is_empty() {
        return writeln!(out, "## Findings\n\nNo findings.\n");
    }
    writeln!(out, "## Findings per function\n")?;
    for function in &audit.functions {
        writeln!(out, "### {}\n\n`{}`\n", inline(&function.title), function.location)?;
        for finding in &function.findings {
            write_finding(out, finding)?;
        }
    }
    Ok(())
}

fn write_finding(out: &mut dyn Write, finding: &Finding) -> io::Result<()> {
    writeln!(
        out,
        "#### {} `{}` ({}, {})\n\n{}\n",
        finding.code,
        finding.name,
        finding.severity,
        finding.position,
        inline(&finding.message)
    )?;
    let code = finding.numbered_excerpt();
    write_block(out, "", &code)?;
    if let Some(help) = &finding.help {
        writeln!(out, "**Help:** {}\n", inline(help))?;
    }
    if let Some(code) = finding.same_fix_as {
        writeln!(out, "**Fix:** the same change as {code}'s above.\n")?;
    }
    if let Some(fix) = &finding.fix {
        writeln!(out, "**Suggested fix** ({}): {}\n", fix.safety, inline(&fix.message))?;
        write_block(out, "diff", &fix.diff)?;
    }
    Ok(())
}

fn write_files(out: &mut dyn Write, heading: &str, files: &[(String, String)]) -> io::Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    writeln!(out, "## {heading}\n")?;
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
