//! Expressions: C-like precedence with flat operator chains, postfix chains, literals,
//! collections, task blocks and `insert into`.

use chumsky::prelude::*;

use super::error::{Label, ParseError};
use super::recovery::{list_expectation, skip_list_item};

use super::task::{insert_into, task_block};
use super::{Extra, MAX_CHAIN, Span, TokenInput, range};
use crate::arena::{Arena, ArenaVec};
use crate::ast::*;
use crate::lexer::TokenKind as T;

/// Any word (identifier or contextual keyword) as a [`Name`].
pub(crate) fn name<'t, 'a: 't, I: TokenInput<'t>>(src: &'a str) -> impl Parser<'t, I, Name<'a>, Extra<'t>> + Clone {
    // `one_of`, not `any().filter(..)`, which fails after the token it read and so past
    // the label: the error would name nothing.
    one_of(T::WORDS)
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

/// The expression parsers: any expression, and a statement's target, in which `=` assigns
/// instead of comparing (see [`binary_op_at`]). The target parser shares the first one's
/// rules and refers to it weakly (as `recursive` does inside), so it is used only while
/// the first one is alive: a statement parser holds both.
pub(crate) fn expressions<'t, 'a: 't, I: TokenInput<'t>>(
    src: &'a str,
    arena: &'a Arena,
) -> (ExprParser<'t, 'a, I>, ExprParser<'t, 'a, I>) {
    let mut operand_rule = None;
    let full = recursive(|expr| {
        let unary = operand(src, arena, expr.boxed());
        operand_rule = Some(unary.clone());
        binary_chain(arena, unary, true)
    })
    .boxed();
    let target = binary_chain(arena, operand_rule.expect("defined by `recursive`"), false).boxed();
    (full, target)
}

/// A boxed expression parser.
pub(crate) type ExprParser<'t, 'a, I> = Boxed<'t, 't, I, Expr<'a>, Extra<'t>>;

/// `operand (op operand)*`, folded by precedence; `=` compares when `eq_compares`.
fn binary_chain<'t, 'a: 't, I: TokenInput<'t>>(
    arena: &'a Arena,
    operand: ExprParser<'t, 'a, I>,
    eq_compares: bool,
) -> impl Parser<'t, I, Expr<'a>, Extra<'t>> + Clone {
    // One operator probe per operand; precedence is applied afterwards (`fold_binary`).
    let binary_op = custom(move |inp| {
        let start = inp.save();
        let before = inp.cursor();
        let kind = inp.next();
        let next = inp.peek();
        let probe = kind.and_then(|kind| binary_op_at(kind, next, eq_compares));
        match probe {
            Some((op, 1)) => Ok(op),
            Some((op, _)) => {
                inp.skip();
                Ok(op)
            }
            None => {
                let span = inp.span_since(&before);
                inp.rewind(start);
                Err(ParseError::unexpected(span))
            }
        }
    });
    // An operator with nothing after it (`x = a +;`) is reported there, and the expression
    // keeps what it had: the statement around it survives.
    let missing_operand = empty().validate(|(), e, emitter| {
        emitter.emit(ParseError::custom(
            e.span(),
            "expected an expression after the operator",
        ));
        Expr {
            kind: ExprKind::Error,
            range: range(e.span()),
        }
    });
    operand
        .clone()
        .then(
            binary_op
                .then(operand.or(missing_operand))
                .repeated()
                .collect::<Vec<_>>(),
        )
        .map(move |(first, rest): (_, Vec<_>)| {
            let mut pairs = arena.vec();
            pairs.extend(rest.into_iter().map(|(op, operand)| (op, &*arena.alloc(operand))));
            *fold_binary(arena, arena.alloc(first), pairs)
        })
}

/// One operand: prefix operators, a primary, and its postfix chain, with `expr` for the
/// expressions inside it.
fn operand<'t, 'a: 't, I: TokenInput<'t>>(
    src: &'a str,
    arena: &'a Arena,
    expr: ExprParser<'t, 'a, I>,
) -> ExprParser<'t, 'a, I> {
    let close = |kind: T, what: &'static str| {
        just(kind).ignored().or(empty().validate(move |_, e, emitter| {
            emitter.emit(ParseError::custom(e.span(), format!("expected `{what}`")));
        }))
    };

    let literal = one_of([
        T::Number,
        T::String,
        T::SingleQuoted,
        T::True,
        T::False,
        T::Null,
        T::TooDeep,
    ])
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

    let error_expr = |span: Span| Expr {
        kind: ExprKind::Error,
        range: range(span),
    };
    let arg = expr
        .clone()
        .then(just(T::Colon).ignore_then(expr.clone()).or_not())
        .map(move |(first, second)| arg(arena, first, second));
    // One broken argument, entry or item costs itself, not the rest of the list.
    let args = list_item(src, arg, T::RParen, "an argument", move |span| Arg {
        key: None,
        value: arena.alloc(error_expr(span)),
    })
    .map(|(arg, _)| arg)
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

    let entry = expr
        .clone()
        .then(just(T::Colon).ignore_then(expr.clone()).or_not())
        .map(Some);
    let brace_literal = just(T::LBrace)
        .ignore_then(
            list_item(src, entry, T::RBrace, "an entry", |_| None)
                .separated_by(just(T::Comma))
                .allow_trailing()
                .collect::<Vec<_>>(),
        )
        .then_ignore(close(T::RBrace, "}"))
        .validate(move |entries, e, emitter| {
            let (kind, mixed) = brace_literal_kind(arena, without_broken_entries(entries));
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

    let bracket_list = list_item(src, expr.clone(), T::RBracket, "an item", error_expr)
        .map(|(item, _)| item)
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
        .or(one_of(T::WORDS).rewind().ignore_then(word_led))
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
    // `sort by f [asc|desc]` and `range from a to b`, each optional.
    let fetch_clauses = sort_by.or_not().then(range_clause.or_not());

    let postfix_op = one_of([T::Dot, T::LParen, T::LBracket])
        .rewind()
        .ignore_then(choice((
            just(T::Dot).ignore_then(name(src)).map(Postfix::Member),
            args.map(Postfix::Call),
            expr.clone()
                .delimited_by(just(T::LBracket), close(T::RBracket, "]"))
                .then(fetch_clauses.clone())
                .map(move |(criteria, (sort, range_clause))| Postfix::fetch(arena, criteria, sort, range_clause)),
        )))
        .map_with(|op, e| (op, range(e.span()).end()));

    // `Orders[ID != 0].Number sort by Number desc`: clauses after a fetched field.
    let trailing_clauses = one_of([T::Sort, T::Range])
        .rewind()
        .ignore_then(fetch_clauses)
        .filter(|(sort, range_clause): &(Option<SortBy>, Option<_>)| sort.is_some() || range_clause.is_some());
    let postfix = primary
        .then(postfix_op.repeated().collect::<Vec<_>>())
        .validate(move |(operand, ops), e, emitter| {
            if let Some(error) = too_long(ops.len(), "chained calls", e.span(), emitter) {
                return error;
            }
            ops.into_iter()
                .fold(operand, |object, op| apply_postfix(arena, object, op))
        })
        .then(trailing_clauses.or_not())
        .validate(move |(operand, clauses), e, emitter| {
            let Some((sort, range_clause)) = clauses else {
                return operand;
            };
            match with_fetch_clauses(arena, &operand, sort, range_clause) {
                Some(kind) => Expr {
                    kind,
                    range: range(e.span()),
                },
                None => {
                    emitter.emit(ParseError::custom(
                        e.span(),
                        "`sort by` and `range from` follow a fetch (`Form[criteria]`) or a field read from one",
                    ));
                    operand
                }
            }
        });

    let unary_op = choice((
        just(T::Bang).to(UnaryOp::Not),
        just(T::Minus).to(UnaryOp::Neg),
        just(T::Plus).to(UnaryOp::Plus),
    ))
    .map_with(|op, e| (op, range(e.span()).start()));
    unary_op
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
        .labelled(Label::Expression)
        .boxed()
}

/// A fetched field with `sort by`/`range from` clauses after it
/// (`Orders[ID != 0].Number sort by Number desc`): the clauses belong to the fetch, which
/// must have none of its own. `None` for any other operand.
pub(crate) fn with_fetch_clauses<'a>(
    arena: &'a Arena,
    operand: &Expr<'a>,
    sort: Option<SortBy<'a>>,
    range_clause: Option<(Expr<'a>, Expr<'a>)>,
) -> Option<ExprKind<'a>> {
    let ExprKind::Member { object, name } = operand.kind else {
        return None;
    };
    let ExprKind::Fetch(fetch) = object.kind else {
        return None;
    };
    if fetch.sort.is_some() || fetch.range_clause.is_some() {
        return None;
    }
    let fetch = arena.alloc(Fetch {
        form: fetch.form,
        criteria: fetch.criteria,
        sort,
        range_clause,
    });
    let object = arena.alloc(Expr {
        kind: ExprKind::Fetch(fetch),
        range: object.range,
    });
    Some(ExprKind::Member { object, name })
}

/// `item`, then anything before the next `,` or `closer` that does not belong (skipped, with
/// one error); or, where no `item` parses, the tokens up to there as `fallback`. The flag
/// says whether anything was skipped.
fn list_item<'t, 'a: 't, I, O, P, F>(
    src: &'a str,
    item: P,
    closer: T,
    what: &'static str,
    fallback: F,
) -> impl Parser<'t, I, (O, bool), Extra<'t>> + Clone
where
    I: TokenInput<'t>,
    P: Parser<'t, I, O, Extra<'t>> + Clone,
    F: Fn(Span) -> O + Clone,
{
    let junk_after = skip_list_item(src, closer).validate(move |span, _, emitter| {
        emitter.emit(ParseError::custom(span, list_expectation(closer)));
    });
    let instead = skip_list_item(src, closer).validate(move |span, _, emitter| {
        emitter.emit(ParseError::custom(
            span,
            format!("expected {what} before `,` or {closer}"),
        ));
        fallback(span)
    });
    choice((
        item.then(junk_after.or_not())
            .map(|(item, junk): (O, Option<()>)| (item, junk.is_some())),
        instead.map(|value| (value, true)),
    ))
}

/// An entry of a `{ }` literal: a list item, or a key and its value.
type BraceEntry<'a> = (Expr<'a>, Option<Expr<'a>>);

/// The entries of a `{ }` literal with the broken ones left out: those that did not parse,
/// and, when other entries are keyed (a map), unkeyed ones with junk after them
/// (`"X-Note" "text"`, a key that lost its `:`).
fn without_broken_entries<'a>(entries: Vec<(Option<BraceEntry<'a>>, bool)>) -> Vec<BraceEntry<'a>> {
    let keyed = entries
        .iter()
        .any(|(entry, _)| entry.as_ref().is_some_and(|(_, value)| value.is_some()));
    entries
        .into_iter()
        .filter_map(|(entry, broken)| {
            let entry = entry?;
            let broken_key = keyed && broken && entry.1.is_none();
            (!broken_key).then_some(entry)
        })
        .collect()
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

/// The binary operator that starts at a token of kind `kind` (followed by `next`), and how
/// many tokens it takes: `not in` is two. `=` compares only where `eq_compares` says so:
/// inside conditions, criteria, arguments and values, but not after a statement's target,
/// where it assigns.
pub(crate) fn binary_op_at(kind: T, next: Option<T>, eq_compares: bool) -> Option<(BinaryOp, usize)> {
    match kind {
        T::Eq if eq_compares => Some((BinaryOp::SingleEq, 1)),
        T::Not if next == Some(T::In) => Some((BinaryOp::NotIn, 2)),
        _ => binary_op_of(kind).map(|op| (op, 1)),
    }
}

fn binary_op_of(kind: T) -> Option<BinaryOp> {
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

/// Binding strength, lowest first: `||`, `&&`, `== != =`, `< > <= >= in not in`, `+ -`,
/// `* / %`. Levels are even, so that [`NOT_LEVEL`] fits between `&&` and the comparisons.
fn precedence(op: BinaryOp) -> u8 {
    use BinaryOp::*;
    match op {
        Or => 0,
        And => 2,
        Eq | NotEq | SingleEq => 4,
        Lt | Gt | LtEq | GtEq | In | NotIn => 6,
        Add | Sub => 8,
        Mul | Div | Rem => 10,
    }
}

/// Where `!` binds: looser than a comparison, tighter than `&&` and `||`, as Python's `not`
/// and SQL's `NOT` do. So `!a = b` is `!(a = b)`, which is what real Deluge means by it
/// (`if(!m.get("rate") = "", m.get("rate"), 1)` takes the rate when it is not empty), and
/// `!a && b` is `(!a) && b`. A `!` before an operand with no comparison or arithmetic after
/// it binds just that operand.
const NOT_LEVEL: u8 = 3;

/// An operand of a binary chain, in the arena.
type Operand<'a> = &'a Expr<'a>;

/// What is open while folding.
enum Open<'a> {
    /// A precedence level: its precedence, first operand, and the (operator, operand) pairs
    /// so far; the last operand is filled in when the level closes.
    Level(u8, Operand<'a>, ArenaVec<'a, (BinaryOp, Operand<'a>)>),
    /// The `!` (one or more) of this operand, which takes the operators binding tighter
    /// than [`NOT_LEVEL`] after it.
    Not(Operand<'a>),
}

impl Open<'_> {
    fn precedence(&self) -> u8 {
        match self {
            Open::Level(level, ..) => *level,
            Open::Not(_) => NOT_LEVEL,
        }
    }
}

/// Builds the tree for `first (op operand)*` with an explicit stack (no recursion): every
/// maximal run of operators of one precedence level becomes one flat [`BinaryChain`], and a
/// leading `!` takes the comparison after it ([`NOT_LEVEL`]).
pub(crate) fn fold_binary<'a>(
    arena: &'a Arena,
    first: Operand<'a>,
    rest: ArenaVec<'a, (BinaryOp, Operand<'a>)>,
) -> Operand<'a> {
    let Some((first_op, _)) = rest.first() else {
        return first;
    };
    // One level throughout (`a + b + c`, the common case): the chain is the input as it is.
    if is_one_plain_level(precedence(*first_op), first, &rest) {
        return close_level(arena, first, rest);
    }
    let mut stack: Vec<Open<'a>> = Vec::new();
    let mut operand = open_negation(first, Some(*first_op), &mut stack);
    for (i, &(op, next)) in rest.iter().enumerate() {
        let level = precedence(op);
        // Close everything open that binds tighter than `op`; its result is the new operand.
        while stack.last().is_some_and(|top| top.precedence() > level) {
            operand = close(arena, stack.pop().expect("checked above"), operand);
        }
        match stack.last_mut() {
            Some(Open::Level(top, _, pairs)) if *top == level => {
                set_last_operand(pairs, operand);
                pairs.push((op, &PLACEHOLDER));
            }
            _ => {
                let mut pairs = arena.vec();
                pairs.push((op, &PLACEHOLDER));
                stack.push(Open::Level(level, operand, pairs));
            }
        }
        operand = open_negation(next, rest.get(i + 1).map(|(op, _)| *op), &mut stack);
    }
    while let Some(open) = stack.pop() {
        operand = close(arena, open, operand);
    }
    operand
}

/// Whether every operator of the chain binds at `level` and no `!` takes more than its own
/// operand (an operand other than the last negated before an operator tighter than `!`):
/// then the chain folds as it stands. One pass, in the common case to the end.
fn is_one_plain_level<'a>(level: u8, first: Operand<'a>, rest: &[(BinaryOp, Operand<'a>)]) -> bool {
    let negation_matters = level > NOT_LEVEL;
    let mut left = first;
    for &(op, right) in rest {
        if precedence(op) != level || (negation_matters && is_negation(left)) {
            return false;
        }
        left = right;
    }
    true
}

fn is_negation(operand: &Expr<'_>) -> bool {
    matches!(operand.kind, ExprKind::Unary { op: UnaryOp::Not, .. })
}

/// `operand` as the next operator sees it: a negated operand followed by an operator that
/// binds tighter than `!` opens a negation and gives up its `!`s.
fn open_negation<'a>(operand: Operand<'a>, next_op: Option<BinaryOp>, stack: &mut Vec<Open<'a>>) -> Operand<'a> {
    if !is_negation(operand) || next_op.is_none_or(|op| precedence(op) <= NOT_LEVEL) {
        return operand;
    }
    stack.push(Open::Not(operand));
    negations(operand)
        .last()
        .map_or(operand, |innermost| match innermost.kind {
            ExprKind::Unary { operand, .. } => operand,
            _ => innermost,
        })
}

/// The `!` layers of `expr`, outermost first: `!!a` is itself, then `!a`.
fn negations<'a>(expr: Operand<'a>) -> impl Iterator<Item = Operand<'a>> {
    std::iter::successors(Some(expr), |layer| match layer.kind {
        ExprKind::Unary { operand, .. } => Some(operand),
        _ => None,
    })
    .take_while(|layer| is_negation(layer))
}

fn close<'a>(arena: &'a Arena, open: Open<'a>, last: Operand<'a>) -> Operand<'a> {
    match open {
        Open::Level(_, first, rest) => close_open_level(arena, first, rest, last),
        Open::Not(negated) => negate_again(arena, negated, last),
    }
}

/// `operand` under the `!`s that `negated` had, each from its own start.
fn negate_again<'a>(arena: &'a Arena, negated: Operand<'a>, operand: Operand<'a>) -> Operand<'a> {
    let starts: Vec<_> = negations(negated).map(|layer| layer.range.start()).collect();
    starts.into_iter().rev().fold(operand, |operand, start| {
        arena.alloc(Expr {
            kind: ExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            },
            range: text_size::TextRange::new(start, operand.range.end()),
        })
    })
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
