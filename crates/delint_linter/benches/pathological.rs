//! Time to parse, lint and apply every fix to each hostile input shape of
//! `tests/support/shapes.rs`, at three sizes each doubling the last: a linear pass keeps the
//! same MB/s at every size. Run with `cargo bench -p delint_linter`.

#[path = "../tests/support/shapes.rs"]
mod shapes;

use delint_linter::diagnostic::Applicability;
use delint_linter::fix::apply::fix_parsed;
use delint_linter::settings::Settings;
use divan::counter::BytesCount;
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

/// Parses, lints and fixes `make(n)`, counting its bytes.
fn parse_lint_fix(bencher: Bencher, make: fn(usize) -> String, n: usize) {
    let source = make(n);
    let settings = Settings::default();
    bencher.counter(BytesCount::of_str(&source)).bench(|| {
        deluge_syntax::with_thread_arena(|arena| {
            let parsed = deluge_syntax::parse(black_box(&source), arena);
            fix_parsed(&source, &parsed, &settings, Applicability::Unsafe).fixed
        })
    });
}

#[divan::bench(args = [25_000, 50_000, 100_000], sample_count = 10)]
fn lines(bencher: Bencher, n: usize) {
    parse_lint_fix(bencher, shapes::lines, n);
}

#[divan::bench(args = [35_000, 70_000, 140_000], sample_count = 10)]
fn long_line(bencher: Bencher, n: usize) {
    parse_lint_fix(bencher, shapes::long_line, n);
}

#[divan::bench(args = [250_000, 500_000, 1_000_000], sample_count = 10)]
fn long_string(bencher: Bencher, n: usize) {
    parse_lint_fix(bencher, shapes::long_string, n);
}

#[divan::bench(args = [5_000, 10_000, 20_000], sample_count = 10)]
fn nesting(bencher: Bencher, n: usize) {
    parse_lint_fix(bencher, shapes::nesting, n);
}

#[divan::bench(args = [2_500, 5_000, 10_000], sample_count = 10)]
fn plus_chain(bencher: Bencher, n: usize) {
    parse_lint_fix(bencher, shapes::plus_chain, n);
}

#[divan::bench(args = [2_500, 5_000, 10_000], sample_count = 10)]
fn else_ifs(bencher: Bencher, n: usize) {
    parse_lint_fix(bencher, shapes::else_ifs, n);
}

#[divan::bench(args = [1_000, 2_000, 4_000], sample_count = 10)]
fn authtoken_calls(bencher: Bencher, n: usize) {
    parse_lint_fix(bencher, shapes::authtoken_calls, n);
}

#[divan::bench(args = [500, 1_000, 2_000], sample_count = 10)]
fn authtoken_maps(bencher: Bencher, n: usize) {
    parse_lint_fix(bencher, shapes::authtoken_maps, n);
}
