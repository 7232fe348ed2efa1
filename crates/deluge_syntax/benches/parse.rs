//! Lexer and parser throughput on a realistic input: every valid syntax fixture,
//! repeated to about 1 MiB. Run with `cargo bench -p deluge_syntax`.

use divan::counter::BytesCount;
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

fn corpus() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/syntax");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures/syntax")
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| {
            !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("recovery_"))
        })
        .collect();
    paths.sort();
    let one_round: String = paths
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect::<Vec<_>>()
        .join("\n");
    one_round.repeat((1 << 20) / one_round.len() + 1)
}

#[divan::bench]
fn lex(bencher: Bencher) {
    let source = corpus();
    bencher
        .counter(BytesCount::of_str(&source))
        .bench(|| deluge_syntax::lexer::lex(black_box(&source)).tokens.len());
}

#[divan::bench]
fn parse(bencher: Bencher) {
    let source = corpus();
    assert!(
        deluge_syntax::parse(&source, &deluge_syntax::Arena::new())
            .errors
            .is_empty(),
        "the input parses cleanly"
    );
    bencher.counter(BytesCount::of_str(&source)).bench(|| {
        deluge_syntax::parse(black_box(&source), &deluge_syntax::Arena::new())
            .file
            .items
            .len()
    });
}

/// The resilient parser alone: what every file cost before the fast path, and what a file
/// with a syntax error still costs (on top of the fast path's attempt).
#[divan::bench]
fn parse_resilient_only(bencher: Bencher) {
    let source = corpus();
    bencher.counter(BytesCount::of_str(&source)).bench(|| {
        deluge_syntax::parse_resilient_only(black_box(&source), &deluge_syntax::Arena::new())
            .file
            .items
            .len()
    });
}
