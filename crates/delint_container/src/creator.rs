//! Zoho Creator application exports (reference §7.1): a declarative description of the app
//! with Deluge inside workflow actions (`custom deluge script ( ... )`, `on load ( ... )`,
//! `on click ( ... )`, ...) and in the `functions { Deluge { ... } }` section.
//!
//! The outer language is not Deluge, but it lexes as Deluge does (words, strings, comments,
//! brackets), and the scripts inside hold strings and comments with brackets in them. So
//! the export is walked token by token with the Deluge lexer, never by counting raw
//! characters: a `)` inside a string or a comment never closes a script.

use deluge_syntax::lexer::{Token, TokenKind, lex};
use deluge_syntax::{TextRange, TextSize};

use crate::Script;

/// Whether `text` begins, after comments, with `application "Name"`: a Creator export.
/// A `.ds` file without that header is a plain Deluge file (many repositories keep single
/// CRM functions as `.ds`).
pub fn is_application_export(text: &str) -> bool {
    let rest = skip_trivia(text.trim_start_matches('\u{FEFF}'));
    let Some(rest) = strip_word(rest, "application") else {
        return false;
    };
    rest.trim_start().starts_with('"')
}

fn skip_trivia(mut text: &str) -> &str {
    loop {
        text = text.trim_start();
        if let Some(rest) = text.strip_prefix("/*") {
            text = rest.find("*/").map_or("", |end| &rest[end + 2..]);
        } else if let Some(rest) = text.strip_prefix("//") {
            text = rest.find('\n').map_or("", |end| &rest[end..]);
        } else {
            return text;
        }
    }
}

fn strip_word<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let head = text.get(..word.len())?;
    let rest = &text[word.len()..];
    (head.eq_ignore_ascii_case(word) && rest.starts_with(char::is_whitespace)).then_some(rest)
}

/// The Deluge scripts of an application export, in file order.
pub fn scripts(text: &str) -> Vec<Script> {
    let lexed = lex(text);
    Walker {
        text,
        tokens: &lexed.tokens,
        frames: Vec::new(),
        scripts: Vec::new(),
    }
    .walk()
}

/// An open `{ ... }` block of the outer language and the words that introduced it.
struct Frame {
    header: Vec<String>,
}

impl Frame {
    fn is(&self, word: &str) -> bool {
        self.header.len() == 1 && self.header[0].eq_ignore_ascii_case(word)
    }

    /// `Name as "Display"` or a bare `Name`: the name of a workflow or function block.
    fn name(&self) -> Option<&str> {
        match self.header.as_slice() {
            [name, r#as, ..] if r#as.eq_ignore_ascii_case("as") => Some(name),
            [name] => Some(name),
            _ => None,
        }
    }

    /// `on success`, `on user input of Quantity`: the event a script runs on.
    fn event(&self) -> Option<String> {
        event(&self.header)
    }
}

fn event(words: &[String]) -> Option<String> {
    let first = words.first()?;
    first.eq_ignore_ascii_case("on").then(|| words.join(" "))
}

struct Walker<'t> {
    text: &'t str,
    tokens: &'t [Token],
    frames: Vec<Frame>,
    scripts: Vec<Script>,
}

impl Walker<'_> {
    fn walk(mut self) -> Vec<Script> {
        let mut i = 0;
        while i < self.tokens.len() {
            i = match self.tokens[i].kind {
                TokenKind::LBrace if self.in_custom_functions() => self.custom_function(i),
                TokenKind::LBrace => {
                    let header = self.header_before(i);
                    self.frames.push(Frame { header });
                    i + 1
                }
                TokenKind::RBrace => {
                    self.frames.pop();
                    i + 1
                }
                _ if self.in_custom_functions() && self.tokens[i].kind.is_word() => self.custom_function(i),
                TokenKind::LParen => self.parenthesised(i),
                _ => i + 1,
            };
        }
        self.scripts
    }

    /// Inside `functions { Deluge { ... } }` at the top level of the application.
    fn in_custom_functions(&self) -> bool {
        matches!(self.frames.as_slice(), [_application, functions, deluge]
            if functions.is("functions") && deluge.is("Deluge"))
    }

    /// A `( ... )` group starting at token `open`: a script when the words before it are
    /// `custom deluge script` or an event (`on load`, `on click`, ...), a property list
    /// otherwise. Returns the index after its `)`.
    fn parenthesised(&mut self, open: usize) -> usize {
        let close = self.matching(open, TokenKind::LParen, TokenKind::RParen);
        let words = self.header_before(open);
        let is_script = event(&words).is_some() || words.join(" ").eq_ignore_ascii_case("custom deluge script");
        if is_script {
            let start = self.tokens[open].range.end();
            let end = close.map_or(TextSize::of(self.text), |c| self.tokens[c].range.start());
            let name = self.workflow_name(&words);
            self.scripts.push(Script {
                name,
                range: TextRange::new(start, end),
            });
        }
        close.map_or(self.tokens.len(), |c| c + 1)
    }

    /// A custom function, `void ns.name(string a) { ... }`, starting at token `start`.
    fn custom_function(&mut self, start: usize) -> usize {
        let Some(body) = (start..self.tokens.len()).find(|&j| self.tokens[j].kind == TokenKind::LBrace) else {
            return self.tokens.len();
        };
        let close = self.matching(body, TokenKind::LBrace, TokenKind::RBrace);
        let end = close.map_or(TextSize::of(self.text), |c| self.tokens[c].range.end());
        let signature = &self.tokens[start..body];
        let paren = signature.iter().position(|t| t.kind == TokenKind::LParen);
        let name: String = signature[..paren.unwrap_or(signature.len())]
            .iter()
            .skip(1)
            .map(|t| &self.text[t.range])
            .collect();
        self.scripts.push(Script {
            name: format!("function {}", if name.is_empty() { "(unnamed)" } else { &name }),
            range: TextRange::new(self.tokens[start].range.start(), end),
        });
        close.map_or(self.tokens.len(), |c| c + 1)
    }

    /// The index of the token closing the group opened at `open`, balancing only that
    /// bracket pair (strings and comments are already tokens of their own).
    fn matching(&self, open: usize, left: TokenKind, right: TokenKind) -> Option<usize> {
        let mut depth = 0usize;
        for (j, token) in self.tokens.iter().enumerate().skip(open) {
            if token.kind == left {
                depth += 1;
            } else if token.kind == right {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
        }
        None
    }

    /// The words and strings on the line of the token just before `at`: `on success`,
    /// `Add_estoque as "Add estoque"`, `custom deluge script` (whose `(` is on the next line).
    fn header_before(&self, at: usize) -> Vec<String> {
        let mut first = at;
        while first > 0 {
            let token = self.tokens[first - 1];
            let is_part = token.kind.is_word() || token.kind == TokenKind::String;
            let gap = TextRange::new(token.range.end(), self.tokens[first].range.start());
            let same_line = first == at || !self.text[gap].contains('\n');
            if !is_part || !same_line {
                break;
            }
            first -= 1;
        }
        self.tokens[first..at]
            .iter()
            .map(|t| self.text[t.range].to_owned())
            .collect()
    }

    /// `workflow Add_estoque (on success)`, `schedule Nightly (on load)`.
    fn workflow_name(&self, words: &[String]) -> String {
        let event = event(words)
            .or_else(|| self.frames.iter().rev().find_map(Frame::event))
            .unwrap_or_else(|| "script".to_owned());
        // Under `workflow { <kind> { <Name> { ... } } }`.
        let workflow = self.frames.iter().position(|f| f.is("workflow"));
        let (kind, name) = match workflow {
            Some(w) => {
                let kind = self.frames.get(w + 1).and_then(Frame::name).unwrap_or("form");
                let name = self.frames.get(w + 2).and_then(Frame::name);
                (kind, name)
            }
            None => ("form", self.frames.iter().rev().find_map(Frame::name)),
        };
        let kind = match kind.to_ascii_lowercase().as_str() {
            "schedule" => "schedule",
            "blueprint" => "blueprint",
            "batchworkflow" => "batch workflow",
            _ => "workflow",
        };
        format!("{kind} {} ({event})", name.unwrap_or("(unnamed)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_and_code(text: &str) -> Vec<(String, String)> {
        scripts(text)
            .into_iter()
            .map(|s| (s.name, text[s.range].trim().to_owned()))
            .collect()
    }

    #[test]
    fn the_application_header_marks_an_export() {
        assert!(is_application_export(
            "\u{FEFF}/*\n * Author : x\n */\n application \"Estoque\"\n {\n }"
        ));
        assert!(is_application_export("// exported\nApplication \"A\" {}"));
        assert!(!is_application_export("void automation.f(string id)\n{\n}"));
        assert!(!is_application_export("application = \"x\";"));
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_end_a_script() {
        let text = "application \"A\"\n{\n workflow\n {\n  form\n  {\n   W as \"W\"\n   {\n    on success\n    {\n     actions\n     {\n      custom deluge script\n      (\n       // a ) in a comment\n       x = \") }\";\n       /* ( */ info x;\n      )\n     }\n    }\n   }\n  }\n }\n}\n";
        assert_eq!(
            names_and_code(text),
            [(
                "workflow W (on success)".to_owned(),
                "// a ) in a comment\n       x = \") }\";\n       /* ( */ info x;".to_owned()
            )]
        );
    }

    #[test]
    fn event_scripts_schedules_and_custom_functions_are_found() {
        let text = "application \"A\"\n{\n workflow\n {\n  schedule\n  {\n   Nightly as \"N\"\n   {\n    on start\n    {\n     actions\n     {\n      on load\n      (\n       info 1;\n      )\n     }\n    }\n   }\n  }\n  functions\n  {\n   Btn as \"B\"\n   {\n    type = functions\n    on click\n    (\n     info 2;\n    )\n   }\n  }\n }\n functions\n {\n  Deluge\n  {\n   void ns.f(string a)\n   {\n    info {\"a\": a};\n   }\n   map g()\n   {\n    return Map();\n   }\n  }\n }\n}\n";
        assert_eq!(
            names_and_code(text),
            [
                ("schedule Nightly (on load)".to_owned(), "info 1;".to_owned()),
                ("workflow Btn (on click)".to_owned(), "info 2;".to_owned()),
                (
                    "function ns.f".to_owned(),
                    "void ns.f(string a)\n   {\n    info {\"a\": a};\n   }".to_owned()
                ),
                (
                    "function g".to_owned(),
                    "map g()\n   {\n    return Map();\n   }".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn field_events_blueprints_and_batch_workflows_are_named() {
        let text = "application \"A\"\n{\n workflow\n {\n  form\n  {\n   Calc as \"C\"\n   {\n    type = form\n    on user input of Quantidade\n    (\n     input.Total = input.Quantidade * 2;\n    )\n   }\n  }\n  blueprint\n  {\n   Approval as \"A\"\n   {\n    on before transition\n    {\n     actions\n     {\n      custom deluge script\n      (\n       info \"(\";\n      )\n     }\n    }\n   }\n  }\n  batchworkflow\n  {\n   Cleanup\n   {\n    on load\n    (\n     info 3;\n    )\n   }\n  }\n }\n}\n";
        assert_eq!(
            names_and_code(text),
            [
                (
                    "workflow Calc (on user input of Quantidade)".to_owned(),
                    "input.Total = input.Quantidade * 2;".to_owned()
                ),
                (
                    "blueprint Approval (on before transition)".to_owned(),
                    "info \"(\";".to_owned()
                ),
                ("batch workflow Cleanup (on load)".to_owned(), "info 3;".to_owned()),
            ]
        );
    }

    #[test]
    fn property_lists_are_not_scripts() {
        let text = "application \"A\"\n{\n form F\n {\n  must have Nome\n  (\n   type = text\n  )\n  actions\n  {\n   on add\n   {\n    submit\n    (\n     type = submit\n    )\n   }\n  }\n }\n}\n";
        assert!(scripts(text).is_empty());
    }
}
