//! Which of the words the rules start from a file's code says, outside comments: found by
//! one multi-word search over the lower-cased bytes (a few instructions per byte), so that
//! a rule whose words are absent skips its walk of the tree. A file that mentions
//! authtokens only in a comment (`// the old version sent an authtoken`) is as clean as one
//! that never does.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, Input, MatchKind};
use deluge_syntax::TextSize;
use deluge_syntax::lexer::Comment;

/// A word some analysis needs before it can find anything. Its discriminant is its place in
/// [`WORDS`] and its bit in [`Mentions`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Word {
    Authtoken,
    Secret,
    Refresh,
    AuthorizationCode,
    /// `1000.`, how an OAuth token starts.
    OauthTokenPrefix,
    InvokeUrl,
    InvokeApi,
    GetUrl,
    PostUrl,
}

/// Every word with its text (matched ASCII-case-insensitively), in pattern order.
const WORDS: [(Word, &str); 9] = [
    (Word::Authtoken, "authtoken"),
    (Word::Secret, "secret"),
    (Word::Refresh, "refresh"),
    (Word::AuthorizationCode, "authorization_code"),
    (Word::OauthTokenPrefix, "1000."),
    (Word::InvokeUrl, "invokeurl"),
    (Word::InvokeApi, "invokeapi"),
    (Word::GetUrl, "geturl"),
    (Word::PostUrl, "posturl"),
];

const ALL: u16 = (1 << WORDS.len()) - 1;

/// The words that name an HTTP call: `invokeurl [..]`, `invokeapi [..]`, `getUrl(..)`,
/// `postUrl(..)`, `invokeUrl(..)`.
const HTTP_CALL_WORDS: [Word; 4] = [Word::InvokeUrl, Word::InvokeApi, Word::GetUrl, Word::PostUrl];

/// All the words at once (a SIMD multi-substring search).
static SEARCHER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(WORDS.map(|(_, text)| text))
        .expect("a handful of short literal words")
});

/// The set of [`Word`]s a file's code contains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mentions(u16);

impl Mentions {
    /// Every word, as if all were present: for callers (and tests) that want no skipping.
    pub const ALL: Mentions = Mentions(ALL);

    /// Scans `source`, leaving out matches that start inside one of `comments` (in source
    /// order, as the lexer lists them).
    pub fn scan(source: &str, comments: &[Comment]) -> Self {
        Self::scan_noting_calls(source, comments).0
    }

    /// [`Mentions::scan`], also listing (in order) where the code says a word that names
    /// an HTTP call (`invokeurl`, `getUrl`, ...). Every call the data flow looks for starts
    /// at one of them, since a call's range starts at its name; not every one starts a call.
    pub fn scan_noting_calls(source: &str, comments: &[Comment]) -> (Self, Vec<TextSize>) {
        let lower = source.as_bytes().to_ascii_lowercase();
        let (mut found, mut call_words) = (0u16, Vec::new());
        // Each search resumes one byte after the last match's start, so words that overlap
        // (`invokeapinvokeurl`) are all found.
        let mut from = 0;
        while let Some(matched) = SEARCHER.find(Input::new(&lower).span(from..lower.len())) {
            let at = matched.start();
            if !in_comment(comments, at) {
                let word = WORDS[matched.pattern().as_usize()].0;
                found |= 1 << word as u8;
                if HTTP_CALL_WORDS.contains(&word) {
                    call_words.push(TextSize::new(at as u32));
                }
            }
            from = at + 1;
        }
        (Mentions(found), call_words)
    }

    pub fn contains(self, word: Word) -> bool {
        self.0 & (1 << word as u8) != 0
    }

    pub fn any(self, words: &[Word]) -> bool {
        words.iter().any(|word| self.contains(*word))
    }

    /// Whether the file may make an HTTP call: every call form is named by one of these.
    pub fn any_http_call(self) -> bool {
        self.any(&HTTP_CALL_WORDS)
    }
}

fn in_comment(comments: &[Comment], offset: usize) -> bool {
    let after = comments.partition_point(|c| usize::from(c.range.end()) <= offset);
    comments
        .get(after)
        .is_some_and(|c| usize::from(c.range.start()) <= offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mentions(source: &str) -> Mentions {
        Mentions::scan(source, &deluge_syntax::lexer::lex(source).comments)
    }

    #[test]
    fn words_in_code_count_and_words_in_comments_do_not() {
        let source = "// the old call sent an authtoken\n/* getUrl(x) */\nr = invokeUrl(u, \"GET\");\n";
        let found = mentions(source);
        assert!(found.contains(Word::InvokeUrl));
        assert!(found.any_http_call());
        assert!(!found.contains(Word::Authtoken));
        assert!(!found.contains(Word::GetUrl));
    }

    #[test]
    fn strings_are_code_and_case_does_not_matter() {
        let found = mentions("m.put(\"AUTHTOKEN\", t); x = \"client_SECRET=1\"; // refresh");
        assert!(found.contains(Word::Authtoken));
        assert!(found.contains(Word::Secret));
        assert!(!found.contains(Word::Refresh));
        assert!(!found.any_http_call());
    }

    #[test]
    fn each_word_sits_at_its_discriminant() {
        for (at, (word, _)) in WORDS.iter().enumerate() {
            assert_eq!(*word as usize, at, "{word:?}");
        }
    }

    /// A match is the first word listed at its start, so a word holding another would
    /// hide it.
    #[test]
    fn no_word_holds_another() {
        for (_, a) in WORDS {
            for (_, b) in WORDS.iter().filter(|(_, b)| *b != a) {
                assert!(!a.contains(b), "{a} holds {b}");
            }
        }
    }

    #[test]
    fn words_that_run_into_each_other_are_both_found() {
        let found = mentions("x = \"invokeapinvokeurl\";");
        assert!(found.contains(Word::InvokeApi) && found.contains(Word::InvokeUrl));
    }

    #[test]
    fn call_words_are_noted_where_code_says_them() {
        let source = "// getUrl(old)\nr = getUrl(u);\nx = invokeurl [ url: \"https://x/geturl\" ];";
        let (found, at) = Mentions::scan_noting_calls(source, &deluge_syntax::lexer::lex(source).comments);
        assert!(found.contains(Word::GetUrl) && found.contains(Word::InvokeUrl));
        let words: Vec<&str> = at
            .iter()
            .map(|&at| &source[usize::from(at)..usize::from(at) + 6])
            .collect();
        assert_eq!(words, ["getUrl", "invoke", "geturl"]);
    }

    #[test]
    fn overlapping_words_are_all_found() {
        let found = mentions("x = \"grant_type=authorization_code&authtoken=1\";");
        assert!(found.contains(Word::AuthorizationCode));
        assert!(found.contains(Word::Authtoken));
    }
}
