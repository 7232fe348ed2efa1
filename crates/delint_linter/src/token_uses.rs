//! Where token variables are read, for the rule that finds dead ones (DL021) and the fixes
//! that delete them. Whether a variable is private to the calls being fixed: every read of
//! it is inside one of those calls, a mutation of it (`v.put(..)`), an append to it
//! (`v = v + ..`), or a copy into another private variable (`w = v`, `w.putAll(v)`).

use deluge_syntax::ast::{ExprKind, StmtKind};
use deluge_syntax::{TextRange, TextSize};

use crate::syntax_index::{SyntaxIndex, unparenthesised};

/// Call ranges, sorted, answering "is this range inside one of them" in logarithmic time
/// (a file may hold thousands of calls, each asking about its variables).
#[derive(Debug, Default)]
pub struct CallRanges {
    ranges: Vec<TextRange>,
    /// The furthest end among `ranges[..=i]`: calls nest, so a range may sit in an earlier,
    /// longer call.
    reach: Vec<TextSize>,
}

impl CallRanges {
    pub fn new(ranges: &[TextRange]) -> CallRanges {
        let mut ranges = ranges.to_vec();
        ranges.sort_by_key(|r| (r.start(), r.end()));
        let reach = ranges
            .iter()
            .scan(TextSize::new(0), |furthest, r| {
                *furthest = (*furthest).max(r.end());
                Some(*furthest)
            })
            .collect();
        CallRanges { ranges, reach }
    }

    /// Whether some call contains `range`.
    pub fn contain(&self, range: TextRange) -> bool {
        let end = self.ranges.partition_point(|r| r.start() <= range.start());
        (0..end)
            .rev()
            .take_while(|&i| self.reach[i] >= range.end())
            .any(|i| self.ranges[i].contains_range(range))
    }
}

/// The first read of `variable` in `scope` that is not private to the `calls`, if any.
pub fn shared_use(index: &SyntaxIndex, scope: usize, variable: &str, calls: &CallRanges) -> Option<TextRange> {
    let mut pending = vec![variable.to_owned()];
    let mut seen: Vec<String> = Vec::new();
    while let Some(name) = pending.pop() {
        if seen.contains(&name) {
            continue;
        }
        for read in index.reads(scope, &name) {
            let range = read.expr.range;
            if calls.contain(range) {
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
            let mutation = matches!(
                method.as_str(),
                "put" | "putall" | "remove" | "clear" | "add" | "addall"
            );
            let copies_its_argument = matches!(method.as_str(), "putall" | "add" | "addall");
            if receiver == name && object.range == read && mutation {
                Use::Private
            } else if copies_its_argument && args.last().is_some_and(|a| unparenthesised(a.value).range == read) {
                Use::CopyInto(receiver)
            } else {
                Use::Shared
            }
        }
        // `for each url in urls`: the list's values go into the loop variable.
        StmtKind::ForEach {
            index: false,
            var,
            iterable,
            ..
        } if unparenthesised(iterable).range == read => Use::CopyInto(var.text),
        _ => Use::Shared,
    }
}

/// `tok = "..";`, `tok = zoho.crm.getOrgVariable("..");`, `tok = input.Token;`, `tok = other;`.
pub(crate) fn holds_only_a_token(stmt: &StmtKind<'_>) -> bool {
    let StmtKind::Assign { op, value, .. } = stmt else {
        return false;
    };
    *op == deluge_syntax::ast::AssignOp::Assign
        && match &value.kind {
            ExprKind::String(_) | ExprKind::SingleQuoted(_) | ExprKind::Ident(_) | ExprKind::Member { .. } => true,
            ExprKind::Call { callee, args, .. } => {
                matches!(&callee.kind, ExprKind::Member { name, .. } if name.text.eq_ignore_ascii_case("getOrgVariable"))
                    && args.iter().all(|a| matches!(a.value.kind, ExprKind::String(_)))
            }
            _ => false,
        }
}

/// `crmapi`, `creatorapi`, `ZohoBooks/booksapi`, `supportapi`, ...
pub(crate) fn is_legacy_scope(value: &str) -> bool {
    let value = value.trim();
    value.len() > 3
        && value.to_ascii_lowercase().ends_with("api")
        && value.bytes().all(|b| b.is_ascii_alphabetic() || b == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(start: u32, end: u32) -> TextRange {
        TextRange::new(TextSize::new(start), TextSize::new(end))
    }

    #[test]
    fn ranges_inside_nested_calls_are_found() {
        let calls = CallRanges::new(&[range(20, 30), range(10, 100), range(200, 210)]);
        assert!(
            calls.contain(range(50, 60)),
            "inside the outer call, after the inner one"
        );
        assert!(calls.contain(range(22, 25)));
        assert!(calls.contain(range(205, 210)));
        assert!(!calls.contain(range(100, 120)));
        assert!(!calls.contain(range(5, 12)));
        assert!(!CallRanges::default().contain(range(1, 2)));
    }
}
