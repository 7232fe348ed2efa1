//! Properties that hold for any input: the parser never panics, every range lies inside
//! the input on character boundaries, recovery keeps the statements after an error, and the
//! fast path builds exactly the resilient parser's tree wherever it parses at all.

use deluge_syntax::ast::*;
use deluge_syntax::{Arena, MAX_NESTING, TextRange, parse, parse_fast_path_only, parse_resilient_only};
use proptest::prelude::*;

/// Every range of the tree and of the errors, collected by a full walk.
fn all_ranges(parsed: &deluge_syntax::Parsed<'_>) -> Vec<TextRange> {
    let mut ranges = vec![parsed.file.range];
    ranges.extend(parsed.errors.iter().map(|e| e.range));
    ranges.extend(parsed.comments.iter().map(|c| c.range));
    for item in &parsed.file.items {
        match item {
            Item::Function(f) => {
                ranges.extend([f.range, f.name.range, f.return_type.range, f.body.range]);
                f.body.stmts.iter().for_each(|s| stmt_ranges(s, &mut ranges));
            }
            Item::Statement(s) => stmt_ranges(s, &mut ranges),
        }
    }
    ranges
}

fn stmt_ranges(stmt: &Stmt<'_>, out: &mut Vec<TextRange>) {
    out.push(stmt.range);
    let block = |b: &Block<'_>, out: &mut Vec<TextRange>| {
        out.push(b.range);
        b.stmts.iter().for_each(|s| stmt_ranges(s, out));
    };
    match &stmt.kind {
        StmtKind::Assign { target, value, .. } => {
            expr_ranges(target, out);
            expr_ranges(value, out);
        }
        StmtKind::Expr(e) | StmtKind::Delete { target: e } => expr_ranges(e, out),
        StmtKind::Return(e) | StmtKind::Info(e) => e.iter().for_each(|e| expr_ranges(e, out)),
        StmtKind::If { branches, else_block } => {
            for branch in branches {
                expr_ranges(branch.condition, out);
                block(&branch.body, out);
            }
            else_block.iter().for_each(|b| block(b, out));
        }
        StmtKind::ForEach {
            iterable, body, var, ..
        } => {
            out.push(var.range);
            expr_ranges(iterable, out);
            block(body, out);
        }
        StmtKind::While { condition, body } => {
            expr_ranges(condition, out);
            block(body, out);
        }
        StmtKind::Try { body, catch_body, .. } => {
            block(body, out);
            catch_body.iter().for_each(|b| block(b, out));
        }
        StmtKind::Word { words, operand } => {
            out.extend(words.iter().map(|w| w.range));
            operand.iter().for_each(|e| expr_ranges(e, out));
        }
        StmtKind::Break | StmtKind::Continue | StmtKind::Empty | StmtKind::Error => {}
    }
}

fn expr_ranges(expr: &Expr<'_>, out: &mut Vec<TextRange>) {
    out.push(expr.range);
    match &expr.kind {
        ExprKind::Paren(e) | ExprKind::Unary { operand: e, .. } => expr_ranges(e, out),
        ExprKind::Binary(chain) => chain.operands().for_each(|e| expr_ranges(e, out)),
        ExprKind::Member { object, name } => {
            expr_ranges(object, out);
            out.push(name.range);
        }
        ExprKind::Call { callee, args, .. } => {
            expr_ranges(callee, out);
            for arg in args {
                arg.key.iter().for_each(|k| expr_ranges(k, out));
                expr_ranges(arg.value, out);
            }
        }
        ExprKind::Fetch(fetch) => {
            expr_ranges(&fetch.form, out);
            expr_ranges(&fetch.criteria, out);
        }
        ExprKind::Map(entries) => entries.iter().for_each(|e| {
            expr_ranges(&e.key, out);
            expr_ranges(&e.value, out);
        }),
        ExprKind::List(items) => items.iter().for_each(|e| expr_ranges(e, out)),
        ExprKind::Task(task) => {
            out.push(task.bracket_range);
            for param in &task.params {
                out.extend([param.range, param.key.range, param.value.range()]);
                param.value.as_expr().iter().for_each(|e| expr_ranges(e, out));
            }
        }
        ExprKind::Insert(insert) => insert.fields.iter().for_each(|(_, e)| expr_ranges(e, out)),
        ExprKind::UiCall { target, call } => {
            expr_ranges(target, out);
            expr_ranges(call, out);
        }
        _ => {}
    }
}

/// Where the fast path parses, the resilient parser builds the same tree and reports no
/// syntax error beyond the lexer's; and `parse` (the fast path handing broken statements to
/// the resilient grammar one by one) gives exactly what the resilient parser gives, on any
/// input.
fn assert_paths_agree(source: &str) {
    let arena = Arena::new();
    let resilient = parse_resilient_only(source, &arena);
    let parsed = parse(source, &arena);
    assert_eq!(parsed.errors, resilient.errors, "the errors differ for {source:?}");
    assert_eq!(parsed.file, resilient.file, "the trees differ for {source:?}");
    let Some(fast) = parse_fast_path_only(source, &arena) else {
        return;
    };
    assert_eq!(
        fast.errors, resilient.errors,
        "the resilient parser reports errors in {source:?}"
    );
    assert_eq!(fast.file, resilient.file, "the fast path's tree differs for {source:?}");
}

fn assert_ranges_valid(source: &str) {
    assert_paths_agree(source);
    let arena = Arena::new();
    let parsed = parse(source, &arena);
    for range in all_ranges(&parsed) {
        let (start, end) = (usize::from(range.start()), usize::from(range.end()));
        assert!(
            start <= end && end <= source.len(),
            "{range:?} outside {} bytes",
            source.len()
        );
        assert!(
            source.is_char_boundary(start) && source.is_char_boundary(end),
            "{range:?} splits a character"
        );
    }
}

#[test]
fn the_fast_path_parses_every_error_free_fixture_as_the_resilient_parser_does() {
    let mut files = Vec::new();
    collect_files(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures").as_ref(),
        &mut files,
    );
    assert!(files.len() > 50, "fixtures found: {}", files.len());
    let mut fast = 0;
    for path in files {
        let Ok(source) = std::fs::read_to_string(&path) else {
            continue;
        };
        assert_paths_agree(&source);
        let arena = Arena::new();
        let resilient = parse_resilient_only(&source, &arena);
        if resilient.errors.is_empty() {
            assert!(
                parse_fast_path_only(&source, &arena).is_some(),
                "{} has no syntax error, yet the fast path gave up",
                path.display()
            );
            fast += 1;
        }
    }
    assert!(fast > 40, "error-free fixtures: {fast}");
}

#[test]
fn the_fast_path_gives_up_where_the_resilient_parser_reports() {
    for source in [
        "x = 1",
        "if (a { b = 1; }",
        "while (a) { }",
        "m = {1, \"a\": 2};",
        "n = 99999999999999999999;",
        "r = invokeurl [ url: \"u\" \"v\" ];",
        "f(a b);",
        "}",
        "1 = 2;",
        // Headers that do not parse keep their blocks.
        "if (a) { x = 1; } else if b == 2 { y = 2; }",
        "try { x = 1; } catch (Exception e) { y = 2; }",
        "void f(string a, b) { x = 1; }",
        "for each r in a b { x = 1; }",
        // Documentation pasted into the script.
        "Module : Ticket\nx = 1;",
        "x = 1;\nSample Code:\ny = 2;",
        // One broken argument, entry or key.
        "m.put(\"authtoken\", YOUR ZOHO TOKEN);",
        "h = {\"a\": 1, \"b\" \"c\", \"d\": 2};",
        "r = invokeurl [ \"url\": u url: u type: GET ];",
        "x = Orders[ID > 0].count() sort by Added_Time;",
    ] {
        let arena = Arena::new();
        assert!(!parse_resilient_only(source, &arena).errors.is_empty(), "{source:?}");
        assert!(parse_fast_path_only(source, &arena).is_none(), "{source:?}");
        assert_eq!(
            parse(source, &arena).errors,
            parse_resilient_only(source, &arena).errors
        );
    }
}

fn collect_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("fixture directory readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn fixture_sources() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/syntax");
    let mut sources: Vec<String> = std::fs::read_dir(dir)
        .expect("fixtures/syntax exists")
        .filter_map(|entry| std::fs::read_to_string(entry.ok()?.path()).ok())
        .collect();
    sources.sort();
    sources
}

/// A Deluge-flavoured alphabet, so random strings hit the grammar's corners often.
fn deluge_soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "x",
        "url",
        "invokeurl",
        "[",
        "]",
        "(",
        ")",
        "{",
        "}",
        ":",
        ";",
        ",",
        "=",
        "+",
        "-",
        "/",
        "\"a?authtoken=\"",
        "'s'",
        "1",
        "if",
        "else",
        "for each",
        "in",
        "try",
        "catch",
        "info",
        "return",
        "type",
        "GET",
        "connection",
        "\n",
        " ",
        ".",
        "\"",
        "'",
        "/*",
        "*/",
        "//",
        "\u{A0}",
        "“",
        "#",
        "é",
        "insert into",
        "sort by",
        "range from",
        "to",
        "sendmail",
        "content type",
        "!",
        "not in",
        "list:int",
        "file:a,file:b",
        "as PDF",
        "Name.first_name =",
        ".Number sort by",
        "&&",
        "==",
    ]);
    prop::collection::vec(pieces, 0..80).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics_and_ranges_stay_in_bounds(source in any::<String>()) {
        assert_ranges_valid(&source);
    }

    #[test]
    fn arbitrary_bytes_decoded_lossily_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        assert_ranges_valid(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn deluge_like_soup_never_panics(source in deluge_soup()) {
        assert_ranges_valid(&source);
    }

    #[test]
    fn mutated_fixtures_never_panic(
        index in any::<prop::sample::Index>(),
        cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), deluge_soup()), 1..4),
    ) {
        let sources = fixture_sources();
        let mut source = sources[index.index(sources.len())].clone();
        for (at, len, insert) in cuts {
            let start = floor_boundary(&source, at.index(source.len() + 1));
            let end = floor_boundary(&source, (start + len.index(16)).min(source.len()));
            source.replace_range(start..end, &insert);
        }
        assert_ranges_valid(&source);
    }
}

fn floor_boundary(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[test]
fn deep_nesting_is_cut_off_with_an_error_and_the_rest_survives() {
    for (open, close) in [("(", ")"), ("{", "}"), ("[", "]")] {
        let source = format!(
            "x = {}1{};\ny = getUrl(u);\n",
            open.repeat(10_000),
            close.repeat(10_000)
        );
        let arena = Arena::new();
        let parsed = parse(&source, &arena);
        assert!(
            parsed
                .errors
                .iter()
                .any(|e| e.message.contains(&format!("{MAX_NESTING} levels")))
        );
        let last = parsed.file.items.last().expect("statements survive");
        assert!(
            matches!(
                last,
                Item::Statement(Stmt {
                    kind: StmtKind::Assign { .. },
                    ..
                })
            ),
            "{last:?}"
        );
        assert_ranges_valid(&source);
    }
}

#[test]
fn nesting_up_to_the_limit_parses_without_error_on_a_small_stack() {
    // Test threads have 2 MiB stacks; the parser must fit the deepest allowed input in one.
    let depth = MAX_NESTING - 1;
    let source = format!("x = {}1{};", "(".repeat(depth), ")".repeat(depth));
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || parse(&source, &Arena::new()).errors.len())
        .expect("spawn");
    assert_eq!(handle.join().expect("no stack overflow"), 0);
}

#[test]
fn long_chains_stay_flat() {
    let source = format!("x = a{};", " + b".repeat(5_000));
    let arena = Arena::new();
    let parsed = parse(&source, &arena);
    assert!(parsed.errors.is_empty());
    let Item::Statement(Stmt {
        kind: StmtKind::Assign { value, .. },
        ..
    }) = &parsed.file.items[0]
    else {
        panic!("not an assignment");
    };
    let ExprKind::Binary(chain) = &value.kind else {
        panic!("not a chain")
    };
    assert_eq!(chain.rest.len(), 5_000);
}

#[test]
fn operator_runs_past_the_limit_are_one_error_each() {
    let prefix = format!("x = {}a;", "!".repeat(1_001));
    let postfix = format!("y = a{};", ".b".repeat(1_001));
    for (source, what) in [(prefix, "prefix operators"), (postfix, "chained calls")] {
        assert_paths_agree(&source);
        let arena = Arena::new();
        let messages: Vec<String> = parse(&source, &arena).errors.into_iter().map(|e| e.message).collect();
        assert_eq!(messages, [format!("more than 1000 {what}")]);
    }
    let arena = Arena::new();
    let at_the_limit = format!("x = {}a{};", "!".repeat(1_000), ".b".repeat(1_000));
    assert!(parse(&at_the_limit, &arena).errors.is_empty());
}

#[test]
fn ten_thousand_else_if_arms_are_one_statement() {
    let source = format!("if (a) {{ }}{}", " else if (b) { x = 1; }".repeat(10_000));
    let arena = Arena::new();
    let parsed = parse(&source, &arena);
    assert!(parsed.errors.is_empty());
    let Item::Statement(Stmt {
        kind: StmtKind::If { branches, .. },
        ..
    }) = &parsed.file.items[0]
    else {
        panic!("not an if");
    };
    assert_eq!(branches.len(), 10_001);
}
