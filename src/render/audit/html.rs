//! The audit report as one self-contained HTML page: inline CSS, no scripts, no external
//! assets, so it can be mailed or archived as a single file.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Audit, Finding, service_name, summary_rows};
use crate::render::{mask_secret_texts, xml_escape as escape};
use crate::report::Totals;

const STYLE: &str = "
body { font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1f2328; max-width: 70rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { border-bottom: 2px solid #d0d7de; padding-bottom: .3rem; }
h2 { margin-top: 2.5rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
h3 { margin: 2rem 0 .2rem; }
table { border-collapse: collapse; margin: .8rem 0; }
th, td { border: 1px solid #d0d7de; padding: .35rem .7rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f6f8fa; padding: .1rem .3rem; border-radius: 4px; }
pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: .7rem 1rem; overflow-x: auto; }
pre .add { color: #116329; background: #dafbe1; display: block; }
pre .del { color: #82071e; background: #ffebe9; display: block; }
pre .hunk { color: #6e7781; display: block; }
.where { color: #57606a; margin: 0 0 1rem; }
.finding { border-left: 4px solid #cf222e; padding: .1rem 0 .1rem 1rem; margin: 1.2rem 0; }
.finding.warning { border-color: #bf8700; }
.finding h4 { margin: .2rem 0; }
.badge { font-size: 12px; font-weight: 600; border-radius: 1rem; padding: .1rem .55rem; color: #fff; background: #cf222e; }
.warning .badge { background: #bf8700; }
.note { color: #57606a; }
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
    summary(&mut page, audit, totals);
    dates(&mut page, audit);
    connections(&mut page, audit);
    functions(&mut page, audit);
    files(&mut page, "Files skipped (not Deluge)", &audit.skipped);
    files(&mut page, "Files that could not be read", &audit.unreadable);
    page.push_str("</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

fn summary(page: &mut String, audit: &Audit, totals: &Totals) {
    page.push_str("<h2>Summary</h2>\n<table>\n");
    for (label, value) in summary_rows(audit, totals) {
        let _ = writeln!(page, "<tr><th>{label}</th><td class=\"n\">{}</td></tr>", inline(&value));
    }
    page.push_str("</table>\n");
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
    if !audit.findings_by_service.is_empty() {
        page.push_str("<h3>Findings per Zoho service</h3>\n<table>\n<tr><th>Service</th><th>Findings</th></tr>\n");
        for (service, count) in &audit.findings_by_service {
            let _ = writeln!(
                page,
                "<tr><td>{}</td><td class=\"n\">{count}</td></tr>",
                escape(service_name(*service))
            );
        }
        page.push_str("</table>\n");
    }
}

fn dates(page: &mut String, audit: &Audit) {
    let services = audit.services_involved();
    if services.is_empty() {
        return;
    }
    page.push_str("<h2>When authtokens stopped working</h2>\n<table>\n<tr><th>Service</th><th>Since</th><th>What happened</th></tr>\n");
    for service in services {
        let (date, what) = service
            .authtoken_retirement()
            .unwrap_or(("—", "authtokens are retired; Zoho announced no separate date"));
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{date}</td><td>{}</td></tr>",
            escape(service.display_name()),
            escape(what)
        );
    }
    page.push_str("</table>\n");
}

fn connections(page: &mut String, audit: &Audit) {
    if audit.connections.is_empty() {
        return;
    }
    let _ = writeln!(
        page,
        "<h2>Connections</h2>\n<p>{}</p>\n<table>\n\
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

fn functions(page: &mut String, audit: &Audit) {
    if audit.functions.is_empty() {
        page.push_str("<h2>Findings</h2>\n<p>No findings.</p>\n");
        return;
    }
    page.push_str("<h2>Findings per function</h2>\n");
    for function in &audit.functions {
        let _ = writeln!(
            page,
            "<h3>{}</h3>\n<p class=\"where\"><code>{}</code></p>",
            escape(&function.title),
            escape(&function.location)
        );
        for finding in &function.findings {
            write_finding(page, finding);
        }
    }
}

fn write_finding(page: &mut String, finding: &Finding) {
    let _ = writeln!(
        page,
        "<div class=\"finding {}\">\n<h4><span class=\"badge\">{}</span> <code>{}</code> <span class=\"note\">{}</span></h4>\n<p>{}</p>",
        finding.severity,
        finding.code,
        finding.name,
        escape(&finding.position),
        inline(&finding.message)
    );
    page.push_str("<pre>");
    for line in finding.numbered_excerpt() {
        let _ = writeln!(page, "{}", escape(&line));
    }
    page.push_str("</pre>\n");
    if let Some(help) = &finding.help {
        let _ = writeln!(page, "<p><strong>Help:</strong> {}</p>", inline(help));
    }
    if let Some(code) = finding.same_fix_as {
        let _ = writeln!(
            page,
            "<p><strong>Fix:</strong> the same change as {code}&#39;s above.</p>"
        );
    }
    if let Some(fix) = &finding.fix {
        let _ = writeln!(
            page,
            "<p><strong>Suggested fix</strong> ({}): {}</p>",
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
    page.push_str("</div>\n");
}

fn files(page: &mut String, heading: &str, files: &[(String, String)]) {
    if files.is_empty() {
        return;
    }
    let _ = writeln!(page, "<h2>{heading}</h2>\n<ul>");
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
