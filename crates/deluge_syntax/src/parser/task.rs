//! Task blocks (`invokeurl [ url: u type: GET ]`, `sendmail [...]`, any `name [key: value]`)
//! and `insert into Form [ Field = value ... ]`.
//!
//! Pairs are separated by nothing but their keys, so a value ends where the next key
//! (`word:`, `content-type:`, `reply to:`) or the closing `]` begins (reference §3.11).
//! This also parses minified one-line blocks.

use chumsky::prelude::*;

use super::error::{Label, ParseError};

use super::expr::{name, word_in};
use super::{Extra, Span, TokenInput, range};
use crate::arena::Arena;
use crate::ast::*;
use crate::lexer::TokenKind as T;

/// Tasks recognised by name; any other `name [ key: ...` is recognised by its first key.
pub(crate) const KNOWN_TASKS: &[&str] = &[
    "invokeurl",
    "invokeapi",
    "sendmail",
    "sendsms",
    "ftp",
    "sftp",
    "postmessage",
    "pushnotification",
];

/// Keys made of two words.
pub(crate) const TWO_WORD_KEYS: &[(&str, &str)] = &[("reply", "to"), ("content", "type")];

/// Value prefixes of sendmail attachments: `file:obj`, `template:Name as PDF`.
pub(crate) const VALUE_PREFIXES: &[&str] = &["file", "template", "view", "report"];

/// `name [ key: value ... ]` as an expression.
pub(crate) fn task_block<'t, 'a: 't, I, E>(
    src: &'a str,
    arena: &'a Arena,
    expr: E,
) -> impl Parser<'t, I, Expr<'a>, Extra<'t>> + Clone
where
    I: TokenInput<'t>,
    E: Parser<'t, I, Expr<'a>, Extra<'t>> + Clone + 't,
{
    let opens_with_key = just(T::LBracket)
        .then(choice((just(T::RBracket).ignored(), task_key(src).ignored())))
        .rewind()
        .ignored();
    // `name [` then: a known task, or a first key (`Form[crit]` is a fetch, not a task).
    let head = name(src)
        .then(opens_with_key.or_not())
        .filter(|(name, first_key): &(Name, Option<()>)| {
            first_key.is_some() || KNOWN_TASKS.iter().any(|task| name.is(task))
        })
        .map(|(name, _)| name)
        .then_ignore(just(T::LBracket).rewind());

    // Tokens where a key should be are skipped to the next key, with one error: the keys
    // after them are kept.
    let junk_before_key = skip_value(src, task_key(src)).validate(|_, e, emitter| {
        emitter.emit(ParseError::custom(e.span(), "expected a `key:` of the task block"));
    });
    let params = task_param(src, arena, expr)
        .map(Some)
        .or(junk_before_key.to(None))
        .then_ignore(just(T::Comma).or_not())
        .repeated()
        .collect::<Vec<_>>()
        .map(|params| params.into_iter().flatten().collect::<Vec<_>>());
    let close = just(T::RBracket).ignored().or(empty().validate(|_, e, emitter| {
        emitter.emit(ParseError::custom(e.span(), "expected `]` to close the task block"));
    }));

    head.then(
        just(T::LBracket)
            .ignore_then(params)
            .then_ignore(close)
            .map_with(|params, e| (params, range(e.span()))),
    )
    .map_with(move |(name, (params, bracket_range)), e| Expr {
        kind: ExprKind::Task(arena.alloc(TaskBlock {
            name,
            params: arena.slice(params),
            bracket_range,
        })),
        range: range(e.span()),
    })
}

/// One `key: value` pair.
fn task_param<'t, 'a: 't, I, E>(
    src: &'a str,
    arena: &'a Arena,
    expr: E,
) -> impl Parser<'t, I, TaskParam<'a>, Extra<'t>> + Clone
where
    I: TokenInput<'t>,
    E: Parser<'t, I, Expr<'a>, Extra<'t>> + Clone + 't,
{
    let key = task_key(src);
    let value_end = choice((just(T::RBracket).ignored(), key.clone().ignored(), end()))
        .rewind()
        .ignored();

    // `to: a, b` lists recipients; a comma followed by a key separates pairs instead.
    let expr_list = expr
        .clone()
        .separated_by(
            just(T::Comma)
                .then(key.clone().not())
                .rewind()
                .ignore_then(just(T::Comma)),
        )
        .at_least(1)
        .collect::<Vec<_>>()
        .map_with(move |mut items, e| {
            if items.len() == 1 {
                items.remove(0)
            } else {
                Expr {
                    kind: ExprKind::List(arena.slice(items)),
                    range: range(e.span()),
                }
            }
        });
    let placeholder = just(T::Lt)
        .then(none_of([T::Gt, T::RBracket]).repeated())
        .then(just(T::Gt))
        .map_with(move |_, e| bare_words(src, e.span()));
    // `file:a` or `file:a,file:b,file:c`.
    let format = word_in(src, &["as"]).ignore_then(name(src));
    let prefixed = word_in(src, VALUE_PREFIXES)
        .then_ignore(just(T::Colon))
        .then(expr)
        .then(format.or_not())
        .map(|((prefix, value), format)| PrefixedValue { prefix, value, format })
        .separated_by(just(T::Comma))
        .at_least(1)
        .collect::<Vec<_>>()
        .map(move |items| TaskValue::Prefixed(arena.slice(items)));

    let value = choice((
        prefixed,
        value_end.clone().map_with(|_, e| TaskValue::Missing(range(e.span()))),
        bare_word_run(src, key.clone()).then_ignore(value_end.clone()),
        placeholder,
        expr_list.map(TaskValue::Expr),
    ))
    .recover_with(via_parser(skip_value(src, key.clone()).then_ignore(empty().validate(
        |_, e, emitter| emitter.emit(ParseError::custom(e.span(), "expected a value")),
    ))));

    // Whatever follows a value that is neither a key nor `]` is skipped with one error.
    let trailing_junk = value_end
        .clone()
        .map(|_| None)
        .or(skip_value(src, key.clone()).map(Some))
        .validate(|junk, e, emitter| {
            // The span is the skipped tokens' (none when the value ended where it should).
            if junk.is_some() {
                emitter.emit(ParseError::custom(
                    e.span(),
                    "expected the next `key:` or `]` of the task block",
                ));
            }
        });

    key.then(value)
        .then_ignore(trailing_junk)
        .map_with(|(key, value), e| TaskParam {
            key,
            value,
            range: range(e.span()),
        })
}

/// A key followed by its colon: `url:`, `content-type:`, `reply to:`.
fn task_key<'t, 'a: 't, I: TokenInput<'t>>(src: &'a str) -> impl Parser<'t, I, TaskKey<'a>, Extra<'t>> + Clone {
    custom(move |inp| {
        let start = inp.cursor();
        let checkpoint = inp.save();
        let mut first_word: Option<&str> = None;
        let mut pieces = 0;
        loop {
            let piece_start = inp.cursor();
            let token = inp.peek();
            match token {
                Some(T::Colon) if pieces > 0 => {
                    let key_range = range(inp.span_since(&start));
                    inp.skip();
                    return Ok(TaskKey {
                        raw: &src[key_range],
                        range: key_range,
                    });
                }
                Some(kind) if kind.is_word() && pieces < 2 => {
                    inp.skip();
                    let text = &src[range(inp.span_since(&piece_start))];
                    match first_word {
                        None => first_word = Some(text),
                        Some(first) if is_two_word_key(first, text) => {}
                        Some(_) => break,
                    }
                    pieces += 1;
                }
                Some(T::Minus) if pieces > 0 => {
                    inp.skip();
                    if !inp.peek().is_some_and(T::is_word) {
                        break;
                    }
                    inp.skip();
                    pieces = 1; // a hyphenated key takes no second word
                }
                _ => break,
            }
        }
        let span = inp.span_since(&start);
        inp.rewind(checkpoint);
        Err(ParseError::unexpected(span))
    })
    .labelled(Label::TaskKey)
}

pub(crate) fn is_two_word_key(first: &str, second: &str) -> bool {
    TWO_WORD_KEYS
        .iter()
        .any(|(a, b)| first.eq_ignore_ascii_case(a) && second.eq_ignore_ascii_case(b))
}

/// Two or more words that are not an expression: `PLAIN TEXT`, `application/json`,
/// `application/x-www-form-urlencoded`. Separators must touch their words, so that
/// `total - discount` stays arithmetic.
fn bare_word_run<'t, 'a: 't, I, K>(src: &'a str, key: K) -> impl Parser<'t, I, TaskValue<'a>, Extra<'t>> + Clone
where
    I: TokenInput<'t>,
    K: Parser<'t, I, TaskKey<'a>, Extra<'t>> + Clone + 't,
{
    custom(move |inp| {
        let start = inp.cursor();
        let checkpoint = inp.save();
        let mut words = 0;
        let mut last_end: Option<usize> = None;
        let mut pending_separator = false;
        loop {
            let before = inp.save();
            if words > 0 && !pending_separator && inp.check(key.clone()).is_ok() {
                inp.rewind(before);
                break;
            }
            inp.rewind(before.clone());
            let token_start = inp.cursor();
            let token = inp.next();
            let span = inp.span_since(&token_start);
            let touches = last_end == Some(span.start);
            match token {
                Some(kind) if (kind.is_word() || kind == T::Number) && (!pending_separator || touches) => {
                    words += 1;
                    pending_separator = false;
                }
                Some(T::Slash | T::Minus) if words > 0 && !pending_separator && touches => pending_separator = true,
                _ => {
                    inp.rewind(before);
                    break;
                }
            }
            last_end = Some(span.end);
        }
        let span = inp.span_since(&start);
        if words < 2 || pending_separator {
            inp.rewind(checkpoint);
            return Err(ParseError::unexpected(span));
        }
        Ok(bare_words(src, span))
    })
}

fn bare_words(src: &str, span: Span) -> TaskValue<'_> {
    let range = range(span);
    TaskValue::BareWords {
        raw: &src[range],
        range,
    }
}

/// Skips at least one token, up to the next key, `]` at depth 0, `;` or the end.
fn skip_value<'t, 'a: 't, I, K>(src: &'a str, key: K) -> impl Parser<'t, I, TaskValue<'a>, Extra<'t>> + Clone
where
    I: TokenInput<'t>,
    K: Parser<'t, I, TaskKey<'a>, Extra<'t>> + Clone + 't,
{
    custom(move |inp| {
        let start = inp.cursor();
        let mut depth = 0usize;
        let mut skipped = 0;
        loop {
            let before = inp.save();
            if skipped > 0 && depth == 0 && inp.check(key.clone()).is_ok() {
                inp.rewind(before);
                break;
            }
            inp.rewind(before);
            match inp.peek() {
                None => break,
                Some(T::RBracket | T::Semi | T::RBrace) if depth == 0 => break,
                Some(T::LParen | T::LBracket | T::LBrace) => depth += 1,
                Some(T::RParen | T::RBracket | T::RBrace) => depth = depth.saturating_sub(1),
                Some(_) => {}
            }
            inp.skip();
            skipped += 1;
        }
        let span = inp.span_since(&start);
        if skipped == 0 {
            return Err(ParseError::unexpected(span));
        }
        Ok(bare_words(src, span))
    })
}

/// A name, or a subfield's dotted name (`Name.first_name`), as one name.
fn dotted_name<'t, 'a: 't, I: TokenInput<'t>>(src: &'a str) -> impl Parser<'t, I, Name<'a>, Extra<'t>> + Clone {
    name(src).foldl(just(T::Dot).ignore_then(name(src)).repeated(), move |whole, part| {
        super::expr::name_in(src, whole.range.cover(part.range))
    })
}

/// `insert into Form [ Field = value ... ]`.
pub(crate) fn insert_into<'t, 'a: 't, I, E>(
    src: &'a str,
    arena: &'a Arena,
    expr: E,
) -> impl Parser<'t, I, Expr<'a>, Extra<'t>> + Clone
where
    I: TokenInput<'t>,
    E: Parser<'t, I, Expr<'a>, Extra<'t>> + Clone + 't,
{
    let field = dotted_name(src).then_ignore(just(T::Eq)).then(expr);
    let close = just(T::RBracket).ignored().or(empty().validate(|_, e, emitter| {
        emitter.emit(ParseError::custom(e.span(), "expected `]` to close `insert into`"));
    }));
    just(T::Insert)
        .ignore_then(just(T::Into))
        .ignore_then(name(src))
        .then(
            field
                .then_ignore(just(T::Comma).or_not())
                .repeated()
                .collect::<Vec<_>>()
                .delimited_by(just(T::LBracket), close),
        )
        .map_with(|(form, fields), e| Expr {
            kind: ExprKind::Insert(arena.alloc(InsertInto {
                form,
                fields: arena.slice(fields),
            })),
            range: range(e.span()),
        })
}
