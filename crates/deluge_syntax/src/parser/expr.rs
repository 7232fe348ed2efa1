//! Expressions: C-like precedence with flat operator chains, postfix chains, literals,
//! collections, task blocks and `insert into`.

use chumsky::prelude::*;

use super::error::{Label, ParseError};

use super::task::{insert_into, task_block};
use super::{Extra, MAX_CHAIN, Span, TokenInput, range};
use crate::arena::{Arena, ArenaVec};
use crate::ast::*;
use crate::lexer::TokenKind as T;

/// Any word (identifier or contextual keyword) as a [`Name`].
pub(crate) fn name<'t, 'a: 't, I: TokenInput<'t>>(src: &'a str) -> impl Parser<'t, I, Name<'a>, Extra<'t>> + Clone {
    any()
        .filter(|kind: &T| kind.is_word())
        .map_with(move |_, e| name_at(src, e.span()))
        .labelled(Label::Name)
}

pub(crate) fn name_at(src: &str, span: Span) -> Name<'_> {
    name_in(src, range(span))
}

/// The name spelled at `range` of `src`.
pub(crate) fn name_in(src: &str, range: text_size::TextRange) -> Name<'_> {
    Name {
        text: &src[range],
        range,
    }
}

/// A word whose text is one of `words` (ASCII-case-insensitively).
pub(crate) fn word_in<'t, 'a: 't, I: TokenInput<'t>>(
    src: &'a str,
    words: &'static [&'static str],
) -> impl Parser<'t, I, Name<'a>, Extra<'t>> + Clone {
    name(src).filter(move |n: &Name| words.iter().any(|w| n.is(w)))
}

/// The expression parser.
pub(crate) fn expr<'t, 'a: 't, I: TokenInput<'t>>(
    src: &'a str,
    arena: &'a Arena,
) -> impl Parser<'t, I, Expr<'a>, Extra<'t>> + Clone {
    recursive(move |expr| {
        let expr = expr.boxed();
        let close = |kind: T, what: &'static str| {
            just(kind).ignored().or(empty().validate(move |_, e, emitter| {
                emitter.emit(ParseError::custom(e.span(), format!("expected `{what}`")));
            }))
        };

        let literal = any()
            .filter(|k: &T| {
                matches!(
                    k,
                    T::Number | T::String | T::SingleQuoted | T::True | T::False | T::Null | T::TooDeep
                )
            })
            .validate(move |kind, e, emitter| {
                let span: Span = e.span();
                let text = &src[range(span)];
                if kind == T::Number && !number_fits(text) {
                    emitter.emit(ParseError::custom(
                        span,
                        "integer literal out of range for a 64-bit number",
                    ));
                }
                Expr {
                    kind: literal_kind(kind, text),
                    range: range(span),
                }
            });

        let arg = expr
            .clone()
            .then(just(T::Colon).ignore_then(expr.clone()).or_not())
            .map(move |(first, second)| arg(arena, first, second));
        let args = arg
            .separated_by(just(T::Comma))
            .allow_trailing()
            .collect::<Vec<_>>()
            .map(move |args| arena.slice(args))
            .delimited_by(just(T::LParen), close(T::RParen, ")"));

        let paren = expr
            .clone()
            .then_ignore(close(T::RParen, ")"))
            .delimited_by(just(T::LParen), empty())
            .map_with(move |inner, e| Expr {
                kind: ExprKind::Paren(arena.alloc(inner)),
                range: range(e.span()),
            });

        let brace_literal = just(T::LBrace)
            .ignore_then(
                expr.clone()
                    .then(just(T::Colon).ignore_then(expr.clone()).or_not())
                    .separated_by(just(T::Comma))
                    .allow_trailing()
                    .collect::<Vec<_>>(),
            )
            .then_ignore(close(T::RBrace, "}"))
            .validate(move |entries, e, emitter| {
                let (kind, mixed) = brace_literal_kind(arena, entries);
                if mixed {
                    emitter.emit(ParseError::custom(
                        e.span(),
                        "mixed map entries (`key: value`) and list items in one literal",
                    ));
                }
                Expr {
                    kind,
                    range: range(e.span()),
                }
            });

        let bracket_list = expr
            .clone()
            .separated_by(just(T::Comma))
            .allow_trailing()
            .collect::<Vec<_>>()
            .delimited_by(just(T::LBracket), close(T::RBracket, "]"))
            .map_with(move |items, e| Expr {
                kind: ExprKind::List(arena.slice(items)),
                range: range(e.span()),
            });

        let typed_constructor = name(src)
            .then_ignore(just(T::Colon))
            .filter(|ctor: &Name| ["list", "map", "collection"].iter().any(|w| ctor.is(w)))
            .then(name(src))
            .then(args.clone())
            .map_with(move |((ctor, type_arg), args), e| Expr {
                kind: ExprKind::Call {
                    callee: arena.alloc(ident(ctor)),
                    type_arg: Some(arena.alloc(type_arg)),
                    args,
                },
                range: range(e.span()),
            });

        let word_led = choice((
            task_block(src, arena, expr.clone()),
            typed_constructor,
            insert_into(src, arena, expr.clone()),
            name(src).map(ident),
        ));
        let primary = literal
            .or(any().filter(|kind: &T| kind.is_word()).rewind().ignore_then(word_led))
            .or(choice((paren, brace_literal, bracket_list)))
            .labelled(Label::Expression)
            .boxed();

        let sort_by = just(T::Sort)
            .ignore_then(just(T::By))
            .ignore_then(name(src))
            .then(word_in(src, &["asc", "desc"]).or_not())
            .map(|(field, order)| SortBy {
                field,
                descending: order.is_some_and(|o| o.is("desc")),
            });
        let range_clause = just(T::Range)
            .ignore_then(just(T::From))
            .ignore_then(expr.clone())
            .then_ignore(just(T::To))
            .then(expr.clone());

        let postfix_op = one_of([T::Dot, T::LParen, T::LBracket])
            .rewind()
            .ignore_then(choice((
                just(T::Dot).ignore_then(name(src)).map(Postfix::Member),
                args.map(Postfix::Call),
                expr.clone()
                    .delimited_by(just(T::LBracket), close(T::RBracket, "]"))
                    .then(sort_by.or_not())
                    .then(range_clause.or_not())
                    .map(move |((criteria, sort), range_clause)| Postfix::fetch(arena, criteria, sort, range_clause)),
            )))
            .map_with(|op, e| (op, range(e.span()).end()));

        let postfix =
            primary
                .then(postfix_op.repeated().collect::<Vec<_>>())
                .validate(move |(operand, ops), e, emitter| {
                    if let Some(error) = too_long(ops.len(), "chained calls", e.span(), emitter) {
                        return error;
                    }
                    ops.into_iter()
                        .fold(operand, |object, op| apply_postfix(arena, object, op))
                });

        let unary_op = choice((
            just(T::Bang).to(UnaryOp::Not),
            just(T::Minus).to(UnaryOp::Neg),
            just(T::Plus).to(UnaryOp::Plus),
        ))
        .map_with(|op, e| (op, range(e.span()).start()));
        let unary = unary_op
            .repeated()
            .collect::<Vec<_>>()
            .then(postfix)
            .validate(move |(ops, operand), e, emitter| {
                if let Some(error) = too_long(ops.len(), "prefix operators", e.span(), emitter) {
                    return error;
                }
                ops.into_iter().rev().fold(operand, |operand, (op, start)| Expr {
                    range: text_size::TextRange::new(start, operand.range.end()),
                    kind: ExprKind::Unary {
                        op,
                        operand: arena.alloc(operand),
                    },
                })
            })
            .boxed();

        // One operator probe per operand; precedence is applied afterwards (`fold_binary`).
        let binary_op =
            any().try_map(|kind: T, span: Span| binary_op_of(kind).ok_or_else(|| ParseError::unexpected(span)));
        unary
            .clone()
            .then(binary_op.then(unary).repeated().collect::<Vec<_>>())
            .map(move |(first, rest): (_, Vec<_>)| {
                let mut pairs = arena.vec();
                pairs.extend(rest.into_iter().map(|(op, operand)| (op, &*arena.alloc(operand))));
                *fold_binary(arena, arena.alloc(first), pairs)
            })
    })
}

/// An error node (reported) for a run of more than [`MAX_CHAIN`] operators on one operand.
fn too_long<'a>(
    count: usize,
    what: &str,
    span: Span,
    emitter: &mut chumsky::input::Emitter<ParseError>,
) -> Option<Expr<'a>> {
    if count <= MAX_CHAIN {
        return None;
    }
    emitter.emit(ParseError::custom(span, format!("more than {MAX_CHAIN} {what}")));
    Some(Expr {
        kind: ExprKind::Error,
        range: range(span),
    })
}

/// A literal token's expression (`TooDeep`, a region cut off for nesting, is an error).
pub(crate) fn literal_kind(kind: T, text: &str) -> ExprKind<'_> {
    match kind {
        T::Number => ExprKind::Number(text),
        T::String => ExprKind::String(StringLit { raw: text }),
        T::SingleQuoted => ExprKind::SingleQuoted(StringLit { raw: text }),
        T::True => ExprKind::Bool(true),
        T::False => ExprKind::Bool(false),
        T::Null => ExprKind::Null,
        _ => ExprKind::Error,
    }
}

/// Whether a number literal fits: decimals always do, integers in 64 bits.
pub(crate) fn number_fits(text: &str) -> bool {
    text.contains('.') || text.parse::<i64>().is_ok()
}

/// `value` or `key: value`.
pub(crate) fn arg<'a>(arena: &'a Arena, first: Expr<'a>, second: Option<Expr<'a>>) -> Arg<'a> {
    match second {
        Some(value) => Arg {
            key: Some(arena.alloc(first)),
            value: arena.alloc(value),
        },
        None => Arg {
            key: None,
            value: arena.alloc(first),
        },
    }
}

pub(crate) enum Postfix<'a> {
    Member(Name<'a>),
    Call(Nodes<'a, Arg<'a>>),
    /// The fetch's node, already in the arena so the operator stays small as it is passed
    /// up; its form is filled in when it is applied.
    Fetch(&'a mut Fetch<'a>),
}

impl<'a> Postfix<'a> {
    pub(crate) fn fetch(
        arena: &'a Arena,
        criteria: Expr<'a>,
        sort: Option<SortBy<'a>>,
        range_clause: Option<(Expr<'a>, Expr<'a>)>,
    ) -> Self {
        Postfix::Fetch(arena.alloc(Fetch {
            form: PLACEHOLDER,
            criteria,
            sort,
            range_clause,
        }))
    }
}

pub(crate) fn apply_postfix<'a>(
    arena: &'a Arena,
    object: Expr<'a>,
    (op, end): (Postfix<'a>, text_size::TextSize),
) -> Expr<'a> {
    let range = postfix_range(&object, end);
    Expr {
        kind: postfix_kind(op, arena.alloc(object)),
        range,
    }
}

/// The range of `object` with a postfix operation that ends at `end` applied.
pub(crate) fn postfix_range(object: &Expr<'_>, end: text_size::TextSize) -> text_size::TextRange {
    text_size::TextRange::new(object.range.start(), end.max(object.range.end()))
}

/// `op` applied to `object`.
pub(crate) fn postfix_kind<'a>(op: Postfix<'a>, object: &'a Expr<'a>) -> ExprKind<'a> {
    match op {
        Postfix::Member(name) => ExprKind::Member { object, name },
        Postfix::Call(args) => ExprKind::Call {
            callee: object,
            type_arg: None,
            args,
        },
        Postfix::Fetch(fetch) => {
            fetch.form = *object;
            ExprKind::Fetch(fetch)
        }
    }
}

pub(crate) fn ident(name: Name<'_>) -> Expr<'_> {
    Expr {
        kind: ExprKind::Ident(name.text),
        range: name.range,
    }
}

pub(crate) fn binary_op_of(kind: T) -> Option<BinaryOp> {
    Some(match kind {
        T::OrOr => BinaryOp::Or,
        T::AndAnd => BinaryOp::And,
        T::EqEq => BinaryOp::Eq,
        T::NotEq => BinaryOp::NotEq,
        T::Lt => BinaryOp::Lt,
        T::Gt => BinaryOp::Gt,
        T::LtEq => BinaryOp::LtEq,
        T::GtEq => BinaryOp::GtEq,
        T::In => BinaryOp::In,
        T::Plus => BinaryOp::Add,
        T::Minus => BinaryOp::Sub,
        T::Star => BinaryOp::Mul,
        T::Slash => BinaryOp::Div,
        T::Percent => BinaryOp::Rem,
        _ => return None,
    })
}

/// Binding strength, lowest first: `||`, `&&`, `== !=`, `< > <= >= in`, `+ -`, `* / %`.
fn precedence(op: BinaryOp) -> u8 {
    use BinaryOp::*;
    match op {
        Or => 0,
        And => 1,
        Eq | NotEq => 2,
        Lt | Gt | LtEq | GtEq | In => 3,
        Add | Sub => 4,
        Mul | Div | Rem => 5,
    }
}

/// An operand of a binary chain, in the arena.
type Operand<'a> = &'a Expr<'a>;

/// An open precedence level while folding: its precedence, first operand, and the
/// (operator, operand) pairs so far; the last operand is filled in when the level closes.
type OpenLevel<'a> = (u8, Operand<'a>, ArenaVec<'a, (BinaryOp, Operand<'a>)>);

/// Builds the tree for `first (op operand)*` with an explicit stack (no recursion): every
/// maximal run of operators of one precedence level becomes one flat [`BinaryChain`].
pub(crate) fn fold_binary<'a>(
    arena: &'a Arena,
    first: Operand<'a>,
    rest: ArenaVec<'a, (BinaryOp, Operand<'a>)>,
) -> Operand<'a> {
    let Some((first_op, _)) = rest.first() else {
        return first;
    };
    // One level throughout (`a + b + c`, the common case): the chain is the input as it is.
    let level = precedence(*first_op);
    if rest.iter().all(|(op, _)| precedence(*op) == level) {
        return close_level(arena, first, rest);
    }
    let mut stack: Vec<OpenLevel<'a>> = Vec::new();
    let mut operand = first;
    for (op, next) in rest {
        let level = precedence(op);
        // Close every open level that binds tighter than `op`; its result is the new operand.
        while stack.last().is_some_and(|(top, ..)| *top > level) {
            let (_, head, pairs) = stack.pop().expect("checked above");
            operand = close_open_level(arena, head, pairs, operand);
        }
        match stack.last_mut() {
            Some((top, _, pairs)) if *top == level => {
                set_last_operand(pairs, operand);
                pairs.push((op, &PLACEHOLDER));
            }
            _ => {
                let mut pairs = arena.vec();
                pairs.push((op, &PLACEHOLDER));
                stack.push((level, operand, pairs));
            }
        }
        operand = next;
    }
    while let Some((_, head, pairs)) = stack.pop() {
        operand = close_open_level(arena, head, pairs, operand);
    }
    operand
}

fn close_open_level<'a>(
    arena: &'a Arena,
    first: Operand<'a>,
    mut rest: ArenaVec<'a, (BinaryOp, Operand<'a>)>,
    last: Operand<'a>,
) -> Operand<'a> {
    set_last_operand(&mut rest, last);
    close_level(arena, first, rest)
}

/// The chain `first (op operand)*`, all of one level.
fn close_level<'a>(arena: &'a Arena, first: Operand<'a>, rest: ArenaVec<'a, (BinaryOp, Operand<'a>)>) -> Operand<'a> {
    let range = first.range.cover(last_range(&rest));
    let rest = rest.into();
    arena.alloc(Expr {
        kind: ExprKind::Binary(arena.alloc(BinaryChain { first, rest })),
        range,
    })
}

fn set_last_operand<'a>(pairs: &mut [(BinaryOp, Operand<'a>)], operand: Operand<'a>) {
    if let Some(pair) = pairs.last_mut() {
        pair.1 = operand;
    }
}

fn last_range(pairs: &[(BinaryOp, Operand<'_>)]) -> text_size::TextRange {
    pairs.last().map(|(_, e)| e.range).unwrap_or_default()
}

/// Stands in for an operand or a fetch's form that is not known yet; always replaced
/// before the node is done.
static PLACEHOLDER: Expr<'static> = Expr {
    kind: ExprKind::Error,
    range: text_size::TextRange::empty(text_size::TextSize::new(0)),
};

/// `{}` is untyped, all-keyed entries make a map, none-keyed a list. A mix is an error,
/// reported by the caller when this says so (`true`); its keyed entries make the map.
pub(crate) fn brace_literal_kind<'a>(
    arena: &'a Arena,
    entries: Vec<(Expr<'a>, Option<Expr<'a>>)>,
) -> (ExprKind<'a>, bool) {
    if entries.is_empty() {
        return (ExprKind::EmptyBraces, false);
    }
    let keyed = entries.iter().filter(|(_, value)| value.is_some()).count();
    if keyed == 0 {
        return (
            ExprKind::List(arena.slice(entries.into_iter().map(|(item, _)| item).collect())),
            false,
        );
    }
    let mixed = keyed != entries.len();
    let map = entries
        .into_iter()
        .filter_map(|(key, value)| value.map(|value| MapEntry { key, value }))
        .collect();
    (ExprKind::Map(arena.slice(map)), mixed)
}
