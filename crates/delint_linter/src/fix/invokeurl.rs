//! Writing `invokeurl` tasks: adding a `connection:` key to one, and turning `getUrl`,
//! `postUrl` and Creator's `invokeUrl()` into one (reference §4.1, §4.3–4.4).

use deluge_syntax::ast::{Arg, ExprKind, StmtKind, TaskBlock};
use deluge_syntax::{TextRange, TextSize};

use super::authtoken::FixContext;
use super::placement::{self, Hoisting};
use crate::call_facts::CallFacts;
use crate::diagnostic::Edit;
use crate::semantic::CallKind;
use crate::syntax_index::{StmtEntry, indentation_at, unparenthesised};

/// Inserts `connection: "name"` after the task's last key: on a line of its own, indented
/// like the key before it, or inline for a one-line block.
pub fn connection_key_edit(ctx: &FixContext, task: &TaskBlock<'_>, connection: &str) -> Edit {
    let source = ctx.source;
    let key = format!("connection: \"{connection}\"");
    let Some(last) = task.params.last() else {
        let close = task.bracket_range.end() - TextSize::new(1);
        return insertion(close, format!("{key} "));
    };
    let after_last = &source[usize::from(last.range.end())..usize::from(task.bracket_range.end())];
    if !source[task.bracket_range].contains('\n') || !after_last.contains('\n') {
        return insertion(last.range.end(), format!(" {key}"));
    }
    // Insert at the end of the last key's line, after any trailing comment.
    let line_end = last.range.end() + TextSize::new(after_last.find(['\r', '\n']).unwrap_or(0) as u32);
    let indent = indentation_at(source, last.range.start());
    insertion(line_end, format!("{}{indent}{key}", ctx.eol))
}

fn insertion(at: TextSize, content: String) -> Edit {
    Edit {
        range: TextRange::empty(at),
        content,
    }
}

/// Arguments of a legacy call, sorted into task keys.
#[derive(Default)]
struct Keys {
    url: Option<TextRange>,
    method: Option<String>,
    body: Option<TextRange>,
    headers: Option<TextRange>,
    detailed: bool,
}

/// Replaces a `getUrl`/`postUrl`/`invokeUrl()` call with an `invokeurl` task. `inner` are
/// edits inside the call's arguments (the token removed), applied to the copied text.
pub fn rewrite_call(
    ctx: &FixContext,
    facts: &CallFacts,
    connection: Option<&str>,
    inner: &[Edit],
) -> Result<Rewrite, String> {
    let source = ctx.source;
    let call_range = facts.call.range;
    let args = match ctx.index.expr_at(call_range).map(|e| &e.expr.kind) {
        Some(ExprKind::Call { args, .. }) => args,
        _ => return Err("the call could not be found".into()),
    };
    let mut keys = sort_arguments(source, facts.call.kind, args)?;
    if let Some((method, _)) = &facts.method_override {
        keys.method = Some(method.clone());
    }
    let statement = ctx
        .index
        .stmt_containing(call_range)
        .ok_or("the call is not inside a statement")?;
    let indent = indentation_at(source, statement.stmt.range.start());
    let (unit, eol) = (ctx.indent_unit, ctx.eol);

    let text = |range: TextRange| apply_inner(source, range, inner);
    let mut lines = vec![("url", text(keys.url.ok_or("the call has no URL")?))];
    lines.push(("type", keys.method.unwrap_or_else(|| "GET".into())));
    // An empty body or header map (`postUrl(url, "")`, a map whose only entry was the
    // method override) says nothing a task needs.
    if let Some(body) = keys
        .body
        .map(text)
        .filter(|b| !matches!(b.trim(), "\"\"" | "''" | "{}"))
    {
        lines.push(("parameters", body));
    }
    if let Some(headers) = keys.headers.map(text).filter(|h| h.trim() != "{}") {
        lines.push(("headers", headers));
    }
    if keys.detailed {
        lines.push(("detailed", "true".into()));
    }
    if let Some(connection) = connection {
        lines.push(("connection", format!("\"{connection}\"")));
    }
    let mut task = format!("invokeurl{eol}{indent}[{eol}");
    for (key, value) in lines {
        task.push_str(&format!("{indent}{unit}{key}: {value}{eol}"));
    }
    task.push_str(&format!("{indent}]"));

    let stmt = statement.stmt;
    let mut rewrite = Rewrite::default();
    let assigned_variable = match &stmt.kind {
        StmtKind::Assign { target, value, .. } if unparenthesised(value).range == call_range => match target.kind {
            ExprKind::Ident(name) => Some((name, value.range)),
            _ => None,
        },
        _ => None,
    };
    if let Some((variable, value)) = assigned_variable {
        rewrite.edits.push(Edit {
            range: value,
            content: task,
        });
        rewrite.keep_text_of_variable(ctx, statement, variable);
        return Ok(rewrite);
    }
    let name = fresh_name(ctx, statement.scope);
    if matches!(&stmt.kind, StmtKind::Expr(e) if e.range == call_range) {
        rewrite.edits.push(Edit {
            range: call_range,
            content: format!("{name} = {task}"),
        });
        return Ok(rewrite);
    }
    // Nested in an expression: move the request into a variable just before the statement,
    // where that runs it exactly when it ran before.
    match placement::hoisting(source, stmt, call_range) {
        Hoisting::Refused(reason) => return Err(reason.to_owned()),
        Hoisting::Allowed {
            overtaken: Some(earlier),
        } => {
            return Err(format!(
                "`{}` runs first in the same statement, and moving the request before the statement would swap them",
                short(&earlier)
            ));
        }
        Hoisting::Allowed { overtaken: None } => {}
    }
    let text_use = placement::text_use(stmt, call_range, ctx.index.returns_text(statement.scope));
    let read = match &text_use {
        Some(used) => {
            let line = ctx.lines.line_col(source, call_range.start()).line;
            rewrite.text_kept.push(format!("{used} on line {line}"));
            format!("{name}.toString()")
        }
        None => name.clone(),
    };
    rewrite.edits.push(Edit {
        range: TextRange::empty(stmt.range.start()),
        content: format!("{name} = {task};{eol}{indent}"),
    });
    rewrite.edits.push(Edit {
        range: call_range,
        content: read,
    });
    Ok(rewrite)
}

/// The edits that turn a call into a task, and what they change.
#[derive(Default)]
pub struct Rewrite {
    /// The edits.
    pub edits: Vec<Edit>,
    /// Where `.toString()` keeps the result text, in words (`` `.contains(..)` on line 8 ``).
    pub text_kept: Vec<String>,
}

impl Rewrite {
    /// Adds `.toString()` to the reads of `variable` that use it as text, from the
    /// assignment to the next one: the task's result is a map where the call's was text.
    fn keep_text_of_variable(&mut self, ctx: &FixContext, assignment: &StmtEntry<'_, '_>, variable: &str) {
        let returns_text = ctx.index.returns_text(assignment.scope);
        let after = assignment.stmt.range.end();
        for read in ctx.index.reads_until_reassigned(assignment.scope, variable, after) {
            let range = read.expr.range;
            let stmt = ctx.index.stmts[read.stmt].stmt;
            if let Some(used) = placement::text_use(stmt, range, returns_text) {
                let line = ctx.lines.line_col(ctx.source, range.start()).line;
                self.text_kept.push(format!("{used} on line {line}"));
                self.edits.push(Edit {
                    range: TextRange::empty(range.end()),
                    content: ".toString()".to_owned(),
                });
            }
        }
    }
}

/// The first line of `text`, cut to a readable length.
fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    match line.char_indices().nth(60) {
        Some((at, _)) => format!("{}..", &line[..at]),
        None => line.to_owned(),
    }
}

/// `getUrl(url[, headers|simple][, simple])`, `postUrl(url, body[, headers|simple][, simple])`,
/// `invokeUrl(url, type[, body|simple][, headers|simple][, simple])`.
fn sort_arguments(source: &str, kind: CallKind, args: &[Arg<'_>]) -> Result<Keys, String> {
    let mut keys = Keys {
        url: args.first().map(|a| a.value.range),
        ..Keys::default()
    };
    let (method, rest) = match kind {
        CallKind::GetUrl => (Some("GET".to_owned()), args.get(1..).unwrap_or(&[])),
        CallKind::PostUrl => {
            keys.body = args.get(1).map(|a| a.value.range);
            (Some("POST".to_owned()), args.get(2..).unwrap_or(&[]))
        }
        _ => {
            let method = match args.get(1).map(|a| &a.value.kind) {
                Some(ExprKind::String(s) | ExprKind::SingleQuoted(s)) => s.value().trim().to_ascii_uppercase(),
                _ => return Err("the request type is not a literal".into()),
            };
            if !["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&method.as_str()) {
                return Err(format!("`{method}` is not a request type `invokeurl` accepts"));
            }
            (Some(method), args.get(2..).unwrap_or(&[]))
        }
    };
    keys.method = method;
    let mut slots: Vec<&str> = match kind {
        CallKind::GetUrl => vec!["headers"],
        CallKind::PostUrl => vec!["headers"],
        _ => vec!["body", "headers"],
    };
    slots.reverse();
    for arg in rest {
        if let ExprKind::Bool(simple) = arg.value.kind {
            keys.detailed = !simple;
            continue;
        }
        match slots.pop() {
            Some("body") => keys.body = Some(arg.value.range),
            Some(_) => keys.headers = Some(arg.value.range),
            None => {
                let text = &source[arg.value.range];
                return Err(format!("the argument `{text}` has no place in an `invokeurl` task"));
            }
        }
    }
    Ok(keys)
}

/// The text at `range` with the `inner` edits that fall inside it applied.
fn apply_inner(source: &str, range: TextRange, inner: &[Edit]) -> String {
    let mut edits: Vec<&Edit> = inner.iter().filter(|e| range.contains_range(e.range)).collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start()));
    let mut text = source[range].to_owned();
    for edit in edits {
        let local = edit.range - range.start();
        text.replace_range(std::ops::Range::<usize>::from(local), &edit.content);
    }
    text
}

/// `response`, or `response2`, ... when the function already uses the name.
fn fresh_name(ctx: &FixContext, scope: usize) -> String {
    (1..)
        .map(|n| {
            if n == 1 {
                "response".to_owned()
            } else {
                format!("response{n}")
            }
        })
        .find(|name| !ctx.index.mentions(scope, name))
        .unwrap_or_else(|| "response".to_owned())
}
