//! Which of the words the rules start from a file's code says, outside comments: found by
//! a SIMD substring search over the lower-cased bytes (a few instructions per byte), so that
//! a rule whose words are absent skips its walk of the tree. A file that mentions authtokens only in a comment (`// the old version sent an
//! authtoken`) is as clean as one that never does.

use std::sync::LazyLock;

use deluge_syntax::lexer::Comment;
use memchr::memmem::Finder;

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

/// One searcher per word, built once.
static FINDERS: LazyLock<[Finder<'static>; WORDS.len()]> = LazyLock::new(|| WORDS.map(|(_, text)| Finder::new(text)));

/// The set of [`Word`]s a file's code contains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mentions(u16);

impl Mentions {
    /// Every word, as if all were present: for callers (and tests) that want no skipping.
    pub const ALL: Mentions = Mentions(ALL);

    /// Scans `source`, leaving out matches that start inside one of `comments` (in source
    /// order, as the lexer lists them).
    pub fn scan(source: &str, comments: &[Comment]) -> Self {
        let lower = source.as_bytes().to_ascii_lowercase();
        let mut found = 0u16;
        for (bit, finder) in FINDERS.iter().enumerate() {
            if finder.find_iter(&lower).any(|at| !in_comment(comments, at)) {
                found |= 1 << bit;
            }
        }
        Mentions(found)
    }

    pub fn contains(self, word: Word) -> bool {
        self.0 & (1 << word as u8) != 0
    }

    pub fn any(self, words: &[Word]) -> bool {
        words.iter().any(|word| self.contains(*word))
    }

    /// Whether the file may make an HTTP call: every call form is named by one of these.
    pub fn any_http_call(self) -> bool {
        self.any(&[Word::InvokeUrl, Word::InvokeApi, Word::GetUrl, Word::PostUrl])
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

    #[test]
    fn overlapping_words_are_all_found() {
        let found = mentions("x = \"grant_type=authorization_code&authtoken=1\";");
        assert!(found.contains(Word::AuthorizationCode));
        assert!(found.contains(Word::Authtoken));
    }
}
