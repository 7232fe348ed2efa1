//! Whether a variable is private to the calls being fixed: every read of it is inside one
//! of those calls, a mutation of it (`v.put(..)`), an append to it (`v = v + ..`), or a
//! copy into another private variable (`w = v`, `w.putAll(v)`).

use deluge_syntax::TextRange;
use deluge_syntax::ast::{ExprKind, StmtKind};

use crate::syntax_index::{SyntaxIndex, unparenthesised};

/// The first read of `variable` in `scope` that is not private to the `calls`, if any.
pub fn shared_use(index: &SyntaxIndex, scope: usize, variable: &str, calls: &[TextRange]) -> Option<TextRange> {
    let mut pending = vec![variable.to_owned()];
    let mut seen: Vec<String> = Vec::new();
    while let Some(name) = pending.pop() {
        if seen.contains(&name) {
            continue;
        }
        for read in index.reads(scope, &name) {
            let range = read.expr.range;
            if calls.iter().any(|call| call.contains_range(range)) {
                continue;
            }
            match private_use(&index.stmts[read.stmt].stmt.kind, &name, range) {
                Use::Private => {}
                Use::CopyInto(other) => pending.push(other.to_owned()),
                Use::Shared => return Some(range),
            }
        }
        seen.push(name);
    }
    None
}

enum Use<'a> {
    Private,
    CopyInto(&'a str),
    Shared,
}

fn private_use<'a>(stmt: &StmtKind<'a>, name: &str, read: TextRange) -> Use<'a> {
    match stmt {
        StmtKind::Assign { target, value, .. } => {
            let ExprKind::Ident(target_name) = target.kind else {
                return Use::Shared;
            };
            if target_name == name {
                Use::Private
            } else if unparenthesised(value).range == read {
                Use::CopyInto(target_name)
            } else {
                Use::Shared
            }
        }
        StmtKind::Expr(expr) => {
            let ExprKind::Call { callee, args, .. } = &expr.kind else {
                return Use::Shared;
            };
            let ExprKind::Member { object, name: method } = &callee.kind else {
                return Use::Shared;
            };
            let ExprKind::Ident(receiver) = object.kind else {
                return Use::Shared;
            };
            let method = method.text.to_ascii_lowercase();
            let mutation = matches!(method.as_str(), "put" | "putall" | "remove" | "clear");
            if receiver == name && object.range == read && mutation {
                Use::Private
            } else if method == "putall" && args.first().is_some_and(|a| unparenthesised(&a.value).range == read) {
                Use::CopyInto(receiver)
            } else {
                Use::Shared
            }
        }
        _ => Use::Shared,
    }
}
