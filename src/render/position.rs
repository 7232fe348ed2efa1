//! 1-based rows and character columns, as every format but LSP reports them.

use std::cell::OnceCell;

use deluge_syntax::{LineIndex, TextRange};

/// A 1-based row and character column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub row: u32,
    pub column: u32,
}

/// Positions within one report's source.
pub struct Positions<'a> {
    source: &'a str,
    /// Built at the first position asked for: most files have no findings to place.
    index: OnceCell<LineIndex>,
}

impl<'a> Positions<'a> {
    pub fn new(source: &'a str) -> Positions<'a> {
        Positions {
            source,
            index: OnceCell::new(),
        }
    }

    /// The start and end of `range`.
    pub fn range(&self, range: TextRange) -> (Location, Location) {
        let index = self.index.get_or_init(|| LineIndex::new(self.source));
        let (start, end) = index.range_line_cols(self.source, range);
        (
            Location {
                row: start.line,
                column: start.column,
            },
            Location {
                row: end.line,
                column: end.column,
            },
        )
    }

    /// The text of the lines `range` touches.
    pub fn lines_of(&self, range: TextRange) -> &'a str {
        &self.source[self.line_span(range)]
    }

    /// The byte range of the lines `range` touches, without the last line break.
    pub fn line_span(&self, range: TextRange) -> std::ops::Range<usize> {
        let start = self.source[..usize::from(range.start())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let end = self.source[usize::from(range.end())..]
            .find('\n')
            .map_or(self.source.len(), |i| usize::from(range.end()) + i);
        start..end
    }
}
