use delint_linter::Fixes;
use delint_linter::settings::Settings;
use std::time::{Duration, Instant};
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn document(dirs: &[&str]) -> String {
    let root = "fixtures";
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
fn min_of(n: usize, mut f: impl FnMut()) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..n {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed());
    }
    best
}
fn main() {
    let text = document(&["syntax"]);
    let settings = Settings::default();
    let parsed = deluge_syntax::parse(&text);
    println!("errors {}", parsed.errors.len());
    if std::env::var("ONLY").is_ok_and(|v| v == "lint") {
        for _ in 0..3000 {
            std::hint::black_box(delint_linter::lint_with(&text, &parsed, &settings, Fixes::Skipped));
        }
        return;
    }
    if std::env::var("ONLY").is_ok_and(|v| v == "parse") {
        for _ in 0..3000 {
            std::hint::black_box(deluge_syntax::parse(&text));
        }
        return;
    }
    let lex = min_of(200, || {
        std::hint::black_box(deluge_syntax::lexer::lex(&text));
    });
    let parse = min_of(200, || {
        std::hint::black_box(deluge_syntax::parse(&text));
    });
    let lint = min_of(200, || {
        std::hint::black_box(delint_linter::lint_with(&text, &parsed, &settings, Fixes::Skipped));
    });
    let sem = min_of(200, || {
        std::hint::black_box(delint_linter::semantic::SemanticModel::build(&text, &parsed.file));
    });
    let syn = min_of(200, || {
        std::hint::black_box(delint_linter::syntax_index::SyntaxIndex::new(&parsed.file));
    });
    let tok = min_of(200, || {
        std::hint::black_box(delint_linter::secrets::token_shaped(&text));
    });
    let idx = min_of(200, || {
        std::hint::black_box(deluge_syntax::LineIndex::new(&text));
    });
    for (n, d) in [
        ("lex", lex),
        ("parse", parse),
        ("lint", lint),
        ("  semantic", sem),
        ("  syntax idx", syn),
        ("  token_shaped", tok),
        ("  line index", idx),
    ] {
        println!("{n:16} {:>7.3} ms", d.as_secs_f64() * 1e3);
    }
}
