//! An open document: its text, version, and the positions LSP speaks in (UTF-16).

use deluge_syntax::{LineIndex, TextRange, TextSize, Utf16LineCol};
use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// The text the editor holds, as of `version`.
#[derive(Debug)]
pub struct Document {
    pub text: String,
    pub version: i32,
    pub index: LineIndex,
}

impl Document {
    pub fn new(text: String, version: i32) -> Document {
        let index = LineIndex::new(&text);
        Document { text, version, index }
    }

    /// Applies full or incremental changes in order.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, version: i32) {
        for change in changes {
            match change.range {
                None => self.text = change.text,
                Some(range) => {
                    let range = self.text_range(range);
                    self.text
                        .replace_range(std::ops::Range::<usize>::from(range), &change.text);
                }
            }
            self.index = LineIndex::new(&self.text);
        }
        self.version = version;
    }

    /// An LSP position (UTF-16 columns) as a byte offset, clamped to the text.
    pub fn offset(&self, position: Position) -> TextSize {
        self.index.offset_of_utf16(
            &self.text,
            Utf16LineCol {
                line: position.line,
                column: position.character,
            },
        )
    }

    /// An LSP range as a text range (start never after end).
    pub fn text_range(&self, range: Range) -> TextRange {
        let (start, end) = (self.offset(range.start), self.offset(range.end));
        TextRange::new(start.min(end), end.max(start))
    }

    /// A text range as an LSP range.
    pub fn range(&self, range: TextRange) -> Range {
        Range::new(self.position(range.start()), self.position(range.end()))
    }

    pub fn position(&self, offset: TextSize) -> Position {
        let at = self.index.utf16_line_col(&self.text, offset);
        Position::new(at.line, at.column)
    }

    /// The text's end, for edits replacing everything.
    pub fn end(&self) -> Position {
        self.position(TextSize::of(&self.text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_surrogate_pairs_twice() {
        let doc = Document::new("info \"😀é\"; r = getUrl(u);\n".into(), 1);
        let at = doc.text.find("getUrl").unwrap();
        let position = doc.position(TextSize::new(at as u32));
        assert_eq!(
            position,
            Position::new(0, 16),
            "😀 is 2 UTF-16 units, é is 1: 15 characters before"
        );
        assert_eq!(usize::from(doc.offset(position)), at);
    }

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut doc = Document::new("a = 1;\nb = 2;\n".into(), 1);
        let change = |start: (u32, u32), end: (u32, u32), text: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(start.0, start.1), Position::new(end.0, end.1))),
            range_length: None,
            text: text.into(),
        };
        doc.apply(vec![change((0, 4), (0, 5), "10"), change((1, 0), (1, 1), "bb")], 2);
        assert_eq!(doc.text, "a = 10;\nbb = 2;\n");
        assert_eq!(doc.version, 2);
    }
}
