//! The resilient grammar's recovery parsers: what it skips when a header, a list item, a
//! task key or a whole line does not parse, so that what follows is still parsed (and the
//! calls in it still found). Each skips as little as it can and never crosses a `;` or a
//! closer that belongs to an enclosing construct.
//!
//! [`prose_extent`] is shared with the fast path, which must give up wherever the grammar
//! would skip prose.

use chumsky::input::InputRef;
use chumsky::prelude::*;

use super::error::ParseError;
use super::{Extra, STATEMENT_KEYWORDS, Span, TokenInput, range};
use crate::ast::{Stmt, StmtKind};
use crate::lexer::TokenKind as T;

/// Skips a broken header up to the `{` that opens its block (not consumed): the tokens of
/// `if (..)`, `for each .. in ..`, `catch (..)` after the keyword. Fails at a `;` or an
/// unmatched closer before it, or at the end, where the statement itself must recover.
pub(crate) fn skip_to_block<'t, I: TokenInput<'t>>() -> impl Parser<'t, I, Span, Extra<'t>> + Clone {
    custom(|inp| {
        let start = inp.cursor();
        let mut depth = 0usize;
        loop {
            let before = inp.save();
            match inp.next() {
                Some(T::LBrace) if depth == 0 => {
                    inp.rewind(before);
                    return Ok(inp.span_since(&start));
                }
                Some(T::LParen | T::LBracket | T::LBrace) => depth += 1,
                Some(T::RParen | T::RBracket | T::RBrace) if depth > 0 => depth -= 1,
                Some(T::Semi | T::RParen | T::RBracket | T::RBrace) | None => {
                    let span = inp.span_since(&start);
                    inp.rewind(before);
                    return Err(ParseError::unexpected(span));
                }
                Some(_) => {}
            }
        }
    })
}

/// Skips a parenthesised group, `(` to its matching `)` included: a function's parameter
/// list that does not parse. Fails at a `;`, a brace or the end before the `)`.
pub(crate) fn skip_parenthesised<'t, I: TokenInput<'t>>() -> impl Parser<'t, I, Span, Extra<'t>> + Clone {
    custom(|inp| {
        let start = inp.cursor();
        let checkpoint = inp.save();
        if inp.next() != Some(T::LParen) {
            inp.rewind(checkpoint);
            return Err(ParseError::unexpected(inp.span_since(&start)));
        }
        let mut depth = 1usize;
        loop {
            match inp.next() {
                Some(T::LParen) => depth += 1,
                Some(T::RParen) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(inp.span_since(&start));
                    }
                }
                Some(T::Semi | T::LBrace | T::RBrace) | None => {
                    let span = inp.span_since(&start);
                    inp.rewind(checkpoint);
                    return Err(ParseError::unexpected(span));
                }
                Some(_) => {}
            }
        }
    })
}

/// Skips what does not belong in a comma-separated list closed by `closer`: at least one
/// token, up to the next `,` or the `closer` at depth 0 (neither consumed), stopping before
/// a `;`, any other unmatched closer, or a new line that starts a statement (the list was
/// never closed).
pub(crate) fn skip_list_item<'t, 'a: 't, I: TokenInput<'t>>(
    src: &'a str,
    closer: T,
) -> impl Parser<'t, I, Span, Extra<'t>> + Clone {
    custom(move |inp| {
        let start = inp.cursor();
        let mut depth = 0usize;
        let mut skipped = 0usize;
        loop {
            let before = inp.save();
            let (next, starts_statement) = next_token(inp, src);
            if depth == 0 && starts_statement {
                inp.rewind(before);
                break;
            }
            match next {
                Some(T::Comma) if depth == 0 => {
                    inp.rewind(before);
                    break;
                }
                Some(kind) if depth == 0 && kind == closer => {
                    inp.rewind(before);
                    break;
                }
                Some(T::LParen | T::LBracket | T::LBrace) => depth += 1,
                Some(T::RParen | T::RBracket | T::RBrace) if depth > 0 => depth -= 1,
                Some(T::Semi | T::RParen | T::RBracket | T::RBrace) | None => {
                    inp.rewind(before);
                    break;
                }
                Some(_) => {}
            }
            skipped += 1;
        }
        let span = inp.span_since(&start);
        if skipped == 0 {
            return Err(ParseError::unexpected(span));
        }
        Ok(span)
    })
}

/// What `closer` is called in a message about a list it closes.
pub(crate) fn list_expectation(closer: T) -> String {
    format!("expected `,` or {closer}")
}

/// Documentation pasted into a script (`Module : Ticket`, `Argument:`, `Sample Code:`): at
/// a line's first token, the number of tokens of the prose lines that start there, 0 if
/// none does. A prose line holds only words, numbers and `: - . , /`, begins with a word
/// that leads no statement, and has a `:`, or three words or more and no member chain
/// (`a.b`; a full stop may end a sentence). Code that parses never
/// has such a line at a statement's start (an assignment has `=`, a call `(`, a task
/// `[`); the fast path gives up where this finds one.
///
/// `tokens` are the kinds and byte ranges from the line's first token on.
pub(crate) fn prose_extent<I>(src: &str, tokens: I) -> usize
where
    I: IntoIterator<Item = (T, usize, usize)>,
    I::IntoIter: Clone,
{
    let tokens = tokens.into_iter();
    if !may_open_prose(tokens.clone().map(|(kind, _, _)| kind)) {
        return 0;
    }
    let mut tokens = tokens.peekable();
    let mut taken = 0;
    let mut line = ProseLine::default();
    let mut previous_end: Option<usize> = None;
    while let Some(&(kind, start, end)) = tokens.peek() {
        let new_line =
            previous_end.is_none_or(|previous| src.get(previous..start).is_some_and(|gap| gap.contains('\n')));
        if new_line {
            if previous_end.is_some() {
                if !line.is_prose() {
                    return taken;
                }
                taken += line.tokens;
            }
            if !starts_line(src, start) {
                return taken;
            }
            line = ProseLine::default();
        }
        if !line.take(kind) {
            return taken;
        }
        previous_end = Some(end);
        tokens.next();
    }
    if line.is_prose() { taken + line.tokens } else { taken }
}

/// A test on kinds alone that rules out most statements before [`prose_extent`] looks at
/// lines: a first line of prose begins with a word that leads no statement and has a `:` or
/// three words before any `.` or `(`, so the run of tokens before them must too. (Stopping
/// at `(` keeps every `m.put(..)` from being read to its end.)
fn may_open_prose(mut kinds: impl Iterator<Item = T>) -> bool {
    if kinds
        .next()
        .is_none_or(|first| !first.is_word() || leads_a_statement(first))
    {
        return false;
    }
    let mut words = 1;
    let mut dotted = false;
    for kind in kinds.take_while(|kind| may_follow_prose_start(*kind)) {
        match kind {
            T::Colon => return true,
            T::Dot => dotted = true,
            kind if kind.is_word() && !dotted => {
                words += 1;
                if words >= 3 {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Whether a token of `kind` may stand in a line of prose: one that may follow its first
/// word ([`may_follow_prose_start`]), or a parenthesis or quoted string
/// (`Runs on Lead create (workflow rule "Enrich").`).
pub(crate) fn may_be_prose(kind: T) -> bool {
    may_follow_prose_start(kind) || matches!(kind, T::LParen | T::RParen | T::String)
}

/// Whether a token of `kind` may be the second of a prose line: a word, a number, or
/// `: - . , /`. Not `(`: `name(` opens a call, and asking that of every call would cost
/// the fast path its speed.
pub(crate) fn may_follow_prose_start(kind: T) -> bool {
    kind.is_word() || matches!(kind, T::Colon | T::Number | T::Minus | T::Dot | T::Comma | T::Slash)
}

/// Whether only blanks stand between the start of `offset`'s line and it.
pub(crate) fn starts_line(src: &str, offset: usize) -> bool {
    let before = src.get(..offset).unwrap_or_default();
    let line = before.rsplit('\n').next().unwrap_or_default();
    line.chars().all(char::is_whitespace)
}

/// What one line of possible prose holds so far.
#[derive(Default)]
struct ProseLine {
    tokens: usize,
    /// Words outside parentheses: `myFunction(a, b, c,` is one, so the first line of a call
    /// spread over lines is never prose.
    words: usize,
    /// How many parentheses are open; a quoted string stands only inside them, and a line
    /// of prose closes all it opens.
    depth: usize,
    colon: bool,
    /// `zoho.crm.getRecords` is three words, but a member chain's: a word after a `.`.
    /// A sentence's full stop (`Mar 2020.`) is not one.
    dots: bool,
    after_dot: bool,
}

impl ProseLine {
    /// Takes the line's next token; `false` when no prose line holds it.
    fn take(&mut self, kind: T) -> bool {
        if !may_be_prose(kind) || (self.tokens == 0 && (!kind.is_word() || leads_a_statement(kind))) {
            return false;
        }
        match kind {
            T::Colon => self.colon = true,
            T::LParen => self.depth += 1,
            T::RParen if self.depth == 0 => return false,
            T::RParen => self.depth -= 1,
            T::String if self.depth == 0 => return false,
            kind if kind.is_word() => {
                self.words += usize::from(self.depth == 0);
                self.dots |= self.after_dot;
            }
            _ => {}
        }
        self.after_dot = kind == T::Dot;
        self.tokens += 1;
        true
    }

    fn is_prose(&self) -> bool {
        self.tokens > 0 && self.depth == 0 && (self.colon || (self.words >= 3 && !self.dots))
    }
}

/// Words that begin statements of several words (`for each x in`, `insert into F`,
/// `cancel submit`, `return x`).
fn leads_a_statement(kind: T) -> bool {
    STATEMENT_KEYWORDS.contains(&kind) || kind == T::Insert
}

/// Reads the next token: its kind, and whether it clearly begins a new statement
/// ([`starts_a_statement_line`]), which is where a skip stops.
fn next_token<'t, I: TokenInput<'t>>(inp: &mut InputRef<'t, '_, I, Extra<'t>>, src: &str) -> (Option<T>, bool) {
    let token_start = inp.cursor();
    let Some(kind) = inp.next() else {
        return (None, false);
    };
    let span: Span = inp.span_since(&token_start);
    (Some(kind), starts_a_statement_line(src, span.start, kind, inp.peek()))
}

/// Whether a token (of `kind`, starting at `start`, followed by `next`) clearly begins a new
/// statement: it is the first on its line and is a statement keyword, or a name that is
/// assigned or called.
fn starts_a_statement_line(src: &str, start: usize, kind: T, next: Option<T>) -> bool {
    starts_line(src, start)
        && (matches!(
            kind,
            T::If | T::For | T::Try | T::Return | T::Info | T::Break | T::Continue | T::Delete
        ) || (kind.is_word() && matches!(next, Some(T::Eq | T::PlusEq | T::Dot | T::LParen))))
}

/// Skips a broken statement: through the next `;` at depth 0, or up to a `}` closing the
/// enclosing block, or up to a new line that clearly starts another statement.
pub(crate) fn skip_statement<'t, 'a: 't, I: TokenInput<'t>>(
    src: &'a str,
) -> impl Parser<'t, I, Stmt<'a>, Extra<'t>> + Clone {
    custom(move |inp| {
        let start = inp.cursor();
        let mut depth = 0usize;
        let mut skipped = 0usize;
        loop {
            let before = inp.save();
            let (Some(kind), starts_statement) = next_token(inp, src) else {
                break;
            };
            if depth == 0 && ((kind == T::RBrace) || (skipped > 0 && starts_statement)) {
                inp.rewind(before);
                break;
            }
            match kind {
                T::LParen | T::LBracket | T::LBrace => depth += 1,
                T::RParen | T::RBracket | T::RBrace => depth = depth.saturating_sub(1),
                T::Semi if depth == 0 => {
                    skipped += 1;
                    break;
                }
                _ => {}
            }
            skipped += 1;
        }
        let span = inp.span_since(&start);
        if skipped == 0 {
            return Err(ParseError::unexpected(span));
        }
        Ok(Stmt {
            kind: StmtKind::Error,
            range: range(span),
        })
    })
}
