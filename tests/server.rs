//! `delint server` spoken to as an editor does: JSON-RPC over the real binary's stdio.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Long enough for a slow CI machine; a healthy server answers in milliseconds.
const PATIENCE: Duration = Duration::from_secs(20);

/// A minimal LSP client: framed JSON-RPC, requests with ids, and a queue of what the
/// server sent.
struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Messages received while waiting for something else.
    backlog: Vec<Value>,
}

impl Client {
    /// A client that watches files for the server (VS Code).
    fn start(root: &Path, initialization_options: Value) -> Client {
        let capabilities = json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } });
        Client::start_with(root, initialization_options, capabilities)
    }

    /// A client that cannot watch files for the server (Neovim on Linux): no dynamic
    /// registration.
    fn start_without_watching(root: &Path) -> Client {
        Client::start_with(root, Value::Null, json!({}))
    }

    /// A client with the given capabilities.
    fn start_with(root: &Path, initialization_options: Value, capabilities: Value) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_delint"))
            .arg("server")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start delint server");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, incoming) = channel();
        std::thread::spawn(move || {
            while let Some(message) = read_message(&mut stdout) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            incoming,
            next_id: 1,
            backlog: Vec::new(),
        };
        let root_uri = uri(root);
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "capabilities": capabilities,
                "initializationOptions": initialization_options,
            }),
        );
        assert_eq!(result["result"]["capabilities"]["hoverProvider"], true, "{result}");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its response (the whole message: `result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The next message matching `wanted`, keeping the others for later.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(at);
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => {
                    self.answer_server_request(&message);
                    self.backlog.push(message);
                }
                Err(RecvTimeoutError::Timeout) => panic!("no matching message; received: {:#?}", self.backlog),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed; received: {:#?}", self.backlog),
            }
        }
    }

    /// `client/registerCapability` and the like need an answer.
    fn answer_server_request(&mut self, message: &Value) {
        if message.get("method").is_some() && message.get("id").is_some() {
            let id = message["id"].clone();
            self.send(json!({ "jsonrpc": "2.0", "id": id, "result": null }));
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let message = self.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "deluge", "version": 1, "text": text } }),
        );
        self.diagnostics(uri)
    }

    fn code_actions(&mut self, uri: &str, range: Value, only: Option<&str>) -> Value {
        let mut context = json!({ "diagnostics": [] });
        if let Some(kind) = only {
            context["only"] = json!([kind]);
        }
        self.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": range, "context": context }),
        )
    }

    fn shutdown(mut self) {
        let response = self.request("shutdown", Value::Null);
        assert!(response.get("error").is_none(), "{response}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "the server exits cleanly: {status}");
                return;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// Applies LSP text edits (UTF-16 positions) to `text`, as an editor does.
fn apply(text: &str, edits: &Value) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (at, ch) in text[start..].char_indices() {
            if units >= character {
                return start + at;
            }
            units += ch.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut result = text.to_owned();
    for (start, end, new) in edits {
        result.replace_range(start..end, new);
    }
    result
}

/// The rule codes of published diagnostics, in order.
fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({ "start": { "line": start.0, "character": start.1 }, "end": { "line": end.0, "character": end.1 } })
}

/// An authtoken call after non-ASCII text on the same line: 😀 is two UTF-16 units, é one.
const SOURCE: &str =
    "info \"😀é\"; r = invokeurl [ url: \"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + tok type: GET ];\n";

fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("delint.toml"), config).unwrap();
    dir
}

#[test]
fn publishes_diagnostics_with_utf16_ranges_and_related_information() {
    let dir = project("");
    let mut client = Client::start(dir.path(), Value::Null);
    let file = uri(&dir.path().join("f.dg"));
    let diagnostics = client.open(&file, SOURCE);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let finding = &diagnostics[0];
    assert_eq!(finding["code"], "DL001");
    assert_eq!(finding["source"], "delint");
    assert_eq!(finding["severity"], 1);
    // `info "😀é"; r = ` is 15 characters but 16 UTF-16 units (😀 takes two).
    let start = SOURCE.find("invokeurl").unwrap();
    let utf16_start = SOURCE[..start].encode_utf16().count() as u64;
    assert_eq!(
        finding["range"]["start"],
        json!({ "line": 0, "character": utf16_start })
    );
    assert_eq!(utf16_start, 16);
    let end = SOURCE.find("];").unwrap() + 1;
    assert_eq!(
        finding["range"]["end"]["character"],
        SOURCE[..end].encode_utf16().count() as u64
    );
    assert!(
        finding["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/docs/rules/DL001.md")
    );
    let related = &finding["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], file.as_str());
    assert_eq!(related["message"], "the authtoken is added to the URL here");
    client.shutdown();
}

#[test]
fn changes_are_relinted_and_closing_clears_diagnostics() {
    let dir = project("");
    let mut client = Client::start(dir.path(), Value::Null);
    let file = uri(&dir.path().join("f.dg"));
    assert_eq!(client.open(&file, SOURCE).len(), 1);
    // Replace `authtoken=` with `orgId=` incrementally: the finding goes away.
    let at = SOURCE.find("authtoken=").unwrap();
    let column = SOURCE[..at].encode_utf16().count() as u32;
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": file, "version": 2 },
            "contentChanges": [{ "range": range((0, column), (0, column + 10)), "text": "orgId=" }],
        }),
    );
    let after = client.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 2);
    let codes: Vec<&Value> = after["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["code"])
        .collect();
    assert_eq!(codes, [&json!("DL012")], "no token, but no connection either");
    // A syntax error is published too.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": file, "version": 3 }, "contentChanges": [{ "text": "if (x\n{\n}\n" }] }),
    );
    let broken = client.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 3);
    assert_eq!(broken["params"]["diagnostics"][0]["code"], "DL000");
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": file } }));
    assert!(client.diagnostics(&file).is_empty());
    client.shutdown();
}

#[test]
fn code_actions_fix_suppress_and_fix_all_safe_only() {
    let dir = project("[connections]\ncrm = \"zcrm\"\n");
    let mut client = Client::start(dir.path(), Value::Null);
    let file = uri(&dir.path().join("f.dg"));
    // A safe fix (configured connection) and an unsafe one (a getUrl rewrite).
    let text = format!("{SOURCE}  old = getUrl(\"https://www.zohoapis.com/crm/v2/Deals?authtoken=\" + tok);\n");
    let diagnostics = client.open(&file, &text);
    assert_eq!(codes(&diagnostics), ["DL001", "DL001", "DL010"]);

    let first = client.code_actions(&file, range((0, 16), (0, 16)), None)["result"].clone();
    let titles: Vec<&str> = first
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Remove the authtoken and add `connection: \"zcrm\"` (safe fix)",
            "Suppress DL001 on this line with a comment",
            "Apply delint's safe fixes (1)",
        ]
    );
    let fixed = apply(&text, &first[0]["edit"]["changes"][file.as_str()]);
    assert_eq!(
        fixed.lines().next().unwrap(),
        "info \"😀é\"; r = invokeurl [ url: \"https://www.zohoapis.com/crm/v2/Leads\" type: GET connection: \"zcrm\" ];"
    );
    let suppress = &first[1]["edit"]["changes"][file.as_str()][0];
    assert_eq!(suppress["newText"], "// delint-ignore DL001: <reason>\n");
    assert_eq!(suppress["range"], range((0, 0), (0, 0)));

    let second = client.code_actions(&file, range((1, 8), (1, 8)), Some("quickfix"))["result"].clone();
    let titles: Vec<&str> = second
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles[0].starts_with("Rewrite as an `invokeurl` task") && titles[0].ends_with("(unsafe fix: review it)"),
        "{titles:?}"
    );
    let rewrites = titles.iter().filter(|t| t.starts_with("Rewrite")).count();
    assert_eq!(rewrites, 1, "DL001 and DL010 share one rewrite: {titles:?}");
    let covered = codes(second[0]["diagnostics"].as_array().unwrap());
    assert_eq!(covered, ["DL001", "DL010"], "the one action resolves both");
    let indented = &second[1]["edit"]["changes"][file.as_str()][0]["newText"];
    assert_eq!(
        indented, "  // delint-ignore DL001: <reason>\n",
        "the comment keeps the line's indentation"
    );

    let fix_all = client.code_actions(&file, range((0, 0), (0, 0)), Some("source.fixAll.delint"))["result"].clone();
    assert_eq!(fix_all.as_array().unwrap().len(), 1, "{fix_all:#}");
    let new_text = apply(&text, &fix_all[0]["edit"]["changes"][file.as_str()]);
    assert!(
        new_text.contains("connection: \"zcrm\""),
        "the safe fix is applied: {new_text}"
    );
    assert!(
        new_text.contains("old = getUrl("),
        "the unsafe rewrite is not: {new_text}"
    );
    client.shutdown();
}

#[test]
fn hover_shows_the_rule_documentation() {
    let dir = project("");
    let mut client = Client::start(dir.path(), Value::Null);
    let file = uri(&dir.path().join("f.dg"));
    client.open(&file, SOURCE);
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": file }, "position": { "line": 0, "character": 20 } }),
    );
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        value.starts_with("### DL001 authtoken-in-url\n\n## What it does"),
        "{value}"
    );
    let nothing = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": file }, "position": { "line": 0, "character": 2 } }),
    );
    assert_eq!(nothing["result"], Value::Null);
    client.shutdown();
}

#[test]
fn configuration_is_found_per_document_reloaded_and_overridable() {
    let dir = project("");
    std::fs::create_dir(dir.path().join("legacy")).unwrap();
    // Per-file ignores survive the client's `select` (which, like `--select`, replaces the
    // files' `select` and `ignore`).
    std::fs::write(
        dir.path().join("legacy/delint.toml"),
        "[per-file-ignores]\n\"*.dg\" = [\"DL001\"]\n",
    )
    .unwrap();
    let mut client = Client::start(dir.path(), json!({ "select": ["correctness", "DL9"] }));
    let top = uri(&dir.path().join("top.dg"));
    let legacy = uri(&dir.path().join("legacy/old.dg"));
    assert_eq!(client.open(&top, SOURCE).len(), 1);
    assert!(
        client.open(&legacy, SOURCE).is_empty(),
        "legacy/delint.toml ignores DL001"
    );
    let getter = uri(&dir.path().join("getter.dg"));
    let getter_diagnostics = client.open(&getter, "r = getUrl(\"https://example.com/x\");\n");
    let getter_codes = codes(&getter_diagnostics);
    assert!(
        getter_codes.is_empty(),
        "initializationOptions select only correctness: {getter_codes:?}"
    );

    std::fs::write(
        dir.path().join("delint.toml"),
        "[per-file-ignores]\n\"top.dg\" = [\"DL001\"]\n",
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&dir.path().join("delint.toml")), "type": 2 }] }),
    );
    assert!(client.diagnostics(&top).is_empty(), "the changed delint.toml applies");
    client.shutdown();
}

#[test]
fn unknown_documents_and_bad_requests_get_errors_and_the_server_goes_on() {
    let dir = project("");
    let mut client = Client::start(dir.path(), Value::Null);
    let missing = client.code_actions("file:///nowhere/x.dg", range((0, 0), (0, 0)), None);
    assert_eq!(missing["error"]["code"], -32602, "{missing}");
    let unknown = client.request("textDocument/formatting", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let file = uri(&dir.path().join("f.dg"));
    assert_eq!(client.open(&file, SOURCE).len(), 1, "still answering");
    client.shutdown();
}

#[test]
fn a_creator_export_gets_its_scripts_findings_and_nothing_from_the_declarations() {
    let dir = project("");
    let mut client = Client::start(dir.path(), Value::Null);
    let file = uri(&dir.path().join("app.ds"));
    let export = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/containers/Controle_de_Estoque.ds"),
    )
    .unwrap();
    let diagnostics = client.open(&file, &export);
    let codes: Vec<&str> = diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(
        !codes.contains(&"DL000"),
        "the application's declarations are not Deluge: {codes:?}"
    );
    let header = diagnostics.iter().find(|d| d["code"] == "DL003").unwrap();
    // Line 167 of the export (0-based 166), where `buscarTicket`'s invokeurl starts.
    assert_eq!(header["range"]["start"]["line"], 166);
    let notes = client.open(&uri(&dir.path().join("package.json")), "{\"name\": \"x\"}");
    assert!(notes.is_empty(), "JSON that is not an export is not Deluge: {notes:?}");
    client.shutdown();
}

#[test]
fn excluded_files_get_no_diagnostics_as_in_the_command_line() {
    let dir = project("extend-exclude = [\"vendor/\"]\n");
    let mut client = Client::start(dir.path(), Value::Null);
    let vendored = uri(&dir.path().join("vendor/lib/old.dg"));
    assert!(client.open(&vendored, SOURCE).is_empty(), "vendor/ is excluded");
    let own = uri(&dir.path().join("own.dg"));
    assert_eq!(client.open(&own, SOURCE).len(), 1, "other files are linted");
    client.shutdown();
}

/// Lines around one safe fix: fix-all must leave them alone.
fn long_document() -> String {
    let mut text = String::from("void automation.sync(int id)\n{\n");
    for i in 0..20 {
        text.push_str(&format!("\tinfo \"step {i}\";\n"));
    }
    text.push_str("\tr = invokeurl\n\t[\n\t\turl :\"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + tok\n\t\ttype :GET\n\t];\n");
    for i in 20..40 {
        text.push_str(&format!("\tinfo \"step {i}\";\n"));
    }
    text.push_str("}\n");
    text
}

#[test]
fn fix_all_sends_only_the_lines_it_changes() {
    let dir = project("[connections]\ncrm = \"zcrm\"\n");
    let mut client = Client::start_without_watching(dir.path());
    let file = uri(&dir.path().join("long.dg"));
    let text = long_document();
    client.open(&file, &text);
    let actions = client.code_actions(&file, range((0, 0), (0, 0)), Some("source.fixAll.delint"))["result"].clone();
    let edits = &actions[0]["edit"]["changes"][file.as_str()];
    let fixed = apply(&text, edits);
    assert!(
        fixed.contains("connection: \"zcrm\"") && !fixed.contains("authtoken"),
        "{fixed}"
    );
    let call_line = text.lines().position(|l| l.contains("authtoken")).unwrap() as u64;
    for edit in edits.as_array().unwrap() {
        let (start, end) = (&edit["range"]["start"], &edit["range"]["end"]);
        assert!(
            start["line"].as_u64().unwrap() >= call_line && end["line"].as_u64().unwrap() <= call_line + 3,
            "an edit outside the call's lines: {edit}"
        );
    }
    client.shutdown();
}

#[test]
fn a_markdown_document_gets_diagnostics_in_its_code_blocks_only_and_no_edits() {
    let dir = project("");
    let mut client = Client::start_without_watching(dir.path());
    let file = uri(&dir.path().join("notes.md"));
    let text = "# Notes\n\nThe call, as it runs today:\n\n```deluge\n\
        r = getUrl(\"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + tok);\n```\n\n\
        An excerpt:\n\n```deluge\nelse\n{\n\t...\n}\n```\n";
    let diagnostics = client.open(&file, text);
    assert_eq!(codes(&diagnostics), ["DL001", "DL010"], "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["range"]["start"], json!({ "line": 5, "character": 4 }));
    let actions = client.code_actions(&file, range((5, 4), (5, 4)), None);
    assert_eq!(actions["result"], json!([]), "a document is never rewritten");
    client.shutdown();
}

#[test]
fn a_json_function_export_gets_diagnostics_inside_its_strings_and_no_edits() {
    let dir = project("");
    let mut client = Client::start_without_watching(dir.path());
    let file = uri(&dir.path().join("functions.json"));
    let text = concat!(
        "{\n  \"functions\": [\n    {\n      \"name\": \"syncLead\",\n      \"category\": \"automation\",\n",
        "      \"script\": \"info \\\"caf\\u00e9\\\";\\nr = getUrl(\\\"https://www.zohoapis.com/crm/v2/Leads?authtoken=\\\" + tok);\\n\"\n",
        "    }\n  ]\n}\n"
    );
    let diagnostics = client.open(&file, text);
    assert_eq!(codes(&diagnostics), ["DL001", "DL010"], "{diagnostics:#?}");
    // The call sits on line 5 of the JSON, inside the script string, after `\n`.
    let script_line = text.lines().nth(5).unwrap();
    let column = script_line.find("getUrl").unwrap() as u64;
    assert_eq!(
        diagnostics[0]["range"]["start"],
        json!({ "line": 5, "character": column })
    );
    let end = script_line.find(" + tok)").unwrap() as u64 + " + tok)".len() as u64;
    assert_eq!(diagnostics[0]["range"]["end"], json!({ "line": 5, "character": end }));
    let actions = client.code_actions(&file, range((5, column as u32), (5, column as u32)), None);
    assert_eq!(actions["result"], json!([]), "an export is never rewritten");
    client.shutdown();
}

#[test]
fn diagnostics_keep_arriving_while_edits_never_pause() {
    let dir = project("");
    let mut client = Client::start_without_watching(dir.path());
    let file = uri(&dir.path().join("typing.dg"));
    client.open(&file, SOURCE);
    // An edit every 10 ms for two seconds: the debounce never sees a quiet moment.
    let last_version = 201;
    for version in 2..=last_version {
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": file, "version": version },
                "contentChanges": [{ "text": format!("{SOURCE}info {version};\n") }],
            }),
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let last =
        client.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == last_version);
    assert_eq!(last["params"]["diagnostics"].as_array().unwrap().len(), 1);
    while let Ok(message) = client.incoming.try_recv() {
        client.backlog.push(message);
    }
    let during: Vec<i64> = client
        .backlog
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .filter_map(|m| m["params"]["version"].as_i64())
        .filter(|v| (2..last_version).contains(v))
        .collect();
    assert!(
        during.len() >= 2,
        "diagnostics are published at least every 300 ms while typing: {during:?}"
    );
    client.shutdown();
}

#[test]
fn without_file_watching_configuration_is_reread_on_save_open_and_disk_change() {
    let dir = project("");
    let mut client = Client::start_without_watching(dir.path());
    let file = uri(&dir.path().join("f.dg"));
    let text = "r = getUrl(\"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + tok);\n";
    assert_eq!(codes(&client.open(&file, text)), ["DL001", "DL010"]);
    assert!(
        !client
            .backlog
            .iter()
            .any(|m| m["method"] == "client/registerCapability"),
        "nothing is registered with a client that cannot"
    );
    let config = dir.path().join("delint.toml");

    // Another program changes delint.toml; the editor saves the document.
    std::fs::write(&config, "ignore = [\"DL010\"]\n").unwrap();
    client.notify("textDocument/didSave", json!({ "textDocument": { "uri": file } }));
    assert_eq!(codes(&client.diagnostics(&file)), ["DL001"], "seen at the next save");

    // The user opens delint.toml in the editor.
    std::fs::write(&config, "ignore = [\"DL001\"]\n").unwrap();
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri(&config), "languageId": "toml", "version": 1, "text": "ignore = [\"DL001\"]\n" } }),
    );
    assert_eq!(codes(&client.diagnostics(&file)), ["DL010"], "seen when it is opened");

    // And saves it.
    std::fs::write(&config, "").unwrap();
    client.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri(&config) } }),
    );
    assert_eq!(
        codes(&client.diagnostics(&file)),
        ["DL001", "DL010"],
        "seen when it is saved"
    );

    // Changed on disk while the user types: seen within about a second.
    std::fs::write(&config, "ignore = [\"DL001\", \"DL010\"]\n").unwrap();
    let deadline = Instant::now() + PATIENCE;
    let mut version = 2;
    loop {
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": file, "version": version }, "contentChanges": [{ "text": text }] }),
        );
        if client.diagnostics(&file).is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "the change on disk was never seen");
        std::thread::sleep(Duration::from_millis(100));
        version += 1;
    }
    client.shutdown();
}

#[test]
fn rule_links_point_at_the_rules_pages() {
    let dir = project("");
    let mut client = Client::start(dir.path(), Value::Null);
    let file = uri(&dir.path().join("f.dg"));
    let diagnostics = client.open(&file, SOURCE);
    let href = diagnostics[0]["codeDescription"]["href"].as_str().unwrap();
    let path = href.strip_prefix("file://").unwrap_or_else(|| panic!("{href}"));
    assert!(path.ends_with("/docs/rules/DL001.md"), "{href}");
    assert!(Path::new(path).is_file(), "the page exists: {href}");
    client.shutdown();
}
