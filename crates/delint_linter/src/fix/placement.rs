//! When a request nested in an expression may move to a statement of its own.
//!
//! An `invokeurl` task is a statement, so a `getUrl(..)` nested in an expression can only
//! become one by moving just before its statement. That keeps behaviour only where the
//! call ran exactly once whenever the statement did: not in an `else if` condition (run
//! only when the conditions before it were false), not right of `&&`/`||` (run only when
//! the left side did not decide), not in a branch of `if(c, a, b)`, not in a `while`
//! condition (run before every pass). Nor where another request or integration task runs
//! before it in the same statement: moving it would swap them. There the fix is only
//! shown, saying why.
//!
//! It also answers where a call's text result is used as text ([`text_use`]): an
//! `invokeurl` task returns a map for a JSON response, where `getUrl`/`postUrl` returned
//! the text.

use deluge_syntax::TextRange;
use deluge_syntax::ast::{BinaryOp, Expr, ExprKind, Stmt, StmtKind};

/// Whether the call at `call` may move before `stmt`, and what moving it changes.
pub enum Hoisting {
    /// It may; the texts of requests that ran before it in the statement and will now run
    /// after it, if any.
    Allowed { overtaken: Option<String> },
    /// It may not: the reason.
    Refused(&'static str),
}

/// Decides [`Hoisting`] for the call spanning `call` inside `stmt`'s own expressions.
pub fn hoisting(source: &str, stmt: &Stmt<'_>, call: TextRange) -> Hoisting {
    let mut root = None;
    let mut refusal = None;
    match &stmt.kind {
        StmtKind::If { branches, .. } => {
            for (at, branch) in branches.iter().enumerate() {
                if branch.condition.range.contains_range(call) {
                    if at > 0 {
                        refusal = Some(
                            "the request is in an `else if` condition, which runs only when the conditions before it are false; an `invokeurl` task cannot go there, and moving it before the `if` would run it every time",
                        );
                    }
                    root = Some(branch.condition);
                }
            }
        }
        StmtKind::While { .. } => {
            refusal = Some("the request is in a loop condition, which runs before every pass");
        }
        _ => stmt.each_own_expr(|expr| {
            if expr.range.contains_range(call) {
                root = Some(expr);
            }
        }),
    }
    if let Some(reason) = refusal {
        return Hoisting::Refused(reason);
    }
    let Some(root) = root else {
        return Hoisting::Refused("the request could not be found in its statement");
    };
    if let Some(reason) = conditional_position(root, call) {
        return Hoisting::Refused(reason);
    }
    let overtaken = earlier_request(root, call).map(|range| source[range].to_owned());
    Hoisting::Allowed { overtaken }
}

/// Why the call at `call`, somewhere inside `expr`, runs only sometimes; `None` when it
/// runs whenever `expr` does.
fn conditional_position(expr: &Expr<'_>, call: TextRange) -> Option<&'static str> {
    let mut at = expr;
    loop {
        if at.range == call {
            return None;
        }
        match &at.kind {
            ExprKind::Binary(chain) => {
                for (op, operand) in chain.rest.iter() {
                    if operand.range.contains_range(call) && matches!(op, BinaryOp::And | BinaryOp::Or) {
                        return Some(
                            "the request is on the right of `&&` or `||`, which runs only when the left side does not decide; moving it before the statement would run it every time",
                        );
                    }
                }
            }
            ExprKind::Call { callee, args, .. }
                if is_ternary_if(callee, args.len())
                    && args[1..].iter().any(|a| a.value.range.contains_range(call)) =>
            {
                return Some(
                    "the request is a branch of `if(condition, a, b)`, which runs only when the condition picks it; moving it before the statement would run it every time",
                );
            }
            _ => {}
        }
        let mut children = Vec::new();
        at.push_children(&mut children);
        at = children.into_iter().find(|child| child.range.contains_range(call))?;
    }
}

/// `if(c, a, b)`.
fn is_ternary_if(callee: &Expr<'_>, arity: usize) -> bool {
    arity == 3 && matches!(callee.kind, ExprKind::Ident(name) if name.eq_ignore_ascii_case("if"))
}

/// The first request or integration task in `root` that runs before the call at `call`
/// (ends before it starts, and does not contain it).
fn earlier_request(root: &Expr<'_>, call: TextRange) -> Option<TextRange> {
    let mut stack = vec![root];
    let mut earliest: Option<TextRange> = None;
    while let Some(expr) = stack.pop() {
        if expr.range.start() >= call.start() && !expr.range.contains_range(call) {
            continue;
        }
        if expr.range.end() <= call.start() && has_effects(expr) {
            earliest = Some(earliest.map_or(
                expr.range,
                |e| if expr.range.start() < e.start() { expr.range } else { e },
            ));
            continue;
        }
        expr.push_children(&mut stack);
    }
    earliest
}

/// A request, an integration task, a record insert or a call of another function: what
/// may change something outside the script when it runs.
fn has_effects(expr: &Expr<'_>) -> bool {
    match &expr.kind {
        ExprKind::Task(_) | ExprKind::Insert(_) => true,
        ExprKind::Call { callee, .. } => match &callee.kind {
            ExprKind::Ident(name) => ["getUrl", "postUrl", "invokeUrl", "openUrl"]
                .iter()
                .any(|f| name.eq_ignore_ascii_case(f)),
            ExprKind::Member { .. } => matches!(
                root_name(callee),
                Some(root) if ["zoho", "thisapp", "standalone", "intranet"].iter().any(|r| root.eq_ignore_ascii_case(r))
            ),
            _ => false,
        },
        _ => false,
    }
}

/// The name a member chain starts from: `zoho` in `zoho.crm.updateRecord`.
fn root_name<'a>(expr: &Expr<'a>) -> Option<&'a str> {
    let mut at = expr;
    loop {
        match &at.kind {
            ExprKind::Member { object, .. } => at = object,
            ExprKind::Ident(name) => return Some(name),
            _ => return None,
        }
    }
}

/// Methods that read their receiver as text: a map in its place answers differently or not
/// at all.
const TEXT_METHODS: &[&str] = &[
    "contains",
    "notcontains",
    "length",
    "startswith",
    "endswith",
    "indexof",
    "lastindexof",
    "substring",
    "subtext",
    "mid",
    "replaceall",
    "replacefirst",
    "tolowercase",
    "touppercase",
    "trim",
    "toxml",
    "executexpath",
    "getprefix",
    "getsuffix",
    "matches",
    "equalsignorecase",
];

/// How the expression spanning `target` in `stmt` uses its value as text, in words
/// (`` `.contains(..)` ``, "concatenation with `+`"), or `None` when it does not (or delint
/// cannot tell). `returns_text`: whether `stmt`'s function returns `string`.
pub fn text_use(stmt: &Stmt<'_>, target: TextRange, returns_text: bool) -> Option<String> {
    let mut root = None;
    stmt.each_own_expr(|expr| {
        if expr.range.contains_range(target) {
            root = Some(expr);
        }
    });
    let root = root?;
    if root.range == target {
        return match &stmt.kind {
            StmtKind::Return(Some(_)) if returns_text => Some("returned from a `string` function".to_owned()),
            StmtKind::Assign {
                target: place, value, ..
            } if value.range == target && matches!(place.kind, ExprKind::Member { .. }) => {
                Some(format!("stored in the field `{}`", place_name(place)))
            }
            _ => None,
        };
    }
    let mut parent = root;
    loop {
        match &parent.kind {
            ExprKind::Member { object, name } if object.range == target => {
                let method = name.text.to_ascii_lowercase();
                return TEXT_METHODS
                    .contains(&method.as_str())
                    .then(|| format!("`.{}(..)`", name.text));
            }
            ExprKind::Binary(chain)
                if chain.rest.iter().all(|(op, _)| *op == BinaryOp::Add)
                    && chain.operands().any(|operand| operand.range == target) =>
            {
                return Some("concatenation with `+`".to_owned());
            }
            ExprKind::Paren(inner) if inner.range == target => return None,
            _ => {}
        }
        let mut children = Vec::new();
        parent.push_children(&mut children);
        let next = children.into_iter().find(|child| child.range.contains_range(target))?;
        if next.range == target {
            return None;
        }
        parent = next;
    }
}

/// `input.Notes` as written, for messages.
fn place_name(place: &Expr<'_>) -> String {
    match &place.kind {
        ExprKind::Member { object, name } => match object.kind {
            ExprKind::Ident(root) => format!("{root}.{}", name.text),
            _ => name.text.to_owned(),
        },
        _ => String::new(),
    }
}
