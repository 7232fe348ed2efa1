//! Dropping query parameters (`authtoken=..`, the legacy `scope=crmapi`) from text that is
//! built by concatenation: `"..?authtoken=" + tok + "&scope=crmapi&id=" + id` becomes
//! `"..?id=" + id`, keeping `?` and `&` right and never touching the other operands.

use deluge_syntax::{TextRange, TextSize};

use crate::diagnostic::Edit;

/// One operand of a concatenation.
#[derive(Clone, Copy, Debug)]
pub enum Piece {
    /// A string literal; its range includes the quotes.
    Literal(TextRange),
    /// Anything else: a variable, a call. Its text is unknown.
    Opaque(TextRange),
}

/// Whether the text is a URL (parameters follow its first `?`) or a form body (parameters
/// from the start).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `https://host/path?a=1&b=2`.
    Url {
        /// Keep a `?` whose parameters are all dropped: the text is appended to later.
        keep_question_mark: bool,
    },
    /// `a=1&b=2`.
    Form,
}

/// The edits are impossible without guessing.
#[derive(Debug, PartialEq, Eq)]
pub struct Unfixable(pub &'static str);

/// One character of the concatenated text, or one whole opaque operand.
#[derive(Clone, Copy)]
struct Char {
    ch: Option<char>,
    range: TextRange,
    piece: usize,
}

/// Edits dropping every parameter for which `drop(name, literal value)` holds.
pub fn drop_parameters(
    source: &str,
    pieces: &[Piece],
    mode: Mode,
    drop: impl Fn(&str, Option<&str>) -> bool,
) -> Result<Vec<Edit>, Unfixable> {
    let chars = flatten(source, pieces);
    let is_separator = |c: &Char, wanted: char| c.ch == Some(wanted);
    let question = match mode {
        Mode::Url { .. } => chars.iter().position(|c| is_separator(c, '?')),
        Mode::Form => None,
    };
    let params_start = question.map_or(0, |q| q + 1);
    // Segments between `&` separators: [start, end) in `chars`.
    let mut segments = Vec::new();
    let mut start = params_start;
    for (i, c) in chars.iter().enumerate().skip(params_start) {
        if is_separator(c, '&') {
            segments.push((start, i));
            start = i + 1;
        }
    }
    segments.push((start, chars.len()));
    let dropped: Vec<bool> = segments
        .iter()
        .map(|&(s, e)| {
            let (name, value) = parameter(&chars[s..e]);
            name.is_some_and(|name| drop(&name, value.as_deref()))
        })
        .collect();

    let all_dropped = dropped.iter().all(|d| *d);
    let mut deletions = crate::list_edits::list_deletions(&segments, &dropped);
    // Every parameter goes: the `?` goes too, unless more is appended later.
    if let (
        true,
        Some(q),
        Mode::Url {
            keep_question_mark: false,
        },
    ) = (all_dropped, question, mode)
    {
        deletions[0].0 = q;
    }
    deletions
        .into_iter()
        .filter(|(a, b)| a < b)
        .map(|(a, b)| to_edit(source, pieces, &chars, a, b))
        .collect()
}

/// One part of a parameter's value: literal text, or an operand whose text is unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValuePart {
    /// Text written in a literal (percent-escapes decoded).
    Text(String),
    /// A variable or call concatenated into the value.
    Operand(TextRange),
}

/// A query parameter of text built by concatenation: its literal name and its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameter {
    /// The name, as written.
    pub name: String,
    /// The value's parts, in order; empty for `name=`.
    pub value: Vec<ValuePart>,
}

/// The parameters after the first `?` of a URL built by concatenation
/// (`"..?id=" + id + "&scope=crmapi"` gives `id` = [id] and `scope` = ["crmapi"]).
/// Unfixable when the path or a parameter's name comes from a variable.
pub fn url_parameters(source: &str, pieces: &[Piece]) -> Result<Vec<Parameter>, Unfixable> {
    let chars = flatten(source, pieces);
    let question = chars.iter().position(|c| c.ch == Some('?')).unwrap_or(chars.len());
    if chars[..question].iter().any(|c| c.ch.is_none()) {
        return Err(Unfixable("the URL's path is built from variables"));
    }
    let mut parameters = Vec::new();
    for segment in chars.get(question + 1..).unwrap_or(&[]).split(|c| c.ch == Some('&')) {
        if segment.is_empty() {
            continue;
        }
        let eq = segment.iter().position(|c| c.ch == Some('='));
        let name_chars = &segment[..eq.unwrap_or(segment.len())];
        let name: Option<String> = name_chars.iter().map(|c| c.ch).collect();
        let name = name.ok_or(Unfixable("a parameter's name is built from variables"))?;
        let mut value = Vec::new();
        for c in eq.map_or(&[][..], |eq| &segment[eq + 1..]) {
            match (c.ch, value.last_mut()) {
                (Some(ch), Some(ValuePart::Text(text))) => text.push(ch),
                (Some(ch), _) => value.push(ValuePart::Text(ch.to_string())),
                (None, _) => value.push(ValuePart::Operand(c.range)),
            }
        }
        for part in &mut value {
            if let ValuePart::Text(text) = part {
                *text = percent_decoded(&unescaped(text));
            }
        }
        parameters.push(Parameter {
            name: name.trim().to_owned(),
            value,
        });
    }
    Ok(parameters)
}

/// A Deluge literal's text with its backslash escapes (`\"`, `\\`) resolved.
pub fn unescaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            other => out.push(other),
        }
    }
    out
}

/// `%20` and the other `%XX` escapes decoded; anything else as it is.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// The parameter's name (literal text before `=`) and its value when wholly literal.
fn parameter(chars: &[Char]) -> (Option<String>, Option<String>) {
    let Some(eq) = chars.iter().position(|c| c.ch == Some('=')) else {
        return (None, None);
    };
    let name: Option<String> = chars[..eq].iter().map(|c| c.ch).collect();
    let value: Option<String> = chars[eq + 1..].iter().map(|c| c.ch).collect();
    (name.map(|n| n.trim().to_owned()), value)
}

fn flatten(source: &str, pieces: &[Piece]) -> Vec<Char> {
    let mut chars = Vec::new();
    for (piece, item) in pieces.iter().enumerate() {
        match *item {
            Piece::Literal(range) => {
                let inner = crate::literal::inner(range);
                for (offset, ch) in source[inner].char_indices() {
                    let start = inner.start() + TextSize::new(offset as u32);
                    chars.push(Char {
                        ch: Some(ch),
                        range: TextRange::at(start, TextSize::of(ch)),
                        piece,
                    });
                }
            }
            Piece::Opaque(range) => chars.push(Char { ch: None, range, piece }),
        }
    }
    chars
}

/// The source edit deleting `chars[a..b]`.
fn to_edit(source: &str, pieces: &[Piece], chars: &[Char], a: usize, b: usize) -> Result<Edit, Unfixable> {
    let (first, last) = (chars[a], chars[b - 1]);
    let quote_of = |piece: usize| match pieces[piece] {
        Piece::Literal(range) => source[range].chars().next(),
        Piece::Opaque(_) => None,
    };
    let start_quote = quote_of(first.piece).ok_or(Unfixable("the parameter starts inside a variable"))?;
    if b == chars.len() && last.ch.is_none() {
        // Runs to the end through an opaque operand: cut to the end of the concatenation and
        // close the first literal again.
        let end = pieces.last().map_or(last.range.end(), |p| match p {
            Piece::Literal(r) | Piece::Opaque(r) => r.end(),
        });
        let opens_literal = a == 0 || chars[a - 1].piece != first.piece;
        if opens_literal && first.piece > 0 {
            // The whole literal goes: drop it with the `+` before it, `a + "&authtoken=" + t`.
            let previous_end = match pieces[first.piece - 1] {
                Piece::Literal(r) | Piece::Opaque(r) => r.end(),
            };
            return Ok(Edit {
                range: TextRange::new(previous_end, end),
                content: String::new(),
            });
        }
        return Ok(Edit {
            range: TextRange::new(first.range.start(), end),
            content: start_quote.to_string(),
        });
    }
    if last.ch.is_none() {
        return Err(Unfixable("the parameter ends inside a variable"));
    }
    if first.piece != last.piece && quote_of(last.piece) != Some(start_quote) {
        return Err(Unfixable("the literals around the token use different quotes"));
    }
    Ok(Edit {
        range: TextRange::new(first.range.start(), last.range.end()),
        content: String::new(),
    })
}

/// `authtoken`, and `scope` with a legacy value (`crmapi`, `ZohoBooks/booksapi`): not an
/// OAuth scope such as `ZohoCRM.modules.ALL`.
pub fn is_legacy_auth_parameter(name: &str, value: Option<&str>) -> bool {
    name.eq_ignore_ascii_case("authtoken")
        || (name.eq_ignore_ascii_case("scope") && value.is_some_and(crate::token_uses::is_legacy_scope))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies the edits for the `+` chain in `source` (operands split on ` + `).
    fn fixed(source: &str, mode: Mode) -> String {
        let mut pieces = Vec::new();
        let mut offset = 0;
        for operand in source.split(" + ") {
            let range = TextRange::at(TextSize::new(offset as u32), TextSize::of(operand));
            pieces.push(if operand.starts_with(['"', '\'']) {
                Piece::Literal(range)
            } else {
                Piece::Opaque(range)
            });
            offset += operand.len() + 3;
        }
        let edits = drop_parameters(source, &pieces, mode, is_legacy_auth_parameter).unwrap();
        let mut out = source.to_owned();
        for edit in edits.iter().rev() {
            out.replace_range(std::ops::Range::<usize>::from(edit.range), &edit.content);
        }
        out
    }

    const URL: Mode = Mode::Url {
        keep_question_mark: false,
    };

    #[test]
    fn drops_token_and_scope_across_operands() {
        assert_eq!(
            fixed(r#""https://x/y?authtoken=" + tok + "&scope=crmapi&id=" + id"#, URL),
            r#""https://x/y?id=" + id"#
        );
    }

    #[test]
    fn drops_a_trailing_token_and_its_separator() {
        assert_eq!(
            fixed(r#""https://x/y?organization_id=" + org + "&authtoken=" + tok"#, URL),
            r#""https://x/y?organization_id=" + org"#
        );
        assert_eq!(fixed(r#""https://x/y?authtoken=" + tok"#, URL), r#""https://x/y""#);
    }

    #[test]
    fn keeps_the_question_mark_when_asked() {
        let mode = Mode::Url {
            keep_question_mark: true,
        };
        assert_eq!(fixed(r#"url + "?authtoken=" + token"#, mode), r#"url + "?""#);
    }

    #[test]
    fn drops_a_literal_token_inside_one_literal() {
        assert_eq!(
            fixed(r#""https://x/y?a=1&authtoken=3b3c&scope=crmapi&b=2""#, URL),
            r#""https://x/y?a=1&b=2""#
        );
        assert_eq!(
            fixed(r#""https://x/y?a=1&authtoken=3b3c&scope=crmapi""#, URL),
            r#""https://x/y?a=1""#
        );
    }

    #[test]
    fn keeps_oauth_scopes_and_lookalikes() {
        let source = r#""https://x/y?scope=ZohoCRM.modules.ALL&myauthtoken=1""#;
        assert_eq!(fixed(source, URL), source);
    }

    #[test]
    fn form_bodies_have_parameters_from_the_start() {
        assert_eq!(
            fixed(
                r#""authtoken=" + tok + "&scope=creatorapi&zc_ownername=acme""#,
                Mode::Form
            ),
            r#""zc_ownername=acme""#
        );
    }

    #[test]
    fn refuses_to_merge_literals_with_different_quotes() {
        let source = r#""https://x/y?authtoken=" + tok + '&id=1'"#;
        let pieces = [
            Piece::Literal(TextRange::new(0.into(), 24.into())),
            Piece::Opaque(TextRange::new(27.into(), 30.into())),
            Piece::Literal(TextRange::new(33.into(), 40.into())),
        ];
        assert!(drop_parameters(source, &pieces, URL, is_legacy_auth_parameter).is_err());
    }
}
