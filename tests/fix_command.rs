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
    insta::glob!("../fixtures/rules", "{DL0*,fixes}/*.dg", |path| {
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
