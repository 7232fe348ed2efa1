//! Every rule's documentation has the fixed sections, and its examples tell the truth:
//! the `Example` triggers the rule, the `Use instead` does not.

use delint_linter::rules::ALL;

const SECTIONS: [&str; 5] = [
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Use instead",
    "## Fix safety",
];

#[test]
fn every_rule_doc_has_the_sections_in_order() {
    for rule in ALL {
        let mut from = 0;
        for section in SECTIONS {
            let at = rule.doc[from..]
                .find(section)
                .unwrap_or_else(|| panic!("{}: missing or misplaced `{section}`", rule.code));
            from += at + section.len();
        }
    }
}

/// Reported by whoever reads files, not by `lint`; its example is bytes, not Deluge text.
/// The binary's tests cover it (`tests/check_command.rs`).
const NOT_FROM_SOURCE: &[&str] = &["DL900"];

#[test]
fn examples_trigger_their_rule_and_replacements_do_not() {
    for rule in ALL.iter().filter(|rule| !NOT_FROM_SOURCE.contains(&rule.code)) {
        let example = code_block_after(rule.doc, "## Example");
        let replacement = code_block_after(rule.doc, "## Use instead");
        assert!(
            codes_reported(&example).contains(&rule.code),
            "{}: its Example does not trigger it:\n{example}",
            rule.code
        );
        let reported = codes_reported(&replacement);
        assert!(
            reported.is_empty(),
            "{}: its Use instead reports {reported:?}:\n{replacement}",
            rule.code
        );
    }
}

fn codes_reported(source: &str) -> Vec<&'static str> {
    let arena = deluge_syntax::Arena::new();
    let parsed = deluge_syntax::parse(source, &arena);
    delint_linter::lint(source, &parsed, &Default::default())
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect()
}

/// The first fenced block after `heading`, with the doc comment's leading space removed.
fn code_block_after(doc: &str, heading: &str) -> String {
    let section = &doc[doc.find(heading).expect(heading)..];
    section
        .lines()
        .skip_while(|line| !line.trim_start().starts_with("```"))
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with("```"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}
