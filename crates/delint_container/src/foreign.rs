//! Recognising files that are not Deluge at all: CRM client scripts in JavaScript, READMEs.
//! Asked only about files that failed to parse, so real Deluge (which never has these
//! markers) is never skipped, and a file of Deluge in disguise (`.js` for highlighting)
//! that parses is linted.

/// Why `text`, which did not parse as Deluge, is some other language; `None` when it
/// looks like broken Deluge.
pub fn foreign_language(text: &str) -> Option<&'static str> {
    let mut javascript = 0;
    let mut markdown = 0;
    for line in text.lines().map(str::trim_start) {
        javascript += usize::from(is_javascript(line));
        markdown += usize::from(is_markdown(line));
    }
    if javascript >= 2 && javascript >= markdown {
        Some("JavaScript (a CRM client script or widget?)")
    } else if markdown >= 2 {
        Some("Markdown or prose")
    } else {
        None
    }
}

/// Lines no Deluge script has.
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
    const CONTAINS: &[&str] = &[" => ", "===", "!==", "require(", "console.log(", ".addEventListener("];
    STARTS.iter().any(|s| line.starts_with(s))
        || CONTAINS.iter().any(|s| line.contains(s))
        || (line.starts_with("function ") && line.contains('('))
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
    }

    #[test]
    fn broken_deluge_is_still_deluge() {
        let broken = "resp = invokeurl [ url: \"https://x\" type: GET\ninfo resp\nm = Map();\nm.put(\"a\", 1;\n";
        assert_eq!(foreign_language(broken), None);
    }
}
