//! Each stage of checking a file, in MB/s, over the first 2,000 functions of the benchmark
//! corpus (seed 42, generated in memory: 6.6 MB): lexing, parsing (with lexing), and
//! linting (with parsing), file by file in one thread as `delint check` does.
//! Run with `cargo bench -p xtask`; the lint time alone is the difference of the last two.

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use xtask::corpus;

fn main() {
    divan::main();
}

fn corpus() -> Vec<String> {
    let mut rng = corpus::Rng::new(42);
    (0..2_000).map(|i| corpus::function(&mut rng, i).0).collect()
}

/// Runs `stage` on every file of the corpus, counting the corpus's bytes.
fn over_corpus(bencher: Bencher, stage: impl Fn(&str) -> usize + Sync) {
    let files = corpus();
    let bytes = BytesCount::new(files.iter().map(String::len).sum::<usize>());
    bencher
        .counter(bytes)
        .bench(|| files.iter().map(|file| stage(black_box(file))).sum::<usize>());
}

#[divan::bench(sample_count = 20)]
fn lex(bencher: Bencher) {
    over_corpus(bencher, |file| deluge_syntax::lexer::lex(file).tokens.len());
}

#[divan::bench(sample_count = 20)]
fn parse(bencher: Bencher) {
    over_corpus(bencher, |file| {
        deluge_syntax::with_thread_arena(|arena| deluge_syntax::parse(file, arena).file.items.len())
    });
}

#[divan::bench(sample_count = 20)]
fn lint(bencher: Bencher) {
    let settings = delint_linter::settings::Settings::default();
    over_corpus(bencher, |file| {
        deluge_syntax::with_thread_arena(|arena| {
            let parsed = deluge_syntax::parse(file, arena);
            delint_linter::lint(file, &parsed, &settings).diagnostics.len()
        })
    });
}
