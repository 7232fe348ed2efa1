//! The fast path: a hand-written recursive-descent parser for what is well formed.
//!
//! Most files parse cleanly, and for them chumsky's generality (a failed alternative builds
//! and merges an error, every combinator is a call through a generic layer) is most of the
//! cost of linting. This parser follows the chumsky grammar (`stmt.rs`, `expr.rs`,
//! `task.rs`) alternative for alternative, in the same order and with the same
//! backtracking, and builds the same tree with the same ranges. It reports nothing: where
//! the grammar would emit an error or recover inside a statement, it gives up on it
//! ([`FastParser::bail`]) and hands it to [`Recover`], the grammar's own statement parser; where
//! that cannot be done (a broken block, a function header), it gives up on the file and
//! [`super::parse`] runs the resilient parser instead.
//!
//! So a grammar change is made in both places. `tests/properties.rs` holds them together:
//! on every fixture and on random and mutated inputs, `parse` equals the resilient parse,
//! and a bare fast parse is either absent or equal to it.

use text_size::{TextRange, TextSize};

use super::MAX_CHAIN;
use super::expr::Postfix;
use super::task::{KNOWN_TASKS, VALUE_PREFIXES, is_two_word_key};
use super::{ASSIGN_OR_DOT, STATEMENT_KEYWORDS};
use crate::SyntaxError;
use crate::arena::{Arena, ArenaVec};
use crate::ast::*;
use crate::lexer::{Token, TokenKind as T};

/// A rule did not produce a node: either it does not match here and the caller may try its
/// next alternative (chumsky's parser fails here too), or, when [`FastParser::bailed`] is
/// set, the resilient parser would report an error here and the fast path gives up.
///
/// Which of the two is parser state rather than part of the error, so that a rule's result
/// is no bigger than its node (a two-state error adds a byte beside the node's tag, which
/// splits every move of a statement or parameter result in two).
#[derive(Debug)]
struct Stop;

type Parse<T> = Result<T, Stop>;

/// An expression in the arena. The expression rules build each node in its place there and
/// pass it up by reference: an operand went through four frames or more on its way up, and
/// moving 48 bytes each time (in pieces the processor could not forward from the stores that
/// had just written them) was a fifth of the fast path's time.
type ExprRef<'a> = &'a Expr<'a>;

/// Parses a statement the fast path gives up on with the resilient grammar.
pub(crate) trait Recover<'a> {
    /// The statement starting at token `at`, the index of the token after it, and the errors
    /// reported in it; `None` gives up on the whole file.
    fn statement(&mut self, at: usize) -> Option<(Stmt<'a>, usize, Vec<SyntaxError>)>;
}

/// Recovers nothing: the fast path alone.
pub(crate) struct NoRecovery;

impl<'a> Recover<'a> for NoRecovery {
    fn statement(&mut self, _at: usize) -> Option<(Stmt<'a>, usize, Vec<SyntaxError>)> {
        None
    }
}

/// Parses `tokens` (a file with no lexical error and no nesting past the limit), handing
/// each statement it gives up on to `recover`. `None` when it gives up on the file.
pub(crate) fn parse<'a>(
    src: &'a str,
    arena: &'a Arena,
    tokens: &[Token],
    recover: &mut dyn Recover<'a>,
) -> Option<(SourceFile<'a>, Vec<SyntaxError>)> {
    let mut parser = FastParser {
        src,
        arena,
        tokens,
        pos: 0,
        recover,
        errors: Vec::new(),
        bailed: false,
    };
    let file = parser.file().ok()?;
    Some((file, parser.errors))
}

struct FastParser<'a, 't, 'r> {
    src: &'a str,
    /// Where the tree's nodes go.
    arena: &'a Arena,
    tokens: &'t [Token],
    pos: usize,
    recover: &'r mut dyn Recover<'a>,
    /// The errors of the statements `recover` parsed.
    errors: Vec<SyntaxError>,
    /// The last rule that stopped gave up on the fast path; every rule above it stops too,
    /// up to the statement loop that hands the statement to `recover`.
    bailed: bool,
}

impl<'a> FastParser<'a, '_, '_> {
    // ---- cursor ----

    fn peek(&self) -> Option<T> {
        self.peek_at(0)
    }

    fn peek_at(&self, ahead: usize) -> Option<T> {
        self.tokens.get(self.pos + ahead).map(|token| token.kind)
    }

    fn at(&self, kind: T) -> bool {
        self.peek() == Some(kind)
    }

    fn eat(&mut self, kind: T) -> bool {
        let found = self.at(kind);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, kind: T) -> Parse<()> {
        if self.eat(kind) { Ok(()) } else { Err(Stop) }
    }

    /// Gives up on the fast path for the statement being parsed.
    fn bail<R>(&mut self) -> Parse<R> {
        self.bailed = true;
        Err(Stop)
    }

    /// Whether the rule that just stopped gave up (rather than mismatched); clears the mark,
    /// for the caller that handles the bail.
    fn take_bail(&mut self) -> bool {
        std::mem::take(&mut self.bailed)
    }

    /// A closer the resilient grammar accepts as missing, with an error.
    fn close(&mut self, kind: T) -> Parse<()> {
        if self.eat(kind) { Ok(()) } else { self.bail() }
    }

    /// The range chumsky gives a parser that started at token `start` and is now at `pos`:
    /// from that token's start to the end of the last token consumed (`super::range` turns
    /// the reversed span of a match of no tokens into an empty range).
    fn range_from(&self, start: usize) -> TextRange {
        let len = self.src.len();
        let Some(first) = self.tokens.get(start) else {
            return TextRange::empty(TextSize::of(self.src));
        };
        let end = match self.pos.checked_sub(1) {
            Some(last) => usize::from(self.tokens[last].range.end()),
            None => len,
        };
        super::range((usize::from(first.range.start())..end).into())
    }

    /// Runs `rule`; on a mismatch, puts the cursor back where it was (and forgets the errors
    /// of statements recovered on the way). Inlined, so the rule's result is built in place.
    #[inline(always)]
    fn attempt<R>(&mut self, rule: impl FnOnce(&mut Self) -> Parse<R>) -> Parse<R> {
        let (start, errors) = (self.pos, self.errors.len());
        let result = rule(self);
        if result.is_err() {
            self.pos = start;
            self.errors.truncate(errors);
        }
        result
    }

    /// A statement the fast path gives up on, parsed by the resilient grammar from token
    /// `start`: exactly what the resilient parse of the whole file has there, since every
    /// statement before it was parsed alike and a statement recovers without backtracking.
    fn recovered_statement(&mut self, start: usize) -> Parse<Stmt<'a>> {
        let Some((stmt, next, errors)) = self.recover.statement(start) else {
            return self.bail();
        };
        self.pos = next;
        self.errors.extend(errors);
        Ok(stmt)
    }

    /// The statements of a block or file up to `}` or the end.
    fn statements(&mut self, out: &mut ArenaVec<'a, Stmt<'a>>) -> Parse<()> {
        loop {
            let start = self.pos;
            match self.attempt(Self::statement) {
                Ok(stmt) => out.push(stmt),
                Err(Stop) if self.take_bail() => out.push(self.recovered_statement(start)?),
                Err(Stop) => return Ok(()),
            }
        }
    }

    /// `rule.or_not()`: a mismatch is `None`, a bail stays a bail.
    #[inline(always)]
    fn optional<R>(&mut self, rule: impl FnOnce(&mut Self) -> Parse<R>) -> Parse<Option<R>> {
        match self.attempt(rule) {
            Ok(node) => Ok(Some(node)),
            Err(Stop) if self.bailed => Err(Stop),
            Err(Stop) => Ok(None),
        }
    }

    /// `item.separated_by(just(T::Comma)).allow_trailing()`.
    fn comma_separated<R>(&mut self, mut item: impl FnMut(&mut Self) -> Parse<R>) -> Parse<ArenaVec<'a, R>> {
        let mut items = self.arena.vec_with_capacity(4);
        match self.optional(&mut item)? {
            Some(first) => items.push(first),
            None => return Ok(items),
        }
        while self.eat(T::Comma) {
            match self.optional(&mut item)? {
                Some(next) => items.push(next),
                None => break,
            }
        }
        Ok(items)
    }

    /// chumsky's `not_assigned`: the next token neither assigns nor selects a member.
    fn not_assigned(&self) -> bool {
        !self.peek().is_some_and(|kind| ASSIGN_OR_DOT.contains(&kind))
    }

    /// `(: expr)?`, after a map key, an argument name or a UI call's field.
    fn colon_expr(&mut self) -> Parse<Option<ExprRef<'a>>> {
        if !self.at(T::Colon) {
            return Ok(None);
        }
        self.optional(|p| {
            p.expect(T::Colon)?;
            p.expr()
        })
    }

    fn semi(&mut self) -> Parse<()> {
        self.close(T::Semi)
    }

    // ---- names ----

    fn name(&mut self) -> Parse<Name<'a>> {
        match self.tokens.get(self.pos) {
            Some(token) if token.kind.is_word() => {
                self.pos += 1;
                Ok(self.name_at(token.range))
            }
            _ => Err(Stop),
        }
    }

    fn name_at(&self, range: TextRange) -> Name<'a> {
        super::expr::name_in(self.src, range)
    }

    /// A new expression node, in the arena.
    fn node(&self, kind: ExprKind<'a>, range: TextRange) -> ExprRef<'a> {
        self.arena.alloc(Expr { kind, range })
    }

    fn word_in(&mut self, words: &[&str]) -> Parse<Name<'a>> {
        let name = self.name()?;
        if words.iter().any(|word| name.is(word)) {
            Ok(name)
        } else {
            Err(Stop)
        }
    }

    // ---- the file ----

    fn file(&mut self) -> Parse<SourceFile<'a>> {
        let mut items = self.arena.vec();
        while self.pos < self.tokens.len() {
            if let Some(function) = self.optional(Self::function)? {
                items.push(Item::Function(function));
                continue;
            }
            let start = self.pos;
            let statement = match self.attempt(Self::statement) {
                Ok(statement) => statement,
                Err(Stop) if self.take_bail() => self.recovered_statement(start)?,
                // An unmatched closer: the resilient parser reports it.
                Err(Stop) => return self.bail(),
            };
            items.push(Item::Statement(statement));
        }
        Ok(SourceFile {
            items: items.into(),
            range: TextRange::up_to(TextSize::of(self.src)),
        })
    }

    fn function(&mut self) -> Parse<Function<'a>> {
        let start = self.pos;
        // No type is a statement keyword (as the resilient grammar says).
        if self.peek().is_some_and(|kind| STATEMENT_KEYWORDS.contains(&kind)) {
            return Err(Stop);
        }
        let return_type = self.type_name()?;
        let namespace = self.optional(|p| {
            let namespace = p.name()?;
            p.expect(T::Dot)?;
            Ok(namespace)
        })?;
        let name = self.name()?;
        let params_start = self.pos;
        self.expect(T::LParen)?;
        let params = self.comma_separated(|p| {
            let ty = p.type_name()?;
            let name = p.name()?;
            Ok(Param { ty, name })
        })?;
        if !self.eat(T::RParen) {
            // The resilient grammar skips a broken parameter list when a body follows it.
            return match self.after_parenthesised(params_start) {
                Some(after) if self.tokens.get(after).is_some_and(|t| t.kind == T::LBrace) => self.bail(),
                _ => Err(Stop),
            };
        }
        let body = self.block()?;
        Ok(Function {
            return_type,
            namespace,
            name,
            params: params.into(),
            body,
            range: self.range_from(start),
        })
    }

    /// `string`, `list:int`: a type and the type of its elements, as one name.
    fn type_name(&mut self) -> Parse<Name<'a>> {
        let ty = self.name()?;
        if self.at(T::Colon) && self.peek_at(1).is_some_and(T::is_word) {
            self.pos += 1;
            let element = self.name()?;
            return Ok(self.name_at(ty.range.cover(element.range)));
        }
        Ok(ty)
    }

    /// The index of the token after the `)` that closes the `(` at `open`, if it closes before
    /// a `;` or a brace (as `recovery::skip_parenthesised` skips).
    fn after_parenthesised(&self, open: usize) -> Option<usize> {
        let mut depth = 0usize;
        for (i, token) in self.tokens.iter().enumerate().skip(open) {
            match token.kind {
                T::LParen => depth += 1,
                T::RParen => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                T::Semi | T::LBrace | T::RBrace => return None,
                _ => {}
            }
        }
        None
    }

    /// A name, or a subfield's dotted name (`Name.first_name`), as one name.
    fn dotted_name(&mut self) -> Parse<Name<'a>> {
        let mut whole = self.name()?;
        while self.at(T::Dot) && self.peek_at(1).is_some_and(T::is_word) {
            self.pos += 1;
            let part = self.name()?;
            whole = self.name_at(whole.range.cover(part.range));
        }
        Ok(whole)
    }

    fn block(&mut self) -> Parse<Block<'a>> {
        let start = self.pos;
        self.expect(T::LBrace)?;
        let mut stmts = self.arena.vec_with_capacity(8);
        self.statements(&mut stmts)?;
        self.close(T::RBrace)?;
        Ok(Block {
            stmts: stmts.into(),
            range: self.range_from(start),
        })
    }

    // ---- statements ----

    /// One statement. It fails (without recovery) only at `}` or the end, where the
    /// resilient parser's statement skipper skips nothing; anywhere else it recovers.
    fn statement(&mut self) -> Parse<Stmt<'a>> {
        let start = self.pos;
        if self.at_prose() {
            return self.bail();
        }
        let expression_led = if self.keyword_leads() {
            Err(Stop)
        } else {
            self.attempt(Self::expr_or_assign)
        };
        let kind = match expression_led {
            Ok(kind) => kind,
            Err(Stop) if self.bailed => return Err(Stop),
            Err(Stop) if self.eat(T::Semi) => StmtKind::Empty,
            Err(Stop) => match self.attempt(Self::keyword_statement) {
                Ok(kind) => kind,
                Err(Stop) if self.bailed => return Err(Stop),
                Err(Stop) if matches!(self.peek(), None | Some(T::RBrace)) => {
                    return Err(Stop);
                }
                Err(Stop) => return self.bail(),
            },
        };
        Ok(Stmt {
            kind,
            range: self.range_from(start),
        })
    }

    /// Whether documentation pasted into the script starts here, which the resilient grammar
    /// skips with an error. Most statements are told apart by their second token.
    fn at_prose(&self) -> bool {
        let could_be =
            self.peek().is_some_and(T::is_word) && self.peek_at(1).is_some_and(super::recovery::may_follow_prose_start);
        could_be
            && super::recovery::prose_extent(
                self.src,
                self.tokens[self.pos..]
                    .iter()
                    .map(|t| (t.kind, usize::from(t.range.start()), usize::from(t.range.end()))),
            ) > 0
    }

    /// A statement keyword not used as a name (`if (..)`, not `if = 1` or `info.x`).
    fn keyword_leads(&self) -> bool {
        self.peek().is_some_and(|kind| STATEMENT_KEYWORDS.contains(&kind))
            && !self.peek_at(1).is_some_and(|kind| ASSIGN_OR_DOT.contains(&kind))
    }

    /// An expression or an assignment; never led by a statement keyword (see `statement`).
    fn expr_or_assign(&mut self) -> Parse<StmtKind<'a>> {
        let target = self.target_expr()?;
        let assignment = match self.assign_op() {
            Some(op) => {
                self.pos += 1;
                Some((op, self.expr()?))
            }
            None => None,
        };
        let semicolon = self.eat(T::Semi);
        let last = assignment.map_or(target, |(_, value)| value);
        let ends_with_bracket = matches!(last.kind, ExprKind::Task(_) | ExprKind::Insert(_));
        if !semicolon && !ends_with_bracket {
            return self.bail();
        }
        Ok(match assignment {
            None => StmtKind::Expr(target),
            Some(_) if !super::stmt::is_assignable(target) => return self.bail(),
            Some((op, value)) => StmtKind::Assign { target, op, value },
        })
    }

    fn assign_op(&self) -> Option<AssignOp> {
        Some(match self.peek()? {
            T::Eq => AssignOp::Assign,
            T::PlusEq => AssignOp::Add,
            T::MinusEq => AssignOp::Sub,
            T::StarEq => AssignOp::Mul,
            T::SlashEq => AssignOp::Div,
            T::PercentEq => AssignOp::Rem,
            _ => return None,
        })
    }

    /// An expression, or a Creator UI call on a field: `input.F:ui.add(x)`.
    fn target_expr(&mut self) -> Parse<ExprRef<'a>> {
        let start = self.pos;
        let target = self.binary_chain(false)?;
        let call = self.colon_expr()?;
        Ok(match call {
            None => target,
            Some(call) => self.node(ExprKind::UiCall { target, call }, self.range_from(start)),
        })
    }

    /// The statements led by a keyword; each starts with its own token.
    fn keyword_statement(&mut self) -> Parse<StmtKind<'a>> {
        match self.peek() {
            Some(T::If) => self.if_statement(),
            Some(T::For) => self.for_each(),
            // Parsed by the resilient grammar only to report that it is not Deluge.
            Some(T::While) => self.bail(),
            Some(T::Try) => self.try_statement(),
            Some(T::Return) => self.optional_operand_statement(T::Return).map(StmtKind::Return),
            Some(T::Info) => self.optional_operand_statement(T::Info).map(StmtKind::Info),
            Some(T::Break) => self.bare_statement(T::Break).map(|()| StmtKind::Break),
            Some(T::Continue) => self.bare_statement(T::Continue).map(|()| StmtKind::Continue),
            Some(T::Delete) => {
                self.pos += 1;
                self.expect(T::From)?;
                let target = self.expr()?;
                self.semi()?;
                Ok(StmtKind::Delete { target })
            }
            Some(T::Cancel | T::Reload | T::Alert | T::Hide | T::Show | T::Enable | T::Disable | T::Clear) => {
                self.word_statement()
            }
            _ => Err(Stop),
        }
    }

    /// `( condition )`; a missing `)` is reported by the resilient grammar.
    fn parenthesised(&mut self) -> Parse<ExprRef<'a>> {
        self.expect(T::LParen)?;
        let condition = self.expr()?;
        self.close(T::RParen)?;
        Ok(condition)
    }

    fn if_branch(&mut self) -> Parse<IfBranch<'a>> {
        let condition = self.parenthesised()?;
        let body = self.block()?;
        Ok(IfBranch { condition, body })
    }

    fn if_statement(&mut self) -> Parse<StmtKind<'a>> {
        self.expect(T::If)?;
        let mut branches = self.arena.vec();
        branches.push(self.if_branch()?);
        while self.at(T::Else) && self.peek_at(1) == Some(T::If) {
            self.pos += 2;
            // A broken `else if` is recovered by the resilient grammar, inside this statement.
            match self.attempt(Self::if_branch) {
                Ok(branch) => branches.push(branch),
                Err(Stop) => return self.bail(),
            }
        }
        let else_block = match self.at(T::Else) {
            true => {
                self.pos += 1;
                match self.attempt(Self::block) {
                    Ok(block) => Some(block),
                    Err(Stop) => return self.bail(),
                }
            }
            false => None,
        };
        Ok(StmtKind::If {
            branches: branches.into(),
            else_block,
        })
    }

    fn for_each(&mut self) -> Parse<StmtKind<'a>> {
        self.expect(T::For)?;
        self.expect(T::Each)?;
        let (index, var) = self.loop_head()?;
        let iterable = self.expr()?;
        let body = self.block()?;
        Ok(StmtKind::ForEach {
            index,
            var,
            iterable,
            body,
        })
    }

    /// `index i in`, `x in`, or the legacy `Form x in`.
    fn loop_head(&mut self) -> Parse<(bool, Name<'a>)> {
        if let Some(var) = self.optional(|p| {
            p.expect(T::Index)?;
            let var = p.name()?;
            p.expect(T::In)?;
            Ok(var)
        })? {
            return Ok((true, var));
        }
        let plain = |p: &mut Self| {
            let var = p.name()?;
            p.expect(T::In)?;
            Ok(var)
        };
        if let Some(var) = self.optional(plain)? {
            return Ok((false, var));
        }
        let legacy = |p: &mut Self| {
            p.name()?;
            plain(p)
        };
        Ok((false, self.attempt(legacy)?))
    }

    fn try_statement(&mut self) -> Parse<StmtKind<'a>> {
        self.expect(T::Try)?;
        let body = self.block()?;
        // A broken `catch` header is recovered by the resilient grammar, inside this statement.
        let catch = match self.at(T::Catch) {
            true => match self.attempt(Self::catch_clause) {
                Ok(catch) => Some(catch),
                Err(Stop) => return self.bail(),
            },
            false => None,
        };
        let (catch_var, catch_body) = match catch {
            Some((var, body)) => (var, Some(body)),
            None => (None, None),
        };
        Ok(StmtKind::Try {
            body,
            catch_var,
            catch_body,
        })
    }

    /// `catch (e) { .. }` or `catch { .. }`.
    fn catch_clause(&mut self) -> Parse<(Option<Name<'a>>, Block<'a>)> {
        self.expect(T::Catch)?;
        let var = self.optional(|p| {
            p.expect(T::LParen)?;
            let var = p.name()?;
            p.expect(T::RParen)?;
            Ok(var)
        })?;
        Ok((var, self.block()?))
    }

    /// `return expr?;`, `info expr?;`.
    fn optional_operand_statement(&mut self, keyword: T) -> Parse<Option<ExprRef<'a>>> {
        self.expect(keyword)?;
        if !self.not_assigned() {
            return Err(Stop);
        }
        let operand = self.optional(Self::expr)?;
        self.semi()?;
        Ok(operand)
    }

    /// `break;`, `continue;`.
    fn bare_statement(&mut self, keyword: T) -> Parse<()> {
        self.expect(keyword)?;
        if !self.not_assigned() {
            return Err(Stop);
        }
        self.semi()
    }

    /// `cancel submit;`, `reload;`, `alert "..";`, `hide field;` and the like.
    fn word_statement(&mut self) -> Parse<StmtKind<'a>> {
        let Token { kind: keyword, range } = self.tokens[self.pos];
        self.pos += 1;
        let first = self.name_at(range);
        let (words, operand) = match keyword {
            T::Cancel => (vec![first, self.name()?], None),
            T::Reload => (vec![first], None),
            _ => {
                if !self.not_assigned() {
                    return Err(Stop);
                }
                (vec![first], Some(self.expr()?))
            }
        };
        if !self.not_assigned() {
            return Err(Stop);
        }
        self.semi()?;
        Ok(StmtKind::Word {
            words: self.arena.slice(words),
            operand,
        })
    }

    // ---- expressions ----

    /// An expression, in which `=` compares.
    fn expr(&mut self) -> Parse<ExprRef<'a>> {
        self.binary_chain(true)
    }

    /// The binary operator at the cursor and how many tokens it takes. The token after is
    /// looked at only for `not` (of `not in`).
    #[inline(always)]
    fn binary_op(&self, eq_compares: bool) -> Option<(BinaryOp, usize)> {
        let kind = self.peek()?;
        let next = if kind == T::Not { self.peek_at(1) } else { None };
        super::expr::binary_op_at(kind, next, eq_compares)
    }

    /// `unary (op unary)*`, folded by precedence as the resilient grammar does; `=`
    /// compares when `eq_compares` (not after a statement's target).
    fn binary_chain(&mut self, eq_compares: bool) -> Parse<ExprRef<'a>> {
        let first = self.unary()?;
        let Some(mut next) = self.binary_op(eq_compares) else {
            return Ok(first);
        };
        let mut rest = self.arena.vec_with_capacity(4);
        loop {
            let (op, width) = next;
            self.pos += width;
            match self.unary() {
                Ok(operand) => rest.push((op, operand)),
                // The resilient grammar reports a missing operand.
                Err(Stop) => return self.bail(),
            }
            match self.binary_op(eq_compares) {
                Some(op) => next = op,
                None => break,
            }
        }
        Ok(super::expr::fold_binary(self.arena, first, rest))
    }

    // `unary`, `postfix`, `primary` and the rules under it are inlined by force: every
    // operand goes down that chain, and each call moved a 48-byte result through one more
    // frame (together with `attempt` and `optional`, 11% of the fast path's instructions).
    #[inline(always)]
    fn unary(&mut self) -> Parse<ExprRef<'a>> {
        if !matches!(self.peek(), Some(T::Bang | T::Minus | T::Plus)) {
            return self.postfix();
        }
        let mut ops = Vec::new();
        loop {
            let op = match self.peek() {
                Some(T::Bang) => UnaryOp::Not,
                Some(T::Minus) => UnaryOp::Neg,
                Some(T::Plus) => UnaryOp::Plus,
                _ => break,
            };
            ops.push((op, self.tokens[self.pos].range.start()));
            self.pos += 1;
        }
        let operand = self.postfix()?;
        if ops.len() > MAX_CHAIN {
            return self.bail();
        }
        Ok(ops.into_iter().rev().fold(operand, |operand, (op, start)| {
            self.node(
                ExprKind::Unary { op, operand },
                TextRange::new(start, operand.range.end()),
            )
        }))
    }

    #[inline(always)]
    fn postfix(&mut self) -> Parse<ExprRef<'a>> {
        let mut operand = self.primary()?;
        let mut count = 0usize;
        loop {
            // A member or a call is certain once its first tokens match (an argument list
            // never mismatches after its `(`): only a fetch needs a backtracking attempt.
            let op = match self.peek() {
                Some(T::Dot) if self.peek_at(1).is_some_and(T::is_word) => {
                    self.pos += 1;
                    Postfix::Member(self.name()?)
                }
                Some(T::LParen) => Postfix::Call(self.args()?),
                Some(T::LBracket) => match self.optional(Self::fetch)? {
                    Some(fetch) => fetch,
                    None => break,
                },
                Some(T::Sort | T::Range) => return self.trailing_fetch_clauses(operand),
                _ => break,
            };
            count += 1;
            if count > MAX_CHAIN {
                return self.bail();
            }
            let range = super::expr::postfix_range(operand, self.tokens[self.pos - 1].range.end());
            operand = self.node(super::expr::postfix_kind(op, operand), range);
        }
        Ok(operand)
    }

    /// `sort by`/`range from` after a fetched field (`Orders[ID != 0].Number sort by
    /// Number desc`); after anything else the resilient grammar reports them.
    fn trailing_fetch_clauses(&mut self, operand: ExprRef<'a>) -> Parse<ExprRef<'a>> {
        let start = self.pos;
        let (sort, range_clause) = self.fetch_clauses()?;
        if sort.is_none() && range_clause.is_none() {
            self.pos = start;
            return Ok(operand);
        }
        match super::expr::with_fetch_clauses(self.arena, operand, sort, range_clause) {
            Some(kind) => {
                let range = TextRange::new(operand.range.start(), self.tokens[self.pos - 1].range.end());
                Ok(self.node(kind, range))
            }
            None => self.bail(),
        }
    }

    /// `sort by f [asc|desc]` and `range from a to b`, each optional.
    #[allow(clippy::type_complexity)]
    fn fetch_clauses(&mut self) -> Parse<(Option<SortBy<'a>>, Option<(Expr<'a>, Expr<'a>)>)> {
        let sort = self.optional(Self::sort_by)?;
        let range_clause = self.optional(|p| {
            p.expect(T::Range)?;
            p.expect(T::From)?;
            let from = *p.expr()?;
            p.expect(T::To)?;
            Ok((from, *p.expr()?))
        })?;
        Ok((sort, range_clause))
    }

    /// `[criteria] sort by f range from a to b`, after a form.
    fn fetch(&mut self) -> Parse<Postfix<'a>> {
        self.expect(T::LBracket)?;
        let criteria = *self.expr()?;
        self.close(T::RBracket)?;
        let (sort, range_clause) = self.fetch_clauses()?;
        Ok(Postfix::fetch(self.arena, criteria, sort, range_clause))
    }

    fn sort_by(&mut self) -> Parse<SortBy<'a>> {
        self.expect(T::Sort)?;
        self.expect(T::By)?;
        let field = self.name()?;
        let order = self.optional(|p| p.word_in(&["asc", "desc"]))?;
        Ok(SortBy {
            field,
            descending: order.is_some_and(|o| o.is("desc")),
        })
    }

    /// `( arg, ... )`, where an argument may be `key: value`.
    fn args(&mut self) -> Parse<Nodes<'a, Arg<'a>>> {
        self.expect(T::LParen)?;
        let args = self.comma_separated(|p| {
            let first = p.expr()?;
            Ok(match p.colon_expr()? {
                Some(value) => Arg {
                    key: Some(first),
                    value,
                },
                None => Arg {
                    key: None,
                    value: first,
                },
            })
        })?;
        self.close(T::RParen)?;
        Ok(args.into())
    }

    #[inline(always)]
    fn primary(&mut self) -> Parse<ExprRef<'a>> {
        let Some(&Token { kind, range }) = self.tokens.get(self.pos) else {
            return Err(Stop);
        };
        match kind {
            T::Number | T::String | T::SingleQuoted | T::True | T::False | T::Null | T::TooDeep => {
                self.pos += 1;
                self.literal(kind, range)
            }
            kind if kind.is_word() => self.word_led(),
            T::LParen => self.attempt(Self::paren),
            T::LBrace => self.attempt(Self::brace_literal),
            T::LBracket => self.attempt(Self::bracket_list),
            _ => Err(Stop),
        }
    }

    #[inline(always)]
    fn literal(&mut self, kind: T, range: TextRange) -> Parse<ExprRef<'a>> {
        let text = &self.src[range];
        if kind == T::Number && !super::expr::number_fits(text) {
            return self.bail();
        }
        Ok(self.node(super::expr::literal_kind(kind, text), range))
    }

    /// A word leads a task block, a typed constructor, `insert into`, or is a name. Each of
    /// the first three is tried only where its next token allows it (`[`, `:`, `into`).
    #[inline(always)]
    fn word_led(&mut self) -> Parse<ExprRef<'a>> {
        if self.peek_at(1) == Some(T::LBracket)
            && let Some(task) = self.optional(Self::task_block)?
        {
            return Ok(task);
        }
        if self.peek_at(1) == Some(T::Colon)
            && let Some(constructor) = self.optional(Self::typed_constructor)?
        {
            return Ok(constructor);
        }
        if self.at(T::Insert)
            && let Some(insert) = self.optional(Self::insert_into)?
        {
            return Ok(insert);
        }
        let name = self.name()?;
        Ok(self.arena.alloc(super::expr::ident(name)))
    }

    fn paren(&mut self) -> Parse<ExprRef<'a>> {
        let start = self.pos;
        self.expect(T::LParen)?;
        let inner = self.expr()?;
        self.close(T::RParen)?;
        Ok(self.node(ExprKind::Paren(inner), self.range_from(start)))
    }

    fn brace_literal(&mut self) -> Parse<ExprRef<'a>> {
        let start = self.pos;
        self.expect(T::LBrace)?;
        let entries = self.comma_separated(|p| {
            let first = *p.expr()?;
            let value = p.colon_expr()?.copied();
            Ok((first, value))
        })?;
        self.close(T::RBrace)?;
        let (kind, mixed) = super::expr::brace_literal_kind(self.arena, entries.into_iter().collect());
        if mixed {
            return self.bail();
        }
        Ok(self.node(kind, self.range_from(start)))
    }

    fn bracket_list(&mut self) -> Parse<ExprRef<'a>> {
        let start = self.pos;
        self.expect(T::LBracket)?;
        let items = self.comma_separated(|p| p.expr().copied())?;
        self.close(T::RBracket)?;
        Ok(self.node(ExprKind::List(items.into()), self.range_from(start)))
    }

    /// `list:String()`, `Map:String()`, `Collection:Map()`.
    fn typed_constructor(&mut self) -> Parse<ExprRef<'a>> {
        let start = self.pos;
        let ctor = self.name()?;
        self.expect(T::Colon)?;
        if !["list", "map", "collection"].iter().any(|word| ctor.is(word)) {
            return Err(Stop);
        }
        let type_arg = self.name()?;
        let args = self.args()?;
        let call = ExprKind::Call {
            callee: self.arena.alloc(super::expr::ident(ctor)),
            type_arg: Some(self.arena.alloc(type_arg)),
            args,
        };
        Ok(self.node(call, self.range_from(start)))
    }

    // ---- task blocks and `insert into` ----

    fn task_block(&mut self) -> Parse<ExprRef<'a>> {
        let start = self.pos;
        let name = self.name()?;
        let opens_with_key = self.at(T::LBracket) && {
            let after = self.pos + 1;
            self.tokens.get(after).is_some_and(|token| token.kind == T::RBracket) || self.key_at(after).is_some()
        };
        if !opens_with_key && !KNOWN_TASKS.iter().any(|task| name.is(task)) {
            return Err(Stop);
        }
        let bracket_start = self.pos;
        self.expect(T::LBracket)?;
        let mut params = self.arena.vec_with_capacity(4);
        while let Some(param) = self.optional(Self::task_param)? {
            params.push(param);
            self.eat(T::Comma);
        }
        self.close(T::RBracket)?;
        let bracket_range = self.range_from(bracket_start);
        let task = ExprKind::Task(self.arena.alloc(TaskBlock {
            name,
            params: params.into(),
            bracket_range,
        }));
        Ok(self.node(task, self.range_from(start)))
    }

    fn task_param(&mut self) -> Parse<TaskParam<'a>> {
        let start = self.pos;
        let (key, after_key) = self.key_at(self.pos).ok_or(Stop)?;
        self.pos = after_key;
        let value = self.task_value()?;
        // Anything before the next key or `]` is junk the resilient grammar reports.
        if !self.at_value_end() {
            return self.bail();
        }
        Ok(TaskParam {
            key,
            value,
            range: self.range_from(start),
        })
    }

    fn task_value(&mut self) -> Parse<TaskValue<'a>> {
        let prefixed_value = self.peek_at(1) == Some(T::Colon);
        if prefixed_value && let Some(first) = self.optional(Self::prefixed_value)? {
            let mut items = self.arena.vec();
            items.push(first);
            while self.at(T::Comma) {
                let before = self.pos;
                self.pos += 1;
                match self.optional(Self::prefixed_value)? {
                    Some(item) => items.push(item),
                    None => {
                        self.pos = before;
                        break;
                    }
                }
            }
            return Ok(TaskValue::Prefixed(items.into()));
        }
        if self.at_value_end() {
            return Ok(TaskValue::Missing(self.range_from(self.pos)));
        }
        if let Some(words) = self.optional(|p| {
            let words = p.bare_word_run()?;
            if p.at_value_end() { Ok(words) } else { Err(Stop) }
        })? {
            return Ok(words);
        }
        if let Some(placeholder) = self.optional(Self::placeholder)? {
            return Ok(placeholder);
        }
        match self.attempt(Self::expr_list) {
            Ok(list) => Ok(TaskValue::Expr(*list)),
            // The resilient grammar skips the value with an error.
            Err(Stop) => self.bail(),
        }
    }

    /// `file:obj` in sendmail attachments.
    fn prefixed_value(&mut self) -> Parse<PrefixedValue<'a>> {
        let prefix = self.word_in(VALUE_PREFIXES)?;
        self.expect(T::Colon)?;
        let value = *self.expr()?;
        let format = self.optional(|p| {
            p.word_in(&["as"])?;
            p.name()
        })?;
        Ok(PrefixedValue { prefix, value, format })
    }

    /// `]`, the next key, or the end of the input.
    fn at_value_end(&self) -> bool {
        match self.peek() {
            None | Some(T::RBracket) => true,
            Some(_) => self.key_at(self.pos).is_some(),
        }
    }

    /// The key starting at token `start` (`url:`, `content-type:`, `reply to:`) and the
    /// position after its colon.
    fn key_at(&self, start: usize) -> Option<(TaskKey<'a>, usize)> {
        let mut pos = start;
        let mut first_word: Option<&str> = None;
        let mut pieces = 0;
        loop {
            match self.tokens.get(pos) {
                Some(Token { kind: T::Colon, .. }) if pieces > 0 => {
                    let key_range = self.tokens[start].range.cover(self.tokens[pos - 1].range);
                    let key = TaskKey {
                        raw: &self.src[key_range],
                        range: key_range,
                    };
                    return Some((key, pos + 1));
                }
                Some(token) if token.kind.is_word() && pieces < 2 => {
                    let text = &self.src[token.range];
                    match first_word {
                        None => first_word = Some(text),
                        Some(first) if is_two_word_key(first, text) => {}
                        Some(_) => return None,
                    }
                    pos += 1;
                    pieces += 1;
                }
                Some(Token { kind: T::Minus, .. }) if pieces > 0 => {
                    if !self.tokens.get(pos + 1).is_some_and(|token| token.kind.is_word()) {
                        return None;
                    }
                    pos += 2;
                    pieces = 1; // a hyphenated key takes no second word
                }
                _ => return None,
            }
        }
    }

    /// Two or more words that are not an expression: `PLAIN TEXT`, `application/json`.
    fn bare_word_run(&mut self) -> Parse<TaskValue<'a>> {
        let start = self.pos;
        let mut words = 0;
        let mut last_end: Option<TextSize> = None;
        let mut pending_separator = false;
        loop {
            if words > 0 && !pending_separator && self.key_at(self.pos).is_some() {
                break;
            }
            let Some(&Token { kind, range }) = self.tokens.get(self.pos) else {
                break;
            };
            let touches = last_end == Some(range.start());
            match kind {
                kind if (kind.is_word() || kind == T::Number) && (!pending_separator || touches) => {
                    words += 1;
                    pending_separator = false;
                }
                T::Slash | T::Minus if words > 0 && !pending_separator && touches => pending_separator = true,
                _ => break,
            }
            self.pos += 1;
            last_end = Some(range.end());
        }
        if words < 2 || pending_separator {
            return Err(Stop);
        }
        Ok(self.bare_words(start))
    }

    fn bare_words(&self, start: usize) -> TaskValue<'a> {
        let range = self.range_from(start);
        TaskValue::BareWords {
            raw: &self.src[range],
            range,
        }
    }

    /// `<placeholder text>` in a task value.
    fn placeholder(&mut self) -> Parse<TaskValue<'a>> {
        let start = self.pos;
        self.expect(T::Lt)?;
        while self.peek().is_some_and(|kind| !matches!(kind, T::Gt | T::RBracket)) {
            self.pos += 1;
        }
        self.expect(T::Gt)?;
        Ok(self.bare_words(start))
    }

    /// `to: a, b` lists recipients; a comma followed by a key separates pairs instead.
    fn expr_list(&mut self) -> Parse<ExprRef<'a>> {
        let start = self.pos;
        let first = self.expr()?;
        if !self.at(T::Comma) {
            return Ok(first);
        }
        let mut items = self.arena.vec();
        items.push(*first);
        while self.at(T::Comma) && self.key_at(self.pos + 1).is_none() {
            let before = self.pos;
            self.pos += 1;
            match self.expr() {
                Ok(item) => items.push(*item),
                Err(Stop) if self.bailed => return Err(Stop),
                Err(Stop) => {
                    self.pos = before;
                    break;
                }
            }
        }
        if items.len() == 1 {
            return Ok(first);
        }
        Ok(self.node(ExprKind::List(items.into()), self.range_from(start)))
    }

    /// `insert into Form [ Field = value ... ]`.
    fn insert_into(&mut self) -> Parse<ExprRef<'a>> {
        let start = self.pos;
        self.expect(T::Insert)?;
        self.expect(T::Into)?;
        let form = self.name()?;
        self.expect(T::LBracket)?;
        let mut fields = self.arena.vec();
        while let Some(field) = self.optional(|p| {
            let name = p.dotted_name()?;
            p.expect(T::Eq)?;
            Ok((name, *p.expr()?))
        })? {
            fields.push(field);
            self.eat(T::Comma);
        }
        self.close(T::RBracket)?;
        let insert = ExprKind::Insert(self.arena.alloc(InsertInto {
            form,
            fields: fields.into(),
        }));
        Ok(self.node(insert, self.range_from(start)))
    }
}
