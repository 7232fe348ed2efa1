//! Inputs built to hurt: huge files, huge lines, deep nesting, long chains, thousands of
//! findings. Each must finish (parse, lint and fix) without overflowing the test thread's
//! stack and give the expected findings, and doubling the input must not much more than
//! double the memory it allocates: a pass that copies the text or a list once per line or per
//! finding would quadruple it. Allocation is counted per thread (`allocation-counter`), so the
//! figure is the same on every run and on a loaded machine; time is measured by `cargo bench -p delint_linter`
//! over the same shapes (see BENCHMARKS.md).

#[path = "support/shapes.rs"]
mod shapes;

use delint_linter::diagnostic::Applicability;
use delint_linter::fix::apply::fix_source;
use delint_linter::settings::Settings;

/// What one parse, lint and unsafe fix of a source found.
#[derive(Debug, PartialEq)]
struct Outcome {
    findings: usize,
    /// Findings left after every fix was applied.
    remaining: usize,
}

/// Parses, lints and fixes `source`.
fn run(source: &str) -> Outcome {
    let arena = deluge_syntax::Arena::new();
    let parsed = deluge_syntax::parse(source, &arena);
    let findings = delint_linter::lint(source, &parsed, &Settings::default())
        .diagnostics
        .len();
    let fixed = fix_source(source, &Settings::default(), Applicability::Unsafe);
    Outcome {
        findings,
        remaining: fixed.remaining.diagnostics.len(),
    }
}

/// Runs `source` and returns its outcome with the bytes this thread allocated meanwhile.
fn measured(source: &str) -> (Outcome, u64) {
    let mut outcome = None;
    let allocated = allocation_counter::measure(|| outcome = Some(run(source)));
    (outcome.expect("the measured closure ran"), allocated.bytes_total)
}

/// `make(n)` and `make(2n)` both finish; the larger allocates less than 2.5× as much (a
/// linear pass gives 2.0 here, a quadratic one 4).
/// Returns both outcomes so the caller can check what was found.
fn assert_linear(name: &str, make: impl Fn(usize) -> String, n: usize) -> (Outcome, Outcome) {
    let (small, large) = (make(n), make(2 * n));
    let (small_outcome, small_bytes) = measured(&small);
    let (large_outcome, large_bytes) = measured(&large);
    assert!(
        2 * large_bytes < 5 * small_bytes,
        "{name}: {} bytes of input allocated {small_bytes}, {} bytes allocated {large_bytes}: not linear",
        small.len(),
        large.len()
    );
    (small_outcome, large_outcome)
}

const CLEAN: Outcome = Outcome {
    findings: 0,
    remaining: 0,
};

#[test]
fn many_lines() {
    let (small, large) = assert_linear("lines", shapes::lines, 25_000);
    assert_eq!((small, large), (CLEAN, CLEAN));
    // The size, once: 100,000 lines.
    assert_eq!(run(&shapes::lines(100_000)), CLEAN);
}

#[test]
fn one_long_line_and_one_long_string() {
    let (_, line) = assert_linear("long line", shapes::long_line, 70_000);
    let (_, string) = assert_linear("long string", shapes::long_string, 500_000);
    assert_eq!((line, string), (CLEAN, CLEAN));
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
    let (small, large) = assert_linear("nesting", shapes::nesting, 10_000);
    assert_eq!(small, large, "one cut-off diagnostic, however deep");
}

#[test]
fn long_chains() {
    let (_, plus) = assert_linear("plus chain", shapes::plus_chain, 5_000);
    let (_, else_ifs) = assert_linear("else if", shapes::else_ifs, 5_000);
    assert_eq!((plus, else_ifs), (CLEAN, CLEAN));
}

#[test]
fn thousands_of_findings_and_their_fixes() {
    let (small, large) = assert_linear("authtoken calls", shapes::authtoken_calls, 1_000);
    assert!(small.findings >= 1_000, "every call is found: {small:?}");
    assert_eq!(large.findings, 2 * small.findings);
    assert_eq!(large.remaining, 0, "every call is fixed");
    let (small, large) = assert_linear("authtoken maps", shapes::authtoken_maps, 500);
    assert!(small.findings >= 500, "every map is found: {small:?}");
    assert_eq!(large.findings, 2 * small.findings);
    assert_eq!(large.remaining, 0, "every map is fixed");
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
