//! `delint debug ast|tokens FILE`: print what the front end makes of a file.

use std::io::{Read, Write};
use std::process::ExitCode;

use deluge_syntax::{LineIndex, dump, lexer};

use crate::cli::{DebugArgs, DebugWhat};

pub fn run(args: &DebugArgs) -> ExitCode {
    let source = match read_source(&args.file) {
        Ok(source) => source,
        Err(error) => {
            eprintln!("error: {}: {error}", args.file.display());
            return ExitCode::from(2);
        }
    };
    let output = match args.what {
        DebugWhat::Ast => dump::dump(&source, &deluge_syntax::parse(&source, &deluge_syntax::Arena::new())),
        DebugWhat::Tokens => tokens(&source),
    };
    let _ = std::io::stdout().lock().write_all(output.as_bytes());
    ExitCode::SUCCESS
}

fn read_source(path: &std::path::Path) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(path)?;
    }
    String::from_utf8(bytes).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not valid UTF-8 (first bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

fn tokens(source: &str) -> String {
    let index = LineIndex::new(source);
    let lexed = lexer::lex(source);
    let mut out = String::new();
    for token in &lexed.tokens {
        let at = index.line_col(source, token.range.start());
        out.push_str(&format!(
            "{}:{} {:?} {:?}\n",
            at.line, at.column, token.kind, &source[token.range]
        ));
    }
    for error in &lexed.errors {
        let at = index.line_col(source, error.range.start());
        out.push_str(&format!("error {}:{}: {}\n", at.line, at.column, error.message));
    }
    out
}
