//! Rewriting the code that reads a migrated CRM v1 call's response, where it reads it in
//! a recognised idiom. v1 answered `{"response":{"result":{"<Module>":{"row":..}}}}`, each
//! row an `FL` list of `{"val": label, "content": value}`; the tasks return the record (a
//! map keyed by API names) or the list of records itself. So:
//!
//! - `resp.get("response").get("result").get("Leads").get("row")` (`.toMap()` first or not)
//!   becomes `resp`; a variable assigned that, and the variable of a loop over it, are
//!   followed the same way;
//! - a loop over a record's `FL` whose body only picks fields,
//!   `if(fl.get("val") == "Phone") { phone = fl.get("content"); }`, becomes
//!   `phone = resp.get("Phone");`, one line per field;
//! - `resp.executeXPath("/response/result/Leads/row/FL[@val='Email']/text()")` becomes
//!   `resp.get("Email")`;
//! - the no-record check of a listing, `resp.contains("nodata")` or `resp.contains("4422")`,
//!   becomes `resp.isEmpty()` (the tasks return an empty list).
//!
//! Any other read is returned to be labelled for the reviewer. Nothing is rewritten when
//! the rewrites would overlap or drop a comment.

use deluge_syntax::TextRange;
use deluge_syntax::ast::{BinaryOp, Expr, ExprKind, StmtKind};

use super::authtoken::FixContext;
use super::v1_xml::{api_name, quoted};
use crate::diagnostic::Edit;

/// What the new call returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Holds {
    /// One record (`getRecordById`).
    Record,
    /// A list of records (`getRecords`, `searchRecords`, `getRelatedRecords`).
    Records,
}

/// The reads of the result, rewritten where recognised.
#[derive(Default)]
pub(super) struct Rewritten {
    pub(super) edits: Vec<Edit>,
    /// Reads left as they were, which still expect v1's shape.
    pub(super) unchanged: Vec<TextRange>,
    /// The lines of rewritten reads, for the fix's reason.
    pub(super) rewritten: usize,
}

/// A variable holding (part of) the new response, and the steps into v1's response it
/// already stands for.
struct Tracked<'s> {
    holds: Holds,
    /// The `.get(..)` keys a read of it must still take to reach what the new call gives.
    remaining: Vec<&'s str>,
    /// Its reads.
    reads: Vec<TextRange>,
}

/// Rewrites the `reads` of the variable holding a response that v1 keyed by `module`.
pub(super) fn rewrite<'s>(
    ctx: &FixContext<'s, '_, '_>,
    reads: &[TextRange],
    holds: Holds,
    module: &'s str,
) -> Rewritten {
    let full = vec!["response", "result", module, "row"];
    let mut work = vec![Tracked {
        holds,
        remaining: full,
        reads: reads.to_vec(),
    }];
    let mut out = Rewritten::default();
    while let Some(tracked) = work.pop() {
        for &read in &tracked.reads {
            match rewrite_read(ctx, &tracked, read, module) {
                Some((edit, derived)) => {
                    out.rewritten += usize::from(edit.is_some());
                    out.edits.extend(edit);
                    work.extend(derived);
                }
                None if tracked.remaining.is_empty() && is_plain(ctx, read) => {}
                None => out.unchanged.push(read),
            }
        }
    }
    out.edits.sort_by_key(|e| e.range.start());
    let overlapping = out.edits.windows(2).any(|w| w[0].range.end() > w[1].range.start());
    if overlapping {
        return Rewritten {
            edits: Vec::new(),
            unchanged: reads.to_vec(),
            rewritten: 0,
        };
    }
    out
}

/// The rewrite of one read, and the variables it makes hold the new response.
fn rewrite_read<'s>(
    ctx: &FixContext<'s, '_, '_>,
    tracked: &Tracked<'s>,
    read: TextRange,
    module: &str,
) -> Option<(Option<Edit>, Vec<Tracked<'s>>)> {
    let entry = ctx.index.expr_at(read)?;
    let stmt_at = entry.stmt;
    let stmt = &ctx.index.stmts[stmt_at];
    let steps = chain_steps(ctx, stmt_at, read);
    let keys: Vec<&str> = steps.iter().map(|s| s.key.as_str()).collect();
    let keys_match = |expected: &[&str]| {
        keys.len() == expected.len()
            && keys
                .iter()
                .zip(expected)
                .all(|(k, e)| k == e || (*e == module && (k.eq_ignore_ascii_case(e) || is_deals_alias(k, e))))
    };
    let whole_chain = |end: usize| steps.get(end).map_or(read, |s| read.cover(s.range));
    let name = &ctx.source[read];

    // `resp.get("response")...get("row")` → `resp`.
    if !tracked.remaining.is_empty() && keys_match(&tracked.remaining) {
        let chain = whole_chain(steps.len() - 1);
        let edit = Edit {
            range: chain,
            content: name.to_owned(),
        };
        return Some((Some(edit), derived(ctx, stmt_at, chain, tracked.holds)));
    }
    // `for each row in rows`, `rows` already the new list: `row` is a record.
    if tracked.remaining.is_empty() && steps.is_empty() {
        let follows = derived(ctx, stmt_at, read, tracked.holds);
        return (!follows.is_empty()).then_some((None, follows));
    }
    // A loop over a record's `FL` that picks fields.
    let mut fields = tracked.remaining.clone();
    fields.push("FL");
    if tracked.holds == Holds::Record && keys_match(&fields) {
        let StmtKind::ForEach {
            index: false,
            var,
            iterable,
            body,
        } = &stmt.stmt.kind
        else {
            return None;
        };
        if iterable.range != whole_chain(steps.len() - 1) || has_comment(ctx, stmt.stmt.range) {
            return None;
        }
        let picks = field_picks(ctx, var.text, &body.stmts)?;
        let indent = crate::syntax_index::indentation_at(ctx.source, stmt.stmt.range.start());
        let lines: Vec<String> = picks
            .iter()
            .map(|(target, label)| format!("{target} = {};", field_read(name, label)))
            .collect();
        let edit = Edit {
            range: stmt.stmt.range,
            content: lines.join(&format!("{}{indent}", ctx.eol)),
        };
        return Some((Some(edit), Vec::new()));
    }
    let full = tracked.remaining.len() == 4;
    if !full || !steps.is_empty() {
        return None;
    }
    // `resp.contains("nodata")`, `resp.executeXPath("/response/result/Leads/row/FL[@val='X']/text()")`.
    let (method, argument, call) = method_call_on(ctx, stmt_at, read)?;
    let replacement = match (method.to_ascii_lowercase().as_str(), tracked.holds) {
        ("contains", Holds::Records) if argument == "nodata" || argument == "4422" => format!("{name}.isEmpty()"),
        ("executexpath", Holds::Record) => {
            let label = xpath_field(&argument, module)?;
            field_read(name, &label)
        }
        _ => return None,
    };
    Some((
        Some(Edit {
            range: call,
            content: replacement,
        }),
        Vec::new(),
    ))
}

/// The read of a v1 field's text from a v2 record: `rec.get("Phone")`; an owner is a
/// lookup in v2, of which v1 gave the id (`SMOWNERID`) or the name (`Lead Owner`).
fn field_read(record: &str, label: &str) -> String {
    let api = api_name(label);
    if label.trim().eq_ignore_ascii_case("SMOWNERID") {
        format!("{record}.get(\"Owner\").get(\"id\")")
    } else if api == "Owner" {
        format!("{record}.get(\"Owner\").get(\"name\")")
    } else {
        format!("{record}.get({})", quoted(&api))
    }
}

/// `Potentials`, the v1 name of `Deals`.
fn is_deals_alias(key: &str, module: &str) -> bool {
    module.eq_ignore_ascii_case("Deals") && key.eq_ignore_ascii_case("Potentials")
        || module.eq_ignore_ascii_case("Potentials") && key.eq_ignore_ascii_case("Deals")
}

/// The variables that now hold the new response because `chain` (rewritten) is assigned to
/// one, or iterated by a loop (over a list: its variable holds each record).
fn derived<'s>(ctx: &FixContext<'s, '_, '_>, stmt_at: usize, chain: TextRange, holds: Holds) -> Vec<Tracked<'s>> {
    let entry = &ctx.index.stmts[stmt_at];
    match &entry.stmt.kind {
        StmtKind::Assign { target, value, .. } if value.range == chain => {
            let ExprKind::Ident(name) = target.kind else {
                return Vec::new();
            };
            let reads = ctx
                .index
                .reads_until_reassigned(entry.scope, name, entry.stmt.range.end())
                .map(|r| r.expr.range)
                .collect();
            vec![Tracked {
                holds,
                remaining: Vec::new(),
                reads,
            }]
        }
        StmtKind::ForEach {
            index: false,
            var,
            iterable,
            body,
        } if iterable.range == chain && holds == Holds::Records => {
            let reads = ctx
                .index
                .reads(entry.scope, var.text)
                .map(|r| r.expr.range)
                .filter(|r| body.range.contains_range(*r))
                .collect();
            vec![Tracked {
                holds: Holds::Record,
                remaining: Vec::new(),
                reads,
            }]
        }
        _ => Vec::new(),
    }
}

/// One `.get("key")` (or `.toMap()`, which has no key and is skipped) step of a chain.
struct Step {
    key: String,
    /// The range of the call expression ending this step.
    range: TextRange,
}

/// The `.get("key")` steps applied to the read at `read` in statement `stmt_at`, innermost
/// first (a `.toMap()` before them is skipped).
fn chain_steps(ctx: &FixContext, stmt_at: usize, read: TextRange) -> Vec<Step> {
    let exprs = ctx.index.exprs_of(stmt_at);
    let mut steps = Vec::new();
    let mut current = read;
    'climb: loop {
        for entry in exprs {
            let ExprKind::Call { callee, args, .. } = &entry.expr.kind else {
                continue;
            };
            let ExprKind::Member { object, name } = &callee.kind else {
                continue;
            };
            if object.range != current {
                continue;
            }
            let method = name.text.to_ascii_lowercase();
            match (method.as_str(), args.as_slice()) {
                ("tomap", []) if steps.is_empty() => {}
                ("get", [arg]) if matches!(arg.value.kind, ExprKind::String(_)) => steps.push(Step {
                    key: crate::literal::contents(ctx.source, arg.value.range).to_owned(),
                    range: entry.expr.range,
                }),
                _ => break 'climb,
            }
            current = entry.expr.range;
            continue 'climb;
        }
        break;
    }
    steps
}

/// `read.method("literal")`: the method, the literal's text and the call's range.
fn method_call_on(ctx: &FixContext, stmt_at: usize, read: TextRange) -> Option<(String, String, TextRange)> {
    ctx.index.exprs_of(stmt_at).iter().find_map(|entry| {
        let ExprKind::Call { callee, args, .. } = &entry.expr.kind else {
            return None;
        };
        let ExprKind::Member { object, name } = &callee.kind else {
            return None;
        };
        let [arg] = args.as_slice() else { return None };
        if object.range != read || !matches!(arg.value.kind, ExprKind::String(_) | ExprKind::SingleQuoted(_)) {
            return None;
        }
        let text = crate::literal::contents(ctx.source, arg.value.range).to_owned();
        Some((name.text.to_owned(), text, entry.expr.range))
    })
}

/// `/response/result/<Module>/row/FL[@val='Label']/text()` (quotes either way): the label.
fn xpath_field(path: &str, module: &str) -> Option<String> {
    let rest = path.trim().strip_prefix("/response/result/")?;
    let (key, rest) = rest.split_once('/')?;
    if !(key.eq_ignore_ascii_case(module) || is_deals_alias(key, module)) {
        return None;
    }
    let rest = rest.strip_prefix("row/FL[@val=")?.strip_suffix("]/text()")?;
    let label = rest
        .strip_prefix('\'')
        .and_then(|r| r.strip_suffix('\''))
        .or_else(|| rest.strip_prefix("\\\"").and_then(|r| r.strip_suffix("\\\"")))?;
    (!label.is_empty()).then(|| label.to_owned())
}

/// The `(target, label)` pairs of a loop body that only picks fields of the loop variable:
/// each statement `if(<var>.get("val") == "Label") { target = <var>.get("content"); }`,
/// with `else if`s of the same shape and no `else`.
fn field_picks<'s>(
    ctx: &FixContext<'s, '_, '_>,
    var: &str,
    stmts: &[deluge_syntax::ast::Stmt],
) -> Option<Vec<(&'s str, String)>> {
    let mut picks = Vec::new();
    for stmt in stmts {
        let StmtKind::If {
            branches,
            else_block: None,
        } = &stmt.kind
        else {
            return None;
        };
        for branch in branches.iter() {
            let label = compared_label(ctx, var, branch.condition)?;
            let [assignment] = branch.body.stmts.as_slice() else {
                return None;
            };
            let StmtKind::Assign {
                target,
                op: deluge_syntax::ast::AssignOp::Assign,
                value,
            } = &assignment.kind
            else {
                return None;
            };
            if !matches!(target.kind, ExprKind::Ident(_)) || !is_get_of(ctx, value, var, "content") {
                return None;
            }
            picks.push((&ctx.source[target.range], label));
        }
    }
    (!picks.is_empty()).then_some(picks)
}

/// The label in `<var>.get("val") == "Label"` (either way round, `=` too).
fn compared_label(ctx: &FixContext, var: &str, condition: &Expr) -> Option<String> {
    let condition = crate::syntax_index::unparenthesised(condition);
    let ExprKind::Binary(chain) = &condition.kind else {
        return None;
    };
    let [(BinaryOp::Eq | BinaryOp::SingleEq, right)] = chain.rest.as_slice() else {
        return None;
    };
    let (get, label) = match (&chain.first.kind, &right.kind) {
        (_, ExprKind::String(_)) => (chain.first, *right),
        (ExprKind::String(_), _) => (*right, chain.first),
        _ => return None,
    };
    is_get_of(ctx, get, var, "val").then(|| crate::literal::contents(ctx.source, label.range).to_owned())
}

/// Whether `expr` is `<var>.get("<key>")`.
fn is_get_of(ctx: &FixContext, expr: &Expr, var: &str, key: &str) -> bool {
    let ExprKind::Call { callee, args, .. } = &expr.kind else {
        return false;
    };
    let ExprKind::Member { object, name } = &callee.kind else {
        return false;
    };
    let [arg] = args.as_slice() else { return false };
    name.text.eq_ignore_ascii_case("get")
        && matches!(object.kind, ExprKind::Ident(v) if v.eq_ignore_ascii_case(var))
        && matches!(arg.value.kind, ExprKind::String(_))
        && crate::literal::contents(ctx.source, arg.value.range).eq_ignore_ascii_case(key)
}

/// Whether the read at `read` is the variable alone: passed, printed or returned whole.
fn is_plain(ctx: &FixContext, read: TextRange) -> bool {
    let Some(entry) = ctx.index.expr_at(read) else {
        return false;
    };
    !ctx.index
        .exprs_of(entry.stmt)
        .iter()
        .any(|e| matches!(&e.expr.kind, ExprKind::Member { object, .. } if object.range == read))
}

fn has_comment(ctx: &FixContext, range: TextRange) -> bool {
    !deluge_syntax::lexer::lex(&ctx.source[range]).comments.is_empty()
}
