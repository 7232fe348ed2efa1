//! The one walk of the tree: what each node holds directly, and every expression of a file.
//!
//! Every pass that looks for expressions inside statements goes through here
//! ([`Stmt::exprs`], [`Stmt::blocks`], [`Expr::push_children`]), so a child added to a node
//! is seen by all of them at once. `tests/visit.rs` checks that the walk reaches every
//! literal of every fixture.

use crate::ast::*;

impl<'a> Stmt<'a> {
    /// The expressions this statement holds directly, in source order: not those of the
    /// statements in its blocks (see [`Stmt::blocks`]).
    pub fn exprs(&self) -> impl Iterator<Item = &'a Expr<'a>> + use<'a> {
        let (pair, branches): ([Option<&'a Expr<'a>>; 2], Nodes<'a, IfBranch<'a>>) = match self.kind {
            StmtKind::Assign { target, value, .. } => ([Some(target), Some(value)], Nodes::EMPTY),
            StmtKind::Expr(e) | StmtKind::Delete { target: e } => ([Some(e), None], Nodes::EMPTY),
            StmtKind::Return(e) | StmtKind::Info(e) | StmtKind::Word { operand: e, .. } => ([e, None], Nodes::EMPTY),
            StmtKind::If { branches, .. } => ([None, None], branches),
            StmtKind::ForEach { iterable: e, .. } | StmtKind::While { condition: e, .. } => {
                ([Some(e), None], Nodes::EMPTY)
            }
            StmtKind::Try { .. } | StmtKind::Break | StmtKind::Continue | StmtKind::Empty | StmtKind::Error => {
                ([None, None], Nodes::EMPTY)
            }
        };
        pair.into_iter()
            .flatten()
            .chain(branches.as_slice().iter().map(|branch| branch.condition))
    }

    /// The blocks this statement holds, in source order: `if` and `else if` bodies and the
    /// `else`, a loop's body, `try` and `catch`.
    pub fn blocks(&self) -> impl DoubleEndedIterator<Item = &Block<'a>> {
        let (first, second, branches): (Option<&Block<'a>>, Option<&Block<'a>>, &[IfBranch<'a>]) = match &self.kind {
            StmtKind::If { branches, else_block } => (None, else_block.as_ref(), branches.as_slice()),
            StmtKind::ForEach { body, .. } | StmtKind::While { body, .. } => (Some(body), None, &[]),
            StmtKind::Try { body, catch_body, .. } => (Some(body), catch_body.as_ref(), &[]),
            _ => (None, None, &[]),
        };
        first
            .into_iter()
            .chain(branches.iter().map(|branch| &branch.body))
            .chain(second)
    }
}

impl<'a> SourceFile<'a> {
    /// Every statement of the file, function bodies and nested blocks included, in
    /// pre-order (a statement before those in its blocks).
    pub fn each_stmt(&self, mut visit: impl FnMut(&'a Stmt<'a>)) {
        let mut pending: Vec<&'a Stmt<'a>> = Vec::new();
        for item in self.items.as_slice().iter().rev() {
            match item {
                Item::Function(function) => pending.extend(function.body.stmts.as_slice().iter().rev()),
                Item::Statement(stmt) => pending.push(stmt),
            }
        }
        while let Some(stmt) = pending.pop() {
            visit(stmt);
            // The first block's first statement ends on top.
            for block in stmt.blocks().rev() {
                pending.extend(block.stmts.as_slice().iter().rev());
            }
        }
    }

    /// Every expression of the file, each visited once (an expression before those inside
    /// it).
    pub fn each_expr(&self, mut visit: impl FnMut(&'a Expr<'a>)) {
        let mut stack: Vec<&'a Expr<'a>> = Vec::new();
        self.each_stmt(|stmt| {
            stack.extend(stmt.exprs());
            while let Some(expr) = stack.pop() {
                visit(expr);
                expr.push_children(&mut stack);
            }
        });
    }
}
