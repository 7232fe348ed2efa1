//! Recognising files that are not Deluge at all: CRM client scripts in JavaScript, READMEs.
//! Asked only about files that failed to parse, so real Deluge (which never has these
//! markers) is never skipped, and a file of Deluge in disguise (`.js` for highlighting)
//! that parses is linted.

/// Why `text`, which did not parse as Deluge, is some other language; `None` when it
/// looks like broken Deluge.
///
/// Only code counts: comments and the contents of strings are blanked first, so a
/// `// =====` banner or a message that mentions `console.log` is no sign of anything.
/// JavaScript's signs are weighed against Deluge's own (`invokeurl`, `for each`, `info`,
/// `zoho.` tasks, `input.`, typed function headers); in doubt, the file is Deluge.
pub fn foreign_language(text: &str) -> Option<&'static str> {
    let mut javascript = 0;
    let mut deluge = 0;
    let mut markdown = 0;
    // Lines of code punctuation (every Deluge script has a `;` or a brace), and of words.
    let mut punctuated = 0;
    let mut other = 0;
    let mut sentences = 0;
    let mut in_block_comment = false;
    for raw in text.lines() {
        let code = code_of_line(raw, &mut in_block_comment);
        let line = code.trim_start();
        javascript += usize::from(is_javascript(line));
        deluge += usize::from(is_deluge(line));
        markdown += usize::from(is_markdown(raw.trim_start()));
        punctuated += usize::from(line.contains([';', '{', '}']));
        other += usize::from(is_another_language(raw.trim_start()));
        sentences += usize::from(is_sentence(raw));
    }
    // One line of JavaScript is enough when nothing at all is Deluge's (a one-line client
    // script under a comment banner); otherwise it takes two, and more than Deluge's.
    let enough_javascript = javascript >= 2 || (javascript == 1 && deluge == 0);
    if enough_javascript && javascript > deluge && javascript >= markdown && javascript >= other {
        Some("JavaScript (a CRM client script or widget?)")
    } else if (other >= 2 || starts_with_shebang(text)) && other > deluge && other >= javascript {
        Some("another language (Python, a shell script or SQL?)")
    } else if deluge == 0 && (markdown >= 2 || (punctuated == 0 && sentences > 0)) {
        Some("Markdown or prose")
    } else {
        None
    }
}

/// Whether any line of `text`'s code (comments and string contents left out) is one only
/// Deluge has: `invokeurl`, a `zoho.` task, `for each`, a typed function header, ...
pub(crate) fn has_deluge_signs(text: &str) -> bool {
    let mut in_block_comment = false;
    text.lines()
        .any(|raw| is_deluge(code_of_line(raw, &mut in_block_comment).trim_start()))
}

/// A line with its comments removed and its strings' contents blanked (the quotes stay),
/// carrying an open `/* .. */` comment over to the next line.
fn code_of_line(line: &str, in_block_comment: &mut bool) -> String {
    let mut code = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        if *in_block_comment {
            if c == '*' && chars.peek() == Some(&'/') {
                chars.next();
                *in_block_comment = false;
            }
            continue;
        }
        match quote {
            Some(open) => {
                if c == '\\' {
                    chars.next();
                } else if c == open {
                    quote = None;
                    code.push(c);
                }
            }
            None => match c {
                '"' | '\'' | '`' => {
                    quote = Some(c);
                    code.push(c);
                }
                '/' if chars.peek() == Some(&'/') => break,
                '/' if chars.peek() == Some(&'*') => {
                    chars.next();
                    *in_block_comment = true;
                }
                _ => code.push(c),
            },
        }
    }
    code
}

/// Code lines no Deluge script has.
fn is_javascript(line: &str) -> bool {
    const STARTS: &[&str] = &[
        "const ",
        "let ",
        "var ",
        "import ",
        "export ",
        "module.exports",
        "async ",
        "console.",
        "document.",
        "window.",
        "ZDK.",
        "$(",
        "});",
        "})",
        "=> {",
    ];
    const CONTAINS: &[&str] = &[
        " => ",
        "===",
        "!==",
        "require(",
        "console.log(",
        ".addEventListener(",
        // The widget SDKs: `ZOHO.embeddedApp.init()`, `ZOHO.CRM.API.getRecord(..)`.
        "ZOHO.embeddedApp",
        "ZOHO.CRM.",
        "ZOHO.CREATOR.",
        "<script",
        "</script>",
    ];
    STARTS.iter().any(|s| line.starts_with(s))
        || CONTAINS.iter().any(|s| line.contains(s))
        || (line.starts_with("function ") && line.contains('('))
}

/// Code lines only Deluge has.
fn is_deluge(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    const STARTS: &[&str] = &[
        "for each ",
        "info ",
        "info(",
        "void ",
        "string ",
        "map ",
        "list ",
        "bool ",
        "int ",
    ];
    // `zoho.crm.getRecordById`, but not the widget SDK's `ZOHO.CRM.API`.
    if lower.contains("zoho.") && !line.contains("ZOHO.") {
        return true;
    }
    const CONTAINS: &[&str] = &[
        "invokeurl",
        "input.",
        "geturl(",
        "posturl(",
        ".put(\"",
        "map()",
        "list()",
    ];
    STARTS.iter().any(|s| lower.starts_with(s)) || CONTAINS.iter().any(|s| lower.contains(s))
}

/// Whether the first line is an interpreter's (`#!/bin/bash`), which no Deluge script has.
fn starts_with_shebang(text: &str) -> bool {
    text.trim_start_matches('\u{FEFF}').trim_start().starts_with("#!")
}

/// Lines of Python, shell scripts and SQL, which no Deluge script has.
fn is_another_language(line: &str) -> bool {
    const STARTS: &[&str] = &[
        "#!",
        "def ",
        "elif ",
        "print(",
        "self.",
        "echo ",
        "SELECT ",
        "CREATE TABLE",
        "INSERT INTO ",
    ];
    const WHOLE_LINES: &[&str] = &["fi", "done", "esac", "else:", "try:"];
    let python_block =
        (line.starts_with("if ") || line.starts_with("for ") || line.starts_with("class ")) && line.ends_with(':');
    python_block || STARTS.iter().any(|s| line.starts_with(s)) || WHOLE_LINES.contains(&line.trim_end())
}

/// A line of three words or more and nothing but words and sentence punctuation.
fn is_sentence(line: &str) -> bool {
    let words = line
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    words >= 3
        && line
            .chars()
            .all(|c| c.is_alphanumeric() || c.is_whitespace() || ".,:;!?'\"-()/".contains(c))
}

fn is_markdown(line: &str) -> bool {
    line.starts_with("# ")
        || line.starts_with("## ")
        || line.starts_with("### ")
        || line.starts_with("```")
        || line.starts_with("- ")
        || line.starts_with("* ")
        || (line.contains("](") && line.contains('['))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_scripts_and_readmes_are_foreign() {
        let client = "const field = ZDK.Page.getField('Amount');\nif (field.getValue() === null) {\n  ZDK.Client.showAlert('x');\n}\n";
        assert_eq!(
            foreign_language(client),
            Some("JavaScript (a CRM client script or widget?)")
        );
        let readme = "# Scripts\n\nSome functions.\n\n- `send.dg` sends invoices\n- see [docs](https://x)\n";
        assert_eq!(foreign_language(readme), Some("Markdown or prose"));
        let notes =
            "These notes are not Deluge and are not checked.\nAsk Maria (finance) before changing the org id.\n";
        assert_eq!(foreign_language(notes), Some("Markdown or prose"));
        let one_line_client_script = "// Unchanged: the trigger time logic.\n\
            var time = ZDK.Apps.CRM.Functions.execute(\"now\", { \"crmid\": $Page.record_id });\n";
        assert_eq!(
            foreign_language(one_line_client_script),
            Some("JavaScript (a CRM client script or widget?)")
        );
        let shell = "#!/bin/bash\nCF_URL=\"https://www.zohoapis.com/crm/v7/functions/sync/actions/execute\"\ncurl -X POST $CF_URL\n";
        assert_eq!(
            foreign_language(shell),
            Some("another language (Python, a shell script or SQL?)")
        );
        let python = "import requests\n\ndef sync(token):\n    r = requests.get(URL + token)\n    if r.ok:\n        print(r.json())\n";
        assert_eq!(
            foreign_language(python),
            Some("another language (Python, a shell script or SQL?)")
        );
        // Words without code punctuation, but a Deluge sign: broken Deluge, linted.
        assert_eq!(foreign_language("info the total is ready\n"), None);
    }

    #[test]
    fn banners_and_mentions_in_comments_or_strings_are_not_javascript() {
        let banners = "// ==========================\n// Sync invoices\n// ==========================\n\
            void sync(int id)\n{\n\tresp = getUrl(\"https://x?authtoken=\" + t;\n\tinfo resp;\n}\n";
        assert_eq!(foreign_language(banners), None);
        let mentions = "/* old version used const x => y */\nm = Map();\nm.put(\"note\", \"use console.log(x) === y\");\n\
            r = zoho.crmAPIRequest(\"x\";\n";
        assert_eq!(foreign_language(mentions), None);
    }

    #[test]
    fn deluge_signs_outweigh_a_stray_javascript_line() {
        let mixed = "const_rate = 1;\nvar_x = input.Amount;\nlet = 2;\nresp = invokeurl\n[\n\turl: u\n\ttype: GET\n;\nfor each r in resp\n{\n\tinfo r;\n}\n\
            if(a === b) { info 1; }\nif(b !== c) { info 2; }\n";
        assert_eq!(foreign_language(mixed), None);
    }

    #[test]
    fn broken_deluge_is_still_deluge() {
        let broken = "resp = invokeurl [ url: \"https://x\" type: GET\ninfo resp\nm = Map();\nm.put(\"a\", 1;\n";
        assert_eq!(foreign_language(broken), None);
    }
}
