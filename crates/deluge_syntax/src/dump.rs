//! A compact S-expression dump of the tree, for snapshots and `delint debug ast`.
//! Statements go one per line with their 1-based `line:column`; expressions stay on one line.

use std::fmt::Write;

use crate::ast::*;
use crate::{LineIndex, Parsed};

/// Renders the tree and the syntax errors of `parsed`, which was parsed from `source`.
pub fn dump(source: &str, parsed: &Parsed<'_>) -> String {
    let index = LineIndex::new(source);
    let mut dumper = Dumper {
        source,
        index: &index,
        out: String::new(),
        depth: 0,
    };
    dumper.line("(file", parsed.file.range.start());
    dumper.depth += 1;
    for item in &parsed.file.items {
        match item {
            Item::Function(function) => dumper.function(function),
            Item::Statement(stmt) => dumper.stmt(stmt),
        }
    }
    dumper.out.push_str(")\n");
    for error in &parsed.errors {
        let at = index.line_col(source, error.range.start());
        let _ = writeln!(dumper.out, "error {}:{}: {}", at.line, at.column, error.message);
    }
    dumper.out
}

struct Dumper<'s> {
    source: &'s str,
    index: &'s LineIndex,
    out: String,
    depth: usize,
}

impl Dumper<'_> {
    fn line(&mut self, text: &str, at: text_size::TextSize) {
        let position = self.index.line_col(self.source, at);
        let _ = writeln!(
            self.out,
            "{:indent$}{text}  @{}:{}",
            "",
            position.line,
            position.column,
            indent = self.depth * 2
        );
    }

    fn function(&mut self, function: &Function<'_>) {
        let params: Vec<String> = function
            .params
            .iter()
            .map(|p| format!("({} {})", p.ty.text, p.name.text))
            .collect();
        let head = format!(
            "(function {} {} ({})",
            function.return_type.text,
            function.qualified_name(),
            params.join(" ")
        );
        self.line(&head, function.range.start());
        self.nested(&function.body.stmts);
        self.close();
    }

    fn nested(&mut self, stmts: &[Stmt<'_>]) {
        self.depth += 1;
        for stmt in stmts {
            self.stmt(stmt);
        }
        self.depth -= 1;
    }

    fn close(&mut self) {
        self.out.pop();
        let at = self.out.rfind("  @").unwrap_or(self.out.len());
        self.out.insert(at, ')');
        self.out.push('\n');
    }

    fn block(&mut self, label: &str, block: &Block<'_>) {
        self.depth += 1;
        self.line(&format!("({label}"), block.range.start());
        self.nested(&block.stmts);
        self.close();
        self.depth -= 1;
    }

    fn stmt(&mut self, stmt: &Stmt<'_>) {
        let at = stmt.range.start();
        match &stmt.kind {
            StmtKind::Assign { target, op, value } => {
                let text = format!("(assign {} {} {})", op.as_str(), expr(target), expr(value));
                self.line(&text, at);
            }
            StmtKind::Expr(e) => self.line(&format!("(expr {})", expr(e)), at),
            StmtKind::If { branches, else_block } => {
                self.line("(if", at);
                for branch in branches {
                    self.depth += 1;
                    self.line(
                        &format!("(when {}", expr(branch.condition)),
                        branch.condition.range.start(),
                    );
                    self.nested(&branch.body.stmts);
                    self.close();
                    self.depth -= 1;
                }
                if let Some(block) = else_block {
                    self.block("else", block);
                }
                self.close();
            }
            StmtKind::ForEach {
                index,
                var,
                iterable,
                body,
            } => {
                let kind = if *index { "for-each-index" } else { "for-each" };
                self.line(&format!("({kind} {} {}", var.text, expr(iterable)), at);
                self.nested(&body.stmts);
                self.close();
            }
            StmtKind::While { condition, body } => {
                self.line(&format!("(while {}", expr(condition)), at);
                self.nested(&body.stmts);
                self.close();
            }
            StmtKind::Try {
                body,
                catch_var,
                catch_body,
            } => {
                self.line("(try", at);
                self.nested(&body.stmts);
                if let Some(catch_body) = catch_body {
                    let var = catch_var.map_or("", |v| v.text);
                    self.block(&format!("catch {var}"), catch_body);
                }
                self.close();
            }
            StmtKind::Return(value) => self.line(&optional("return", *value), at),
            StmtKind::Info(value) => self.line(&optional("info", *value), at),
            StmtKind::Break => self.line("(break)", at),
            StmtKind::Continue => self.line("(continue)", at),
            StmtKind::Delete { target } => self.line(&format!("(delete {})", expr(target)), at),
            StmtKind::Word { words, operand } => {
                let words: Vec<&str> = words.iter().map(|w| w.text).collect();
                let mut text = format!("(word {}", words.join(" "));
                if let Some(operand) = operand {
                    text.push(' ');
                    text.push_str(&expr(operand));
                }
                text.push(')');
                self.line(&text, at);
            }
            StmtKind::Empty => self.line("(empty)", at),
            StmtKind::Error => self.line("(error)", at),
        }
    }
}

fn optional(keyword: &str, value: Option<&Expr<'_>>) -> String {
    match value {
        Some(value) => format!("({keyword} {})", expr(value)),
        None => format!("({keyword})"),
    }
}

/// One expression as an S-expression on one line.
pub fn expr(e: &Expr<'_>) -> String {
    let mut out = String::new();
    write_expr(&mut out, e);
    out
}

fn write_expr(out: &mut String, e: &Expr<'_>) {
    match &e.kind {
        ExprKind::Ident(name) => out.push_str(name),
        ExprKind::String(s) => out.push_str(s.raw),
        ExprKind::SingleQuoted(s) if s.is_date_time() => {
            let _ = write!(out, "(date {})", s.raw);
        }
        ExprKind::SingleQuoted(s) => out.push_str(s.raw),
        ExprKind::Number(n) => out.push_str(n),
        ExprKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ExprKind::Null => out.push_str("null"),
        ExprKind::Paren(inner) => list(out, "paren", [*inner]),
        ExprKind::Binary(chain) => {
            let op = chain.rest[0].0;
            if chain.rest.iter().all(|(o, _)| *o == op) {
                list(out, op.as_str(), chain.operands());
            } else {
                out.push_str("(chain ");
                write_expr(out, chain.first);
                for (op, operand) in &chain.rest {
                    let _ = write!(out, " {} ", op.as_str());
                    write_expr(out, operand);
                }
                out.push(')');
            }
        }
        ExprKind::Unary { op, operand } => list(out, op.as_str(), [*operand]),
        ExprKind::Member { object, name } => {
            out.push_str("(. ");
            write_expr(out, object);
            let _ = write!(out, " {})", name.text);
        }
        ExprKind::Call { callee, type_arg, args } => {
            out.push_str("(call ");
            write_expr(out, callee);
            if let Some(type_arg) = type_arg {
                let _ = write!(out, ":{}", type_arg.text);
            }
            for arg in args {
                out.push(' ');
                match &arg.key {
                    Some(key) => list(out, ":", [key, arg.value]),
                    None => write_expr(out, arg.value),
                }
            }
            out.push(')');
        }
        ExprKind::Fetch(fetch) => {
            out.push_str("(fetch ");
            write_expr(out, &fetch.form);
            out.push(' ');
            write_expr(out, &fetch.criteria);
            if let Some(sort) = &fetch.sort {
                let order = if sort.descending { " desc" } else { "" };
                let _ = write!(out, " (sort-by {}{order})", sort.field.text);
            }
            if let Some((from, to)) = &fetch.range_clause {
                out.push(' ');
                list(out, "range", [from, to]);
            }
            out.push(')');
        }
        ExprKind::Map(entries) => {
            out.push_str("(map");
            for entry in entries {
                out.push(' ');
                list(out, "", [&entry.key, &entry.value]);
            }
            out.push(')');
        }
        ExprKind::List(items) => list(out, "list", items),
        ExprKind::EmptyBraces => out.push_str("{}"),
        ExprKind::Task(task) => {
            let _ = write!(out, "(task {}", task.name.text);
            for param in &task.params {
                let _ = write!(out, " ({}: ", param.key.raw);
                match &param.value {
                    TaskValue::Expr(e) => write_expr(out, e),
                    TaskValue::Prefixed(items) => {
                        for (i, item) in items.iter().enumerate() {
                            if i > 0 {
                                out.push(',');
                            }
                            let _ = write!(out, "{}:", item.prefix.text);
                            write_expr(out, &item.value);
                            if let Some(format) = item.format {
                                let _ = write!(out, " as {}", format.text);
                            }
                        }
                    }
                    TaskValue::BareWords { raw, .. } => {
                        let _ = write!(out, "(bare {raw})");
                    }
                    TaskValue::Missing(_) => out.push_str("(missing)"),
                }
                out.push(')');
            }
            out.push(')');
        }
        ExprKind::Insert(insert) => {
            let _ = write!(out, "(insert {}", insert.form.text);
            for (field, value) in &insert.fields {
                let _ = write!(out, " ({} ", field.text);
                write_expr(out, value);
                out.push(')');
            }
            out.push(')');
        }
        ExprKind::UiCall { target, call } => list(out, "ui", [*target, *call]),
        ExprKind::Error => out.push_str("<error>"),
    }
}

fn list<'e, 'a: 'e>(out: &mut String, head: &str, items: impl IntoIterator<Item = &'e Expr<'a>>) {
    out.push('(');
    out.push_str(head);
    let mut first = head.is_empty();
    for item in items {
        if !first {
            out.push(' ');
        }
        first = false;
        write_expr(out, item);
    }
    out.push(')');
}
