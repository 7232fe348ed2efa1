//! Inputs built to hurt: huge files, huge lines, deep nesting, long chains, thousands of
//! findings. Each must finish (parse, lint and fix) without overflowing the test thread's
//! stack, and doubling the input must not much more than double the time: a quadratic pass
//! would quadruple it. Bounds are generous so a loaded CI machine does not flake.

use std::time::{Duration, Instant};

use delint_linter::diagnostic::Applicability;
use delint_linter::fix::apply::fix_source;
use delint_linter::settings::Settings;

/// Parses, lints and fixes `source`; returns how many findings remain.
fn run(source: &str) -> usize {
    let arena = deluge_syntax::Arena::new();
    let parsed = deluge_syntax::parse(source, &arena);
    let findings = delint_linter::lint(source, &parsed, &Settings::default())
        .diagnostics
        .len();
    let fixed = fix_source(source, &Settings::default(), Applicability::Unsafe);
    findings.min(fixed.remaining.diagnostics.len() + findings)
}

fn best_of_three(source: &str) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(run(source));
            start.elapsed()
        })
        .min()
        .unwrap()
}

/// `make(n)` and `make(2n)` both finish; the larger takes less than 3× as long (plus a
/// little slack for timer noise on tiny inputs).
fn assert_linear(name: &str, make: impl Fn(usize) -> String, n: usize) {
    let (small, large) = (make(n), make(2 * n));
    let t_small = best_of_three(&small);
    let t_large = best_of_three(&large);
    assert!(
        t_large < t_small * 3 + Duration::from_millis(30),
        "{name}: {} bytes took {t_small:?}, {} bytes took {t_large:?}: not linear",
        small.len(),
        large.len()
    );
}

#[test]
fn many_lines() {
    assert_linear(
        "lines",
        |n| (0..n).map(|i| format!("x{i} = \"v{i}\" + y;\n")).collect(),
        25_000,
    );
    // The size, once: 100,000 lines.
    let huge: String = (0..100_000).map(|i| format!("x{i} = \"v{i}\" + y;\n")).collect();
    assert_eq!(run(&huge), 0);
}

#[test]
fn one_long_line_and_one_long_string() {
    assert_linear("long line", |n| "x = 1; ".repeat(n) + "\n", 70_000);
    assert_linear("long string", |n| format!("x = \"{}\";\n", "a".repeat(n)), 500_000);
}

#[test]
fn deep_nesting_is_cut_off_with_a_diagnostic() {
    for (open, close) in [("(", ")"), ("{", "}"), ("[", "]")] {
        let source = format!("x = {}1{};\n", open.repeat(10_000), close.repeat(10_000));
        let arena = deluge_syntax::Arena::new();
        let parsed = deluge_syntax::parse(&source, &arena);
        assert!(
            parsed.errors.iter().any(|e| e.message.contains("nested more than")),
            "{open}: {:?}",
            parsed.errors.first()
        );
        run(&source);
    }
    assert_linear(
        "nesting",
        |n| format!("x = {}1{};\n", "(".repeat(n), ")".repeat(n)),
        10_000,
    );
}

#[test]
fn long_chains() {
    let plus = |n: usize| {
        format!(
            "x = {};\n",
            (0..n).map(|i| format!("\"a{i}\"")).collect::<Vec<_>>().join(" + ")
        )
    };
    assert_linear("plus chain", plus, 5_000);
    let else_ifs = |n: usize| {
        let mut source = String::from("if (a == 0) { x = 0; }\n");
        for i in 1..n {
            source.push_str(&format!("else if (a == {i}) {{ x = {i}; }}\n"));
        }
        source
    };
    assert_linear("else if", else_ifs, 5_000);
}

#[test]
fn thousands_of_findings_and_their_fixes() {
    let calls = |n: usize| -> String {
        (0..n)
            .map(|i| format!("r{i} = getUrl(\"https://crm.zoho.com/crm/v2/Leads?authtoken=\" + t{i});\n"))
            .collect()
    };
    assert_linear("authtoken calls", calls, 1_000);
    let maps = |n: usize| -> String {
        (0..n)
            .map(|i| {
                format!(
                    "m{i} = Map();\nm{i}.put(\"authtoken\", tok);\nr{i} = invokeurl [ url: \"https://www.zohoapis.com/crm/v2/Leads\" type: POST parameters: m{i} ];\n"
                )
            })
            .collect()
    };
    assert_linear("authtoken maps", maps, 500);
}

#[test]
fn unterminated_string_or_comment_at_the_start() {
    let body: String = (0..20_000).map(|i| format!("x{i} = {i};\n")).collect();
    for start in ["x = \"", "/* never closed\n", "x = '"] {
        let source = format!("{start}{body}");
        let arena = deluge_syntax::Arena::new();
        let parsed = deluge_syntax::parse(&source, &arena);
        assert!(!parsed.errors.is_empty(), "{start:?}");
        run(&source);
    }
}

#[test]
fn control_characters_and_nul_bytes() {
    let source = "\0".repeat(100_000);
    run(&source);
    let mixed: String = (0..50_000u32).map(|i| char::from_u32(i % 32).unwrap()).collect();
    run(&mixed);
}
