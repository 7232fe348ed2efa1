//! The audit report as one self-contained HTML page: inline CSS, no scripts, no external
//! assets, so it can be mailed or archived as a single file.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Audit, CallEntry, FunctionAudit, Status, service_name, summary_rows};
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
td { overflow-wrap: anywhere; }
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
@media (max-width: 40rem) { body { padding: 0 .6rem; margin: 1rem auto; } th, td { padding: .25rem .35rem; } nav ol { columns: 1; } }
@media print {
  @page { size: A4; margin: 15mm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  a { color: inherit; text-decoration: none; }
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
    page.push_str("<h2 id=\"summary\">Summary</h2>\n<table>\n");
    for (label, value) in summary_rows(audit, totals) {
        let _ = writeln!(page, "<tr><th>{label}</th><td>{}</td></tr>", inline(&value));
    }
    page.push_str("</table>\n");
    if !audit.findings_by_service.is_empty() {
        page.push_str(
            "<h3>Per Zoho service</h3>\n<table>\n<tr><th>Service</th><th>Findings</th><th>Authtokens stopped working</th></tr>\n",
        );
        for (service, count) in &audit.findings_by_service {
            let since = match service.map(|s| s.authtoken_retirement()) {
                Some(Some((date, what))) => format!("{date}: {what}"),
                Some(None) => "retired; Zoho announced no separate date".to_owned(),
                None => "—".to_owned(),
            };
            let _ = writeln!(
                page,
                "<tr><td>{}</td><td class=\"n\">{count}</td><td>{}</td></tr>",
                escape(service_name(*service)),
                escape(&since)
            );
        }
        page.push_str("</table>\n");
    }
    if !totals.by_rule.is_empty() {
        page.push_str("<h3>Findings per rule</h3>\n<table>\n<tr><th>Rule</th><th>Name</th><th>Findings</th><th>Auto-fixable</th></tr>\n");
        for (code, count) in &totals.by_rule {
            let _ = writeln!(
                page,
                "<tr><td>{code}</td><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                count.name, count.count, count.fixable
            );
        }
        page.push_str("</table>\n");
    }
}

fn status_table(page: &mut String, functions: &[(String, &FunctionAudit)]) {
    page.push_str("<h2 id=\"status\">Status per function</h2>\n");
    if functions.is_empty() {
        page.push_str("<p>No functions.</p>\n");
        return;
    }
    page.push_str("<table>\n<tr><th>Function</th><th>Status</th><th>Calls to change</th><th>Where</th></tr>\n");
    for (anchor, function) in functions {
        let title = match function.status {
            Status::Clean => escape(&function.title),
            _ => format!("<a href=\"#{anchor}\">{}</a>", escape(&function.title)),
        };
        let _ = writeln!(
            page,
            "<tr><td>{title}</td><td><span class=\"status {}\">{}</span></td><td class=\"n\">{}</td><td><code>{}</code></td></tr>",
            function.status.class(),
            function.status.describe(),
            function.calls.len(),
            escape(&function.location)
        );
    }
    page.push_str("</table>\n");
}

fn connections(page: &mut String, audit: &Audit) {
    page.push_str("<h2 id=\"connections\">Connections to create</h2>\n");
    if audit.connections.is_empty() {
        page.push_str("<p>None.</p>\n");
        return;
    }
    let _ = writeln!(
        page,
        "<p>{}</p>\n<table>\n\
         <tr><th>Link name</th><th>Services</th><th>Status</th><th>Scopes</th><th>Used by</th></tr>",
        escape(super::CONNECTIONS_INTRO)
    );
    for (connection, users) in audit.connection_rows() {
        let name = mask_secret_texts(&connection.name, "", &[]);
        let scopes: Vec<String> = connection
            .scopes
            .iter()
            .map(|s| format!("<code>{}</code>", escape(s)))
            .collect();
        let users: Vec<String> = users.iter().map(|u| escape(u)).collect();
        let _ = writeln!(
            page,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&name),
            escape(&connection.service_names()),
            escape(connection.status.describe()),
            scopes.join("<br/>"),
            users.join("<br/>")
        );
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
