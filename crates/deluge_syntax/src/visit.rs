//! The one walk of the tree: what each node holds directly, and every expression of a file.
//!
//! Every pass that looks for expressions inside statements goes through here
//! ([`Stmt::each_own_expr`], [`Stmt::each_block`], [`Expr::push_children`]), so a child added to a node
//! is seen by all of them at once. `tests/visit.rs` checks that the walk reaches every
//! literal of every fixture.

use crate::ast::*;

impl<'a> Stmt<'a> {
    /// Visits the expressions this statement holds directly, in source order: not those of
    /// the statements in its blocks (see [`Stmt::each_block`]). A callback rather than an
    /// iterator: each kind's children are straight-line code, with no iterator state.
    #[inline]
    pub fn each_own_expr(&self, mut visit: impl FnMut(&'a Expr<'a>)) {
        match self.kind {
            StmtKind::Assign { target, value, .. } => {
                visit(target);
                visit(value);
            }
            StmtKind::Expr(e)
            | StmtKind::Delete { target: e }
            | StmtKind::ForEach { iterable: e, .. }
            | StmtKind::While { condition: e, .. }
            | StmtKind::Return(Some(e))
            | StmtKind::Info(Some(e))
            | StmtKind::Word { operand: Some(e), .. } => visit(e),
            StmtKind::If { branches, .. } => branches.as_slice().iter().for_each(|branch| visit(branch.condition)),
            StmtKind::Return(None)
            | StmtKind::Info(None)
            | StmtKind::Word { operand: None, .. }
            | StmtKind::Try { .. }
            | StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Empty
            | StmtKind::Error => {}
        }
    }

    /// Visits the blocks this statement holds, in source order: `if` and `else if` bodies
    /// and the `else`, a loop's body, `try` and `catch`.
    #[inline]
    pub fn each_block<'s>(&'s self, mut visit: impl FnMut(&'s Block<'a>)) {
        match &self.kind {
            StmtKind::If { branches, else_block } => {
                branches.as_slice().iter().for_each(|branch| visit(&branch.body));
                if let Some(block) = else_block {
                    visit(block);
                }
            }
            StmtKind::ForEach { body, .. } | StmtKind::While { body, .. } => visit(body),
            StmtKind::Try { body, catch_body, .. } => {
                visit(body);
                if let Some(block) = catch_body {
                    visit(block);
                }
            }
            _ => {}
        }
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
            // The blocks' statements in source order, then turned over: the first block's
            // first statement ends on top.
            let above = pending.len();
            stmt.each_block(|block| pending.extend(block.stmts.as_slice()));
            pending[above..].reverse();
        }
    }

    /// Every expression of the file, each visited once (an expression before those inside
    /// it).
    pub fn each_expr(&self, mut visit: impl FnMut(&'a Expr<'a>)) {
        let mut stack: Vec<&'a Expr<'a>> = Vec::new();
        self.each_stmt(|stmt| {
            stmt.each_own_expr(|expr| stack.push(expr));
            while let Some(expr) = stack.pop() {
                visit(expr);
                expr.push_children(&mut stack);
            }
        });
    }
}
