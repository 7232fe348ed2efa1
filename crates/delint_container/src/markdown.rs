//! Deluge in Markdown: the fenced code blocks of a README, a hand-over note or a change
//! log, where consultants and clients keep copies of live functions (```` ```deluge ````).
//!
//! Only the blocks are Deluge; the prose around them is never parsed, so a document does not
//! turn into hundreds of syntax errors, and a call shown in a block is still found. A block
//! tagged `deluge` (or `dg`, `ds`, `zoho`) is always linted; an untagged block, or one
//! tagged as JavaScript or Java (which Deluge is often highlighted as), only when its code
//! shows a sign of Deluge and none of another language; a block tagged with any other
//! language (`json`, `bash`, `sql`, ...) never is.

use std::path::Path;

use deluge_syntax::{TextRange, TextSize};

use crate::Script;
use crate::foreign::{foreign_language, has_deluge_signs};

/// Extensions of Markdown documents: their blocks are linted, never their prose.
const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mdx", "mkd"];

/// Info strings that say a block is Deluge.
const DELUGE_TAGS: &[&str] = &["deluge", "dg", "ds", "zoho", "zoho-deluge", "zohodeluge"];

/// Info strings under which Deluge is often pasted for want of its own highlighting.
const MAYBE_DELUGE_TAGS: &[&str] = &[
    "",
    "js",
    "javascript",
    "java",
    "c",
    "text",
    "txt",
    "plain",
    "plaintext",
    "code",
];

/// Whether `path` names a Markdown document.
pub fn is_markdown_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| MARKDOWN_EXTENSIONS.iter().any(|m| e.eq_ignore_ascii_case(m)))
}

/// The fenced code blocks of `text` that hold Deluge, in order, each named by the line of
/// its opening fence.
pub fn deluge_blocks(text: &str) -> Vec<Script> {
    if !may_have_fence(text) {
        return Vec::new();
    }
    fenced_blocks(text)
        .into_iter()
        .filter(|block| holds_deluge(block.tag, &text[block.body]))
        .map(|block| Script {
            name: format!("code block at line {}", block.line),
            range: block.body,
        })
        .collect()
}

/// Whether three backticks or tildes stand together anywhere: every file is asked, almost
/// none has either character, and one vectorised search for both says so.
fn may_have_fence(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'`', b'~', bytes).any(|at| {
        bytes
            .get(at..at + 3)
            .is_some_and(|run| run[1] == run[0] && run[2] == run[0])
    })
}

fn holds_deluge(tag: &str, code: &str) -> bool {
    let tag = tag.to_ascii_lowercase();
    if DELUGE_TAGS.contains(&tag.as_str()) {
        return true;
    }
    MAYBE_DELUGE_TAGS.contains(&tag.as_str()) && has_deluge_signs(code) && foreign_language(code).is_none()
}

/// One fenced code block.
#[derive(Debug, PartialEq, Eq)]
struct FencedBlock<'t> {
    /// The first word of the info string (`deluge` of ```` ```deluge title="x" ````).
    tag: &'t str,
    /// The 1-based line of the opening fence.
    line: usize,
    /// From the start of the line after the opening fence to the start of the closing
    /// fence's line (or the end of the text, for a block never closed).
    body: TextRange,
}

/// An opening or closing fence: ``` ``` ``` or `~~~`, three or more, after any indentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Fence {
    mark: u8,
    length: usize,
}

/// The fence `line` opens, with its info string.
fn opening_fence(line: &str) -> Option<(Fence, &str)> {
    let rest = line.trim_start_matches([' ', '\t']);
    let mark = *rest.as_bytes().first()?;
    if mark != b'`' && mark != b'~' {
        return None;
    }
    let length = rest.bytes().take_while(|&b| b == mark).count();
    let info = rest[length..].trim();
    // A backtick fence's info string has no backtick: ```` ``code`` ```` is inline code.
    if length < 3 || (mark == b'`' && info.contains('`')) {
        return None;
    }
    let tag = info.split_whitespace().next().unwrap_or("");
    let tag = tag.trim_start_matches(['{', '.']).trim_end_matches('}');
    Some((Fence { mark, length }, tag))
}

/// Whether `line` closes a block opened by `fence`: the same mark, at least as many, and
/// nothing after them.
fn closes(line: &str, fence: Fence) -> bool {
    let rest = line.trim_start_matches([' ', '\t']);
    let length = rest.bytes().take_while(|&b| b == fence.mark).count();
    length >= fence.length && rest[length..].trim().is_empty()
}

fn fenced_blocks(text: &str) -> Vec<FencedBlock<'_>> {
    let mut blocks = Vec::new();
    let mut open: Option<(Fence, &str, usize, usize)> = None;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        match open {
            Some((fence, tag, line_number, body_start)) if closes(content, fence) => {
                blocks.push(FencedBlock {
                    tag,
                    line: line_number,
                    body: range(body_start, offset),
                });
                open = None;
            }
            Some(_) => {}
            None => {
                if let Some((fence, tag)) = opening_fence(content) {
                    open = Some((fence, tag, index + 1, offset + line.len()));
                }
            }
        }
        offset += line.len();
    }
    if let Some((_, tag, line, body_start)) = open {
        blocks.push(FencedBlock {
            tag,
            line,
            body: range(body_start.min(text.len()), text.len()),
        });
    }
    blocks
}

fn range(start: usize, end: usize) -> TextRange {
    TextRange::new(TextSize::new(start as u32), TextSize::new(end as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(text: &str) -> Vec<(String, &str)> {
        deluge_blocks(text)
            .into_iter()
            .map(|block| (block.name, &text[block.range]))
            .collect()
    }

    #[test]
    fn tagged_blocks_are_deluge_and_prose_is_not() {
        let doc = "# Sync\n\nThe live version:\n\n```deluge\nresp = getUrl(url);\ninfo resp;\n```\n\nDone.\n";
        assert_eq!(
            bodies(doc),
            [("code block at line 5".to_owned(), "resp = getUrl(url);\ninfo resp;\n")]
        );
    }

    #[test]
    fn untagged_and_javascript_blocks_are_deluge_only_with_its_signs() {
        let doc = "```\nr = zoho.crm.getRecordById(\"Deals\", id);\n```\n\
            ```js\nconst x = ZDK.Page.getField('a');\nconsole.log(x);\n```\n\
            ```\ndelint check .\n```\n\
            ```\n<script>\n    ZOHO.embeddedApp.on(\"PageLoad\", function(data) {\n        console.log(data);\n    })\n    ZOHO.embeddedApp.init();\n</script>\n```\n\
            ```json\n{\"url\": \"https://www.zohoapis.com/crm/v2/Leads\"}\n```\n\
            ~~~javascript\nresp = invokeurl [ url: u type: GET ];\n~~~\n";
        let found: Vec<_> = bodies(doc).into_iter().map(|(name, _)| name).collect();
        assert_eq!(found, ["code block at line 1", "code block at line 22"]);
    }

    #[test]
    fn fences_follow_commonmark() {
        // A longer fence holds a shorter one; a list item's fence is indented; an unclosed
        // block runs to the end.
        let doc = "- step one:\n\n    ````deluge\n    x = \"```\";\n    ```\n    info x;\n    ````\n\n```dg\ninfo 1;\n";
        assert_eq!(
            bodies(doc),
            [
                (
                    "code block at line 3".to_owned(),
                    "    x = \"```\";\n    ```\n    info x;\n"
                ),
                ("code block at line 9".to_owned(), "info 1;\n")
            ]
        );
        assert!(bodies("Use ``` ``x`` ``` inline.\n").is_empty());
        assert_eq!(bodies("```deluge"), [("code block at line 1".to_owned(), "")]);
    }

    #[test]
    fn markdown_is_known_by_its_extension() {
        for path in ["README.md", "notes/handover.MARKDOWN", "a.mdx"] {
            assert!(is_markdown_path(Path::new(path)), "{path}");
        }
        for path in ["send.dg", "README", "md"] {
            assert!(!is_markdown_path(Path::new(path)), "{path}");
        }
    }
}
