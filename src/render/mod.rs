//! Output formats. Every renderer consumes the same diagnostics; none recomputes anything.

pub mod json;
pub mod text;

use delint_linter::diagnostic::Edit;
use deluge_syntax::TextRange;

/// How many characters of a secret stay visible.
const VISIBLE_PREFIX: usize = 4;

/// `source` with every secret range masked except a short prefix, byte for byte the same
/// length, so ranges computed on the original still point at the same places.
pub fn redact(source: &str, secrets: &[TextRange]) -> String {
    let mut text = source.to_owned();
    for secret in secrets {
        text.replace_range(std::ops::Range::<usize>::from(*secret), &masked(&source[*secret]));
    }
    text
}

/// The secret's text with all but its first characters masked, byte for byte as long.
fn masked(secret: &str) -> String {
    secret
        .chars()
        .enumerate()
        .map(|(i, ch)| {
            if i < VISIBLE_PREFIX {
                ch.to_string()
            } else {
                "*".repeat(ch.len_utf8())
            }
        })
        .collect()
}

/// `text` (not `source`) with every secret of `source` masked wherever it appears, and any
/// token-shaped run masked too: for text built from the source, such as a fix's content.
pub fn mask_secret_texts(text: &str, source: &str, secrets: &[TextRange]) -> String {
    let mut text = text.to_owned();
    for secret in secrets {
        let value = &source[*secret];
        if value.chars().count() > VISIBLE_PREFIX {
            text = text.replace(value, &masked(value));
        }
    }
    let shaped = delint_linter::secrets::token_shaped(&text);
    redact(&text, &shaped)
}

/// A fix's edits with secrets masked in their content; ranges still fit the redacted source.
pub fn redacted_edits(source: &str, secrets: &[TextRange], edits: &[Edit]) -> Vec<Edit> {
    edits
        .iter()
        .map(|edit| Edit {
            range: edit.range,
            content: mask_secret_texts(&edit.content, source, secrets),
        })
        .collect()
}
