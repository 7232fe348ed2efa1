//! The masking every output applies (all but a short prefix of each secret becomes `*`),
//! and its safety net for secrets the data flow cannot see: any run of exactly 32 hex
//! digits (the shape of a Zoho authtoken, and of each half of an OAuth `1000.<hex>.<hex>`
//! token) is masked wherever it sits: literal, comment or dead code.
//!
//! The net is cast where text is printed ([`redact`], [`mask_secret_texts`]), not when a
//! file is linted: most files print nothing, and scanning each one for tokens was a twentieth
//! of the time it took to lint it.

use deluge_syntax::{TextRange, TextSize};

/// The length of a Zoho authtoken.
const TOKEN_LEN: usize = 32;

/// Ranges of every standalone 32-hex-digit run in `source`.
///
/// A run of 32 must cover the byte 31 places after any point before it, so the scan probes
/// one byte per 32 and only looks closer when that byte could be inside a long enough word:
/// most of a file is skipped, as in Boyer-Moore. Around a probe it reads hex digits only, so
/// an ordinary word is given up at its first letter past `f`.
pub fn token_shaped(source: &str) -> Vec<TextRange> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    // Invariant: `from` is 0 or follows a byte that is not alphanumeric.
    let mut from = 0;
    while from + TOKEN_LEN <= bytes.len() {
        let probe = from + TOKEN_LEN - 1;
        if !bytes[probe].is_ascii_alphanumeric() {
            from = probe + 1;
            continue;
        }
        if let Some(word) = hex_word_around(bytes, from, probe) {
            if word.len() == TOKEN_LEN && bytes[word.clone()].iter().any(u8::is_ascii_digit) {
                found.push(TextRange::new(
                    TextSize::new(word.start as u32),
                    TextSize::new(word.end as u32),
                ));
            }
            from = word.end + 1;
            continue;
        }
        // A word with a letter past `f` in it: skip to its end.
        from = probe + bytes[probe..].iter().take_while(|b| b.is_ascii_alphanumeric()).count() + 1;
    }
    found
}

/// The alphanumeric word holding `probe` (which starts at or after `from`), when it is
/// all hex digits.
fn hex_word_around(bytes: &[u8], from: usize, probe: usize) -> Option<std::ops::Range<usize>> {
    let is_hex = u8::is_ascii_hexdigit;
    let start = probe + 1 - bytes[from..=probe].iter().rev().take_while(|b| is_hex(b)).count();
    if start > probe || (start > from && bytes[start - 1].is_ascii_alphanumeric()) {
        return None;
    }
    let end = probe + bytes[probe..].iter().take_while(|b| is_hex(b)).count();
    if bytes.get(end).is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    Some(start..end)
}

/// Query parameters whose value is a credential, wherever they are written: a Zoho
/// authtoken, a Creator custom API's `publickey`, a CRM function's `zapikey`, OAuth tokens
/// and secrets, third parties' API keys and passwords.
const CREDENTIAL_PARAMETERS: &[&str] = &[
    "authtoken=",
    "publickey=",
    "zapikey=",
    "access_token=",
    "refresh_token=",
    "client_secret=",
    "api_key=",
    "apikey=",
    "password=",
];

/// The values of credential query parameters written out in `source`
/// (`...?publickey=69fNOfX03Twj&seconds=10` gives `69fNOfX03Twj`): up to the next `&`,
/// quote, space or bracket. A value the code adds later (`"authtoken=" + token`) is not
/// in the text; a placeholder (`<YOUR_KEY>`) starts with a bracket and is left alone.
pub fn credential_parameters(source: &str) -> Vec<TextRange> {
    static NAMES: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
        // Nine short words: a contiguous NFA is built in a fraction of a DFA's time, and
        // most runs search a few texts at most.
        aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .ascii_case_insensitive(true)
            .build(CREDENTIAL_PARAMETERS)
            .expect("the parameter names are plain words")
    });
    let bytes = source.as_bytes();
    // Most texts masked are messages and help without a `=`: skip them at once.
    if memchr::memchr(b'=', bytes).is_none() {
        return Vec::new();
    }
    let ends_value = |b: &u8| b"&\"'<>()[]{},;#\\ \t\r\n".contains(b);
    NAMES
        .find_iter(source)
        .filter(|m| m.start() == 0 || !bytes[m.start() - 1].is_ascii_alphanumeric())
        .filter_map(|m| {
            let length = bytes[m.end()..].iter().take_while(|b| !ends_value(b)).count();
            (length > VISIBLE_PREFIX)
                .then(|| TextRange::at(TextSize::new(m.end() as u32), TextSize::new(length as u32)))
        })
        .collect()
}

/// How many characters of a secret stay visible.
const VISIBLE_PREFIX: usize = 4;

/// `source` with every secret range and every token-shaped run masked except a short
/// prefix, byte for byte the same length, so ranges computed on the original still point at
/// the same places.
pub fn redact(source: &str, secrets: &[TextRange]) -> String {
    let mut text = source.to_owned();
    let nets = [token_shaped(source), credential_parameters(source)];
    for secret in secrets.iter().chain(nets.iter().flatten()) {
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
    redact(&text, &[])
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

    /// Every alphanumeric word, one byte at a time: what the skipping scan must agree with.
    fn naive(source: &str) -> Vec<TextRange> {
        let bytes = source.as_bytes();
        let mut found = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let word = &bytes[start..i];
            if word.len() == TOKEN_LEN && word.iter().all(u8::is_ascii_hexdigit) && word.iter().any(u8::is_ascii_digit)
            {
                found.push(TextRange::new(TextSize::new(start as u32), TextSize::new(i as u32)));
            }
            i = i.max(start + 1);
        }
        found
    }

    #[test]
    fn the_skipping_scan_finds_what_a_byte_by_byte_scan_finds() {
        let token = "3b3c0f6d1e2a4b5c6d7e8f9012345678";
        let mut cases = vec![
            String::new(),
            token.to_owned(),
            format!("{token}a"),
            format!("a{token}"),
        ];
        for gap in 0..40 {
            for prefix in 0..40 {
                let text = format!(
                    "{}{token}{}é{token}-{}",
                    "x".repeat(prefix),
                    " ".repeat(gap),
                    "y".repeat(gap)
                );
                cases.push(text);
            }
        }
        // Words of every length around 32 from a small alphabet, in a fixed pseudo-random order.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..2_000 {
            let mut text = String::new();
            for _ in 0..12 {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                let len = (state >> 33) as usize % 40;
                // Mostly hex words, some with a `G` in them.
                let alphabet: &[u8] = if state & 0x300 == 0 { b"0a9fG" } else { b"0a9f" };
                text.extend((0..len).map(|i| alphabet[(i * 7 + (state >> 20) as usize) % alphabet.len()] as char));
                text.push([' ', '.', 'é', '\n'][(state >> 40) as usize % 4]);
            }
            cases.push(text);
        }
        let found: usize = cases.iter().map(|case| naive(case).len()).sum();
        assert!(found > 100, "the cases hold tokens: {found}");
        for case in &cases {
            assert_eq!(token_shaped(case), naive(case), "{case:?}");
        }
    }

    #[test]
    fn credential_parameters_are_masked_wherever_they_are_written() {
        let source = "u = \"https://www.zohoapis.com/creator/custom/acme/Sleep?publickey=69fNOfX03TwjyaAgAYy&seconds=10\";\n\
            // old: https://api.example.com/v1/send?API_KEY=sk_live_abcdef123456\n\
            v = \"https://x.zoho.com/api?authtoken=\" + token + \"&zapikey=<YOUR_KEY>&apikey=abcd&sessionpassword=notacredential\";\n";
        let values: Vec<&str> = credential_parameters(source).into_iter().map(|r| &source[r]).collect();
        assert_eq!(values, ["69fNOfX03TwjyaAgAYy", "sk_live_abcdef123456"]);
        let shown = redact(source, &[]);
        assert!(shown.contains("publickey=69fN***************&seconds=10"), "{shown}");
        assert!(shown.contains("API_KEY=sk_l****************\n"), "{shown}");
        assert_eq!(
            mask_secret_texts("url: \"https://x?publickey=69fNOfX03TwjyaAgAYy\"", "", &[]),
            "url: \"https://x?publickey=69fN***************\""
        );
    }

    #[test]
    fn redacting_masks_token_shaped_runs_nobody_listed() {
        let source = "// old token 3b3c0f6d1e2a4b5c6d7e8f9012345678\nx = \"client-secret-value\";";
        let listed = TextRange::new(TextSize::new(51), TextSize::new(70));
        assert_eq!(&source[listed], "client-secret-value");
        let shown = redact(source, &[listed]);
        assert_eq!(shown.len(), source.len());
        assert!(shown.contains("3b3c****************************"), "{shown}");
        assert!(shown.contains("clie***************"), "{shown}");
        assert_eq!(
            mask_secret_texts("was 3b3c0f6d1e2a4b5c6d7e8f9012345678", "", &[]),
            "was 3b3c****************************"
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
