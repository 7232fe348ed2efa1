//! `select`/`ignore` decide which rules report, and suppressions of rules that do not run
//! are not called unused.

use delint_linter::rule_selection::{RuleSelector, RuleSet};
use delint_linter::settings::Settings;

const SOURCE: &str = "r = invokeurl [ url: \"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + tok type: GET ];\n\
    // delint-ignore DL002: kept for the audit trail\n\
    m = Map();\n\
    if (x\n{\n}\n";

fn codes(select: &[&str], ignore: &[&str]) -> Vec<&'static str> {
    let parse = |list: &[&str]| -> Vec<RuleSelector> { list.iter().map(|s| s.parse().unwrap()).collect() };
    let settings = Settings {
        rules: RuleSet::from_selectors(&parse(select), &parse(ignore)),
        ..Settings::default()
    };
    let arena = deluge_syntax::Arena::new();
    let parsed = deluge_syntax::parse(SOURCE, &arena);
    let mut codes: Vec<_> = delint_linter::lint(SOURCE, &parsed, &settings)
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect();
    codes.dedup();
    codes
}

#[test]
fn every_rule_runs_by_default() {
    assert_eq!(codes(&["ALL"], &[]), ["DL001", "DL902", "DL000"]);
}

#[test]
fn ignored_rules_and_categories_do_not_report() {
    assert_eq!(codes(&["ALL"], &["DL001", "syntax"]), ["DL902"]);
    assert_eq!(codes(&["correctness"], &[]), ["DL001"]);
    assert_eq!(codes(&["deprecated", "security"], &[]), Vec::<&str>::new());
}

#[test]
fn a_suppression_of_a_rule_that_does_not_run_is_not_unused() {
    assert_eq!(codes(&["ALL"], &["DL002"]), ["DL001", "DL000"]);
}
