//! The Deluge lexer: source text to tokens with byte ranges, comments kept aside as trivia.
//!
//! Context-free by design (reference §1.10): every word is a token of its own kind when it
//! is one of the contextual keywords, matched ASCII-case-insensitively, and the parser decides
//! whether it acts as a keyword or as a plain name. Nothing here fails: bad input becomes an
//! [`TokenKind::Error`] token plus a [`SyntaxError`].

use logos::Logos;
use text_size::{TextRange, TextSize};

use crate::SyntaxError;

/// Why the lexer produced an error token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LexError {
    /// A character that starts no token (`#`, `@`, smart quotes, ...).
    #[default]
    UnexpectedCharacter,
    /// A `"` string with no closing quote: read as ending at the end of its line.
    UnterminatedString,
    /// A `'` literal with no closing quote: read as ending at the end of its line.
    UnterminatedSingleQuoted,
    /// A `/*` comment with no closing `*/`.
    UnterminatedComment,
}

/// The kind of a token. Words that the grammar gives a meaning somewhere are kinds of their
/// own, but every one of them is also accepted wherever a name is (see [`TokenKind::is_word`]).
#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
#[logos(error = LexError)]
// ASCII blanks apart from the rest: a pattern of single bytes only gets logos' fast loop.
#[logos(skip r"[ \t\r\n\x0C]+")]
#[logos(skip r"[\u{A0}\u{200B}\u{FEFF}\u{2028}\u{2029}]+")]
pub enum TokenKind {
    // The comments and the two literals lead the kinds: `lex` sends every later kind to the
    // token list with one comparison.
    /// `// ...` to the end of the line (trivia).
    #[token("//", line_comment)]
    LineComment,
    /// `/* ... */`, not nesting (trivia).
    #[token("/*", block_comment)]
    BlockComment,
    /// A double-quoted string; any backslash escape, raw newlines allowed.
    #[token("\"", |lex| quoted(lex, b'"', LexError::UnterminatedString))]
    String,
    /// A single-quoted literal: a string or a date-time, classified by the parser.
    #[token("'", |lex| quoted(lex, b'\'', LexError::UnterminatedSingleQuoted))]
    SingleQuoted,
    /// An integer or decimal number (the sign is an operator).
    #[regex(r"[0-9]+(\.[0-9]+)?|\.[0-9]+")]
    Number,
    /// Any other name.
    #[regex(r"[\p{XID_Start}_][\p{XID_Continue}]*")]
    Ident,

    // Contextual keywords (ASCII-case-insensitive).
    #[token("if", ignore(case))]
    If,
    #[token("else", ignore(case))]
    Else,
    #[token("for", ignore(case))]
    For,
    #[token("each", ignore(case))]
    Each,
    #[token("index", ignore(case))]
    Index,
    #[token("in", ignore(case))]
    In,
    #[token("while", ignore(case))]
    While,
    #[token("try", ignore(case))]
    Try,
    #[token("catch", ignore(case))]
    Catch,
    #[token("return", ignore(case))]
    Return,
    #[token("info", ignore(case))]
    Info,
    #[token("break", ignore(case))]
    Break,
    #[token("continue", ignore(case))]
    Continue,
    #[token("true", ignore(case))]
    True,
    #[token("false", ignore(case))]
    False,
    #[token("null", ignore(case))]
    Null,
    #[token("insert", ignore(case))]
    Insert,
    #[token("into", ignore(case))]
    Into,
    #[token("delete", ignore(case))]
    Delete,
    #[token("from", ignore(case))]
    From,
    #[token("sort", ignore(case))]
    Sort,
    #[token("by", ignore(case))]
    By,
    #[token("range", ignore(case))]
    Range,
    #[token("to", ignore(case))]
    To,
    #[token("alert", ignore(case))]
    Alert,
    #[token("cancel", ignore(case))]
    Cancel,
    #[token("hide", ignore(case))]
    Hide,
    #[token("show", ignore(case))]
    Show,
    #[token("enable", ignore(case))]
    Enable,
    #[token("disable", ignore(case))]
    Disable,
    #[token("clear", ignore(case))]
    Clear,
    #[token("reload", ignore(case))]
    Reload,
    #[token("not", ignore(case))]
    Not,

    // Operators and punctuation.
    #[token("==")]
    EqEq,
    #[token("!=")]
    NotEq,
    #[token("<=")]
    LtEq,
    #[token(">=")]
    GtEq,
    #[token("&&")]
    AndAnd,
    #[token("||")]
    OrOr,
    #[token("+=")]
    PlusEq,
    #[token("-=")]
    MinusEq,
    #[token("*=")]
    StarEq,
    #[token("/=")]
    SlashEq,
    #[token("%=")]
    PercentEq,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("<")]
    Lt,
    #[token(">")]
    Gt,
    #[token("!")]
    Bang,
    #[token("=")]
    Eq,
    #[token(".")]
    Dot,
    #[token(",")]
    Comma,
    #[token(";")]
    Semi,
    #[token(":")]
    Colon,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,

    /// Input the lexer could not make sense of; see [`LexError`].
    Error,
    /// Stands for a region nested deeper than the parser allows (never produced by the lexer).
    TooDeep,
}

impl TokenKind {
    /// Every kind, in declaration order (the index is the discriminant).
    const ALL: [TokenKind; 71] = [
        TokenKind::LineComment,
        TokenKind::BlockComment,
        TokenKind::String,
        TokenKind::SingleQuoted,
        TokenKind::Number,
        TokenKind::Ident,
        TokenKind::If,
        TokenKind::Else,
        TokenKind::For,
        TokenKind::Each,
        TokenKind::Index,
        TokenKind::In,
        TokenKind::While,
        TokenKind::Try,
        TokenKind::Catch,
        TokenKind::Return,
        TokenKind::Info,
        TokenKind::Break,
        TokenKind::Continue,
        TokenKind::True,
        TokenKind::False,
        TokenKind::Null,
        TokenKind::Insert,
        TokenKind::Into,
        TokenKind::Delete,
        TokenKind::From,
        TokenKind::Sort,
        TokenKind::By,
        TokenKind::Range,
        TokenKind::To,
        TokenKind::Alert,
        TokenKind::Cancel,
        TokenKind::Hide,
        TokenKind::Show,
        TokenKind::Enable,
        TokenKind::Disable,
        TokenKind::Clear,
        TokenKind::Reload,
        TokenKind::Not,
        TokenKind::EqEq,
        TokenKind::NotEq,
        TokenKind::LtEq,
        TokenKind::GtEq,
        TokenKind::AndAnd,
        TokenKind::OrOr,
        TokenKind::PlusEq,
        TokenKind::MinusEq,
        TokenKind::StarEq,
        TokenKind::SlashEq,
        TokenKind::PercentEq,
        TokenKind::Plus,
        TokenKind::Minus,
        TokenKind::Star,
        TokenKind::Slash,
        TokenKind::Percent,
        TokenKind::Lt,
        TokenKind::Gt,
        TokenKind::Bang,
        TokenKind::Eq,
        TokenKind::Dot,
        TokenKind::Comma,
        TokenKind::Semi,
        TokenKind::Colon,
        TokenKind::LParen,
        TokenKind::RParen,
        TokenKind::LBrace,
        TokenKind::RBrace,
        TokenKind::LBracket,
        TokenKind::RBracket,
        TokenKind::Error,
        TokenKind::TooDeep,
    ];

    /// The kinds that can be used as a name ([`TokenKind::is_word`]), for parsers that must
    /// name what they expected where they failed.
    pub(crate) const WORDS: &'static [TokenKind] = {
        let (start, end) = (TokenKind::Ident as usize, TokenKind::Not as usize + 1);
        Self::ALL.split_at(end).0.split_at(start).1
    };

    /// The kind whose discriminant is `index`.
    pub fn from_index(index: u8) -> Option<TokenKind> {
        Self::ALL.get(usize::from(index)).copied()
    }

    /// Whether this token can be used as a name: identifiers and every contextual keyword.
    pub fn is_word(self) -> bool {
        self == TokenKind::Ident || (TokenKind::If as u8..=TokenKind::Not as u8).contains(&(self as u8))
    }

    /// Whether this token is a comment (trivia).
    pub fn is_comment(self) -> bool {
        matches!(self, TokenKind::LineComment | TokenKind::BlockComment)
    }

    /// How the token reads in an error message.
    pub fn describe(self) -> &'static str {
        use TokenKind::*;
        match self {
            LineComment | BlockComment => "comment",
            String => "string",
            SingleQuoted => "single-quoted literal",
            Number => "number",
            Ident => "identifier",
            If => "`if`",
            Else => "`else`",
            For => "`for`",
            Each => "`each`",
            Index => "`index`",
            In => "`in`",
            While => "`while`",
            Try => "`try`",
            Catch => "`catch`",
            Return => "`return`",
            Info => "`info`",
            Break => "`break`",
            Continue => "`continue`",
            True => "`true`",
            False => "`false`",
            Null => "`null`",
            Insert => "`insert`",
            Into => "`into`",
            Delete => "`delete`",
            From => "`from`",
            Sort => "`sort`",
            By => "`by`",
            Range => "`range`",
            To => "`to`",
            Alert => "`alert`",
            Cancel => "`cancel`",
            Hide => "`hide`",
            Show => "`show`",
            Enable => "`enable`",
            Disable => "`disable`",
            Clear => "`clear`",
            Reload => "`reload`",
            Not => "`not`",
            EqEq => "`==`",
            NotEq => "`!=`",
            LtEq => "`<=`",
            GtEq => "`>=`",
            AndAnd => "`&&`",
            OrOr => "`||`",
            PlusEq => "`+=`",
            MinusEq => "`-=`",
            StarEq => "`*=`",
            SlashEq => "`/=`",
            PercentEq => "`%=`",
            Plus => "`+`",
            Minus => "`-`",
            Star => "`*`",
            Slash => "`/`",
            Percent => "`%`",
            Lt => "`<`",
            Gt => "`>`",
            Bang => "`!`",
            Eq => "`=`",
            Dot => "`.`",
            Comma => "`,`",
            Semi => "`;`",
            Colon => "`:`",
            LParen => "`(`",
            RParen => "`)`",
            LBrace => "`{`",
            RBrace => "`}`",
            LBracket => "`[`",
            RBracket => "`]`",
            Error => "invalid input",
            TooDeep => "too deeply nested code",
        }
    }
}

impl std::fmt::Display for TokenKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// One token: its kind and where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// What the token is.
    pub kind: TokenKind,
    /// Its byte range in the source.
    pub range: TextRange,
}

/// A comment, kept out of the token stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    /// `true` for `/* */`, `false` for `//`.
    pub is_block: bool,
    /// Its byte range, delimiters included.
    pub range: TextRange,
}

/// The lexer's output: significant tokens, comments, and lexical errors.
#[derive(Clone, Debug, Default)]
pub struct Lexed {
    /// Tokens without trivia, in source order.
    pub tokens: Vec<Token>,
    /// Comments in source order.
    pub comments: Vec<Comment>,
    /// Lexical errors (their tokens are also in `tokens` as [`TokenKind::Error`]).
    pub errors: Vec<SyntaxError>,
}

/// Splits `source` into tokens. Never fails; every byte is covered by a token, a comment or
/// skipped whitespace.
pub fn lex(source: &str) -> Lexed {
    let mut out = Lexed {
        // Real Deluge has a token every 3–4 bytes: one allocation, no regrowth.
        tokens: Vec::with_capacity(source.len() / 3 + 8),
        ..Lexed::default()
    };
    let mut lexer = TokenKind::lexer(source);
    while let Some(result) = lexer.next() {
        let span = lexer.span();
        let range = TextRange::new(TextSize::new(span.start as u32), TextSize::new(span.end as u32));
        match result {
            // Most tokens: the first test (comments and literals lead the kinds) sends them
            // straight to the list.
            Ok(kind) if kind as u8 > TokenKind::SingleQuoted as u8 => out.tokens.push(Token { kind, range }),
            Ok(kind @ (TokenKind::LineComment | TokenKind::BlockComment)) => out.comments.push(Comment {
                is_block: kind == TokenKind::BlockComment,
                range,
            }),
            Ok(kind) => match reopened_literal(source.as_bytes(), range) {
                None => out.tokens.push(Token { kind, range }),
                Some(line_end) => lexer = out.cut_literal(source, kind, range, line_end),
            },
            Err(error) => {
                out.errors.push(lex_error(source, range, error));
                // An unterminated literal still stands where a value is expected, so the
                // statement around it survives; only a stray character becomes an error token.
                let kind = match error {
                    LexError::UnterminatedComment => {
                        out.comments.push(Comment { is_block: true, range });
                        continue;
                    }
                    LexError::UnterminatedString => TokenKind::String,
                    LexError::UnterminatedSingleQuoted => TokenKind::SingleQuoted,
                    LexError::UnexpectedCharacter => TokenKind::Error,
                };
                out.tokens.push(Token { kind, range });
            }
        }
    }
    out
}

impl Lexed {
    /// Records the literal of `kind` at `range` as cut at `line_end` (see
    /// [`reopened_literal`]), and returns a lexer that goes on from there.
    #[cold]
    #[inline(never)]
    fn cut_literal<'s>(
        &mut self,
        source: &'s str,
        kind: TokenKind,
        range: TextRange,
        line_end: usize,
    ) -> logos::Lexer<'s, TokenKind> {
        let error = if kind == TokenKind::String {
            LexError::UnterminatedString
        } else {
            LexError::UnterminatedSingleQuoted
        };
        let cut = TextRange::new(range.start(), TextSize::new(line_end as u32));
        self.errors.push(lex_error(source, cut, error));
        self.tokens.push(Token { kind, range: cut });
        let mut lexer = TokenKind::lexer(source);
        lexer.bump(line_end);
        lexer
    }
}

fn lex_error(source: &str, range: TextRange, error: LexError) -> SyntaxError {
    let message = match error {
        LexError::UnexpectedCharacter => {
            let ch = source[range].chars().next().unwrap_or('?');
            match ch {
                '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}' => {
                    format!("smart quote `{ch}` is not a string delimiter; use a straight quote (\" or ')")
                }
                _ => format!("unexpected character `{}` (U+{:04X})", ch.escape_debug(), ch as u32),
            }
        }
        LexError::UnterminatedString => "unterminated string: no closing `\"` (read as ending at this line)".to_owned(),
        LexError::UnterminatedSingleQuoted => {
            "unterminated single-quoted literal: no closing `'` (read as ending at this line)".to_owned()
        }
        LexError::UnterminatedComment => "unterminated block comment: no closing `*/`".to_owned(),
    };
    // A string or comment running to the end of the file is reported at its opening quote.
    let range = match error {
        LexError::UnexpectedCharacter => range,
        _ => TextRange::at(
            range.start(),
            TextSize::new(if error == LexError::UnterminatedComment { 2 } else { 1 }),
        ),
    };
    SyntaxError::new(range, message)
}

/// Scans a quoted literal after its opening quote. A backslash escapes any one character.
///
/// A literal may span lines; one that is never closed is taken to end at the end of its
/// first line, as an error. (A closing quote that runs into a word is checked by [`lex`],
/// outside the state machine: see [`reopened_literal`].)
#[inline(always)] // into logos's state machine: a call per string literal showed up
fn quoted(lex: &mut logos::Lexer<'_, TokenKind>, quote: u8, unterminated: LexError) -> Result<(), LexError> {
    let rest = lex.remainder().as_bytes();
    let mut i = 0;
    // SIMD search: strings are a good part of Deluge's bytes, often long ones.
    while let Some(offset) = memchr::memchr2(quote, b'\\', &rest[i..]) {
        i += offset;
        if rest[i] == quote {
            lex.bump(i + 1);
            return Ok(());
        }
        // Skip the backslash and the whole character it escapes.
        i += 1;
        if i < rest.len() {
            i += utf8_char_len(rest[i]);
        }
    }
    lex.bump(unterminated_extent(rest));
    Err(unterminated)
}

/// How much of `rest`, the text after a literal's opening quote that is never closed, the
/// literal takes: its first line. Out of line: a rare path, kept out of the state machine.
#[cold]
#[inline(never)]
fn unterminated_extent(rest: &[u8]) -> usize {
    memchr::memchr(b'\n', rest).map_or(rest.len(), |line_end| trim_carriage_return(rest, line_end))
}

/// Where the literal lexed at `range` should end instead, if its closing quote runs straight
/// into a word or another quote and it spans lines: `"abc;⏎ x = "def"` is a quote left open
/// whose "close" is the next literal's opening quote. Raw newlines in strings are rare and a
/// missing quote is not, so the literal is cut at the end of its first line (as an
/// unterminated one) and lexing starts again there: one slip does not turn the rest of the
/// file inside out. The cheap test (the byte after the close) comes first.
#[inline(always)]
fn reopened_literal(source: &[u8], range: TextRange) -> Option<usize> {
    let (start, end) = (usize::from(range.start()), usize::from(range.end()));
    if !runs_into_a_word_or_quote(&source[end..]) {
        return None;
    }
    first_line_end(source, start, end)
}

/// Whether the text right after a closing quote is a word or another quote: never so in
/// code that parses, always so when a quote left open pairs with the next literal's.
fn runs_into_a_word_or_quote(after: &[u8]) -> bool {
    after.first().is_some_and(|&byte| WORD_OR_QUOTE[usize::from(byte)])
}

/// The bytes [`runs_into_a_word_or_quote`] looks for, as a table: one load per literal.
static WORD_OR_QUOTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || matches!(b, b'_' | b'"' | b'\'');
        byte += 1;
    }
    table
};

/// Where the first line of `source[start..end]` ends (before its `\r\n` or `\n`), if the
/// text holds a raw newline. Out of line: a rare path.
#[cold]
#[inline(never)]
fn first_line_end(source: &[u8], start: usize, end: usize) -> Option<usize> {
    memchr::memchr(b'\n', &source[start..end]).map(|offset| trim_carriage_return(source, start + offset))
}

/// The end of a line ending at `line_end` (a `\n`), before its `\r` if it has one.
fn trim_carriage_return(text: &[u8], line_end: usize) -> usize {
    if line_end > 0 && text[line_end - 1] == b'\r' {
        line_end - 1
    } else {
        line_end
    }
}

/// Skips to the end of the line (a SIMD search, not the state machine byte by byte).
fn line_comment(lex: &mut logos::Lexer<'_, TokenKind>) {
    let rest = lex.remainder().as_bytes();
    lex.bump(memchr::memchr(b'\n', rest).unwrap_or(rest.len()));
}

fn block_comment(lex: &mut logos::Lexer<'_, TokenKind>) -> Result<(), LexError> {
    let rest = lex.remainder();
    match rest.find("*/") {
        Some(end) => {
            lex.bump(end + 2);
            Ok(())
        }
        None => {
            lex.bump(rest.len());
            Err(LexError::UnterminatedComment)
        }
    }
}

fn utf8_char_len(first_byte: u8) -> usize {
    match first_byte {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<TokenKind> {
        lex(source).tokens.iter().map(|t| t.kind).collect()
    }

    #[test]
    fn keywords_are_case_insensitive_and_still_words() {
        use TokenKind::*;
        assert_eq!(kinds("IF If iF ifx"), vec![If, If, If, Ident]);
        assert_eq!(kinds("TRUE Null invokeUrl"), vec![True, Null, Ident]);
        assert!(Reload.is_word() && If.is_word() && Ident.is_word() && !Semi.is_word());
    }

    #[test]
    fn urls_inside_strings_are_not_comments() {
        let lexed = lex(r#"u = "https://x.com/*/*"; // real comment"#);
        assert_eq!(lexed.tokens.len(), 4);
        assert_eq!(lexed.comments.len(), 1);
        assert!(lexed.errors.is_empty());
    }

    #[test]
    fn unknown_escapes_and_raw_newlines_stay_in_the_string() {
        let source = "s = \"\\$\\{x\\}\nnext \\\" still\";";
        let lexed = lex(source);
        assert!(lexed.errors.is_empty());
        assert_eq!(lexed.tokens[2].kind, TokenKind::String);
        assert_eq!(&source[lexed.tokens[2].range], &source[4..source.len() - 1]);
    }

    #[test]
    fn exotic_whitespace_is_skipped() {
        let source = "\u{FEFF}x\u{A0}=\u{200B}1;\r\n\u{2028}";
        assert_eq!(
            kinds(source),
            vec![TokenKind::Ident, TokenKind::Eq, TokenKind::Number, TokenKind::Semi]
        );
        assert!(lex(source).errors.is_empty());
    }

    #[test]
    fn stray_characters_become_error_tokens_on_char_boundaries() {
        let source = "a = \u{201C}x\u{201D} # @;";
        let lexed = lex(source);
        assert_eq!(lexed.errors.len(), 4);
        assert!(lexed.errors[0].message.contains("smart quote"));
        for token in &lexed.tokens {
            assert!(source.is_char_boundary(token.range.start().into()));
            assert!(source.is_char_boundary(token.range.end().into()));
        }
    }

    #[test]
    fn unterminated_literals_run_to_the_end_with_an_error() {
        for source in ["x = \"abc", "x = 'abc\\", "x = 1; /* open"] {
            let lexed = lex(source);
            assert_eq!(lexed.errors.len(), 1, "{source}");
            let last = lexed
                .tokens
                .iter()
                .map(|t| t.range)
                .chain(lexed.comments.iter().map(|c| c.range))
                .max_by_key(|r| r.end())
                .unwrap();
            assert_eq!(usize::from(last.end()), source.len(), "{source}");
        }
    }

    #[test]
    fn a_quote_left_open_ends_at_its_line_and_lexing_starts_again_there() {
        use TokenKind::*;
        for (source, literal) in [("a = \"x;\r\nb = \"y\";", String), ("a = 'x;\nb = 'y';", SingleQuoted)] {
            let lexed = lex(source);
            assert_eq!(
                kinds(source),
                vec![Ident, Eq, literal, Ident, Eq, literal, Semi],
                "{source:?}"
            );
            assert_eq!(&source[lexed.tokens[2].range], &source[4..7], "{source:?}");
            assert_eq!(&source[lexed.tokens[5].range][1..2], "y", "{source:?}");
            assert_eq!(lexed.errors.len(), 1, "{source:?}");
            assert_eq!(usize::from(lexed.errors[0].range.start()), 4, "{source:?}");
        }
        // A literal that spans lines and closes before an operator is one literal.
        assert!(lex("a = \"x\ny\" + b;").errors.is_empty());
    }

    #[test]
    fn numbers_are_unsigned_and_decimals_need_digits_after_the_point() {
        use TokenKind::*;
        assert_eq!(
            kinds("-3893272000000187003 0.99 .5"),
            vec![Minus, Number, Number, Number]
        );
    }
}
