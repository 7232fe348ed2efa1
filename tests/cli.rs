//! The command line as CI pipelines, code scanning and pre-commit hooks use it: every output
//! format, exit codes, configuration, standard input, and files that cannot be read.

mod support;

use std::path::{Path, PathBuf};

use support::{delint, delint_with_stdin, stderr, stdout, tree};

fn project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cli/project")
}

const AUTHTOKEN_CALL: &[u8] = b"r = getUrl(\"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + tok);\n";
const CLEAN: &[u8] = b"info \"clean\";\n";
/// An authtoken call that earns DL001 alone (no legacy function, no v1 endpoint).
const INVOKEURL_TOKEN_CALL: &[u8] =
    b"r = invokeurl [ url: \"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + tok type: GET ];\n";

/// Every output format over the same tree, exactly as printed.
#[test]
fn each_output_format_on_a_project() {
    for format in support::FORMATS {
        let output = delint(&project(), &["check", "--output-format", format]);
        assert_eq!(output.status.code(), Some(1), "{format}: {}", stderr(&output));
        let root = format!("file://{}/", project().display());
        let shown = stdout(&output).replace(&root, "file://[ROOT]/");
        insta::assert_snapshot!(format!("format_{format}"), shown);
        if !matches!(format, "text" | "concise" | "grouped") {
            // Machine formats keep stdout parseable: the summary goes to stderr.
            assert_eq!(
                stderr(&output),
                "Found 3 errors and 3 warnings in 3 files checked in [elapsed].\n\
                 1 file skipped, not Deluge: 1 Markdown or prose.\n4 fixable with --fix --unsafe-fixes.\n",
                "{format}"
            );
        }
    }
}

#[test]
fn statistics_count_findings_per_rule() {
    let output = delint(&project(), &["check", "--statistics"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&output), @r"
    1  DL001  authtoken-in-url  (1 fixable)
    1  DL002  authtoken-in-params  (1 fixable)
    1  DL003  authtoken-in-header  (1 fixable)
    1  DL010  legacy-http-function  (1 fixable)
    1  DL901  suppression-without-reason
    1  DL902  unused-suppression
    ");
    let json = delint(&project(), &["check", "--statistics", "--output-format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(rows[0]["code"], "DL001");
    assert_eq!(rows[0]["count"], 1);
}

#[test]
fn sarif_output_is_valid_against_the_official_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).expect("the schema parses");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let dir = tree(&[
        ("a.dg", AUTHTOKEN_CALL),
        ("bad.dg", b"info \"\xff\";\n"),
        ("b.dg", CLEAN),
    ]);
    let report = tempfile::tempdir().unwrap();
    let report_file = report.path().join("delint.sarif");
    let report_arg = report_file.to_str().unwrap();
    for (dir, args) in [
        (project(), vec!["check", "--output-format", "sarif"]),
        (
            project(),
            vec![
                "check",
                "--output-format",
                "sarif",
                "--unsafe-fixes",
                "--diff",
                "-o",
                report_arg,
            ],
        ),
        (dir.path().to_path_buf(), vec!["check", "--output-format", "sarif"]),
    ] {
        let output = delint(&dir, &args);
        let sarif = if args.contains(&"-o") {
            assert!(
                String::from_utf8_lossy(&output.stdout).starts_with("--- "),
                "stdout carries the diff"
            );
            std::fs::read(&report_file).unwrap()
        } else {
            output.stdout
        };
        let log: serde_json::Value = serde_json::from_slice(&sarif).expect("SARIF is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
        assert!(!log["runs"][0]["results"].as_array().unwrap().is_empty());
    }
}

#[test]
fn sarif_results_name_their_rule_and_relative_uris() {
    let output = delint(&project(), &["check", "--output-format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), delint_linter::rules::ALL.len());
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("functions/") || uri.starts_with("workflows/"), "{uri}");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    // The connections to create are a run property, as the text summary lists them.
    let connections = run["properties"]["connections"].as_array().unwrap();
    assert!(
        connections
            .iter()
            .any(|c| c["status"] == "to-create" && !c["scopes"].as_array().unwrap().is_empty()),
        "{connections:?}"
    );
    let with_root = delint(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "check",
            "--output-format",
            "sarif",
            "--root",
            "fixtures",
            "fixtures/cli/project",
        ],
    );
    let log: serde_json::Value = serde_json::from_slice(&with_root.stdout).unwrap();
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "cli/project/functions/crm_sync.dg");
}

fn fingerprints(dir: &Path) -> Vec<String> {
    let output = delint(dir, &["check", "--output-format", "sarif", "f.dg"]);
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]["delintFingerprint/v1"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn sarif_fingerprints_survive_unrelated_edits() {
    let original = [INVOKEURL_TOKEN_CALL, CLEAN, INVOKEURL_TOKEN_CALL].concat();
    let dir = tree(&[("f.dg", &original)]);
    let before = fingerprints(dir.path());
    assert_eq!(before.len(), 2);
    assert_ne!(before[0], before[1], "identical findings are told apart");

    let moved = [b"// a new comment\ninfo 1;\n\n".as_slice(), &original].concat();
    std::fs::write(dir.path().join("f.dg"), moved).unwrap();
    assert_eq!(fingerprints(dir.path()), before, "lines added above");

    let edited = String::from_utf8(original).unwrap().replacen("Leads", "Deals", 1);
    std::fs::write(dir.path().join("f.dg"), edited).unwrap();
    let after = fingerprints(dir.path());
    assert_ne!(after[0], before[0], "the offending line changed");
}

#[test]
fn junit_output_is_well_formed_xml_with_a_case_per_finding() {
    let dir = tree(&[("a.dg", AUTHTOKEN_CALL), ("b.dg", CLEAN), ("c.dg", &[b' '; 2048])]);
    let output = delint(
        dir.path(),
        &["check", "--output-format", "junit", "--max-file-size", "1KB"],
    );
    let xml = String::from_utf8(output.stdout).unwrap();
    let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let suites = document.root_element();
    assert_eq!(suites.tag_name().name(), "testsuites");
    assert_eq!(suites.attribute("failures"), Some("2"), "DL001 and DL010 on a.dg");
    assert_eq!(suites.attribute("errors"), Some("1"));
    let names: Vec<_> = suites.children().filter_map(|n| n.attribute("name")).collect();
    assert_eq!(names, ["a.dg", "b.dg", "c.dg"]);
    let failure = document.descendants().find(|n| n.has_tag_name("failure")).unwrap();
    assert_eq!(failure.attribute("type"), Some("DL001"));
}

#[test]
fn exit_codes_mean_clean_findings_or_tool_error() {
    let dir = tree(&[("clean.dg", CLEAN), ("token.dg", AUTHTOKEN_CALL)]);
    let code = |args: &[&str]| delint(dir.path(), args).status.code();
    assert_eq!(code(&["check", "clean.dg"]), Some(0));
    assert_eq!(code(&["check", "token.dg"]), Some(1));
    assert_eq!(code(&["check", "--exit-zero", "token.dg"]), Some(0));
    assert_eq!(code(&["check", "missing.dg"]), Some(2));
    assert_eq!(code(&["check", "--exit-zero", "missing.dg", "token.dg"]), Some(2));
    assert_eq!(
        code(&["check", "--select", "DL777", "token.dg"]),
        Some(2),
        "a bad option"
    );
    assert_eq!(
        code(&["check", "--diff", "--unsafe-fixes", "token.dg"]),
        Some(1),
        "a diff to apply"
    );
    assert_eq!(code(&["check", "--diff", "clean.dg"]), Some(0), "nothing to apply");
}

#[test]
fn exit_non_zero_on_fix_reports_that_files_changed() {
    let dir = tree(&[("a.dg", AUTHTOKEN_CALL), ("b.dg", AUTHTOKEN_CALL)]);
    let fixed = delint(dir.path(), &["check", "--fix", "--unsafe-fixes", "a.dg"]);
    assert_eq!(fixed.status.code(), Some(0), "fixed, nothing left: {}", stdout(&fixed));
    let flagged = delint(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "--exit-non-zero-on-fix", "b.dg"],
    );
    assert_eq!(flagged.status.code(), Some(1));
    let again = delint(dir.path(), &["check", "--fix", "--exit-non-zero-on-fix", "b.dg"]);
    assert_eq!(again.status.code(), Some(0), "nothing more to fix");
}

#[test]
fn unreadable_files_are_reported_and_the_rest_is_checked() {
    let dir = tree(&[
        ("a_binary.dg", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ("b_latin1.dg", b"info \"ok\";\ninfo \"Ol\xe1\";\n"),
        ("c_token.dg", INVOKEURL_TOKEN_CALL),
        ("d_big.dg", &[b' '; 4096]),
    ]);
    let output = delint(
        dir.path(),
        &["check", "--max-file-size", "2KB", "--output-format", "concise"],
    );
    assert_eq!(output.status.code(), Some(2));
    // A binary file is not text gone wrong: it is skipped (with a note, as its name promised
    // Deluge), not reported as unreadable. Latin-1 is decoded and linted, with a note.
    insta::assert_snapshot!(stdout(&output), @r"
    c_token.dg:1:5: DL001 `invokeurl` sends an authtoken in the URL to Zoho CRM (US data centre); Zoho no longer accepts authtokens
    d_big.dg:1:1: DL900 the file is 4 KB and the limit is 2 KB; raise it with --max-file-size
    Found 1 error and 0 warnings in 2 files checked in [elapsed].
    1 file could not be read (DL900).
    1 file skipped, not Deluge: 1 binary.
    1 fixable with --fix --unsafe-fixes.
    ");
    assert_eq!(
        stderr(&output),
        "note: a_binary.dg: skipped, not Deluge: binary file (a NUL byte at offset 8), not Deluge text\n\
         note: b_latin1.dg: not UTF-8: read as Windows-1252 (Latin-1), and --fix writes it back so\n"
    );
    let json = delint(
        dir.path(),
        &["check", "--output-format", "json", "--max-file-size", "2KB"],
    );
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let findings = &report["findings"];
    let codes: Vec<_> = findings.as_array().unwrap().iter().map(|f| f["code"].clone()).collect();
    assert_eq!(codes, ["DL001", "DL900"]);
    assert_eq!(findings[1]["filename"], "d_big.dg");
}

#[test]
fn an_unreadable_file_is_named_with_its_reason() {
    let dir = tree(&[("locked.dg", CLEAN), ("ok.dg", CLEAN)]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.path().join("locked.dg");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&locked).is_ok() {
            return; // Running as root: permissions do not stop reads.
        }
        let output = delint(dir.path(), &["check", "--output-format", "concise"]);
        assert_eq!(output.status.code(), Some(2));
        assert!(
            stdout(&output).contains("locked.dg:1:1: DL900 permission denied"),
            "{}",
            stdout(&output)
        );
    }
}

#[test]
fn walking_honours_gitignore_hidden_paths_extensions_and_excludes() {
    let dir = tree(&[
        (".gitignore", b"generated/\n*.tmp.dg\n"),
        (".ignore", b"scratch/\n"),
        ("generated/a.dg", INVOKEURL_TOKEN_CALL),
        ("b.tmp.dg", INVOKEURL_TOKEN_CALL),
        ("scratch/c.dg", INVOKEURL_TOKEN_CALL),
        (".hidden/d.dg", INVOKEURL_TOKEN_CALL),
        ("node_modules/e.dg", INVOKEURL_TOKEN_CALL),
        ("legacy/f.dg", INVOKEURL_TOKEN_CALL),
        ("g.txt", INVOKEURL_TOKEN_CALL),
        ("h.zdl", INVOKEURL_TOKEN_CALL),
        ("i.zs", INVOKEURL_TOKEN_CALL),
        ("j.deluge", INVOKEURL_TOKEN_CALL),
    ]);
    let files = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--output-format", "json-lines"];
        all.extend_from_slice(args);
        let output = delint(dir.path(), &all);
        stdout(&output)
            .lines()
            .map(|line| {
                serde_json::from_str::<serde_json::Value>(line).unwrap()["filename"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    // The content decides: Deluge saved as `.txt` is found like any other.
    assert_eq!(files(&[]), ["g.txt", "h.zdl", "i.zs", "j.deluge", "legacy/f.dg"]);
    assert_eq!(files(&["--exclude", "legacy"]), ["g.txt", "h.zdl", "i.zs", "j.deluge"]);
    assert_eq!(
        files(&["--exclude", "legacy/*.dg", "--exclude", "*.txt"]),
        ["h.zdl", "i.zs", "j.deluge"]
    );
    // Named files are checked even when ignored or excluded, unless exclusion is forced.
    assert_eq!(
        files(&["generated/a.dg", "node_modules/e.dg"]),
        ["generated/a.dg", "node_modules/e.dg"]
    );
    assert_eq!(files(&["--force-exclude", "node_modules/e.dg", "h.zdl"]), ["h.zdl"]);
    assert_eq!(
        files(&["--force-exclude", "--exclude", "legacy", "legacy/f.dg"]),
        Vec::<String>::new()
    );
}

#[test]
fn output_order_is_the_same_whatever_the_threads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |threads: &str| {
        let output = delint(
            root,
            &["check", "--threads", threads, "--output-format", "concise", "fixtures"],
        );
        stdout(&output)
    };
    let one = run("1");
    assert!(one.lines().count() > 40, "{one}");
    assert_eq!(run("4"), one);
    assert_eq!(run("0"), one);
}

#[test]
fn configuration_selects_ignores_and_ignores_per_file() {
    let dir = tree(&[
        (
            "delint.toml",
            b"ignore = [\"DL002\"]\nextend-exclude = [\"skip\"]\n[per-file-ignores]\n\"legacy/**\" = [\"correctness\"]\n",
        ),
        (
            "a.dg",
            b"m = Map();\nm.put(\"authtoken\", t);\nr = invokeurl [ url: \"https://crm.zoho.com/crm/v2/Leads?authtoken=\" + t type: POST parameters: m ];\n",
        ),
        ("legacy/b.dg", INVOKEURL_TOKEN_CALL),
        ("skip/c.dg", INVOKEURL_TOKEN_CALL),
    ]);
    let codes = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--output-format", "concise"];
        all.extend_from_slice(args);
        stdout(&delint(dir.path(), &all))
            .lines()
            .filter(|line| line.contains(": DL"))
            .map(|line| line.split_once(": ").unwrap().1.split(' ').next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        codes(&[]),
        ["DL001"],
        "DL002 ignored, legacy/ ignores correctness, skip/ excluded"
    );
    assert_eq!(
        codes(&["--ignore", "DL001"]),
        ["DL002"],
        "--ignore replaces the file's ignore"
    );
    assert_eq!(
        codes(&["--select", "DL002"]),
        ["DL002"],
        "--select starts afresh; per-file-ignores stay"
    );
    assert_eq!(codes(&["--select", "DL00", "--ignore", "DL002"]), ["DL001"]);
    assert_eq!(
        codes(&["--isolated"]),
        ["DL001", "DL002", "DL001", "DL001"],
        "no configuration at all"
    );
    assert_eq!(codes(&["--select", "authtoken-in-params", "--isolated"]), ["DL002"]);
}

#[test]
fn configuration_errors_name_the_file_the_key_and_what_was_expected() {
    for (config, expected) in [
        (
            "selct = [\"DL001\"]\n",
            "delint.toml:1:1: unknown field `selct`, expected one of",
        ),
        (
            "select = \"DL001\"\n",
            "delint.toml:1:10: `select`: invalid type: string \"DL001\", expected a sequence",
        ),
        (
            "ignore = [\"DL001\", \"DL0x\"]\n",
            "delint.toml:1:20: `ignore`: unknown rule selector `DL0x`: expected a rule code or prefix",
        ),
        (
            "[per-file-ignores]\n\"*.dg\" = \"DL001\"\n",
            "delint.toml:2:10: `per-file-ignores.*.dg`: invalid type: string \"DL001\", expected a sequence",
        ),
        (
            "extensions = [1]\n",
            "delint.toml:1:15: `extensions`: invalid type: integer `1`, expected a string",
        ),
    ] {
        let dir = tree(&[("delint.toml", config.as_bytes()), ("a.dg", AUTHTOKEN_CALL)]);
        let output = delint(dir.path(), &["check", "a.dg"]);
        assert_eq!(output.status.code(), Some(2), "{config}");
        let stderr = stderr(&output);
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains(expected), "{config}: {stderr}");
        assert!(
            !stdout(&output).contains("DL001"),
            "files under a broken configuration are not checked"
        );
    }
}

#[test]
fn an_explicit_config_file_and_its_errors() {
    let dir = tree(&[("ci.toml", b"select = [\"DL003\"]\n"), ("a.dg", AUTHTOKEN_CALL)]);
    assert_eq!(
        delint(dir.path(), &["check", "--config", "ci.toml", "a.dg"])
            .status
            .code(),
        Some(0)
    );
    let missing = delint(dir.path(), &["check", "--config", "nope.toml", "a.dg"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("nope.toml: cannot read the configuration"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn standard_input_with_a_file_name_for_messages_and_configuration() {
    let dir = tree(&[("legacy/delint.toml", b"ignore = [\"DL001\"]\n")]);
    let output = delint_with_stdin(
        dir.path(),
        &[
            "check",
            "--output-format",
            "concise",
            "--stdin-filename",
            "src/f.dg",
            "-",
        ],
        Some(INVOKEURL_TOKEN_CALL),
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).starts_with("src/f.dg:1:5: DL001 "),
        "{}",
        stdout(&output)
    );
    let configured = delint_with_stdin(
        dir.path(),
        &["check", "--stdin-filename", "legacy/f.dg", "-"],
        Some(INVOKEURL_TOKEN_CALL),
    );
    assert_eq!(configured.status.code(), Some(0), "legacy/delint.toml applies");
    let anonymous = delint_with_stdin(
        dir.path(),
        &["check", "--output-format", "concise", "-"],
        Some(INVOKEURL_TOKEN_CALL),
    );
    assert!(
        stdout(&anonymous).starts_with("-:1:5: DL001 "),
        "{}",
        stdout(&anonymous)
    );
}

#[test]
fn fixing_standard_input_prints_the_fixed_text() {
    let dir = tree(&[]);
    let output = delint_with_stdin(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "-"],
        Some(AUTHTOKEN_CALL),
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "r = invokeurl\n[\n    url: \"https://www.zohoapis.com/crm/v2/Leads\"\n    type: GET\n    connection: \"zohocrm\"\n];\n"
    );
    assert!(
        stderr(&output).contains("Fixed 2 findings."),
        "DL001 and DL010, by one fix: {}",
        stderr(&output)
    );
    let excluded = delint_with_stdin(
        dir.path(),
        &[
            "check",
            "--fix",
            "--force-exclude",
            "--exclude",
            "*.dg",
            "--stdin-filename",
            "x.dg",
            "-",
        ],
        Some(AUTHTOKEN_CALL),
    );
    assert_eq!(excluded.stdout, AUTHTOKEN_CALL, "excluded input comes back unchanged");
}

#[test]
fn output_file_takes_the_report() {
    let dir = tree(&[("a.dg", AUTHTOKEN_CALL)]);
    let output = delint(dir.path(), &["check", "--output-format", "json", "-o", "report.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["findings"][0]["code"], "DL001");
    assert_eq!(report["summary"]["connections"][0]["name"], "zohocrm");
    assert_eq!(report["summary"]["connections"][0]["status"], "to-create");
}

#[test]
fn config_command_prints_the_effective_settings() {
    let dir = tree(&[
        (
            "delint.toml",
            b"select = [\"correctness\"]\nextensions = [\"dg\"]\n[per-file-ignores]\n\"old/**\" = [\"DL002\"]\n[connections]\ncrm = \"zcrm\"\n",
        ),
        ("old/a.dg", CLEAN),
    ]);
    let output = delint(dir.path(), &["config", "old/a.dg"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output).replace(&dir.path().display().to_string(), "[DIR]");
    insta::assert_snapshot!(text, @r#"
    # Settings for old/a.dg
    # from [DIR]/delint.toml
    select = ["correctness"]
    ignore = []
    exclude = [".git", ".hg", ".svn", "node_modules", "target"]
    extensions = ["dg"]
    # rules that run here, after per-file-ignores:
    # DL001 DL003 DL011 DL012
    # excluded from directory walks: no

    [per-file-ignores]
    "old/**" = ["DL002"]  # applies here

    [connections]
    crm = "zcrm"
    "#);
    let overridden = delint(dir.path(), &["config", "--select", "DL00", "--extension", "txt", "."]);
    assert!(
        stdout(&overridden).contains("select = [\"DL00\"]"),
        "{}",
        stdout(&overridden)
    );
    assert!(stdout(&overridden).contains("extensions = [\"dg\"]\n# --extension: [\"txt\"]"));
    let unset = tree(&[("a.dg", CLEAN)]);
    let defaults = delint(unset.path(), &["config", "a.dg"]);
    assert!(
        stdout(&defaults).contains("# extensions: unset, so a walk reads every file but images"),
        "{}",
        stdout(&defaults)
    );
}

/// The hooks in `.pre-commit-hooks.yaml` run as pre-commit runs them: the entry, then the
/// staged file names.
#[test]
fn pre_commit_hooks_run_their_entries() {
    let hooks = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml")).unwrap();
    let entries: Vec<Vec<&str>> = hooks
        .lines()
        .filter_map(|line| line.trim().strip_prefix("entry: delint "))
        .map(|entry| entry.split_whitespace().collect())
        .collect();
    assert_eq!(entries.len(), 2, "{hooks}");
    let dir = tree(&[
        (
            "delint.toml",
            b"extend-exclude = [\"vendor\"]\n[connections]\ncrm = \"zcrm\"\n",
        ),
        (
            "a.dg",
            b"r = invokeurl [ url: \"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + t type: GET ];\n",
        ),
        ("vendor/b.dg", AUTHTOKEN_CALL),
    ]);
    let run = |entry: &[&str]| {
        let args: Vec<&str> = entry.iter().copied().chain(["a.dg", "vendor/b.dg"]).collect();
        delint(dir.path(), &args)
    };
    let report = run(&entries[0]);
    assert_eq!(report.status.code(), Some(1), "{}", stdout(&report));
    assert!(!stdout(&report).contains("vendor/b.dg"), "excluded even when named");
    let fix = run(&entries[1]);
    assert_eq!(fix.status.code(), Some(1), "files changed: {}", stdout(&fix));
    assert_eq!(run(&entries[1]).status.code(), Some(0), "nothing left to change");
    assert_eq!(run(&entries[0]).status.code(), Some(0));
}

#[test]
fn a_fix_with_overlapping_edits_is_shown_without_crashing() {
    // A `/*` typed into a v1 call of a saved fuzz crash: showing its fix panicked.
    let text = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz/display-crash-1.dg")).unwrap();
    let dir = tree(&[("f.dg", &text)]);
    let output = delint(dir.path(), &["check", "f.dg"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
}

#[test]
fn version_names_the_package_version_and_the_commit_it_was_built_from() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = delint(root, &["--version"]);
    assert_eq!(output.status.code(), Some(0));
    let version = stdout(&output);
    assert!(
        version.starts_with(&format!("delint {}", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    // Built from a git checkout (as the tests are), the commit and its date follow.
    let head = std::process::Command::new("git")
        .args(["log", "-1", "--format=%h %cs", "--abbrev=12"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    if let Some(head) = head {
        assert_eq!(version.trim(), format!("delint {} ({head})", env!("CARGO_PKG_VERSION")));
    }
}
