//! Every rule fixture states its findings in `// expect: DL001 DL002` comments: at the end of
//! a line for that line, alone on a line for the next one. This test lints each fixture and
//! demands exactly those findings, so a missed route (recall) or a false alarm (precision)
//! fails it with the file, line and code.
//!
//! As in ruff, each directory is checked with its own rules selected ([`selection_for`]):
//! a `DL011/` fixture states every DL011 finding, not the DL010 warnings its `getUrl` calls
//! also earn. `clean/` is checked with every rule and must report nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use delint_linter::rule_selection::{RuleSelector, RuleSet};
use delint_linter::settings::Settings;
use deluge_syntax::{LineIndex, parse};

/// (line, code) → how many findings.
type Findings = BTreeMap<(u32, String), usize>;

#[test]
fn every_fixture_reports_exactly_its_expected_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules");
    let files = deluge_files(&root);
    assert!(files.len() >= 10, "expected the rule fixtures under {}", root.display());
    let (mut expected_total, mut found_total, mut mismatches) = (0, 0, Vec::new());
    for path in &files {
        let source = std::fs::read_to_string(path).unwrap();
        let expected = expected_findings(&source);
        let directory = path.parent().unwrap().file_name().unwrap().to_str().unwrap();
        let actual = actual_findings(&source, selection_for(directory));
        expected_total += expected.values().sum::<usize>();
        found_total += actual
            .iter()
            .map(|(key, n)| (*n).min(expected.get(key).copied().unwrap_or(0)))
            .sum::<usize>();
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        mismatches.extend(compare(&name, &expected, &actual));
    }
    println!(
        "{} fixtures: {found_total} of {expected_total} expected findings found, {} mismatches",
        files.len(),
        mismatches.len()
    );
    assert!(mismatches.is_empty(), "\n{}", mismatches.join("\n"));
}

/// The syntax fixtures that state findings (`// expect:`) wrap authtoken calls in a construct
/// the parser must accept, or after an error it must recover from: each call must be found,
/// and each syntax error must be where the fixture says (DL000).
#[test]
fn syntax_fixtures_keep_their_calls() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/syntax");
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for path in deluge_files(&root) {
        let source = std::fs::read_to_string(&path).unwrap();
        let expected = expected_findings(&source);
        if expected.is_empty() {
            continue;
        }
        checked += 1;
        let actual = actual_findings(&source, &["DL000", "DL001", "DL002", "DL003"]);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        mismatches.extend(compare(&name, &expected, &actual));
    }
    assert!(checked >= 14, "expected the syntax fixtures that state findings");
    assert!(mismatches.is_empty(), "\n{}", mismatches.join("\n"));
}

/// Every difference between the findings a fixture states and those it gets.
fn compare(name: &str, expected: &Findings, actual: &Findings) -> Vec<String> {
    let mut mismatches = Vec::new();
    for ((line, code), n) in expected {
        let got = actual.get(&(*line, code.clone())).copied().unwrap_or(0);
        if got < *n {
            mismatches.push(format!("{name}:{line}: missed {code} (expected {n}, found {got})"));
        }
    }
    for ((line, code), n) in actual {
        let want = expected.get(&(*line, code.clone())).copied().unwrap_or(0);
        if *n > want {
            mismatches.push(format!("{name}:{line}: unexpected {code} (expected {want}, found {n})"));
        }
    }
    mismatches
}

#[test]
fn negative_fixtures_expect_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules");
    let negatives = deluge_files(&root.join("negative"))
        .into_iter()
        .chain(deluge_files(&root.join("clean")));
    for path in negatives {
        let source = std::fs::read_to_string(&path).unwrap();
        assert!(
            expected_findings(&source).is_empty(),
            "{} is a negative fixture",
            path.display()
        );
    }
}

fn expected_findings(source: &str) -> Findings {
    let index = LineIndex::new(source);
    let arena = deluge_syntax::Arena::new();
    let parsed = parse(source, &arena);
    let mut findings = Findings::new();
    for comment in &parsed.comments {
        let text = &source[comment.range];
        let Some((_, codes)) = text.rsplit_once("expect:") else {
            continue;
        };
        let line = index.line_col(source, comment.range.start()).line;
        let line_start = index.line_start(line as usize - 1).unwrap();
        let alone = source[usize::from(line_start)..usize::from(comment.range.start())]
            .trim()
            .is_empty();
        let target = if alone { line + 1 } else { line };
        for code in codes.split_whitespace() {
            *findings.entry((target, code.to_owned())).or_default() += 1;
        }
    }
    findings
}

/// The rules a fixture directory is about (syntax errors always count).
fn selection_for(directory: &str) -> &'static [&'static str] {
    match directory {
        "DL001" | "DL002" | "DL003" | "negative" | "suppression" => &["DL000", "DL001", "DL002", "DL003", "DL9"],
        "DL010" => &["DL000", "DL010"],
        "DL011" => &["DL000", "DL011"],
        "DL012" => &["DL000", "DL012"],
        "DL020" => &["DL000", "DL020"],
        "DL021" => &["DL000", "DL021"],
        "clean" => &["ALL"],
        // How the migration fixes behave: the findings they resolve.
        "fixes" => &["DL000", "DL001", "DL002", "DL003", "DL010", "DL011", "DL012", "DL9"],
        other => panic!("fixtures/rules/{other}: say which rules it checks in selection_for"),
    }
}

fn actual_findings(source: &str, selection: &[&str]) -> Findings {
    let index = LineIndex::new(source);
    let arena = deluge_syntax::Arena::new();
    let parsed = parse(source, &arena);
    let mut findings = Findings::new();
    let selectors: Vec<RuleSelector> = selection.iter().map(|s| s.parse().unwrap()).collect();
    let settings = Settings {
        rules: RuleSet::from_selectors(&selectors, &[]),
        ..Settings::default()
    };
    for diagnostic in delint_linter::lint(source, &parsed, &settings).diagnostics {
        let line = index.line_col(source, diagnostic.range.start()).line;
        *findings.entry((line, diagnostic.code.to_owned())).or_default() += 1;
    }
    findings
}

fn deluge_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "dg") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
