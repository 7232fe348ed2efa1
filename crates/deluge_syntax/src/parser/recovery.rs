//! The resilient grammar's recovery parsers: what it skips when a header, a list item, a
//! task key or a whole line does not parse, so that what follows is still parsed (and the
//! calls in it still found). Each skips as little as it can and never crosses a `;` or a
//! closer that belongs to an enclosing construct.
//!
//! [`prose_extent`] is shared with the fast path, which must give up wherever the grammar
//! would skip prose.

use chumsky::prelude::*;

use super::error::ParseError;
use super::stmt::starts_a_statement_line;
use super::{Extra, Span, TokenInput};
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
            let token_start = inp.cursor();
            let next: Option<T> = inp.next();
            let span: Span = inp.span_since(&token_start);
            if let Some(kind) = next
                && depth == 0
                && starts_a_statement_line(src, span.start, kind, inp.peek())
            {
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
/// that leads no statement, and has a `:`, or three words or more and no `.`. Code that parses never
/// has such a line at a statement's start (an assignment has `=`, a call `(`, a task
/// `[`); the fast path gives up where this finds one.
///
/// `tokens` are the kinds and byte ranges from the line's first token on.
pub(crate) fn prose_extent(src: &str, tokens: impl IntoIterator<Item = (T, usize, usize)>) -> usize {
    let mut tokens = tokens.into_iter().peekable();
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
        if kind == T::Dot {
            line.dots = true;
        }
        previous_end = Some(end);
        tokens.next();
    }
    if line.is_prose() { taken + line.tokens } else { taken }
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
    words: usize,
    colon: bool,
    /// `zoho.crm.getRecords` is three words, but a member chain's.
    dots: bool,
}

impl ProseLine {
    /// Takes the line's next token; `false` when no prose line holds it.
    fn take(&mut self, kind: T) -> bool {
        if self.tokens == 0 && (!kind.is_word() || leads_a_statement(kind)) {
            return false;
        }
        match kind {
            T::Colon => self.colon = true,
            T::Number | T::Minus | T::Dot | T::Comma | T::Slash => {}
            kind if kind.is_word() => self.words += 1,
            _ => return false,
        }
        self.tokens += 1;
        true
    }

    fn is_prose(&self) -> bool {
        self.tokens > 0 && (self.colon || (self.words >= 3 && !self.dots))
    }
}

/// Words that begin statements of several words (`for each x in`, `insert into F`,
/// `cancel submit`, `return x`).
fn leads_a_statement(kind: T) -> bool {
    super::stmt::STATEMENT_KEYWORDS.contains(&kind) || kind == T::Insert
}
