//! The audit report as one self-contained HTML page: inline CSS, no scripts, no external
//! assets, so it can be mailed or archived as a single file.

use std::fmt::Write as _;
use std::io::{self, Write};

mod chart;

use super::{Audit, CallEntry, FunctionAudit, Status, service_rows, summary_rows};
use crate::render::{mask_secret_texts, xml_escape as escape};
use crate::report::Totals;

const STYLE: &str = "
body { font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1f2328; max-width: 70rem; margin: 2rem auto; padding: 0 1.5rem; overflow-wrap: break-word; }
h1 { border-bottom: 2px solid #d0d7de; padding-bottom: .3rem; }
h2 { margin-top: 2.5rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
h3 { margin: 2rem 0 .2rem; }
nav ol { columns: 2; }
table { border-collapse: collapse; margin: .8rem 0; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: .35rem .7rem; text-align: left; vertical-align: top; }
td { overflow-wrap: break-word; }
th { background: #f6f8fa; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f6f8fa; padding: .1rem .3rem; border-radius: 4px; }
pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: .7rem 1rem; white-space: pre-wrap; overflow-wrap: anywhere; }
pre .add { color: #116329; background: #dafbe1; display: block; }
pre .del { color: #82071e; background: #ffebe9; display: block; }
pre .hunk { color: #6e7781; display: block; }
.where { color: #57606a; margin: 0 0 1rem; }
.call { border-left: 4px solid #cf222e; padding: .1rem 0 .1rem 1rem; margin: 1.2rem 0; }
.call.warning { border-color: #bf8700; }
.call h4 { margin: .2rem 0; }
.call ul { padding-left: 1.2rem; margin: .3rem 0; }
.badge { font-size: 12px; font-weight: 600; border-radius: 1rem; padding: .1rem .55rem; color: #fff; background: #cf222e; white-space: nowrap; }
.warning .badge { background: #bf8700; }
.status { font-size: 12px; font-weight: 600; border-radius: 1rem; padding: .1rem .55rem; border: 1px solid; white-space: nowrap; }
.status.manual { color: #82071e; background: #ffebe9; }
.status.fixable { color: #953800; background: #fff1e5; }
.status.review { color: #0a3069; background: #ddf4ff; }
.status.clean { color: #116329; background: #dafbe1; }
.note { color: #57606a; }
.lead { font-size: 17px; }
svg.chart { width: 100%; max-width: 48rem; height: auto; display: block; margin: .8rem 0; }
svg.chart, .status, .badge, pre .add, pre .del { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@media (max-width: 40rem) {
  body { padding: 0 .6rem; margin: 1rem auto; }
  th, td { padding: .25rem .35rem; }
  nav ol { columns: 1; }
  table.grid, table.grid tbody, table.grid tr, table.grid td { display: block; }
  table.grid tr:first-child { display: none; }
  table.grid tr { border: 1px solid #d0d7de; border-radius: 6px; margin: 0 0 .6rem; }
  table.grid td { border: none; text-align: left; white-space: normal; }
  table.grid td::before { content: attr(data-label) \": \"; font-weight: 600; }
}
@media print {
  @page { size: A4; margin: 15mm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  a { color: inherit; text-decoration: none; }
  th, td { padding: .25rem .4rem; }
  td { overflow-wrap: anywhere; }
  .status { white-space: normal; }
  .call, tr { break-inside: avoid; }
  section.function + section.function { break-before: page; }
  h2, h3, h4 { break-after: avoid; }
}
";

pub fn write(out: &mut dyn Write, audit: &Audit, totals: &Totals) -> io::Result<()> {
    let mut page = String::new();
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    page.push_str("<title>Deluge authtoken audit</title>\n");
    let _ = writeln!(page, "<style>{STYLE}</style>\n</head>\n<body>");
    page.push_str("<h1>Deluge authtoken audit</h1>\n");
    let _ = writeln!(
        page,
        "<p>Zoho retired authtokens: every call below that still sends one fails. The cure is an \
         OAuth connection per service. Produced by delint {}; token values are redacted.</p>",
        env!("CARGO_PKG_VERSION")
    );
    page.push_str(
        "<nav><h2>Contents</h2>\n<ol>\n<li><a href=\"#summary\">Summary</a></li>\n\
         <li><a href=\"#status\">Status per function</a></li>\n\
         <li><a href=\"#findings\">Findings per function</a></li>\n\
         <li><a href=\"#connections\">Connections to create</a></li>\n\
         <li><a href=\"#appendix\">Appendix: syntax errors and files not checked</a></li>\n</ol></nav>\n",
    );
    summary(&mut page, audit, totals);
    let functions = audit.functions_in_order();
    status_table(&mut page, &functions);
    findings(&mut page, &functions);
    connections(&mut page, audit);
    page.push_str("<h2 id=\"appendix\">Appendix</h2>\n");
    syntax_errors(&mut page, audit);
    files(&mut page, "Files skipped (not Deluge)", &audit.skipped);
    files(&mut page, "Files that could not be read", &audit.unreadable);
    page.push_str("</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

fn summary(page: &mut String, audit: &Audit, totals: &Totals) {
    page.push_str("<h2 id=\"summary\">Summary</h2>\n<p class=\"lead\">");
    let lead: Vec<String> = super::lead(audit).iter().map(|line| inline(line)).collect();
    page.push_str(&lead.join(" "));
    page.push_str("</p>\n<table>\n");
    for (label, value) in summary_rows(audit, totals) {
        let _ = writeln!(page, "<tr><th>{label}</th><td>{}</td></tr>", inline(&value));
    }
    page.push_str("</table>\n");
    let services = service_rows(audit);
    if !services.is_empty() {
        page.push_str("<h3>Per Zoho service</h3>\n");
        chart::write(page, &services);
        let rows = services.iter().map(|row| {
            let c = row.counts;
            vec![
                // "Zoho CRM" on one line: the dates column has room to wrap.
                Cell::text(escape(row.name).replace(' ', "\u{a0}")),
                Cell::number(c.failing_functions),
                Cell::number(c.fixable),
                Cell::number(c.manual),
                Cell::number(c.works),
                Cell::text(escape(&row.retired)),
            ]
        });
        table(
            page,
            &[
                "Service",
                "Functions that fail",
                "Calls with a fix",
                "Calls to migrate by hand",
                "Calls that work",
                "Authtokens stopped working",
            ],
            rows,
        );
    }
    if !totals.by_rule.is_empty() {
        page.push_str("<h3>Findings per rule</h3>\n");
        let rows = totals.by_rule.iter().map(|(code, count)| {
            vec![
                Cell::text((*code).to_owned()),
                Cell::text(format!("<code>{}</code>", count.name)),
                Cell::number(count.count),
                Cell::number(count.fixable),
            ]
        });
        table(page, &["Rule", "Name", "Findings", "Auto-fixable"], rows);
    }
}

fn status_table(page: &mut String, functions: &[(String, &FunctionAudit)]) {
    page.push_str("<h2 id=\"status\">Status per function</h2>\n");
    if functions.is_empty() {
        page.push_str("<p>No functions.</p>\n");
        return;
    }
    let rows = functions.iter().map(|(anchor, function)| {
        let title = match function.status {
            Status::Clean => breakable(&function.title),
            _ => format!("<a href=\"#{anchor}\">{}</a>", breakable(&function.title)),
        };
        vec![
            Cell::text(title),
            Cell::text(format!(
                "<span class=\"status {}\">{}</span>",
                function.status.class(),
                function.status.describe()
            )),
            Cell::number(function.calls.len()),
            Cell::text(format!("<code>{}</code>", breakable(&function.location))),
        ]
    });
    table(page, &["Function", "Status", "Calls to change", "Where"], rows);
}

fn connections(page: &mut String, audit: &Audit) {
    page.push_str("<h2 id=\"connections\">Connections to create</h2>\n");
    if audit.connections.is_empty() {
        page.push_str("<p>None.</p>\n");
        return;
    }
    let _ = writeln!(page, "<p>{}</p>", escape(super::CONNECTIONS_INTRO));
    let rows = audit.connection_rows().into_iter().map(|(connection, users)| {
        let name = mask_secret_texts(&connection.name, "", &[]);
        let scopes: Vec<String> = connection
            .scopes
            .iter()
            .map(|s| format!("<code>{}</code>", breakable(s)))
            .collect();
        let users: Vec<String> = users.iter().map(|u| breakable(u)).collect();
        vec![
            Cell::text(format!("<code>{}</code>", breakable(&name))),
            Cell::text(escape(&connection.service_names())),
            Cell::text(escape(connection.status.describe())),
            Cell::text(scopes.join("<br/>")),
            Cell::text(users.join("<br/>")),
        ]
    });
    table(page, &["Link name", "Services", "Status", "Scopes", "Used by"], rows);
}

/// A table cell: its HTML and whether it holds a number (right-aligned).
struct Cell {
    html: String,
    number: bool,
}

impl Cell {
    fn text(html: String) -> Cell {
        Cell { html, number: false }
    }

    fn number(n: usize) -> Cell {
        Cell {
            html: n.to_string(),
            number: true,
        }
    }
}

/// A table with a header row. Each cell carries its column's name (`data-label`), which
/// the narrow-screen stylesheet shows beside it when rows stack into cards.
fn table(page: &mut String, headers: &[&str], rows: impl Iterator<Item = Vec<Cell>>) {
    page.push_str("<table class=\"grid\">\n<tr>");
    for header in headers {
        let _ = write!(page, "<th>{header}</th>");
    }
    page.push_str("</tr>\n");
    for row in rows {
        page.push_str("<tr>");
        for (cell, header) in row.iter().zip(headers) {
            let class = if cell.number { " class=\"n\"" } else { "" };
            let _ = write!(page, "<td{class} data-label=\"{header}\">{}</td>", cell.html);
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</table>\n");
}

fn findings(page: &mut String, functions: &[(String, &FunctionAudit)]) {
    page.push_str("<h2 id=\"findings\">Findings per function</h2>\n");
    let with_calls: Vec<_> = functions.iter().filter(|(_, f)| !f.calls.is_empty()).collect();
    if with_calls.is_empty() {
        page.push_str("<p>No findings.</p>\n");
        return;
    }
    for (anchor, function) in with_calls {
        let _ = writeln!(
            page,
            "<section class=\"function\" id=\"{anchor}\">\n<h3>{}</h3>\n<p class=\"where\"><code>{}</code> <span class=\"status {}\">{}</span></p>",
            escape(&function.title),
            escape(&function.location),
            function.status.class(),
            function.status.describe()
        );
        for call in &function.calls {
            write_call(page, call);
        }
        if function.syntax_errors > 0 {
            let _ = writeln!(
                page,
                "<p class=\"note\">{} syntax error(s) in this function are listed in the <a href=\"#appendix\">appendix</a>.</p>",
                function.syntax_errors
            );
        }
        page.push_str("</section>\n");
    }
}

fn write_call(page: &mut String, call: &CallEntry) {
    let _ = writeln!(
        page,
        "<div class=\"call {}\">\n<h4><span class=\"badge\">{}</span> <span class=\"note\">{}</span></h4>\n<ul>",
        call.severity,
        escape(&call.codes()),
        escape(&call.position)
    );
    for rule in &call.rules {
        let _ = writeln!(
            page,
            "<li><strong>{}</strong> <code>{}</code> ({}): {}</li>",
            rule.code,
            rule.name,
            rule.severity,
            inline(&rule.message)
        );
    }
    page.push_str("</ul>\n<pre>");
    for line in call.numbered_excerpt() {
        let _ = writeln!(page, "{}", escape(&line));
    }
    page.push_str("</pre>\n");
    for help in &call.help {
        let _ = writeln!(page, "<p><strong>Help:</strong> {}</p>", inline(help));
    }
    match &call.fix {
        Some(fix) => {
            let _ = writeln!(
                page,
                "<p><strong>Fix</strong> ({}): {}</p>",
                inline(fix.safety),
                inline(&fix.message)
            );
            page.push_str("<pre>");
            for line in &fix.diff {
                let class = match line.as_bytes().first() {
                    Some(b'+') => "add",
                    Some(b'-') => "del",
                    Some(b'@') => "hunk",
                    _ => "",
                };
                if class.is_empty() {
                    let _ = writeln!(page, "{}", escape(line));
                } else {
                    // A block span carries its own line; no newline after it.
                    let _ = write!(page, "<span class=\"{class}\">{}</span>", escape(line));
                }
            }
            page.push_str("</pre>\n");
        }
        None => page.push_str("<p><strong>Fix:</strong> none automatic; change it by hand as the help says.</p>\n"),
    }
    if let Some(connection) = &call.connection {
        let scopes: Vec<String> = connection
            .scopes
            .iter()
            .map(|s| format!("<code>{}</code>", escape(s)))
            .collect();
        let _ = writeln!(
            page,
            "<p><strong>Connection:</strong> <code>{}</code> ({}){}{}</p>",
            escape(&connection.name),
            escape(connection.status),
            if scopes.is_empty() { "" } else { ", scopes " },
            scopes.join(", ")
        );
    }
    page.push_str("</div>\n");
}

fn syntax_errors(page: &mut String, audit: &Audit) {
    page.push_str("<h3>Syntax errors</h3>\n");
    if audit.syntax_errors.is_empty() {
        page.push_str("<p>None.</p>\n");
        return;
    }
    page.push_str("<p>delint reads past these and checks the rest of each function; Zoho&#39;s editor would refuse them.</p>\n<ul>\n");
    for error in &audit.syntax_errors {
        let _ = writeln!(
            page,
            "<li>{} (<code>{}</code>): {}</li>",
            escape(&error.function),
            escape(&error.location),
            inline(&error.message)
        );
    }
    page.push_str("</ul>\n");
}

fn files(page: &mut String, heading: &str, files: &[(String, String)]) {
    if files.is_empty() {
        return;
    }
    let _ = writeln!(page, "<h3>{heading}</h3>\n<ul>");
    for (path, reason) in files {
        let _ = writeln!(page, "<li><code>{}</code>: {}</li>", escape(path), inline(reason));
    }
    page.push_str("</ul>\n");
}

/// A path or name, escaped, that may wrap after `/`, `_` and `.` rather than anywhere.
fn breakable(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        out.push_str(&escape(ch.encode_utf8(&mut [0; 4])));
        if matches!(ch, '/' | '_' | '.' | '\\') {
            out.push_str("<wbr/>");
        }
    }
    out
}

/// Text with `code spans` as `<code>`, everything escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let parts: Vec<&str> = text.split('`').collect();
    for (i, part) in parts.iter().enumerate() {
        // An unmatched last backtick stays a backtick.
        if i % 2 == 1 && i + 1 < parts.len() {
            let _ = write!(out, "<code>{}</code>", escape(part));
        } else if i % 2 == 1 {
            let _ = write!(out, "`{}", escape(part));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_text_is_escaped_and_code_spans_become_code() {
        assert_eq!(inline("`<a>` & \"b\""), "<code>&lt;a&gt;</code> &amp; &quot;b&quot;");
        assert_eq!(inline("odd ` tick"), "odd ` tick");
    }
}
