//! Whether a variable is private to the calls being fixed: every read of it is inside one
//! of those calls, a mutation of it (`v.put(..)`), an append to it (`v = v + ..`), or a
//! copy into another private variable (`w = v`, `w.putAll(v)`).

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
            let mutation = matches!(method.as_str(), "put" | "putall" | "remove" | "clear");
            if receiver == name && object.range == read && mutation {
                Use::Private
            } else if method == "putall" && args.first().is_some_and(|a| unparenthesised(a.value).range == read) {
                Use::CopyInto(receiver)
            } else {
                Use::Shared
            }
        }
        _ => Use::Shared,
    }
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
