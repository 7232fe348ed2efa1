//! What the language server does on each keystroke, on a 5,000-line document: apply an
//! incremental change, re-parse, re-lint, convert the findings to LSP diagnostics.
//! Run with `cargo bench -p delint_server`.

use delint_linter::Fixes;
use delint_linter::settings::Settings;
use delint_server::document::Document;
use delint_server::lint_document;
use divan::{Bencher, black_box};
use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Url};

/// The allocator of the `delint` binary, which the server runs in.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// Fixture files from `dirs` (under `fixtures/`) repeated to 5,000 lines.
fn document(dirs: &[&str]) -> String {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures");
    let mut texts = Vec::new();
    for sub in dirs {
        let mut paths: Vec<_> = std::fs::read_dir(format!("{root}/{sub}"))
            .unwrap()
            .filter_map(|e| Some(e.ok()?.path()))
            .filter(|p| !p.to_string_lossy().contains("recovery_"))
            .collect();
        paths.sort();
        texts.extend(paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
    }
    let round = texts.join("\n");
    let lines: Vec<&str> = round.lines().collect();
    lines.iter().cycle().take(5_000).copied().collect::<Vec<_>>().join("\n") + "\n"
}

/// The rule fixtures: a finding every few lines (about 1,200 of them), the worst case.
#[divan::bench]
fn relint_5000_lines_dense_findings(bencher: Bencher) {
    let dirs = [
        "rules/DL001",
        "rules/DL002",
        "rules/DL003",
        "rules/DL010",
        "rules/DL012",
        "rules/DL020",
        "rules/DL021",
        "rules/negative",
        "rules/clean",
    ];
    relint(bencher, document(&dirs));
}

/// The syntax fixtures: every construct, few findings, as most functions are.
#[divan::bench]
fn relint_5000_lines_typical(bencher: Bencher) {
    relint(bencher, document(&["syntax"]));
}

/// The typical document mid-edit: one statement broken, so the fast path gives up and the
/// resilient parser parses the whole document.
#[divan::bench]
fn relint_5000_lines_typical_with_a_syntax_error(bencher: Bencher) {
    let mut lines: Vec<String> = document(&["syntax"]).lines().map(str::to_owned).collect();
    lines[2_000] = "broken = (1 + ;".to_owned();
    let text = lines.join("\n") + "\n";
    assert!(
        !deluge_syntax::parse(&text, &deluge_syntax::Arena::new())
            .errors
            .is_empty()
    );
    relint(bencher, text);
}

fn relint(bencher: Bencher, text: String) {
    let uri = Url::parse("file:///bench/function.dg").unwrap();
    let settings = Settings::default();
    let mut document = Document::new(text, 1);
    assert_eq!(document.text.lines().count(), 5_000);
    let mut version = 1;
    bencher.bench_local(|| {
        version += 1;
        let at = Position::new(2_500, 0);
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(at, at)),
            range_length: None,
            text: if version % 2 == 0 { " ".into() } else { String::new() },
        };
        document.apply(vec![change], version);
        black_box(lint_document(&uri, &document, &settings, Fixes::Skipped).1.len())
    });
}

/// The typical document's parse alone: the share of a re-lint the parser takes.
#[divan::bench]
fn parse_5000_lines_typical(bencher: Bencher) {
    let text = document(&["syntax"]);
    bencher.bench_local(|| {
        black_box(
            deluge_syntax::parse(black_box(&text), &deluge_syntax::Arena::new())
                .file
                .items
                .len(),
        )
    });
}

/// The typical document's lint alone, on a parse done beforehand.
#[divan::bench]
fn lint_5000_lines_typical(bencher: Bencher) {
    let text = document(&["syntax"]);
    let arena = deluge_syntax::Arena::new();
    let parsed = deluge_syntax::parse(&text, &arena);
    let settings = Settings::default();
    bencher.bench_local(|| {
        black_box(
            delint_linter::lint_with(&text, &parsed, &settings, Fixes::Skipped)
                .diagnostics
                .len(),
        )
    });
}
