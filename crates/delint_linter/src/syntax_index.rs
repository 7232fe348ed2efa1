//! A flat index of a file's statements and expressions, for fixes that must find the
//! syntax behind a range: the concatenation a literal sits in, the map an entry belongs to,
//! the statement to insert before, the other reads of a variable.

use deluge_syntax::ast::*;
use deluge_syntax::{TextRange, TextSize};
use std::cell::OnceCell;

use rustc_hash::FxHashMap;

/// A statement and the function (scope) it belongs to.
pub struct StmtEntry<'e, 'a> {
    /// The statement.
    pub stmt: &'e Stmt<'a>,
    /// The function it is in; top-level statements share one scope.
    pub scope: usize,
    /// The statement it is nested in (index into [`SyntaxIndex::stmts`]).
    pub parent: Option<usize>,
}

/// An expression and the innermost statement it belongs to.
pub struct ExprEntry<'e, 'a> {
    /// The expression.
    pub expr: &'e Expr<'a>,
    /// Index into [`SyntaxIndex::stmts`].
    pub stmt: usize,
}

/// Every statement (pre-order: a statement before those nested in it) and expression.
pub struct SyntaxIndex<'e, 'a> {
    /// The file indexed.
    file: &'e SourceFile<'a>,
    /// Statements in pre-order.
    pub stmts: Vec<StmtEntry<'e, 'a>>,
    /// Expressions, each with its innermost statement.
    pub exprs: Vec<ExprEntry<'e, 'a>>,
    /// The expressions still to visit while indexing (kept to reuse its allocation).
    pending: Vec<&'e Expr<'a>>,
    /// Hashed lookups, each built on the first question that needs it: most files have no
    /// finding and are never asked one, and most questions need one lookup.
    names: OnceCell<NameLookups<'a>>,
    by_range: OnceCell<FxHashMap<TextRange, usize>>,
    containers: OnceCell<ContainerLookups>,
}

/// Where each variable is read and assigned.
struct NameLookups<'a> {
    /// Identifier expressions by (scope, name): indices into `exprs`.
    idents: FxHashMap<(usize, &'a str), Vec<usize>>,
    /// Assignments to a plain variable by (scope, name): indices into `stmts`.
    assigned: FxHashMap<(usize, &'a str), Vec<usize>>,
    /// Identifier expressions sorted by start: indices into `exprs`.
    idents_by_start: Vec<usize>,
}

/// The concatenation or map literal each operand or entry belongs to.
#[derive(Default)]
struct ContainerLookups {
    /// Each operand of a `+` chain → the chain's expression.
    operand_of: FxHashMap<TextRange, usize>,
    /// Each map-literal entry (key to value) → the map's expression.
    entry_of: FxHashMap<TextRange, usize>,
}

impl<'a> NameLookups<'a> {
    fn build(stmts: &[StmtEntry<'_, 'a>], exprs: &[ExprEntry<'_, 'a>]) -> Self {
        let mut idents: FxHashMap<(usize, &'a str), Vec<usize>> = FxHashMap::default();
        let mut idents_by_start = Vec::new();
        for (at, entry) in exprs.iter().enumerate() {
            if let ExprKind::Ident(name) = entry.expr.kind {
                idents.entry((stmts[entry.stmt].scope, name)).or_default().push(at);
                idents_by_start.push(at);
            }
        }
        idents_by_start.sort_by_key(|&at| exprs[at].expr.range.start());
        let mut assigned: FxHashMap<(usize, &'a str), Vec<usize>> = FxHashMap::default();
        for (at, entry) in stmts.iter().enumerate() {
            if let StmtKind::Assign { target, .. } = &entry.stmt.kind
                && let ExprKind::Ident(name) = target.kind
            {
                assigned.entry((entry.scope, name)).or_default().push(at);
            }
        }
        NameLookups {
            idents,
            assigned,
            idents_by_start,
        }
    }
}

/// The outermost expression at each range: parents come before their children, so the
/// first expression at a range is the outermost one.
fn outermost_by_range(exprs: &[ExprEntry<'_, '_>]) -> FxHashMap<TextRange, usize> {
    let mut by_range = FxHashMap::with_capacity_and_hasher(exprs.len(), Default::default());
    for (at, entry) in exprs.iter().enumerate() {
        by_range.entry(entry.expr.range).or_insert(at);
    }
    by_range
}

impl ContainerLookups {
    fn build(exprs: &[ExprEntry<'_, '_>]) -> Self {
        let mut lookups = ContainerLookups::default();
        for (at, entry) in exprs.iter().enumerate() {
            match &entry.expr.kind {
                ExprKind::Binary(chain) if chain.rest.iter().all(|(op, _)| *op == BinaryOp::Add) => {
                    for operand in chain.operands() {
                        lookups.operand_of.entry(operand.range).or_insert(at);
                    }
                }
                ExprKind::Map(entries) => {
                    for map_entry in entries {
                        lookups.entry_of.entry(map_entry.range()).or_insert(at);
                    }
                }
                _ => {}
            }
        }
        lookups
    }
}

/// A file's [`SyntaxIndex`], built on first use: most files are never asked a question
/// that needs one (no finding, no credential word).
pub struct LazySyntaxIndex<'e, 'a> {
    file: &'e SourceFile<'a>,
    index: OnceCell<SyntaxIndex<'e, 'a>>,
}

impl<'e, 'a> LazySyntaxIndex<'e, 'a> {
    /// Indexes `file` when first asked.
    pub fn new(file: &'e SourceFile<'a>) -> Self {
        LazySyntaxIndex {
            file,
            index: OnceCell::new(),
        }
    }

    /// The index, built now if it was not yet.
    pub fn get(&self) -> &SyntaxIndex<'e, 'a> {
        self.index.get_or_init(|| SyntaxIndex::new(self.file))
    }
}

impl<'e, 'a: 'e> SyntaxIndex<'e, 'a> {
    /// Indexes `file`.
    pub fn new(file: &'e SourceFile<'a>) -> Self {
        // Sized from the text (about an expression per 8 bytes and a statement per 40 in
        // real code), so the vectors are not regrown and copied as they fill.
        let len = usize::from(file.range.len());
        let mut index = SyntaxIndex {
            file,
            stmts: Vec::with_capacity(len / 40 + 4),
            exprs: Vec::with_capacity(len / 8 + 4),
            pending: Vec::new(),
            names: OnceCell::new(),
            by_range: OnceCell::new(),
            containers: OnceCell::new(),
        };
        for (scope, item) in file.items.iter().enumerate() {
            match item {
                // Function scopes are numbered from 1; 0 is the top level.
                Item::Function(function) => index.block(&function.body.stmts, scope + 1, None),
                Item::Statement(stmt) => index.stmt(stmt, 0, None),
            }
        }
        index
    }

    fn names(&self) -> &NameLookups<'a> {
        self.names.get_or_init(|| NameLookups::build(&self.stmts, &self.exprs))
    }

    fn containers(&self) -> &ContainerLookups {
        self.containers.get_or_init(|| ContainerLookups::build(&self.exprs))
    }

    fn block(&mut self, stmts: &'e [Stmt<'a>], scope: usize, parent: Option<usize>) {
        for stmt in stmts {
            self.stmt(stmt, scope, parent);
        }
    }

    fn stmt(&mut self, stmt: &'e Stmt<'a>, scope: usize, parent: Option<usize>) {
        let at = self.stmts.len();
        self.stmts.push(StmtEntry { stmt, scope, parent });
        // One work list for every statement: a fresh one per statement was an allocation each.
        let mut roots = std::mem::take(&mut self.pending);
        stmt.each_own_expr(|expr| roots.push(expr));
        while let Some(expr) = roots.pop() {
            self.exprs.push(ExprEntry { expr, stmt: at });
            expr.push_children(&mut roots);
        }
        self.pending = roots;
        stmt.each_block(|block| self.block(&block.stmts, scope, Some(at)));
    }

    /// The innermost statement containing `range`.
    pub fn stmt_containing(&self, range: TextRange) -> Option<&StmtEntry<'e, 'a>> {
        // Statements are in pre-order, so sorted by start. Any statement containing `range`
        // encloses the last one starting at or before it, so the innermost is found up that
        // one's parent chain (a scan back through the file would be quadratic in calls).
        let end = self.stmts.partition_point(|s| s.stmt.range.start() <= range.start());
        let mut at = end.checked_sub(1)?;
        loop {
            let entry = &self.stmts[at];
            if entry.stmt.range.contains_range(range) {
                return Some(entry);
            }
            at = entry.parent?;
        }
    }

    /// The outermost expression spanning exactly `range`.
    pub fn expr_at(&self, range: TextRange) -> Option<&ExprEntry<'e, 'a>> {
        self.by_range
            .get_or_init(|| outermost_by_range(&self.exprs))
            .get(&range)
            .map(|&at| &self.exprs[at])
    }

    /// The expressions of statement `stmt` itself (not of its blocks' statements).
    pub fn exprs_of(&self, stmt: usize) -> &[ExprEntry<'e, 'a>] {
        // A statement's expressions are indexed together, right after it and before the
        // statements of its blocks, so the list is sorted by statement.
        let from = self.exprs.partition_point(|e| e.stmt < stmt);
        let to = from + self.exprs[from..].partition_point(|e| e.stmt == stmt);
        &self.exprs[from..to]
    }

    /// The `+` chain that has the expression at `range` as a direct operand.
    pub fn concatenation_of(&self, range: TextRange) -> Option<&'e BinaryChain<'a>> {
        match &self.exprs[*self.containers().operand_of.get(&range)?].expr.kind {
            ExprKind::Binary(chain) => Some(&**chain),
            _ => None,
        }
    }

    /// The entries of the map literal holding an entry that spans `range`.
    pub fn map_with_entry(&self, range: TextRange) -> Option<&'e [MapEntry<'a>]> {
        match &self.exprs[*self.containers().entry_of.get(&range)?].expr.kind {
            ExprKind::Map(entries) => Some(entries.as_slice()),
            _ => None,
        }
    }

    /// Reads of the variable `name` in `scope` (assignment targets excluded).
    pub fn reads<'s>(&'s self, scope: usize, name: &'s str) -> impl Iterator<Item = &'s ExprEntry<'e, 'a>> + 's {
        let found = self.names().idents.get(&(scope, name)).map_or(&[][..], Vec::as_slice);
        found.iter().map(|&at| &self.exprs[at]).filter(move |entry| {
            let stmt = &self.stmts[entry.stmt];
            !matches!(&stmt.stmt.kind, StmtKind::Assign { target, .. } if target.range == entry.expr.range)
        })
    }

    /// Reads of `name` in `scope` from `after` up to the next assignment to it: the reads
    /// that see the value an assignment ending at `after` gave it.
    pub fn reads_until_reassigned<'s>(
        &'s self,
        scope: usize,
        name: &'s str,
        after: TextSize,
    ) -> impl Iterator<Item = &'s ExprEntry<'e, 'a>> + 's {
        let next = self
            .assignments(scope, name)
            .map(|stmt| stmt.range.start())
            .filter(|start| *start >= after)
            .min()
            .unwrap_or(TextSize::new(u32::MAX));
        self.reads(scope, name)
            .filter(move |read| read.expr.range.start() >= after && read.expr.range.start() < next)
    }

    /// Identifier expressions lying within `range`.
    pub fn idents_within(&self, range: TextRange) -> impl Iterator<Item = &ExprEntry<'e, 'a>> + '_ {
        let sorted = &self.names().idents_by_start;
        let from = sorted.partition_point(|&at| self.exprs[at].expr.range.start() < range.start());
        sorted[from..]
            .iter()
            .map(|&at| &self.exprs[at])
            .take_while(move |entry| entry.expr.range.start() < range.end())
            .filter(move |entry| range.contains_range(entry.expr.range))
    }

    /// Statements of `scope` assigning to `name`.
    pub fn assignments<'s>(&'s self, scope: usize, name: &'s str) -> impl Iterator<Item = &'s Stmt<'a>> + 's {
        let found = self.names().assigned.get(&(scope, name)).map_or(&[][..], Vec::as_slice);
        found.iter().map(|&at| self.stmts[at].stmt)
    }

    /// Whether the function of `scope` is declared to return `string`.
    pub fn returns_text(&self, scope: usize) -> bool {
        match scope.checked_sub(1).and_then(|at| self.file.items.get(at)) {
            Some(Item::Function(function)) => function.return_type.text.eq_ignore_ascii_case("string"),
            _ => false,
        }
    }

    /// Whether `name` is read, assigned or declared anywhere in `scope`.
    pub fn mentions(&self, scope: usize, name: &str) -> bool {
        self.exprs.iter().any(|entry| {
            self.stmts[entry.stmt].scope == scope
                && matches!(entry.expr.kind, ExprKind::Ident(n) if n.eq_ignore_ascii_case(name))
        })
    }
}

/// `expr` without the parentheses around it.
pub fn unparenthesised<'e, 'a>(expr: &'e Expr<'a>) -> &'e Expr<'a> {
    match &expr.kind {
        ExprKind::Paren(inner) => unparenthesised(inner),
        _ => expr,
    }
}

/// The range to delete to remove the statement at `range`: its whole line(s), newline
/// included, when nothing but whitespace (and a trailing comment) shares them.
pub fn statement_deletion(source: &str, range: TextRange) -> TextRange {
    let (start, end) = (usize::from(range.start()), usize::from(range.end()));
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let rest = &source[end..];
    let line_end = rest.find('\n').map_or(source.len(), |i| end + i + 1);
    let before = &source[line_start..start];
    let after = rest[..line_end - end].trim();
    if before.trim().is_empty() && (after.is_empty() || after.starts_with("//")) {
        TextRange::new(TextSize::new(line_start as u32), TextSize::new(line_end as u32))
    } else {
        range
    }
}

/// The whitespace that starts the line holding `offset`.
pub fn indentation_at(source: &str, offset: TextSize) -> &str {
    let offset = usize::from(offset);
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &source[line_start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// How the file indents one level: a tab if it indents with tabs, else four spaces.
pub fn indent_unit(source: &str) -> &'static str {
    let tabs = source.lines().filter(|l| l.starts_with('\t')).count();
    let spaces = source.lines().filter(|l| l.starts_with("  ")).count();
    if tabs >= spaces && tabs > 0 { "\t" } else { "    " }
}

/// The file's line ending.
pub fn line_ending(source: &str) -> &'static str {
    if source.contains("\r\n") { "\r\n" } else { "\n" }
}
