//! Properties of `--fix --unsafe-fixes` over every rule fixture: no fixable authtoken finding
//! survives, nothing new breaks, a second run changes nothing, and every byte outside the
//! fixes' edits is left alone.

use std::path::{Path, PathBuf};

use delint_linter::diagnostic::{Applicability, Edit};
use delint_linter::fix::apply::fix_source;
use delint_linter::services::Service;
use delint_linter::settings::Settings;

fn fixtures() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules");
    let mut files = Vec::new();
    for dir in [
        "DL001",
        "DL002",
        "DL003",
        "DL010",
        "DL011",
        "DL012",
        "DL020",
        "DL021",
        "clean",
        "negative",
        "suppression",
    ] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let source = std::fs::read_to_string(&path).unwrap();
            files.push((path, source));
        }
    }
    files.sort();
    assert!(files.len() >= 15);
    files
}

fn lint(source: &str) -> delint_linter::LintResult {
    delint_linter::lint(
        source,
        &deluge_syntax::parse(source, &deluge_syntax::Arena::new()),
        &Settings::default(),
    )
}

#[test]
fn only_display_only_authtoken_findings_remain() {
    for (path, source) in fixtures() {
        let fixed = fix_source(&source, &Settings::default(), Applicability::Unsafe);
        assert_eq!(fixed.rejected, None, "{}", path.display());
        for diagnostic in &fixed.remaining.diagnostics {
            if matches!(diagnostic.code, "DL001" | "DL002" | "DL003") {
                let fix = diagnostic.fix.as_ref().expect("authtoken findings carry a fix");
                assert_eq!(
                    fix.applicability,
                    Applicability::DisplayOnly,
                    "{}: {} survived: {}\n{}",
                    path.display(),
                    diagnostic.code,
                    fix.message,
                    fixed.text
                );
            }
        }
    }
}

#[test]
fn fixed_text_parses_without_new_errors_and_a_second_run_changes_nothing() {
    for (path, source) in fixtures() {
        let fixed = fix_source(&source, &Settings::default(), Applicability::Unsafe);
        let arena = deluge_syntax::Arena::new();
        let errors_before = deluge_syntax::parse(&source, &arena).errors.len();
        let errors_after = deluge_syntax::parse(&fixed.text, &arena).errors.len();
        assert!(errors_after <= errors_before, "{}:\n{}", path.display(), fixed.text);
        let again = fix_source(&fixed.text, &Settings::default(), Applicability::Unsafe);
        assert_eq!(again.text, fixed.text, "{} is not idempotent", path.display());
    }
}

#[test]
fn bytes_outside_the_edits_are_unchanged() {
    for (path, source) in fixtures() {
        let edits: Vec<Edit> = lint(&source)
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.applicability != Applicability::DisplayOnly)
            .flat_map(|f| f.edits.iter().cloned())
            .collect();
        let fixed = fix_source(&source, &Settings::default(), Applicability::Unsafe);
        // The spans no edit touches must all appear in the output, in order.
        let mut cuts: Vec<(usize, usize)> = edits
            .iter()
            .map(|e| (usize::from(e.range.start()), usize::from(e.range.end())))
            .collect();
        cuts.sort();
        let mut untouched = Vec::new();
        let mut from = 0;
        for (start, end) in cuts {
            if start > from {
                untouched.push(&source[from..start]);
            }
            from = from.max(end);
        }
        untouched.push(&source[from..]);
        let mut cursor = 0;
        for span in untouched {
            let found = fixed.text[cursor..].find(span).unwrap_or_else(|| {
                panic!(
                    "{}: {span:?} was changed outside every edit:\n{}",
                    path.display(),
                    fixed.text
                )
            });
            cursor += found + span.len();
        }
    }
}

#[test]
fn a_configured_connection_makes_the_invokeurl_fix_safe() {
    let source =
        "r = invokeurl\n[\n\turl: \"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + tok\n\ttype: GET\n];\n";
    let settings = Settings {
        connections: [(Service::Crm, "zcrm".to_owned())].into(),
        ..Settings::default()
    };
    let fixed = fix_source(source, &settings, Applicability::Safe);
    assert_eq!(
        fixed.text,
        "r = invokeurl\n[\n\turl: \"https://www.zohoapis.com/crm/v2/Leads\"\n\ttype: GET\n\tconnection: \"zcrm\"\n];\n"
    );
    let unconfigured = fix_source(source, &Settings::default(), Applicability::Safe);
    assert_eq!(unconfigured.text, source, "the default name is only an unsafe guess");
}

#[test]
fn a_shared_variable_gets_a_display_only_fix() {
    let source = "url = \"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + tok;\ninfo url;\nr = invokeurl [ url: url type: GET ];\n";
    let result = lint(source);
    let fix = result.diagnostics[0].fix.as_ref().unwrap();
    assert_eq!(fix.applicability, Applicability::DisplayOnly);
    assert!(fix.message.contains("`url` is also used on line 2"), "{}", fix.message);
}

#[test]
fn nested_calls_are_hoisted_into_a_variable() {
    let source = "\tdata = getUrl(\"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + tok, false).toMap();\n";
    let fixed = fix_source(source, &Settings::default(), Applicability::Unsafe);
    assert_eq!(
        fixed.text,
        "\tresponse = invokeurl\n\t[\n\t\turl: \"https://www.zohoapis.com/crm/v2/Leads\"\n\t\ttype: GET\n\t\tdetailed: true\n\t\tconnection: \"zohocrm\"\n\t];\n\tdata = response.toMap();\n"
    );
}

#[test]
fn crlf_line_endings_and_a_bom_survive() {
    let source = "\u{feff}h = Map();\r\nh.put(\"Authorization\", \"Zoho-authtoken \" + tok);\r\nr = invokeurl\r\n[\r\n    url: \"https://desk.zoho.com/api/v1/tickets\"\r\n    headers: h\r\n];\r\n";
    let fixed = fix_source(source, &Settings::default(), Applicability::Unsafe);
    assert_eq!(
        fixed.text,
        "\u{feff}h = Map();\r\nr = invokeurl\r\n[\r\n    url: \"https://desk.zoho.com/api/v1/tickets\"\r\n    headers: h\r\n    connection: \"zohodesk\"\r\n];\r\n"
    );
}
