//! The audit report of a client's folder as a consultant receives it (`fixtures/client`:
//! mixed extensions, a Creator export, a CRM function export, notes, a broken paste):
//! it reads top-down (summary, chart, status per function, one entry per call, the
//! connections, an appendix), every call is there once with every rule that fires on it,
//! and no token is printed.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use support::{delint, stdout};

fn client() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/client")
}

fn report(format: &str) -> String {
    let output = delint(&client(), &["check", "--output-format", format, "."]);
    assert_eq!(output.status.code(), Some(1), "findings exit 1");
    stdout(&output)
}

/// The tokens written into the fixtures, which no output may print.
const TOKENS: [&str; 2] = ["b7c41f0e9a2d4c6b8e1f3a5d7c9e0b21", "3d6e1b0f5a7c4e2d9b8a6c4e2f0d1b3a"];

/// Each call's rules, from the JSON output: (file, line, column) → codes, DL000 aside.
fn calls_from_json() -> BTreeMap<(String, u64, u64), Vec<String>> {
    let json: serde_json::Value = serde_json::from_str(&report("json")).unwrap();
    let mut calls: BTreeMap<(String, u64, u64), Vec<String>> = BTreeMap::new();
    for finding in json["findings"].as_array().unwrap() {
        let code = finding["code"].as_str().unwrap().to_owned();
        if code == "DL000" {
            continue;
        }
        let at = &finding["location"];
        let key = (
            finding["filename"].as_str().unwrap().to_owned(),
            at["row"].as_u64().unwrap(),
            at["column"].as_u64().unwrap(),
        );
        calls.entry(key).or_default().push(code);
    }
    calls
}

#[test]
fn the_markdown_report_of_a_client_folder() {
    let markdown = report("markdown");
    for token in TOKENS {
        assert!(!markdown.contains(token), "a token printed in full");
    }
    assert_eq!(markdown, report("markdown"), "deterministic");
    insta::assert_snapshot!("client_audit_markdown", markdown);
}

#[test]
fn the_markdown_report_reads_top_down() {
    let markdown = report("markdown");
    let headings: Vec<&str> = markdown.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## Summary",
            "## Status per function",
            "## Findings per function",
            "## Connections to create",
            "## Appendix"
        ]
    );
    let findings =
        &markdown[markdown.find("\n## Findings per function").unwrap()..markdown.find("\n## Connections").unwrap()];
    assert!(!findings.contains("DL000"), "syntax errors go to the appendix");
    let appendix = &markdown[markdown.find("\n## Appendix").unwrap()..];
    assert!(appendix.contains("lead_enrichment.txt"), "{appendix}");
    assert!(appendix.contains("broken_paste.dg"), "{appendix}");
    assert!(
        appendix.contains("notes/handover.txt"),
        "the notes are listed as skipped"
    );
}

#[test]
fn every_call_appears_once_with_every_rule_and_its_connection() {
    let calls = calls_from_json();
    let html = report("html");
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let document = roxmltree::Document::parse_with_options(&html, options).unwrap();
    let text_of = |node: roxmltree::Node| -> String {
        node.descendants()
            .filter(|d| d.is_text())
            .filter_map(|d| d.text())
            .collect()
    };
    let entries: Vec<roxmltree::Node> = document
        .descendants()
        .filter(|n| n.attribute("class").is_some_and(|c| c.split(' ').any(|c| c == "call")))
        .collect();
    assert_eq!(entries.len(), calls.len(), "one entry per call");
    // Each entry's heading names every rule the JSON output has at that place.
    let mut headings: Vec<Vec<String>> = entries
        .iter()
        .map(|entry| {
            let badge = entry
                .descendants()
                .find(|n| n.attribute("class") == Some("badge"))
                .map(text_of)
                .unwrap();
            badge.replace(" and ", ", ").split(", ").map(str::to_owned).collect()
        })
        .collect();
    let mut expected: Vec<Vec<String>> = calls.values().cloned().collect();
    headings.sort();
    expected.sort();
    assert_eq!(headings, expected);
    // A call that fails for want of a connection and has a fix names the connection.
    for entry in &entries {
        let text = text_of(*entry);
        if text.contains("Fix (unsafe") && !text.contains("DL020") {
            assert!(text.contains("Connection: "), "{text}");
        }
    }
}

#[test]
fn the_chart_and_the_per_service_table_count_the_same_calls() {
    let html = report("html");
    let svg = &html[html.find("<svg class=\"chart\"").unwrap()..html.find("</svg>").unwrap()];
    let table = &html[html.find("<th>Service</th>").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let rows: Vec<&str> = table.split("<tr>").skip(1).collect();
    let bars = svg.matches("text-anchor=\"end\"").count();
    assert_eq!(bars, rows.len(), "one bar per service");
    for row in rows {
        let cells: Vec<&str> = row
            .split("data-label=\"")
            .skip(1)
            .map(|cell| &cell[cell.find('>').unwrap() + 1..cell.find("</td>").unwrap()])
            .collect();
        // The table keeps a service's name on one line (a no-break space).
        let service = cells[0].replace('\u{a0}', " ");
        let (fixable, manual) = (cells[2], cells[3]);
        // The bar's words say the same numbers.
        let label = format!(">{service}</text>");
        let after = &svg[svg.find(&label).unwrap_or_else(|| panic!("no bar for {service}"))..];
        let words = &after[..after[label.len()..].find("</text>").unwrap() + label.len()];
        if fixable != "0" {
            assert!(words.contains(&format!("{fixable} with a fix")), "{service}: {words}");
        }
        if manual != "0" {
            assert!(words.contains(&format!("{manual} by hand")), "{service}: {words}");
        }
    }
}

#[test]
fn the_status_table_lists_what_needs_action_first() {
    let markdown = report("markdown");
    let table = &markdown
        [markdown.find("\n## Status per function").unwrap()..markdown.find("\n## Findings per function").unwrap()];
    let order = [
        "manual migration needed",
        "fix available",
        "findings to review",
        "| clean |",
    ];
    let ranks: Vec<usize> = table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Function"))
        .map(|line| order.iter().position(|s| line.contains(s)).unwrap())
        .collect();
    assert!(ranks.len() >= 12, "every function has a row: {ranks:?}");
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{table}");
    assert_eq!(ranks.first(), Some(&0), "a manual migration comes first");
    assert_eq!(ranks.last(), Some(&3), "clean functions come last");
}
