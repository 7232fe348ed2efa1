//! The one walk of the tree reaches every expression: on every fixture that parses cleanly,
//! each string and number token is a literal the walk visits (strings and numbers appear
//! nowhere but in expressions), and statements come in source order.

use std::collections::BTreeSet;

use deluge_syntax::ast::ExprKind;
use deluge_syntax::lexer::TokenKind;
use deluge_syntax::{Arena, TextRange, parse};

#[test]
fn the_walk_reaches_every_literal_of_every_fixture() {
    let mut files = Vec::new();
    collect(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures").as_ref(),
        &mut files,
    );
    let mut literals = 0;
    for path in files {
        let Ok(source) = std::fs::read_to_string(&path) else {
            continue;
        };
        let arena = Arena::new();
        let parsed = parse(&source, &arena);
        if !parsed.errors.is_empty() {
            continue;
        }
        let tokens: BTreeSet<(u32, u32)> = parsed
            .tokens
            .iter()
            .filter(|t| matches!(t.kind, TokenKind::String | TokenKind::SingleQuoted | TokenKind::Number))
            .map(|t| key(t.range))
            .collect();
        let mut reached = BTreeSet::new();
        parsed.file.each_expr(|expr| {
            if matches!(
                expr.kind,
                ExprKind::String(_) | ExprKind::SingleQuoted(_) | ExprKind::Number(_)
            ) {
                assert!(
                    reached.insert(key(expr.range)),
                    "{} visited twice: {:?}",
                    path.display(),
                    expr.range
                );
            }
        });
        let missed: Vec<&str> = tokens
            .difference(&reached)
            .map(|&(s, e)| &source[s as usize..e as usize])
            .collect();
        assert!(missed.is_empty(), "{}: the walk missed {missed:?}", path.display());
        literals += reached.len();

        let mut starts = Vec::new();
        parsed.file.each_stmt(|stmt| starts.push(stmt.range.start()));
        assert!(starts.is_sorted(), "{}: statements out of order", path.display());
    }
    assert!(literals > 500, "the fixtures hold literals: {literals}");
}

/// A fetch's `range from` clause, a task's several attachments and `insert into` values
/// are expressions like any other.
#[test]
fn the_walk_reaches_clauses_attachments_and_fields() {
    let source = "x = F[ID > 0] range from 1 to 2;\n\
                  sendmail [ to: \"a\" Attachments: file:\"b\",file:\"c\" ]\n\
                  i = insert into F [ A.b = \"d\" ];\n";
    let arena = Arena::new();
    let parsed = parse(source, &arena);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let mut literals = Vec::new();
    parsed.file.each_expr(|expr| {
        if matches!(expr.kind, ExprKind::String(_) | ExprKind::Number(_)) {
            literals.push(&source[expr.range]);
        }
    });
    literals.sort();
    assert_eq!(literals, ["\"a\"", "\"b\"", "\"c\"", "\"d\"", "0", "1", "2"]);
}

fn key(range: TextRange) -> (u32, u32) {
    (range.start().into(), range.end().into())
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("fixtures readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "dg" || e == "deluge") {
            out.push(path);
        }
    }
}
