//! `delint check --fix` / `--diff` as users run them.

use std::path::Path;
use std::process::Command;

fn delint(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_delint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run delint")
}

/// Before/after of every authtoken fixture under `--fix --unsafe-fixes`.
#[test]
fn fixed_rule_fixtures() {
    insta::glob!("../fixtures/rules", "{DL0*,fixes,negative}/*.dg", |path| {
        let before = std::fs::read_to_string(path).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("function.dg");
        std::fs::write(&copy, &before).unwrap();
        let output = delint(dir.path(), &["check", "--fix", "--unsafe-fixes", "function.dg"]);
        let after = std::fs::read_to_string(&copy).unwrap();
        assert!(output.status.code().is_some_and(|c| c <= 1), "{output:?}");
        insta::assert_snapshot!(format!("--- before\n{before}--- after\n{after}"));
    });
}

/// The fixtures of v1 calls DL011 migrates (every CRM method with a task or v2 form,
/// across data centres, the response idioms, every Creator call with a task): after
/// `--fix --unsafe-fixes` each parses, sends no authtoken, calls no v1 URL and has no
/// DL011; a second run changes nothing.
#[test]
fn migrated_v1_fixtures_leave_working_code_and_the_fix_is_idempotent() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/DL011");
    for name in [
        "crm_v1_migration.dg",
        "crm_v1_more_methods.dg",
        "crm_v1_response_idioms.dg",
        "creator_v1_migration.dg",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join(name);
        std::fs::copy(fixtures.join(name), &copy).unwrap();
        delint(dir.path(), &["check", "--fix", "--unsafe-fixes", name]);
        let fixed = std::fs::read_to_string(&copy).unwrap();
        assert!(!fixed.to_ascii_lowercase().contains("authtoken"), "{name}:\n{fixed}");
        for v1 in ["/crm/private/", "/api/json/", "/api/xml/", "/json/shop/"] {
            assert!(!fixed.contains(v1), "{name} still calls `{v1}`:\n{fixed}");
        }
        let check = delint(dir.path(), &["check", "--output-format", "json", name]);
        let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
        let codes: Vec<&str> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        assert!(
            !codes.iter().any(|c| *c == "DL000" || *c == "DL011"),
            "{name}: {codes:?}\n{fixed}"
        );
        delint(dir.path(), &["check", "--fix", "--unsafe-fixes", name]);
        assert_eq!(
            std::fs::read_to_string(&copy).unwrap(),
            fixed,
            "{name}: a second fix changed it"
        );
    }
}

#[test]
fn fix_keeps_permissions_and_reports_what_it_did() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.dg");
    std::fs::write(
        &file,
        "r = getUrl(\"https://crm.zoho.com/crm/v2/Leads?authtoken=\" + tok);\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let safe_only = delint(dir.path(), &["check", "--fix", "f.dg"]);
    assert_eq!(safe_only.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&safe_only.stdout);
    assert!(
        stdout.contains("2 fixable with --fix --unsafe-fixes."),
        "DL001 and DL010, one fix: {stdout}"
    );

    let output = delint(dir.path(), &["check", "--fix", "--unsafe-fixes", "f.dg"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("Fixed 2 findings."), "{stdout}");
    assert!(
        stdout.contains("zohocrm              Zoho CRM (to create), scopes: ZohoCRM.modules.leads.READ"),
        "{stdout}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
}

#[test]
fn diff_prints_a_redacted_diff_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.dg");
    let source = "t = \"3b3c0f6d1e2a4b5c6d7e8f9012345678\";\nr = invokeurl [ url: \"https://books.zoho.com/api/v3/items?authtoken=\" + t type: GET ];\n";
    std::fs::write(&file, source).unwrap();
    let output = delint(dir.path(), &["check", "--diff", "--unsafe-fixes", "f.dg"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("-t = \"3b3c****************************\";"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "+r = invokeurl [ url: \"https://books.zoho.com/api/v3/items\" type: GET connection: \"zohobooks\" ];"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("3b3c0f6d1e2a4b5c6d7e8f9012345678"), "{stdout}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), source);
    // Standard output is the diff alone, for `git apply --check` or a review; the summary
    // goes to standard error and says the findings are still in the file.
    assert!(stdout.starts_with("--- f.dg\n+++ f.dg\n@@ "), "{stdout}");
    assert!(!stdout.contains("Would fix"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Would fix 2 findings."), "{stderr}");
    assert!(stderr.contains("No findings would remain after the diff"), "{stderr}");
    assert!(!stderr.contains("All checks passed"), "{stderr}");
    assert_eq!(
        output.status.code(),
        Some(1),
        "a diff with changes fails the run, as ruff's does"
    );
}

#[test]
fn a_configuration_names_the_connection_and_makes_the_fix_safe() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("delint.toml"), "[connections]\nbooks = \"zbooks\"\n").unwrap();
    std::fs::create_dir(dir.path().join("functions")).unwrap();
    let file = dir.path().join("functions/f.dg");
    std::fs::write(
        &file,
        "r = invokeurl [ url: \"https://books.zoho.com/api/v3/items?authtoken=\" + t type: GET ];\n",
    )
    .unwrap();
    let output = delint(dir.path(), &["check", "--fix", "functions"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "r = invokeurl [ url: \"https://books.zoho.com/api/v3/items\" type: GET connection: \"zbooks\" ];\n"
    );
}

#[test]
fn a_broken_configuration_is_a_tool_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("delint.toml"), "[connections]\ncrm = 5\n").unwrap();
    std::fs::write(dir.path().join("f.dg"), "x = 1;\n").unwrap();
    let output = delint(dir.path(), &["check", "f.dg"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("delint.toml:2:7: `connections.crm`: invalid type: integer `5`, expected a string"),
        "{stderr}"
    );
}

#[test]
fn read_only_and_vanished_files_are_reported_and_the_others_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let call = "r = invokeurl [ url: \"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + tok type: GET ];\n";
    for name in ["a.dg", "b_readonly.dg", "c.dg"] {
        std::fs::write(dir.path().join(name), call).unwrap();
    }
    let locked = dir.path().join("b_readonly.dg");
    let mut permissions = std::fs::metadata(&locked).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&locked, permissions).unwrap();

    let output = delint(
        dir.path(),
        &[
            "check",
            "--fix",
            "--unsafe-fixes",
            "--output-format",
            "concise",
            "a.dg",
            "b_readonly.dg",
            "c.dg",
            "gone.dg",
        ],
    );
    assert_eq!(output.status.code(), Some(2), "a tool error");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("b_readonly.dg: error: could not write the fixed file: the file is read-only"),
        "{stdout}"
    );
    assert!(
        stdout.contains("gone.dg:1:1: DL900 no such file or directory"),
        "{stdout}"
    );
    assert!(
        stdout.contains("b_readonly.dg:1:5: DL001"),
        "its findings are still reported: {stdout}"
    );
    assert_eq!(std::fs::read_to_string(&locked).unwrap(), call, "untouched");
    for fixed in ["a.dg", "c.dg"] {
        let text = std::fs::read_to_string(dir.path().join(fixed)).unwrap();
        assert!(
            !text.contains("authtoken") && text.contains("connection:"),
            "{fixed}: {text}"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.ends_with(".dg"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind: {leftovers:?}");
}

/// A function with many authtoken calls, so that fixing a tree of them takes long enough
/// to be interrupted.
fn slow_function(i: usize) -> String {
    let calls: String = (0..40)
        .map(|j| {
            format!(
                "\tr{j} = getUrl(\"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + t);\n\tinfo r{j}.contains(\"x\");\n"
            )
        })
        .collect();
    format!("void automation.f{i}(string t)\n{{\n{calls}}}\n")
}

#[cfg(unix)]
#[test]
fn sigterm_during_fix_finishes_the_files_in_flight_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let originals: Vec<String> = (0..1500).map(slow_function).collect();
    for (i, text) in originals.iter().enumerate() {
        std::fs::write(dir.path().join(format!("f{i:04}.dg")), text).unwrap();
    }
    let child = Command::new(env!("CARGO_BIN_EXE_delint"))
        .args([
            "check",
            "--fix",
            "--unsafe-fixes",
            "-q",
            "--output-format",
            "concise",
            ".",
        ])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the first written file, then stop the run.
    let first = dir.path().join("f0000.dg");
    let started = std::time::Instant::now();
    while std::fs::read_to_string(&first).unwrap() == originals[0] {
        assert!(started.elapsed().as_secs() < 60, "nothing was written");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    let mut written = 0;
    for (i, original) in originals.iter().enumerate() {
        let text = std::fs::read_to_string(dir.path().join(format!("f{i:04}.dg"))).unwrap();
        if text != *original {
            assert!(
                !text.contains("authtoken") && text.ends_with("}\n"),
                "f{i:04}.dg is half fixed"
            );
            written += 1;
        }
    }
    assert!(written > 0 && written < originals.len(), "{written} written");
    assert!(
        stderr.contains(&format!(
            "interrupted: {written} files written, {} files not checked",
            originals.len() - written
        )),
        "{stderr}"
    );
    let temporaries: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".delint-tmp"))
        .collect();
    assert!(temporaries.is_empty(), "{temporaries:?}");
}

#[test]
fn a_stale_temporary_file_is_never_linted_and_the_next_fix_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("f.dg"), slow_function(0)).unwrap();
    let stale = dir.path().join(".f.dg.delint-tmp");
    std::fs::write(
        &stale,
        "r = getUrl(\"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + t",
    )
    .unwrap();
    let check = delint(dir.path(), &["check", "--output-format", "concise", "."]);
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(!stdout.contains("delint-tmp"), "{stdout}");
    assert!(stale.exists(), "a check without --fix changes nothing");
    let fix = delint(dir.path(), &["check", "--fix", "--unsafe-fixes", "."]);
    assert!(!stale.exists(), "{fix:?}");
    assert!(
        String::from_utf8_lossy(&fix.stderr).contains("removed the temporary file an interrupted run left beside it"),
        "{fix:?}"
    );
}
