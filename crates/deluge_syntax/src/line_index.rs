//! Byte offset ↔ line/column conversion for display and for the language server.

use text_size::{TextRange, TextSize};

/// A 1-based line and column. Columns count characters (Unicode scalar values),
/// which is what editors and humans mean by "column 7".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// A 0-based line and UTF-16 code-unit column, as the Language Server Protocol counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Utf16LineCol {
    /// 0-based line number.
    pub line: u32,
    /// 0-based column, in UTF-16 code units.
    pub column: u32,
}

/// Precomputed line starts of one text, so lookups cost a binary search.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the first character of every line; always starts with 0.
    line_starts: Vec<TextSize>,
    len: TextSize,
}

impl LineIndex {
    /// Indexes `text`. Lines end at `\n`; a `\r` before it belongs to the line ending.
    pub fn new(text: &str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(TextSize::new(0));
        line_starts.extend(memchr_newlines(text.as_bytes()).map(|offset| TextSize::new(offset as u32 + 1)));
        Self {
            line_starts,
            len: TextSize::of(text),
        }
    }

    /// Number of lines (a text without a trailing newline still has its last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line containing `offset` (offsets past the end map to the last line).
    fn line_of(&self, offset: TextSize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where 0-based `line` starts, if the line exists.
    pub fn line_start(&self, line: usize) -> Option<TextSize> {
        self.line_starts.get(line).copied()
    }

    /// 1-based line and character column of `offset` in `text` (the text this index was built from).
    pub fn line_col(&self, text: &str, offset: TextSize) -> LineCol {
        let line = self.line_of(offset);
        let start = usize::from(self.line_starts[line]);
        let end = floor_char_boundary(text, usize::from(offset.min(self.len)));
        let column = text[start..end].chars().count() as u32 + 1;
        LineCol {
            line: line as u32 + 1,
            column,
        }
    }

    /// 0-based line and UTF-16 column of `offset`, for LSP positions.
    pub fn utf16_line_col(&self, text: &str, offset: TextSize) -> Utf16LineCol {
        let line = self.line_of(offset);
        let start = usize::from(self.line_starts[line]);
        let end = floor_char_boundary(text, usize::from(offset.min(self.len)));
        let column = text[start..end].encode_utf16().count() as u32;
        Utf16LineCol {
            line: line as u32,
            column,
        }
    }

    /// The byte offset of a 0-based line and UTF-16 column, clamped to the line's end.
    pub fn offset_of_utf16(&self, text: &str, position: Utf16LineCol) -> TextSize {
        let Some(start) = self.line_start(position.line as usize) else {
            return self.len;
        };
        let line_end = self.line_start(position.line as usize + 1).unwrap_or(self.len);
        let line_text = &text[usize::from(start)..usize::from(line_end)];
        let mut units = 0;
        for (byte, ch) in line_text.char_indices() {
            if units >= position.column || ch == '\n' || ch == '\r' {
                return start + TextSize::new(byte as u32);
            }
            units += ch.len_utf16() as u32;
        }
        line_end
    }

    /// Start and end of `range` as 1-based line/columns.
    pub fn range_line_cols(&self, text: &str, range: TextRange) -> (LineCol, LineCol) {
        (self.line_col(text, range.start()), self.line_col(text, range.end()))
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(offset, &byte)| (byte == b'\n').then_some(offset))
}

/// The largest char boundary at or before `offset`.
fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a\nçé = 1;\r\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        let eq = TextSize::new(text.find('=').unwrap() as u32);
        assert_eq!(index.line_col(text, eq), LineCol { line: 2, column: 4 });
        let x = TextSize::new(text.find('x').unwrap() as u32);
        assert_eq!(index.line_col(text, x), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs_twice() {
        let text = "s = \"😀\" + t;";
        let index = LineIndex::new(text);
        let plus = TextSize::new(text.find('+').unwrap() as u32);
        assert_eq!(index.utf16_line_col(text, plus).column, 9);
        assert_eq!(index.line_col(text, plus).column, 9);
        let back = index.offset_of_utf16(text, Utf16LineCol { line: 0, column: 9 });
        assert_eq!(back, plus);
    }

    #[test]
    fn offsets_past_the_end_clamp_to_the_last_line() {
        let text = "ab\ncd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, TextSize::new(99)), LineCol { line: 2, column: 3 });
    }
}
