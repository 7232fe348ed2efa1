//! What Zoho exports, checked as a consultant checks it: a Creator application export, a
//! CRM functions JSON export and a JavaScript client script in one folder. Findings point
//! into the containers, fixes rewrite the `.ds` in place, the JSON is never rewritten, the
//! JavaScript is skipped with a note, and the audit report is deterministic.

mod support;

use std::path::{Path, PathBuf};

use support::{delint, stderr, stdout, tree};

fn containers() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/containers")
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(containers().join(name)).unwrap()
}

/// The fixtures in a scratch directory, so fixes can write.
fn scratch() -> tempfile::TempDir {
    tree(&[
        ("Controle_de_Estoque.ds", &fixture("Controle_de_Estoque.ds")),
        ("crm_functions.json", &fixture("crm_functions.json")),
        ("client_script.js", &fixture("client_script.js")),
    ])
}

#[test]
fn findings_point_into_the_containers_and_name_their_function() {
    let output = delint(
        &containers(),
        &["check", "--output-format", "concise", "--extension", "js"],
    );
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("containers_concise", stdout(&output));
    insta::assert_snapshot!("containers_notes", stderr(&output));
}

#[test]
fn text_output_names_the_workflow_and_where_a_json_script_starts() {
    let output = delint(
        &containers(),
        &["check", "crm_functions.json", "Controle_de_Estoque.ds"],
    );
    let text = stdout(&output);
    assert!(
        text.contains("Note: in workflow Sincronizar_cliente (on success)"),
        "{text}"
    );
    assert!(
        text.contains("─[ crm_functions.json:closeTicketOnDealWon:5:8 ]"),
        "positions in the script, named after the function\n{text}"
    );
    assert!(
        text.contains(
            "Note: in function closeTicketOnDealWon (automation), whose script starts at crm_functions.json:35:17"
        ),
        "{text}"
    );
    let json = String::from_utf8(fixture("crm_functions.json")).unwrap();
    let line = json.lines().nth(34).unwrap();
    assert_eq!(
        &line[16..26],
        "\"hdrs = Ma",
        "line 35, column 17 is where that script starts"
    );
}

#[test]
fn fixing_an_app_export_rewrites_only_its_scripts() {
    let dir = scratch();
    let output = delint(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "--output-format", "concise", "."],
    );
    let fixed = std::fs::read_to_string(dir.path().join("Controle_de_Estoque.ds")).unwrap();
    insta::assert_snapshot!("fixed_app_export", fixed);
    // What remains needs a person: the retired v1 endpoints, and the JSON export's
    // findings (its fixes are shown, never written).
    insta::assert_snapshot!("fixed_app_export_report", stdout(&output));
    assert_eq!(
        std::fs::read(dir.path().join("crm_functions.json")).unwrap(),
        fixture("crm_functions.json"),
        "the JSON export is not rewritten"
    );
    // The fixed export reads as the same application, with the same scripts.
    let again = delint(dir.path(), &["check", "--select", "DL000", "Controle_de_Estoque.ds"]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
}

#[test]
fn a_json_export_shows_the_fixed_script_under_diff() {
    let output = delint(
        &containers(),
        &["check", "--diff", "--unsafe-fixes", "crm_functions.json"],
    );
    let diff = stdout(&output);
    assert!(diff.contains("--- crm_functions.json:sendInvoiceToBooks"), "{diff}");
    assert!(diff.contains("+    connection: \"zohobooks\""), "{diff}");
}

#[test]
fn json_output_carries_the_scope_and_the_script_location() {
    let output = delint(&containers(), &["check", "--output-format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let in_app = findings
        .iter()
        .find(|f| f["code"] == "DL003" && f["filename"] == "Controle_de_Estoque.ds")
        .unwrap();
    assert_eq!(in_app["scope"], "function estoque.buscarTicket");
    assert_eq!(in_app["location"]["row"], 167);
    assert!(in_app["script_location"].is_null());
    let in_json = findings
        .iter()
        .find(|f| f["code"] == "DL003" && f["filename"] == "crm_functions.json")
        .unwrap();
    assert_eq!(in_json["scope"], "function closeTicketOnDealWon (automation)");
    assert_eq!(
        in_json["script_location"],
        serde_json::json!({ "row": 35, "column": 17 })
    );
    assert_eq!(in_json["location"], serde_json::json!({ "row": 5, "column": 8 }));
    assert!(in_json["fix"]["applicability"] == "display-only");
}

#[test]
fn non_deluge_files_are_skipped_with_a_note_and_unrelated_json_quietly() {
    let dir = tree(&[
        ("package.json", b"{\"name\": \"widget\", \"version\": \"1.0.0\"}\n"),
        (
            "notes.dg",
            b"# Notes\n\n- `send.dg` sends invoices\n- see [docs](https://x)\n",
        ),
        ("f.dg", b"info \"ok\";\n"),
    ]);
    let walked = delint(dir.path(), &["check"]);
    assert_eq!(walked.status.code(), Some(0), "{}", stderr(&walked));
    assert_eq!(
        stderr(&walked),
        "note: notes.dg: skipped, not Deluge: looks like Markdown or prose\n",
        "package.json found by walking is not Deluge's business"
    );
    assert_eq!(
        stdout(&walked),
        "All checks passed: 1 file checked in [elapsed].\n\
         2 files skipped, not Deluge: 1 Markdown or prose, 1 other JSON.\n"
    );
    let named = delint(dir.path(), &["check", "package.json"]);
    assert_eq!(
        stderr(&named),
        "note: package.json: skipped, not Deluge: JSON that is not a Zoho function export\n"
    );
    // A broken JSON found by walking is counted, quietly; named, it is an error (DL900) at
    // the place it breaks, and the run fails.
    let broken = tree(&[("export.json", b"{\"functions\": [\n  {\"script\": }]}\n")]);
    let walked = delint(broken.path(), &["check"]);
    assert_eq!(walked.status.code(), Some(0));
    assert_eq!(stderr(&walked), "");
    assert!(stdout(&walked).contains("1 file skipped, not Deluge: 1 other JSON."));
    let named = delint(broken.path(), &["check", "--output-format", "concise", "export.json"]);
    assert_eq!(named.status.code(), Some(2), "{}", stdout(&named));
    assert!(
        stdout(&named).starts_with("export.json:2:14: DL900 not valid JSON: expected value\n"),
        "{}",
        stdout(&named)
    );
}

#[test]
fn a_ds_file_without_the_application_header_is_plain_deluge() {
    let dir = tree(&[(
        "sendQuote.ds",
        b"string button.sendQuote(String id)\n{\n\tr = getUrl(\"https://crm.zoho.com/crm/v2/Quotes/\" + id + \"?authtoken=\" + t);\n\treturn r;\n}\n",
    )]);
    let output = delint(
        dir.path(),
        &["check", "--output-format", "concise", "--select", "DL001"],
    );
    assert_eq!(
        stdout(&output).lines().next().unwrap(),
        "sendQuote.ds:3:6: DL001 `getUrl` sends an authtoken in the URL to Zoho CRM (US data centre); Zoho no longer accepts authtokens"
    );
}

#[test]
fn the_audit_report_is_deterministic_and_complete() {
    let args = ["check", "--output-format", "markdown", "--extension", "js"];
    let first = delint(&containers(), &args);
    let second = delint(&containers(), &args);
    assert_eq!(first.stdout, second.stdout, "same input, same bytes");
    let report = String::from_utf8(first.stdout).unwrap();
    insta::assert_snapshot!("audit_markdown", report);
}

#[test]
fn the_html_report_is_well_formed_and_self_contained() {
    let output = delint(
        &containers(),
        &["check", "--output-format", "html", "--extension", "js"],
    );
    let page = String::from_utf8(output.stdout).unwrap();
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let document = roxmltree::Document::parse_with_options(&page, options).unwrap_or_else(|e| panic!("{e}\n{page}"));
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "html");
    let texts = |tag: &str| -> Vec<String> {
        root.descendants()
            .filter(|n| n.has_tag_name(tag))
            .map(|n| {
                n.descendants()
                    .filter(|d| d.is_text())
                    .filter_map(|d| d.text())
                    .collect()
            })
            .collect()
    };
    assert_eq!(
        texts("title"),
        ["Deluge authtoken audit", "Calls per Zoho service, by status"],
        "the page's title, then the chart's"
    );
    assert_eq!(
        texts("h2"),
        [
            "Contents",
            "Summary",
            "Status per function",
            "Findings per function",
            "Connections to create",
            "Appendix"
        ]
    );
    assert!(texts("h3").contains(&"workflow Add_estoque (on success)".to_owned()));
    // Links only jump within the page, each to an element that exists.
    let ids: Vec<&str> = root.descendants().filter_map(|n| n.attribute("id")).collect();
    for link in root.descendants().filter_map(|n| n.attribute("href")) {
        let target = link
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("an outside link: {link}"));
        assert!(ids.contains(&target), "a link to nothing: {link}");
    }
    for external in ["src=", "@import", "<script"] {
        assert!(!page.contains(external), "the page loads nothing: found {external}");
    }
    // The chart's fills are patterns of the page itself.
    for reference in page.split("url(").skip(1) {
        let id = reference[..reference.find(')').unwrap()]
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("the page loads nothing: url({reference:.40}"));
        assert!(ids.contains(&id), "a fill of nothing: url(#{id})");
    }
    // The status table puts what needs action first.
    let urgency = ["manual", "fixable", "review", "clean"];
    let table = root
        .descendants()
        .find(|n| {
            n.has_tag_name("table")
                && n.prev_sibling_element()
                    .is_some_and(|h| h.attribute("id") == Some("status"))
        })
        .expect("the status table");
    let ranks: Vec<usize> = table
        .descendants()
        .filter_map(|n| n.attribute("class")?.strip_prefix("status "))
        .map(|class| urgency.iter().position(|u| *u == class).unwrap())
        .collect();
    assert!(ranks.len() >= 3 && ranks.is_sorted(), "{ranks:?}");
    // One entry per call: the call DL001 and DL010 both flag shows once, naming both.
    assert!(
        texts("h4").iter().any(|h| h.starts_with("DL001 and DL010")),
        "{:?}",
        texts("h4")
    );
    assert!(
        !page.contains("4b0e1c2d3a4f5e6d7c8b9a0f1e2d3c4b"),
        "tokens are redacted"
    );
}

#[test]
fn broken_deluge_with_banner_comments_is_linted_not_skipped_as_javascript() {
    let dir = tree(&[
        (
            "syncInvoices.dg",
            b"// =============================================\n\
              // Sync invoices to Books   === do not edit ===\n\
              // =============================================\n\
              void sync(int invoiceId)\n{\n\
              \ttoken = \"0123456789abcdef0123456789abcdef01\";\n\
              \tresp = getUrl(\"https://books.zoho.com/api/v3/invoices?authtoken=\" + token;\n\
              \tinfo resp;\n}\n",
        ),
        (
            "widget.dg",
            b"const field = ZDK.Page.getField('Amount');\nif (field.getValue() === null) {\n  ZDK.Client.showAlert('x');\n}\n",
        ),
    ]);
    let output = delint(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("syncInvoices.dg:7:9: DL001"), "{out}");
    assert!(
        stderr(&output).contains("widget.dg: skipped, not Deluge: looks like JavaScript"),
        "{}",
        stderr(&output)
    );
    assert!(
        !stderr(&output).contains("syncInvoices.dg: skipped"),
        "{}",
        stderr(&output)
    );
}
