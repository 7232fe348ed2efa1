//! CRM function exports in JSON (reference §7.3): `{"functions": [{"name", "api_name",
//! "category", "script", ...}]}` as the functions API returns it, a single function object,
//! or an array of them. Each `script` is a JSON string; its position in the JSON file is
//! kept so findings can point at where it starts.

use serde::Deserialize;
use serde_json::value::RawValue;

/// One exported function with its decoded script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportedFunction {
    /// Its name (`name`, else `api_name`, else `display_name`, else `#N`).
    pub name: String,
    /// `automation`, `button`, `standalone`, ...
    pub category: Option<String>,
    /// The Deluge, unescaped.
    pub script: String,
    /// The byte offset of the script string's opening quote in the JSON file.
    pub offset: usize,
}

/// What a JSON document turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub enum JsonContents {
    /// A function export (possibly with no scripts in it).
    Functions {
        functions: Vec<ExportedFunction>,
        /// Functions that were left out, and why (no script, not Deluge).
        left_out: Vec<String>,
    },
    /// Valid JSON that is not a function export.
    Unrelated,
    /// Not valid JSON.
    Invalid(InvalidJson),
}

/// Where and why a text is not valid JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidJson {
    /// 1-based line and column (in bytes, as serde_json counts them).
    pub line: usize,
    pub column: usize,
    /// The byte offset of that position in the text, on a character boundary.
    pub offset: usize,
    /// `not valid JSON: expected value`.
    pub message: String,
}

impl std::fmt::Display for InvalidJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// `{"functions": [...]}`. (Not an untagged enum with the other shapes: serde buffers
/// untagged content, and a buffered raw value no longer borrows from the text.)
#[derive(Deserialize)]
struct Export<'a> {
    #[serde(borrow)]
    functions: Vec<Function<'a>>,
}

#[derive(Deserialize)]
struct Function<'a> {
    name: Option<String>,
    api_name: Option<String>,
    display_name: Option<String>,
    category: Option<String>,
    language: Option<String>,
    #[serde(borrow)]
    script: Option<&'a RawValue>,
}

impl Function<'_> {
    fn name(&self, ordinal: usize) -> String {
        [&self.name, &self.api_name, &self.display_name]
            .into_iter()
            .flatten()
            .find(|n| !n.trim().is_empty())
            .map_or_else(|| format!("#{}", ordinal + 1), Clone::clone)
    }
}

/// Reads `text` as JSON and picks out the functions' scripts.
pub fn read(text: &str) -> JsonContents {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(error) => {
            let (line, column) = (error.line(), error.column());
            let line_start: usize = text
                .split_inclusive('\n')
                .take(line.saturating_sub(1))
                .map(str::len)
                .sum();
            let mut offset = (line_start + column.saturating_sub(1)).min(text.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            return JsonContents::Invalid(InvalidJson {
                line,
                column,
                offset,
                message: format!("not valid JSON: {}", strip_position(&error.to_string())),
            });
        }
    };
    if !looks_like_export(&value) {
        return JsonContents::Unrelated;
    }
    let functions = match &value {
        serde_json::Value::Object(map) if map.contains_key("functions") => {
            serde_json::from_str::<Export>(text).map(|export| export.functions)
        }
        serde_json::Value::Array(_) => serde_json::from_str::<Vec<Function>>(text),
        _ => serde_json::from_str::<Function>(text).map(|function| vec![function]),
    };
    let Ok(functions) = functions else {
        return JsonContents::Unrelated;
    };
    let mut out = Vec::new();
    let mut left_out = Vec::new();
    for (ordinal, function) in functions.iter().enumerate() {
        let name = function.name(ordinal);
        let title = title(&name, function.category.as_deref());
        let language = function.language.as_deref().unwrap_or("deluge");
        if !language.eq_ignore_ascii_case("deluge") {
            left_out.push(format!("{title}: written in {language}, not Deluge"));
            continue;
        }
        let Some(raw) = function.script else {
            left_out.push(format!(
                "{title}: no script (export each function's details to include it)"
            ));
            continue;
        };
        let Ok(script) = serde_json::from_str::<String>(raw.get()) else {
            left_out.push(format!("{title}: its script is not a string"));
            continue;
        };
        out.push(ExportedFunction {
            name,
            category: function.category.clone(),
            script,
            // The raw value borrows from `text`: its address gives its offset.
            offset: raw.get().as_ptr() as usize - text.as_ptr() as usize,
        });
    }
    JsonContents::Functions {
        functions: out,
        left_out,
    }
}

/// Where each byte of a decoded script came from in the JSON text: `map[i]` is the offset
/// of the character or escape (`\n`, `\"`, `\u00e9`) that gave the script's byte `i`, and
/// `map[script.len()]` is the closing quote. A range of the script maps to the JSON text
/// through it, so an editor can underline a finding inside the string. The map is decoded
/// as serde_json decodes the string; should it disagree, every byte maps to the opening
/// quote.
pub fn source_map(text: &str, function: &ExportedFunction) -> Vec<u32> {
    let fallback = || vec![offset_u32(function.offset); function.script.len() + 1];
    let Some(map) = decode_map(text, function.offset) else {
        return fallback();
    };
    if map.len() == function.script.len() + 1 {
        map
    } else {
        fallback()
    }
}

fn offset_u32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// The offsets of the string literal opening at `quote`, per decoded byte (see
/// [`source_map`]); `None` if it is not a well-formed JSON string.
fn decode_map(text: &str, quote: usize) -> Option<Vec<u32>> {
    let bytes = text.as_bytes();
    (bytes.get(quote) == Some(&b'"')).then_some(())?;
    let mut map = Vec::new();
    let mut at = quote + 1;
    loop {
        match *bytes.get(at)? {
            b'"' => {
                map.push(offset_u32(at));
                return Some(map);
            }
            b'\\' => {
                let (decoded_len, escape_len) = escape_at(bytes, at)?;
                map.extend(std::iter::repeat_n(offset_u32(at), decoded_len));
                at += escape_len;
            }
            _ => {
                let len = text[at..].chars().next()?.len_utf8();
                map.extend((at..at + len).map(offset_u32));
                at += len;
            }
        }
    }
}

/// The escape at `at` (a backslash): how many bytes it decodes to and how long it is.
fn escape_at(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let hex = |from: usize| -> Option<u32> {
        let digits = std::str::from_utf8(bytes.get(from..from + 4)?).ok()?;
        u32::from_str_radix(digits, 16).ok()
    };
    match *bytes.get(at + 1)? {
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some((1, 2)),
        b'u' => {
            let unit = hex(at + 2)?;
            if (0xD800..0xDC00).contains(&unit) && bytes.get(at + 6..at + 8) == Some(b"\\u") {
                // A surrogate pair: one character of four bytes from twelve.
                Some((4, 12))
            } else {
                Some((char::from_u32(unit).map_or(3, char::len_utf8), 6))
            }
        }
        _ => None,
    }
}

/// `function send_invoice (automation)`.
pub fn title(name: &str, category: Option<&str>) -> String {
    match category {
        Some(category) => format!("function {name} ({category})"),
        None => format!("function {name}"),
    }
}

impl ExportedFunction {
    /// `function send_invoice (automation)`.
    pub fn title(&self) -> String {
        title(&self.name, self.category.as_deref())
    }
}

/// A `functions` array, an array of function objects, or one function object.
fn looks_like_export(value: &serde_json::Value) -> bool {
    let is_function = |v: &serde_json::Value| v.get("script").is_some() || v.get("api_name").is_some();
    match value {
        serde_json::Value::Object(map) => match map.get("functions") {
            Some(serde_json::Value::Array(items)) => items.iter().all(is_function),
            Some(_) => false,
            None => is_function(value),
        },
        serde_json::Value::Array(items) => !items.is_empty() && items.iter().all(is_function),
        _ => false,
    }
}

/// serde_json appends " at line L column C", which the caller already says.
fn strip_position(message: &str) -> &str {
    message.rfind(" at line ").map_or(message, |at| &message[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn functions(text: &str) -> Vec<ExportedFunction> {
        match read(text) {
            JsonContents::Functions { functions, .. } => functions,
            other => panic!("not a function export: {other:?}"),
        }
    }

    #[test]
    fn every_byte_of_a_script_maps_back_into_the_json_string() {
        let text = r#"{"functions": [{"name": "f", "script": "a = \"\u00e9\";\n\tb = \ud83d\ude00 + 1;"}]}"#;
        let function = &functions(text)[0];
        let map = source_map(text, function);
        assert_eq!(map.len(), function.script.len() + 1);
        let at = |needle: &str| function.script.find(needle).unwrap();
        let json_at = |needle: &str| text.find(needle).unwrap() as u32;
        assert_eq!(map[0], json_at("a = "), "the first byte");
        assert_eq!(map[at("b =")], json_at("b ="), "after \\n and \\t");
        assert_eq!(map[at("é")], json_at("\\u00e9"), "é comes from its escape");
        assert_eq!(map[at("+ 1")], json_at("+ 1"), "after a surrogate pair");
        assert_eq!(
            *map.last().unwrap() as usize,
            text.rfind('"').unwrap(),
            "the closing quote"
        );
        assert!(map.windows(2).all(|w| w[0] <= w[1]), "in order");
    }

    #[test]
    fn scripts_are_decoded_and_located() {
        let text = r#"{"functions": [{"name": "send", "category": "automation", "script": "a = \"x\";\n\tb = 1;"}]}"#;
        let found = functions(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].title(), "function send (automation)");
        assert_eq!(found[0].script, "a = \"x\";\n\tb = 1;");
        assert_eq!(&text[found[0].offset..found[0].offset + 4], "\"a =");
    }

    #[test]
    fn a_single_function_object_and_an_array_are_exports_too() {
        assert_eq!(functions(r#"{"api_name": "f", "script": "info 1;"}"#)[0].name, "f");
        assert_eq!(functions(r#"[{"api_name": "f", "script": "info 1;"}]"#).len(), 1);
    }

    #[test]
    fn other_json_is_unrelated_and_broken_json_says_where() {
        assert_eq!(
            read(r#"{"name": "my-package", "version": "1.0.0"}"#),
            JsonContents::Unrelated
        );
        assert_eq!(read("[]"), JsonContents::Unrelated);
        let broken = "{\"functions\": [\n  {\"script\": }]}";
        assert_eq!(
            read(broken),
            JsonContents::Invalid(InvalidJson {
                line: 2,
                column: 14,
                offset: 29,
                message: "not valid JSON: expected value".to_owned(),
            })
        );
        assert_eq!(
            &broken[29..30],
            "}",
            "the offset is the character the parser stopped at"
        );
        // Columns count bytes: after accented letters the offset still lands on the `}`.
        let accented = "{\"nome\": \"a\u{e7}\u{e3}o\", }";
        let JsonContents::Invalid(error) = read(accented) else {
            panic!()
        };
        assert_eq!(&accented[error.offset..], "}");
        assert_eq!(error.to_string(), format!("1:{}: {}", error.column, error.message));
    }

    #[test]
    fn functions_without_deluge_are_left_out_with_a_reason() {
        let text = r#"{"functions": [{"api_name": "a"}, {"api_name": "b", "language": "nodejs", "script": "x"}]}"#;
        let JsonContents::Functions { functions, left_out } = read(text) else {
            panic!()
        };
        assert!(functions.is_empty());
        assert_eq!(
            left_out,
            [
                "function a: no script (export each function's details to include it)",
                "function b: written in nodejs, not Deluge"
            ]
        );
    }
}
