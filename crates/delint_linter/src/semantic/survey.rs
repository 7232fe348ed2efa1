//! What the data flow learns from a first pass over the file: where its HTTP calls are,
//! and which variables are worth following — those whose value may reach a call.
//!
//! The calls are listed by where they start, so the statement walk finds those inside an
//! expression by a binary search instead of a walk of the expression.
//!
//! A variable is *demanded* when an HTTP call's arguments name it, or when the value given
//! to a demanded variable (by `=`, `+=`, `put`, `putAll`, `add`, or as the list a `for each`
//! walks) names it. Everything else — a
//! message concatenated from twenty `record.get(..)`, a map sent to `zoho.crm.updateRecord`
//! — is never read by a call, and evaluating it was most of the data flow's work.
//!
//! The closure is taken by name over the whole file, ignoring order, scope and which
//! function a statement is in, so it holds every variable the flow can read on its way to a
//! call: skipping the others changes no call's value (`semantic::survey_tests` and the
//! fixture tests compare both).

use rustc_hash::{FxHashMap, FxHashSet};

use deluge_syntax::ast::*;
use deluge_syntax::{TextRange, TextSize};

use super::{call_kind, may_hold_a_call, mutated_variable};

/// A file's HTTP calls and the variables whose values may reach them.
pub(super) struct Survey<'a> {
    /// Every expression [`call_kind`] accepts, by start (and then end).
    calls: Vec<&'a Expr<'a>>,
    /// The demanded variables.
    names: FxHashSet<&'a str>,
}

impl<'a> Survey<'a> {
    /// Surveys `file`, whose calls all start at one of `sites` when they are known.
    pub(super) fn of(file: &'a SourceFile<'a>, sites: Option<&'a [TextSize]>) -> Self {
        let mut flows = Flows::new(sites);
        for item in &file.items {
            match item {
                Item::Function(function) => flows.block(&function.body.stmts),
                Item::Statement(stmt) => flows.stmt(stmt),
            }
        }
        flows.close()
    }

    /// Whether the data flow follows `name`.
    pub(super) fn wants(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// The calls inside `range`.
    pub(super) fn calls_within(&self, range: TextRange) -> impl Iterator<Item = &'a Expr<'a>> + '_ {
        let from = self.calls.partition_point(|call| call.range.start() < range.start());
        self.calls[from..]
            .iter()
            .copied()
            .take_while(move |call| call.range.start() < range.end())
            .filter(move |call| call.range.end() <= range.end())
    }
}

/// What a file gives each variable, and the variables its calls read.
struct Flows<'a> {
    /// Where calls may start; anywhere when `None`.
    sites: Option<&'a [TextSize]>,
    /// Each variable's last flow in `flows`.
    last_flow: FxHashMap<&'a str, usize>,
    /// Values given to a variable, each with the index of the variable's previous flow.
    flows: Vec<(&'a Expr<'a>, Option<usize>)>,
    /// The calls found.
    calls: Vec<&'a Expr<'a>>,
    /// Variables read by a call's arguments.
    read_by_calls: Vec<&'a str>,
    /// Reused for walking expressions.
    stack: Vec<&'a Expr<'a>>,
}

impl<'a> Flows<'a> {
    fn new(sites: Option<&'a [TextSize]>) -> Self {
        Flows {
            sites,
            last_flow: FxHashMap::default(),
            flows: Vec::new(),
            calls: Vec::new(),
            read_by_calls: Vec::new(),
            stack: Vec::new(),
        }
    }

    fn block(&mut self, stmts: &'a [Stmt<'a>]) {
        for stmt in stmts {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &'a Stmt<'a>) {
        match &stmt.kind {
            StmtKind::Assign { target, value, .. } => {
                if let ExprKind::Ident(name) = target.kind {
                    self.flow(name, value);
                }
            }
            StmtKind::Expr(expr) => {
                if let Some((variable, value)) = mutated_variable(expr) {
                    self.flow(variable, value);
                }
            }
            StmtKind::ForEach {
                index: false,
                var,
                iterable,
                ..
            } => self.flow(var.text, iterable),
            _ => {}
        }
        stmt.each_own_expr(|expr| self.calls_in(expr));
        stmt.each_block(|block| self.block(&block.stmts));
    }

    fn flow(&mut self, variable: &'a str, value: &'a Expr<'a>) {
        let previous = self.last_flow.insert(variable, self.flows.len());
        self.flows.push((value, previous));
    }

    /// Notes each HTTP call inside `expr` and the variables it reads.
    fn calls_in(&mut self, expr: &'a Expr<'a>) {
        if !may_hold_a_call(self.sites, expr.range) {
            return;
        }
        let mut stack = std::mem::take(&mut self.stack);
        stack.push(expr);
        while let Some(expr) = stack.pop() {
            if call_kind(expr).is_some() {
                self.call(expr);
            } else {
                expr.push_children(&mut stack);
            }
        }
        self.stack = stack;
    }

    /// Notes `call`, the calls inside it (`postUrl(getUrl(..), ..)`) and every variable it
    /// reads, visiting each node once.
    fn call(&mut self, call: &'a Expr<'a>) {
        each_node(call, |expr| {
            if call_kind(expr).is_some() {
                self.calls.push(expr);
            }
            if let ExprKind::Ident(name) = expr.kind {
                self.read_by_calls.push(name);
            }
        });
    }

    /// The variables read by calls, then those read by the values of demanded variables:
    /// each variable's values are walked once, when it is first demanded.
    fn close(mut self) -> Survey<'a> {
        let mut names = FxHashSet::default();
        let mut pending = self.read_by_calls;
        while let Some(name) = pending.pop() {
            if !names.insert(name) {
                continue;
            }
            let mut flow = self.last_flow.get(name).copied();
            while let Some(at) = flow {
                let (value, previous) = self.flows[at];
                each_node(value, |expr| {
                    if let ExprKind::Ident(name) = expr.kind {
                        pending.push(name);
                    }
                });
                flow = previous;
            }
        }
        self.calls.sort_by_key(|call| (call.range.start(), call.range.end()));
        Survey {
            calls: self.calls,
            names,
        }
    }
}

/// Visits `expr` and every expression inside it.
fn each_node<'a>(expr: &'a Expr<'a>, mut visit: impl FnMut(&'a Expr<'a>)) {
    let mut stack = vec![expr];
    while let Some(expr) = stack.pop() {
        visit(expr);
        expr.push_children(&mut stack);
    }
}
