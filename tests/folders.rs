//! A consultant's folder as clients keep it: Deluge saved as `.txt`, as `.js`, with no
//! extension, next to client scripts, READMEs, images and binaries. The content decides
//! what is checked; nothing is skipped without being counted.

mod support;

use support::{delint, stderr, stdout, tree};

const CRM_CALL: &[u8] = b"tok = zoho.crm.getOrgVariable(\"crm_token\");\n\
    resp = getUrl(\"https://crm.zoho.com/crm/v2/Leads?authtoken=\" + tok);\ninfo resp;\n";
const BOOKS_IN_JS: &[u8] = b"// Saved as .js by the client's editor, for the colours\n\
    m = Map();\nm.put(\"authtoken\", input.token);\n\
    resp = postUrl(\"https://books.zoho.com/api/v3/invoices?organization_id=1\", m);\n";
const DESK_FUNCTION: &[u8] = b"void tickets.close(int ticketId)\n{\n\t\
    r = getUrl(\"https://desk.zoho.com/api/v1/tickets/\" + ticketId + \"?authtoken=\" + t);\n}\n";
const CLIENT_SCRIPT: &[u8] = b"const amount = ZDK.Page.getField('Amount');\n\
    function check() {\n  if (amount.getValue() === null) {\n    console.log('authtoken missing');\n  }\n}\n";
const README: &[u8] = b"# Client functions\n\nExported from CRM on 3 March.\n\n\
    - `leads.txt` syncs leads (uses an authtoken)\n- see [the wiki](https://wiki.example)\n";

/// `path:line:col` of each finding of a concise report.
fn finding_places(concise: &str) -> Vec<&str> {
    concise
        .lines()
        .filter(|line| line.contains(": DL"))
        .map(|line| line.split(": ").next().unwrap())
        .collect()
}

fn client_folder() -> tempfile::TempDir {
    tree(&[
        ("crm/leads.txt", CRM_CALL),
        ("books/invoices.js", BOOKS_IN_JS),
        ("desk/closeTicket", DESK_FUNCTION),
        ("widgets/amount_check.js", CLIENT_SCRIPT),
        ("README.md", README),
        ("notes.txt", b"Ask Maria in finance before changing the org id.\n"),
        ("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ("tools/sync.bin2", b"MZ\0\0authtoken\0"),
        (
            "tools/sync.py",
            b"import requests\n\ndef sync(token):\n    r = requests.get(URL + \"?authtoken=\" + token)\n    if r.ok:\n        print(r.json())\n",
        ),
    ])
}

#[test]
fn every_deluge_file_is_found_whatever_its_name_and_nothing_else_reports() {
    let dir = client_folder();
    let output = delint(
        dir.path(),
        &["check", "--output-format", "concise", "--select", "DL001,DL002,DL003"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    let findings = finding_places(&text);
    assert_eq!(
        findings,
        ["books/invoices.js:4:8", "crm/leads.txt:2:8", "desk/closeTicket:3:6"]
    );
    let summary: Vec<&str> = text.lines().filter(|line| !line.contains(": DL")).collect();
    assert_eq!(
        summary,
        [
            "Found 3 errors and 0 warnings in 3 files checked in [elapsed].",
            "5 files skipped, not Deluge: 1 JavaScript, 2 Markdown or prose, 1 binary, 1 other language.",
            "1 file passed over by name: 1 image.",
            "3 fixable with --fix --unsafe-fixes.",
        ]
    );
    // The skips are expected from the names (a `.js` client script, a README): no notes.
    assert_eq!(stderr(&output), "");
}

#[test]
fn show_files_lists_what_each_file_was_read_as_and_checks_nothing() {
    let dir = client_folder();
    let output = delint(dir.path(), &["check", "--show-files"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "README.md: skipped, not Deluge: Markdown or prose, with no code block of Deluge\n\
         books/invoices.js: Deluge\n\
         crm/leads.txt: Deluge\n\
         desk/closeTicket: Deluge\n\
         notes.txt: skipped, not Deluge: looks like Markdown or prose\n\
         tools/sync.bin2: skipped, not Deluge: binary file (a NUL byte at offset 2), not Deluge text\n\
         tools/sync.py: skipped, not Deluge: looks like another language (Python, a shell script or SQL?)\n\
         widgets/amount_check.js: skipped, not Deluge: looks like JavaScript (a CRM client script or widget?)\n\
         passed over by name: 1 image\n"
    );
}

#[test]
fn a_named_client_script_gets_a_note_and_quiet_drops_it() {
    let dir = client_folder();
    let named = delint(dir.path(), &["check", "widgets/amount_check.js"]);
    assert_eq!(named.status.code(), Some(0));
    assert_eq!(
        stderr(&named),
        "note: widgets/amount_check.js: skipped, not Deluge: looks like JavaScript (a CRM client script or widget?)\n"
    );
    let quiet = delint(dir.path(), &["check", "--quiet", "widgets/amount_check.js"]);
    assert_eq!(stderr(&quiet), "");
    assert!(stdout(&quiet).contains("1 file skipped, not Deluge: 1 JavaScript."));
}

#[test]
fn listed_extensions_restrict_the_walk_and_the_empty_extension_means_none() {
    let dir = client_folder();
    std::fs::write(dir.path().join("delint.toml"), "extensions = [\"txt\"]\n").unwrap();
    let files = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--output-format", "concise", "--select", "DL001,DL002,DL003"];
        all.extend_from_slice(args);
        let text = stdout(&delint(dir.path(), &all));
        finding_places(&text)
            .iter()
            .map(|place| place.split(':').next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(files(&[]), ["crm/leads.txt"]);
    assert_eq!(files(&["--extension", ""]), ["crm/leads.txt", "desk/closeTicket"]);
    assert_eq!(files(&["--extension", "js"]), ["books/invoices.js", "crm/leads.txt"]);
}

#[test]
fn a_broken_configuration_is_never_all_checks_passed() {
    let dir = tree(&[("delint.toml", b"select = [\n"), ("a.dg", b"info \"ok\";\n")]);
    let output = delint(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(2));
    let error = stderr(&output);
    assert!(
        error.contains("delint.toml:1:11: unclosed array, expected `]`"),
        "{error}"
    );
    assert!(!error.contains("/./"), "the path is spelled plainly: {error}");
    assert!(!stdout(&output).contains("All checks passed"), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("1 configuration file broken: the files below it were not checked."),
        "{}",
        stdout(&output)
    );
}

#[test]
fn latin1_and_utf16_files_are_linted_and_fixed_in_their_own_encoding() {
    let latin1: &[u8] = b"// Actualiza la cotizaci\xf3n\r\nm = Map();\r\nm.put(\"authtoken\", t);\r\n\
        r = invokeurl\r\n[\r\n\turl: \"https://www.zohoapis.com/crm/v2/Quotes\"\r\n\ttype: POST\r\n\tparameters: m\r\n];\r\n";
    let text = "// Cotação\nm = Map();\nm.put(\"authtoken\", t);\n\
        r = invokeurl\n[\n\turl: \"https://www.zohoapis.com/crm/v2/Quotes\"\n\ttype: POST\n\tparameters: m\n];\n";
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let dir = tree(&[("quote_latin1.dg", latin1), ("quote_utf16.dg", &utf16)]);
    let checked = delint(
        dir.path(),
        &["check", "--output-format", "concise", "--select", "DL002"],
    );
    assert_eq!(
        stdout(&checked).lines().filter(|l| l.contains("DL002")).count(),
        2,
        "{}",
        stdout(&checked)
    );
    assert!(stderr(&checked).contains("note: quote_latin1.dg: not UTF-8: read as Windows-1252 (Latin-1)"));
    assert!(stderr(&checked).contains("note: quote_utf16.dg: not UTF-8: read as UTF-16 (little-endian)"));

    let fixed = delint(dir.path(), &["check", "--fix", "--unsafe-fixes", "--select", "DL002"]);
    assert_eq!(fixed.status.code(), Some(0), "{}", stdout(&fixed));
    let latin1_after = std::fs::read(dir.path().join("quote_latin1.dg")).unwrap();
    assert!(
        latin1_after.starts_with(b"// Actualiza la cotizaci\xf3n\r\n"),
        "still Latin-1 with CRLF"
    );
    assert!(!latin1_after.windows(9).any(|w| w == b"authtoken"));
    let connection: &[u8] = b"\tconnection: \"zohocrm\"\r\n";
    assert!(
        latin1_after.windows(connection.len()).any(|w| w == connection),
        "the fix keeps CRLF"
    );
    let utf16_after = std::fs::read(dir.path().join("quote_utf16.dg")).unwrap();
    assert_eq!(&utf16_after[..2], [0xFF, 0xFE], "the byte-order mark is kept");
    let units: Vec<u16> = utf16_after[2..]
        .chunks(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    let decoded = String::from_utf16(&units).unwrap();
    assert!(
        decoded.starts_with("// Cotação\n") && decoded.contains("connection: \"zohocrm\""),
        "{decoded}"
    );
    assert!(!decoded.contains("authtoken"));
}

const HANDOVER_MD: &str = "# Lead sync: hand-over\n\
\n\
The live function, copied on 3 March (it still sends the old token):\n\
\n\
```deluge\n\
void sync.leads(int leadId)\n\
{\n\
\tresp = getUrl(\"https://www.zohoapis.com/crm/v2/Leads/\" + leadId + \"?authtoken=\" + tok);\n\
\tinfo resp;\n\
}\n\
```\n\
\n\
Only the branch that changed:\n\
\n\
```deluge\n\
else if(stage == \"Won\")\n\
{\n\
\t...\n\
\tr = zoho.crm.updateRecord(\"Deals\", id, m);\n\
}\n\
```\n\
\n\
The response looks like this:\n\
\n\
```json\n\
{\"data\": [{\"code\": \"SUCCESS\", \"authtoken\": \"none\"}]}\n\
```\n";

#[test]
fn markdown_code_blocks_are_checked_in_place_and_never_rewritten() {
    let dir = tree(&[("docs/handover.md", HANDOVER_MD.as_bytes())]);
    let concise = delint(
        dir.path(),
        &["check", "--output-format", "concise", "--select", "DL000,DL001"],
    );
    assert_eq!(concise.status.code(), Some(1), "{}", stderr(&concise));
    // The call in the first block, at its line in the document; nothing from the prose, the
    // excerpt's `else` and `...`, or the JSON block.
    assert_eq!(finding_places(&stdout(&concise)), ["docs/handover.md:8:9"]);
    assert_eq!(
        stderr(&concise),
        "note: docs/handover.md: 1 code block is an excerpt that does not parse on its own; \
         its calls were checked as far as it goes: code block at line 15\n"
    );
    let shown = delint(dir.path(), &["check", "--show-files"]);
    assert_eq!(
        stdout(&shown),
        "docs/handover.md: a Markdown document (2 code blocks of Deluge)\n"
    );
    let text = stdout(&delint(dir.path(), &["check", "--select", "DL001"]));
    assert!(
        text.contains(
            "(not applied: the code is a block of a Markdown document; make the change in the function it shows)"
        ),
        "{text}"
    );
    let fixed = delint(dir.path(), &["check", "--fix", "--unsafe-fixes"]);
    assert_eq!(fixed.status.code(), Some(1), "{}", stdout(&fixed));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("docs/handover.md")).unwrap(),
        HANDOVER_MD,
        "a document is never rewritten"
    );
}

#[test]
fn code_pasted_with_its_fences_is_read_as_markdown_whatever_its_name() {
    let pasted = "Here is the updated function:\n\n```deluge\n\
        resp = getUrl(\"https://www.zohoapis.com/crm/v2/Deals?authtoken=\" + tok);\n\
        info resp;\n```\n";
    let dir = tree(&[
        ("crm/sync_deals.txt", pasted.as_bytes()),
        ("crm/plain.dg", b"info \"no fences\";\n"),
    ]);
    let concise = delint(
        dir.path(),
        &["check", "--output-format", "concise", "--select", "DL000,DL001"],
    );
    assert_eq!(
        finding_places(&stdout(&concise)),
        ["crm/sync_deals.txt:4:8"],
        "{}",
        stdout(&concise)
    );
    let shown = delint(dir.path(), &["check", "--show-files"]);
    assert_eq!(
        stdout(&shown),
        "crm/plain.dg: Deluge\ncrm/sync_deals.txt: a Markdown document (1 code block of Deluge)\n"
    );
}
