//! The Deluge front end: lexer, resilient parser, AST, text ranges and line index.
//!
//! Parsing never fails: [`parse`] always returns a [`SourceFile`](ast::SourceFile) together with the
//! [`SyntaxError`]s it met, and the tree holds every statement it could recover.
//! This crate knows nothing of lint rules, configuration, files or output formats.

mod arena;
pub mod ast;
mod date;
pub mod dump;
mod error;
pub mod lexer;
mod line_index;
mod parser;
mod visit;

pub use arena::{Arena, with_thread_arena};
pub use error::SyntaxError;
pub use line_index::{LineCol, LineIndex, Utf16LineCol};
pub use parser::{MAX_NESTING, Parsed, parse, parse_fast_path_only, parse_resilient_only};
pub use text_size::{TextLen, TextRange, TextSize};
