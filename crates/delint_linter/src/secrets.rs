//! A safety net for secrets the data flow cannot see: any run of exactly 32 hex digits
//! (the shape of a Zoho authtoken, and of each half of an OAuth `1000.<hex>.<hex>` token)
//! is treated as secret wherever it sits: literal, comment or dead code. And the masking
//! every output applies: all but a short prefix of each secret becomes `*`.

use deluge_syntax::{TextRange, TextSize};

/// The length of a Zoho authtoken.
const TOKEN_LEN: usize = 32;

/// Ranges of every standalone 32-hex-digit run in `source`.
pub fn token_shaped(source: &str) -> Vec<TextRange> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let word = &bytes[start..i];
        if word.len() == TOKEN_LEN && word.iter().all(u8::is_ascii_hexdigit) && word.iter().any(u8::is_ascii_digit) {
            found.push(TextRange::new(TextSize::new(start as u32), TextSize::new(i as u32)));
        }
    }
    found
}

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
    let shaped = token_shaped(&text);
    redact(&text, &shaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(source: &str) -> Vec<&str> {
        token_shaped(source).into_iter().map(|r| &source[r]).collect()
    }

    #[test]
    fn finds_authtokens_and_oauth_halves() {
        let source = r#"t = "3b3c0f6d1e2a4b5c6d7e8f9012345678"; // 1000.0a1b2c3d4e5f60718293a4b5c6d7e8f9.ffeeddccbbaa99887766554433221100"#;
        assert_eq!(
            shown(source),
            [
                "3b3c0f6d1e2a4b5c6d7e8f9012345678",
                "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                "ffeeddccbbaa99887766554433221100"
            ]
        );
    }

    #[test]
    fn ignores_other_lengths_words_and_ids() {
        assert!(
            shown("id = 3b3c0f6d1e2a4b5c6d7e8f90123456789; x = abcdefabcdefabcdefabcdefabcdefab; n = 60001234567;")
                .is_empty()
        );
    }
}
