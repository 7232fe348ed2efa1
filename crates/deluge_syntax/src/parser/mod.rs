//! The Deluge parser: a hand-written fast path ([`fast`]) and the resilient chumsky 0.10
//! grammar (`stmt`, `expr`, `task`). The fast path parses what is well formed and hands
//! each broken statement to the grammar's statement parser, which recovers and reports;
//! where that is not enough (a broken block or function header, a lexical error, too many
//! broken statements) the grammar parses the whole file. The result is always the one the
//! resilient parser alone gives (`tests/properties.rs` checks it on any input).
//!
//! Parsing never fails. Errors are collected and the parser recovers at statement
//! boundaries (`;`, `}`, a new line that starts a statement), inside task blocks (at the
//! next key or `]`), and by accepting a missing `;`, `)`, `]` or `}` with an error.
//! Before parsing, regions nested deeper than [`MAX_NESTING`] are cut out and replaced by a
//! single token, which bounds the parser's recursion and the depth of the tree.

mod error;
mod expr;
mod fast;
mod recovery;
mod stmt;
mod task;

use chumsky::input::{Input, ValueInput};
use chumsky::prelude::*;
use text_size::{TextRange, TextSize};

use crate::SyntaxError;
use crate::arena::Arena;
use crate::ast::{Nodes, SourceFile, Stmt};
use crate::lexer::{Comment, Lexed, Token, TokenKind, TokenKind as T, lex};
use error::ParseError;

/// How deeply `(`, `[` and `{` may nest before the region is reported and skipped.
pub const MAX_NESTING: usize = 100;

/// How many prefix operators or postfix operations one operand may carry.
pub(crate) const MAX_CHAIN: usize = 1000;

/// What makes a statement keyword a variable instead: `info = 1;`, `clear.x`.
pub(crate) const ASSIGN_OR_DOT: [T; 7] = [
    T::Eq,
    T::PlusEq,
    T::MinusEq,
    T::StarEq,
    T::SlashEq,
    T::PercentEq,
    T::Dot,
];

/// The keywords that lead a statement of their own (unless assigned to: [`ASSIGN_OR_DOT`]).
pub(crate) const STATEMENT_KEYWORDS: [T; 19] = [
    T::If,
    T::For,
    T::While,
    T::Try,
    T::Return,
    T::Info,
    T::Break,
    T::Continue,
    T::Delete,
    T::Else,
    T::Catch,
    T::Cancel,
    T::Reload,
    T::Alert,
    T::Hide,
    T::Show,
    T::Enable,
    T::Disable,
    T::Clear,
];

pub(crate) type Span = SimpleSpan;
pub(crate) type Extra<'t> = extra::Err<ParseError>;

/// The token input every sub-parser is generic over.
pub(crate) trait TokenInput<'t>: ValueInput<'t, Token = TokenKind, Span = Span> {}
impl<'t, T: ValueInput<'t, Token = TokenKind, Span = Span>> TokenInput<'t> for T {}

/// The result of parsing: the tree, the tokens, the comments, and every syntax error.
#[derive(Clone, Debug)]
pub struct Parsed<'a> {
    /// The tree; always present, possibly with [`crate::ast::StmtKind::Error`] nodes.
    pub file: SourceFile<'a>,
    /// The significant tokens in source order, as the lexer made them: for a question about
    /// the text that a pass over them answers more cheaply than a walk of the tree.
    pub tokens: Vec<Token>,
    /// Comments in source order (for suppressions and formatting).
    pub comments: Vec<Comment>,
    /// Lexical and syntax errors, sorted by position.
    pub errors: Vec<SyntaxError>,
}

/// Parses Deluge source text into a tree allocated in `arena`. Never panics and never fails.
///
/// The hand-written fast path parses what is well formed, the resilient grammar each broken
/// statement (or, where that is not enough, the whole file), recovering and reporting every
/// error.
///
/// ```
/// let source = "r = invokeurl [ url: u type: GET ];";
/// let arena = deluge_syntax::Arena::new();
/// let parsed = deluge_syntax::parse(source, &arena);
/// assert!(parsed.errors.is_empty());
/// ```
pub fn parse<'a>(source: &'a str, arena: &'a Arena) -> Parsed<'a> {
    let lexed = lex(source);
    let mut recovery = StatementRecovery::new(source, arena, &lexed.tokens);
    match fast_path(source, arena, &lexed, &mut recovery) {
        Some((file, errors)) => finish(file, lexed.tokens, lexed.comments, errors),
        None => parse_resilient(source, arena, lexed),
    }
}

/// Only the fast path, recovering nothing: `None` where it gives up. For tests and benchmarks.
#[doc(hidden)]
pub fn parse_fast_path_only<'a>(source: &'a str, arena: &'a Arena) -> Option<Parsed<'a>> {
    let lexed = lex(source);
    let (file, _) = fast_path(source, arena, &lexed, &mut fast::NoRecovery)?;
    Some(finish(file, lexed.tokens, lexed.comments, Vec::new()))
}

/// Only the resilient parser. For tests and benchmarks.
#[doc(hidden)]
pub fn parse_resilient_only<'a>(source: &'a str, arena: &'a Arena) -> Parsed<'a> {
    parse_resilient(source, arena, lex(source))
}

/// The fast path takes the lexer's tokens as they are: a file with a lexical error or code
/// nested too deep goes to the resilient parser, which reports it.
fn fast_path<'a>(
    source: &'a str,
    arena: &'a Arena,
    lexed: &Lexed,
    recover: &mut dyn fast::Recover<'a>,
) -> Option<(SourceFile<'a>, Vec<SyntaxError>)> {
    if !lexed.errors.is_empty() || !nesting_within_limit(&lexed.tokens) {
        return None;
    }
    fast::parse(source, arena, &lexed.tokens, recover)
}

/// The resilient grammar's statement parser, run where the fast path gives up on one.
///
/// Each broken statement costs a pass over the rest of the tokens (chumsky's `lazy` reads
/// them to the end), so the passes are budgeted at twice the file's tokens: a file full of
/// errors goes to the resilient parser whole, which is cheaper then.
struct StatementRecovery<'a, 't> {
    source: &'a str,
    arena: &'a Arena,
    tokens: &'t [Token],
    /// The tokens as chumsky reads them, built for the first broken statement.
    spanned: Option<Vec<(TokenKind, Span)>>,
    /// Tokens the remaining passes may read.
    budget: usize,
}

impl<'a, 't> StatementRecovery<'a, 't> {
    fn new(source: &'a str, arena: &'a Arena, tokens: &'t [Token]) -> Self {
        Self {
            source,
            arena,
            tokens,
            spanned: None,
            budget: 2 * tokens.len(),
        }
    }
}

impl<'a> fast::Recover<'a> for StatementRecovery<'a, '_> {
    fn statement(&mut self, at: usize) -> Option<(Stmt<'a>, usize, Vec<SyntaxError>)> {
        self.budget = self.budget.checked_sub(self.tokens.len() - at)?;
        let tokens = self
            .spanned
            .get_or_insert_with(|| self.tokens.iter().map(|t| (t.kind, to_span(t.range))).collect());
        let len = self.source.len();
        let input = tokens[at..].map((len..len).into(), |(kind, span)| (kind, span));
        let (output, errors) = stmt::statement(self.source, self.arena)
            .map_with(|stmt, e| (stmt, e.span()))
            .lazy()
            .parse(input)
            .into_output_errors();
        let (stmt, span): (Stmt<'a>, Span) = output?;
        let next = at + tokens[at..].partition_point(|(_, s)| s.start < span.end);
        let errors = errors.into_iter().map(|e| to_syntax_error(e, tokens, len)).collect();
        Some((stmt, next, errors))
    }
}

fn parse_resilient<'a>(source: &'a str, arena: &'a Arena, lexed: Lexed) -> Parsed<'a> {
    let mut errors = lexed.errors;
    let tokens = limit_nesting(&lexed.tokens, &mut errors);
    let file = resilient(source, arena, &tokens, &mut errors);
    finish(file, lexed.tokens, lexed.comments, errors)
}

fn finish<'a>(
    file: SourceFile<'a>,
    tokens: Vec<Token>,
    comments: Vec<Comment>,
    mut errors: Vec<SyntaxError>,
) -> Parsed<'a> {
    // One error per position; the one that covers a token says more than a zero-width one.
    errors.sort_by_key(|e| (e.range.start(), std::cmp::Reverse(e.range.len())));
    errors.dedup_by_key(|e| e.range.start());
    Parsed {
        file,
        tokens,
        comments,
        errors,
    }
}

fn nesting_within_limit(tokens: &[Token]) -> bool {
    let mut depth = 0usize;
    for token in tokens {
        match token.kind {
            TokenKind::LParen | TokenKind::LBracket | TokenKind::LBrace => {
                depth += 1;
                if depth > MAX_NESTING {
                    return false;
                }
            }
            TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

/// The chumsky parser: recovers from every error and reports it.
fn resilient<'a>(
    source: &'a str,
    arena: &'a Arena,
    tokens: &[(TokenKind, Span)],
    errors: &mut Vec<SyntaxError>,
) -> SourceFile<'a> {
    let len = source.len();
    let input = tokens.map((len..len).into(), |(kind, span)| (kind, span));
    let (output, parse_errors) = stmt::file(source, arena).parse(input).into_output_errors();
    errors.extend(parse_errors.into_iter().map(|e| to_syntax_error(e, tokens, len)));
    output.unwrap_or_else(|| SourceFile {
        items: Nodes::EMPTY,
        range: TextRange::up_to(TextSize::of(source)),
    })
}

/// Drops error tokens (the lexer reported them) and replaces every region nested deeper
/// than [`MAX_NESTING`] by one [`TokenKind::TooDeep`] token.
fn limit_nesting(tokens: &[Token], errors: &mut Vec<SyntaxError>) -> Vec<(TokenKind, Span)> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i];
        match token.kind {
            TokenKind::Error => {}
            TokenKind::LParen | TokenKind::LBracket | TokenKind::LBrace if depth == MAX_NESTING => {
                let end = matching_close(tokens, i);
                let range = token.range.cover(tokens[end].range);
                errors.push(SyntaxError::new(
                    range,
                    format!("code nested more than {MAX_NESTING} levels deep is not analysed"),
                ));
                out.push((TokenKind::TooDeep, to_span(range)));
                i = end;
            }
            TokenKind::LParen | TokenKind::LBracket | TokenKind::LBrace => {
                depth += 1;
                out.push((token.kind, to_span(token.range)));
            }
            TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace => {
                depth = depth.saturating_sub(1);
                out.push((token.kind, to_span(token.range)));
            }
            kind => out.push((kind, to_span(token.range))),
        }
        i += 1;
    }
    out
}

/// Index of the token closing the opener at `open`, or the last token if it is never closed.
fn matching_close(tokens: &[Token], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(open) {
        match token.kind {
            TokenKind::LParen | TokenKind::LBracket | TokenKind::LBrace => depth += 1,
            TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    tokens.len() - 1
}

fn to_span(range: TextRange) -> Span {
    (usize::from(range.start())..usize::from(range.end())).into()
}

/// Converts a parser span to a range. Spans of empty matches can come out reversed
/// (from the next token's start back to the previous token's end); they become the
/// empty range where the previous token ends.
pub(crate) fn range(span: Span) -> TextRange {
    let (start, end) = (span.start as u32, span.end as u32);
    if start <= end {
        TextRange::new(start.into(), end.into())
    } else {
        TextRange::empty(end.into())
    }
}

fn to_syntax_error(error: ParseError, tokens: &[(TokenKind, Span)], len: usize) -> SyntaxError {
    let span = error.span;
    let (start, end) = if span.start > span.end {
        (span.end, span.end)
    } else {
        (span.start, span.end)
    };
    let at = TextRange::new(TextSize::new(start.min(len) as u32), TextSize::new(end.min(len) as u32));
    if let Some(message) = error.message {
        return SyntaxError::new(at, message);
    }
    // Lookahead combinators may not name what they saw; the token stream does.
    let found = error
        .found
        .or_else(|| tokens.iter().find(|(_, s)| s.start == start).map(|(kind, _)| *kind))
        .map_or("end of file", TokenKind::describe);
    let message = match describe_expected(error.expected()) {
        Some(expected) => format!("expected {expected}, found {found}"),
        None => format!("unexpected {found}"),
    };
    SyntaxError::new(at, message)
}

/// `a`, `a or b`, `a, b or c`; long lists are cut short.
fn describe_expected(items: Vec<&'static str>) -> Option<String> {
    Some(match items.as_slice() {
        [] => return None,
        [one] => (*one).to_owned(),
        [init @ .., last] if items.len() <= 6 => format!("{} or {last}", init.join(", ")),
        _ => format!("{}, ...", items[..5].join(", ")),
    })
}
