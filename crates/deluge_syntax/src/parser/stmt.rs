//! Statements, blocks, function definitions and the file, with statement-level recovery.

use chumsky::prelude::*;

use super::error::{Label, ParseError};
use text_size::TextRange;

use super::expr::{expressions, name};
use super::recovery::{may_be_prose, prose_extent, skip_parenthesised, skip_statement, skip_to_block};
use super::{ASSIGN_OR_DOT, Extra, STATEMENT_KEYWORDS, Span, TokenInput, range};
use crate::arena::Arena;
use crate::ast::*;
use crate::lexer::TokenKind as T;

/// The whole file: function definitions and statements, then anything left is skipped.
pub(crate) fn file<'t, 'a: 't, I: TokenInput<'t>>(
    src: &'a str,
    arena: &'a Arena,
) -> impl Parser<'t, I, SourceFile<'a>, Extra<'t>> {
    let stmt = statement(src, arena);
    let block = block(stmt.clone(), arena);
    // `string`, `list:int`: a type and the type of its elements, as one name.
    let type_name = name(src)
        .then(just(T::Colon).ignore_then(name(src)).or_not())
        .map(move |(ty, element)| match element {
            Some(element) => super::expr::name_in(src, ty.range.cover(element.range)),
            None => ty,
        });
    let param = type_name.clone().then(name(src)).map(|(ty, name)| Param { ty, name });
    // No type is a statement keyword: `else if(a == b) {` is a statement, never a function.
    let function = one_of(STATEMENT_KEYWORDS)
        .not()
        .ignore_then(type_name)
        .then(name(src).then_ignore(just(T::Dot)).or_not())
        .then(name(src))
        .then(
            param
                .separated_by(just(T::Comma))
                .allow_trailing()
                .collect::<Vec<_>>()
                .delimited_by(just(T::LParen), just(T::RParen))
                // A parameter list that does not parse costs its parameters, not the body.
                .recover_with(via_parser(skip_parenthesised().to(Vec::new()))),
        )
        .then(block)
        .map_with(move |((((return_type, namespace), name), params), body), e| Function {
            return_type,
            namespace,
            name,
            params: arena.slice(params),
            body,
            range: range(e.span()),
        });
    let unmatched_closer = one_of([T::RBrace, T::RParen, T::RBracket]).validate(|kind, e, emitter| {
        emitter.emit(ParseError::custom(e.span(), format!("unmatched {kind}")));
        Stmt {
            kind: StmtKind::Error,
            range: range(e.span()),
        }
    });
    choice((
        function.map(Item::Function),
        stmt.map(Item::Statement),
        unmatched_closer.map(Item::Statement),
    ))
    .repeated()
    .collect::<Vec<_>>()
    .then_ignore(end())
    .map_with(move |items, _| SourceFile {
        items: arena.slice(items),
        range: TextRange::up_to(text_size::TextSize::of(src)),
    })
}

/// `{ statements }`; a missing `}` is reported where the block is cut off.
fn block<'t, 'a: 't, I, S>(stmt: S, arena: &'a Arena) -> impl Parser<'t, I, Block<'a>, Extra<'t>> + Clone
where
    I: TokenInput<'t>,
    S: Parser<'t, I, Stmt<'a>, Extra<'t>> + Clone + 't,
{
    let close = just(T::RBrace).ignored().or(empty().validate(|_, e, emitter| {
        emitter.emit(ParseError::custom(e.span(), "expected `}` to close the block"));
    }));
    stmt.repeated()
        .collect::<Vec<_>>()
        .delimited_by(just(T::LBrace), close)
        .map_with(move |stmts, e| Block {
            stmts: arena.slice(stmts),
            range: range(e.span()),
        })
        .labelled(Label::Block)
}

/// One statement, recovering to the next statement boundary on error.
pub(crate) fn statement<'t, 'a: 't, I: TokenInput<'t>>(
    src: &'a str,
    arena: &'a Arena,
) -> impl Parser<'t, I, Stmt<'a>, Extra<'t>> + Clone {
    recursive(move |stmt| {
        let (expr, target) = expressions(src, arena);
        let block = block(stmt, arena).boxed();
        let semi = just(T::Semi).ignored().or(empty().validate(|_, e, emitter| {
            emitter.emit(ParseError::custom(e.span(), "expected `;` after the statement"));
        }));
        // A condition's missing `)` is reported without losing the block after it.
        let close_paren = just(T::RParen).ignored().or(empty().validate(|_, e, emitter| {
            emitter.emit(ParseError::custom(e.span(), "expected `)` to close the condition"));
        }));
        // Statements hold their expressions by reference, in the arena.
        let expr_ref = expr.clone().map(move |e| &*arena.alloc(e));
        let parenthesised = expr_ref.clone().delimited_by(just(T::LParen), close_paren);
        let error_expr = move |span: Span| -> &'a Expr<'a> {
            arena.alloc(Expr {
                kind: ExprKind::Error,
                range: range(span),
            })
        };
        // A header that does not parse is skipped to its block, which is parsed as usual.
        let opens_block = just(T::LBrace).rewind().ignored();
        let condition = parenthesised
            .clone()
            .then_ignore(opens_block)
            .recover_with(via_parser(skip_to_block().map(error_expr)));
        // A word statement's keyword may also be a variable: `info = 1;`, `clear.x`.
        let not_assigned = one_of(ASSIGN_OR_DOT).not();

        let if_stmt = just(T::If)
            .ignore_then(condition.clone())
            .then(block.clone())
            .map(|(condition, body)| IfBranch { condition, body })
            .then(
                just(T::Else)
                    .ignore_then(just(T::If))
                    .ignore_then(condition.clone())
                    .then(block.clone())
                    .map(|(condition, body)| IfBranch { condition, body })
                    .repeated()
                    .collect::<Vec<_>>(),
            )
            .then(just(T::Else).ignore_then(block.clone()).or_not())
            .map(move |((first, mut rest), else_block)| {
                rest.insert(0, first);
                StmtKind::If {
                    branches: arena.slice(rest),
                    else_block,
                }
            });

        // `for each index i in xs`, `for each x in xs`, legacy `for each Form x in Form[..]`.
        let loop_head = choice((
            just(T::Index)
                .ignore_then(name(src))
                .then_ignore(just(T::In))
                .map(|var| (true, var)),
            name(src).then_ignore(just(T::In)).map(|var| (false, var)),
            name(src)
                .ignore_then(name(src))
                .then_ignore(just(T::In))
                .map(|var| (false, var)),
        ));
        let for_each = just(T::For)
            .ignore_then(just(T::Each))
            .ignore_then(
                loop_head
                    .then(expr_ref.clone())
                    .then_ignore(opens_block)
                    .recover_with(via_parser(skip_to_block().map(move |span: Span| {
                        let at = range(span).start();
                        let var = Name {
                            text: "",
                            range: text_size::TextRange::empty(at),
                        };
                        ((false, var), error_expr(span))
                    }))),
            )
            .then(block.clone())
            .map(|(((index, var), iterable), body)| StmtKind::ForEach {
                index,
                var,
                iterable,
                body,
            });

        let while_stmt = just(T::While)
            .ignore_then(condition.clone())
            .then(block.clone())
            .validate(|(condition, body), e, emitter| {
                emitter.emit(ParseError::custom(
                    e.span(),
                    "`while` is not part of Deluge; iterate with `for each` over a list",
                ));
                StmtKind::While { condition, body }
            });

        let try_stmt = just(T::Try)
            .ignore_then(block.clone())
            .then(
                just(T::Catch)
                    .ignore_then(
                        name(src)
                            .delimited_by(just(T::LParen), just(T::RParen))
                            .or_not()
                            .then_ignore(opens_block)
                            .recover_with(via_parser(skip_to_block().to(None))),
                    )
                    .then(block.clone())
                    .or_not(),
            )
            .map(|(body, catch)| {
                let (catch_var, catch_body) = match catch {
                    Some((var, body)) => (var, Some(body)),
                    None => (None, None),
                };
                StmtKind::Try {
                    body,
                    catch_var,
                    catch_body,
                }
            });

        let return_stmt = just(T::Return)
            .ignore_then(not_assigned)
            .ignore_then(expr_ref.clone().or_not())
            .then_ignore(semi)
            .map(StmtKind::Return);
        let info_stmt = just(T::Info)
            .ignore_then(not_assigned)
            .ignore_then(expr_ref.clone().or_not())
            .then_ignore(semi)
            .map(StmtKind::Info);
        let break_stmt = just(T::Break).then(not_assigned).then_ignore(semi).to(StmtKind::Break);
        let continue_stmt = just(T::Continue)
            .then(not_assigned)
            .then_ignore(semi)
            .to(StmtKind::Continue);
        let delete_stmt = just(T::Delete)
            .ignore_then(just(T::From))
            .ignore_then(expr_ref.clone())
            .then_ignore(semi)
            .map(|target| StmtKind::Delete { target });

        let keyword = |kind: T| just(kind).map_with(move |_, e| super::expr::name_at(src, e.span()));
        let word_stmt = choice((
            keyword(T::Cancel).then(name(src)).map(|(a, b)| (vec![a, b], None)),
            keyword(T::Reload).map(|a| (vec![a], None)),
            choice((
                keyword(T::Alert),
                keyword(T::Hide),
                keyword(T::Show),
                keyword(T::Enable),
                keyword(T::Disable),
                keyword(T::Clear),
            ))
            .then_ignore(not_assigned)
            .then(expr_ref.clone())
            .map(|(a, operand)| (vec![a], Some(operand))),
        ))
        .then_ignore(not_assigned)
        .then_ignore(semi)
        .map(move |(words, operand)| StmtKind::Word {
            words: arena.slice(words),
            operand,
        });

        let assign_op = choice((
            just(T::Eq).to(AssignOp::Assign),
            just(T::PlusEq).to(AssignOp::Add),
            just(T::MinusEq).to(AssignOp::Sub),
            just(T::StarEq).to(AssignOp::Mul),
            just(T::SlashEq).to(AssignOp::Div),
            just(T::PercentEq).to(AssignOp::Rem),
        ));
        // `input.F:ui.add(x)` is a Creator UI call on a field.
        let target_expr = target.then(just(T::Colon).ignore_then(expr.clone()).or_not()).map_with(
            move |(target, call), e| -> &'a Expr<'a> {
                match call {
                    None => arena.alloc(target),
                    Some(call) => arena.alloc(Expr {
                        kind: ExprKind::UiCall {
                            target: arena.alloc(target),
                            call: arena.alloc(call),
                        },
                        range: range(e.span()),
                    }),
                }
            },
        );
        // A statement keyword (not used as a variable) leads its own statement, even when that
        // statement does not parse: it must not be re-read as a name.
        let statement_keyword = one_of(STATEMENT_KEYWORDS).then(not_assigned);
        let expr_or_assign = statement_keyword
            .not()
            .ignore_then(target_expr)
            // Once an assignment operator is seen the value is required, so `x = = 1;`
            // fails here and is recovered as a whole statement.
            .then(choice((
                assign_op.then(expr_ref.clone()).map(Some),
                assign_op.not().to(None),
            )))
            .then(just(T::Semi).or_not())
            .validate(|((target, assignment), semicolon), e, emitter| {
                let last = assignment.map_or(target, |(_, value)| value);
                let ends_with_bracket = matches!(last.kind, ExprKind::Task(_) | ExprKind::Insert(_));
                if semicolon.is_none() && !ends_with_bracket {
                    let at: Span = (last.range.end().into()..last.range.end().into()).into();
                    emitter.emit(ParseError::custom(at, "expected `;` after the statement"));
                }
                match assignment {
                    None => StmtKind::Expr(target),
                    Some((op, value)) => {
                        if !is_assignable(target) {
                            emitter.emit(ParseError::custom(
                                e.span(),
                                "only a name or a field can be assigned to",
                            ));
                        }
                        StmtKind::Assign { target, op, value }
                    }
                }
            });

        // `else` with no `if` before it, as in an excerpt pasted from the middle of a chain:
        // one error at the `else`, and what follows parses as the `if` or the block it leads
        // (a block kept as a branch whose condition is unknown: it may not run).
        let orphan_else = just(T::Else)
            .map_with(|_, e| e.span())
            .validate(|span: Span, _, emitter| {
                emitter.emit(ParseError::custom(span, "`else` without an `if` before it"));
                span
            });
        let orphan_else_if = orphan_else.ignore_then(if_stmt.clone());
        let orphan_else_block = orphan_else.then(block.clone()).map(move |(span, body)| StmtKind::If {
            branches: arena.slice(vec![IfBranch {
                condition: error_expr(span),
                body,
            }]),
            else_block: None,
        });

        let keyword_statement = choice((
            if_stmt,
            orphan_else_if,
            orphan_else_block,
            for_each,
            while_stmt,
            try_stmt,
            return_stmt,
            info_stmt,
            break_stmt,
            continue_stmt,
            delete_stmt,
            word_stmt,
        ));
        // Most statements are assignments and calls: try them first, behind one cheap guard.
        let statement = choice((
            prose(src),
            expr_or_assign,
            just(T::Semi).to(StmtKind::Empty),
            keyword_statement,
        ))
        .map_with(|kind, e| Stmt {
            kind,
            range: range(e.span()),
        })
        .labelled(Label::Statement);
        // Outside the label, which would merge the old expectations back in.
        fresh_expectations()
            .ignore_then(statement)
            .recover_with(via_parser(skip_statement(src)))
            .boxed()
    })
}

/// Lines of documentation pasted into the script ([`prose_extent`]): one error for the run,
/// and parsing goes on at the line after it.
fn prose<'t, 'a: 't, I: TokenInput<'t>>(src: &'a str) -> impl Parser<'t, I, StmtKind<'a>, Extra<'t>> + Clone {
    custom(move |inp| {
        let start = inp.cursor();
        let checkpoint = inp.save();
        let mut line = Vec::new();
        // Every token of a prose run is a word or one of five punctuation marks: read while
        // they are, then measure the run.
        loop {
            let before = inp.cursor();
            let Some(kind): Option<T> = inp.next() else {
                break;
            };
            let span: Span = inp.span_since(&before);
            line.push((kind, span.start, span.end));
            // The token that ends the run tells `prose_extent` its line is not prose.
            if !may_be_prose(kind) {
                break;
            }
        }
        inp.rewind(checkpoint);
        let extent = prose_extent(src, line.iter().copied());
        if extent == 0 {
            // The failure spans the token, as every other alternative's here does.
            let at = line
                .first()
                .map_or(inp.span_since(&start), |&(_, start, end)| (start..end).into());
            return Err(ParseError::unexpected(at));
        }
        for _ in 0..extent {
            inp.skip();
        }
        Ok(())
    })
    .validate(|(), e, emitter| {
        emitter.emit(ParseError::custom(
            e.span(),
            "not Deluge: documentation or notes pasted into the script? These lines are skipped",
        ));
        StmtKind::Error
    })
}

/// Forgets what the lookahead of earlier statements expected here, so that a statement's
/// error describes that statement alone: the same whether the statements before it were
/// parsed by this grammar or by the fast path (which hands a broken statement over alone).
fn fresh_expectations<'t, I: TokenInput<'t>>() -> impl Parser<'t, I, (), Extra<'t>> + Clone {
    custom(|inp| {
        let before = inp.save();
        // A failed check takes the expectations gathered so far with its error.
        let _ = inp.check(any().filter(|_: &T| false));
        inp.rewind(before);
        Ok(())
    })
}

pub(crate) fn is_assignable(target: &Expr<'_>) -> bool {
    match &target.kind {
        ExprKind::Ident(_) => true,
        ExprKind::Member { object, .. } => !matches!(object.kind, ExprKind::Error),
        _ => false,
    }
}
