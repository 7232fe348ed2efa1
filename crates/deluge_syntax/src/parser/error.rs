//! A cheap parse error for chumsky. Backtracking creates and merges errors at every failed
//! alternative, so they must cost no allocation: the expected tokens are a bitset merged by
//! OR. Only errors with a custom message allocate, and those are rare.

use chumsky::DefaultExpected;
use chumsky::input::Input;
use chumsky::label::LabelError;
use chumsky::util::MaybeRef;

use super::Span;
use crate::lexer::TokenKind;

/// What a parser wanted where it failed, in human terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Label {
    Expression,
    Statement,
    Name,
    Block,
    TaskKey,
    EndOfFile,
}

const LABELS: [(Label, &str); 6] = [
    (Label::Expression, "expression"),
    (Label::Statement, "statement"),
    (Label::Name, "name"),
    (Label::Block, "block"),
    (Label::TaskKey, "task key"),
    (Label::EndOfFile, "end of file"),
];

/// Tokens that open or close a part of a statement.
const STRUCTURAL: u128 = token_bits(&[
    TokenKind::LBrace,
    TokenKind::RBrace,
    TokenKind::Semi,
    TokenKind::RParen,
    TokenKind::RBracket,
]);

const fn token_bits(kinds: &[TokenKind]) -> u128 {
    let mut bits = 0;
    let mut i = 0;
    while i < kinds.len() {
        bits |= 1u128 << (kinds[i] as u8);
        i += 1;
    }
    bits
}

/// Whether a token can only continue the expression before it: a member, call, index,
/// fetch clause or binary operator.
fn continues_an_expression(kind: TokenKind) -> bool {
    use TokenKind as T;
    // `binary_op_at` with `=` comparing names every operator but `not` (of `not in`).
    matches!(kind, T::Dot | T::LParen | T::LBracket | T::Sort | T::Range | T::Not)
        || super::expr::binary_op_at(kind, None, true).is_some()
}

/// A parse error: a span, what was expected (tokens and labels), what was found, or a message.
#[derive(Clone, Debug)]
pub(crate) struct ParseError {
    pub(crate) span: Span,
    expected_tokens: u128,
    expected_labels: u8,
    pub(crate) found: Option<TokenKind>,
    pub(crate) message: Option<Box<str>>,
}

impl ParseError {
    /// An error with its own message.
    pub(crate) fn custom(span: Span, message: impl Into<Box<str>>) -> Self {
        Self {
            span,
            expected_tokens: 0,
            expected_labels: 0,
            found: None,
            message: Some(message.into()),
        }
    }

    /// A failed probe: nothing in particular was expected here.
    pub(crate) fn unexpected(span: Span) -> Self {
        Self::empty(span, None)
    }

    fn empty(span: Span, found: Option<TokenKind>) -> Self {
        Self {
            span,
            expected_tokens: 0,
            expected_labels: 0,
            found,
            message: None,
        }
    }

    /// The expected things, described, in a stable order.
    ///
    /// After a complete expression almost anything may continue it (`.`, `(`, `sort`, an
    /// operator, ...); when something that closes or opens a statement's part was expected
    /// too (`{`, `;`, `)`), only those are named: `for each r in rows x` expected the loop's
    /// `{`, not a `sort by`.
    pub(crate) fn expected(&self) -> Vec<&'static str> {
        let labels = LABELS
            .iter()
            .filter(|(label, _)| self.expected_labels & (1 << *label as u8) != 0)
            .map(|(_, text)| *text);
        let structural = self.expected_tokens & STRUCTURAL != 0;
        let tokens = (0..128u8)
            .filter(|bit| self.expected_tokens & (1u128 << bit) != 0)
            .filter_map(TokenKind::from_index)
            .filter(|kind| !(structural && continues_an_expression(*kind)))
            .map(TokenKind::describe);
        labels.chain(tokens).collect()
    }

    fn expect(&mut self, expected: Expected) {
        match expected {
            Expected::Token(kind) => self.expected_tokens |= 1u128 << (kind as u8),
            Expected::Label(label) => self.expected_labels |= 1 << (label as u8),
            Expected::Nothing => {}
        }
    }
}

/// One expected thing, from chumsky's built-in patterns or from our labels.
pub(crate) enum Expected {
    Token(TokenKind),
    Label(Label),
    Nothing,
}

impl<'a> From<DefaultExpected<'a, TokenKind>> for Expected {
    fn from(expected: DefaultExpected<'a, TokenKind>) -> Self {
        match expected {
            DefaultExpected::Token(token) => Expected::Token(*token),
            DefaultExpected::EndOfInput => Expected::Label(Label::EndOfFile),
            _ => Expected::Nothing,
        }
    }
}

impl From<Label> for Expected {
    fn from(label: Label) -> Self {
        Expected::Label(label)
    }
}

impl<'a, I: Input<'a, Token = TokenKind, Span = Span>> chumsky::error::Error<'a, I> for ParseError {
    fn merge(mut self, other: Self) -> Self {
        if self.message.is_some() {
            return self;
        }
        if other.message.is_some() {
            return other;
        }
        self.expected_tokens |= other.expected_tokens;
        self.expected_labels |= other.expected_labels;
        self.found = self.found.or(other.found);
        self
    }
}

impl<'a, I, L> LabelError<'a, I, L> for ParseError
where
    I: Input<'a, Token = TokenKind, Span = Span>,
    L: Into<Expected>,
{
    fn expected_found<E: IntoIterator<Item = L>>(
        expected: E,
        found: Option<MaybeRef<'a, TokenKind>>,
        span: Span,
    ) -> Self {
        let mut error = ParseError::empty(span, found.map(|t| *t));
        for item in expected {
            error.expect(item.into());
        }
        error
    }

    fn merge_expected_found<E: IntoIterator<Item = L>>(
        mut self,
        expected: E,
        found: Option<MaybeRef<'a, TokenKind>>,
        _span: Span,
    ) -> Self {
        if self.message.is_none() {
            for item in expected {
                self.expect(item.into());
            }
            self.found = self.found.or(found.map(|t| *t));
        }
        self
    }

    fn replace_expected_found<E: IntoIterator<Item = L>>(
        mut self,
        expected: E,
        found: Option<MaybeRef<'a, TokenKind>>,
        span: Span,
    ) -> Self {
        self.span = span;
        self.expected_tokens = 0;
        self.expected_labels = 0;
        self.message = None;
        self.found = found.map(|t| *t);
        for item in expected {
            self.expect(item.into());
        }
        self
    }

    fn label_with(&mut self, label: L) {
        if self.message.is_none() {
            self.expected_tokens = 0;
            self.expected_labels = 0;
            self.expect(label.into());
        }
    }
}
