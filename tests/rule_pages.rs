//! `docs/rules/<CODE>.md` is each rule's documentation as `delint rule CODE` prints it; the
//! language server links diagnostics to these pages. Regenerate with
//! `DELINT_UPDATE_DOCS=1 cargo test --test rule_pages`.

use std::path::Path;

#[test]
fn every_rule_has_an_up_to_date_page() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let update = std::env::var_os("DELINT_UPDATE_DOCS").is_some();
    let mut stale = Vec::new();
    for rule in delint_linter::rules::ALL {
        let page = format!(
            "# {} ({})\n\nCategory: {} · default severity: {}\n\n{}",
            rule.name,
            rule.code,
            rule.category.as_str(),
            rule.severity.as_str(),
            rule.markdown()
        );
        let path = dir.join(format!("{}.md", rule.code));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &page).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale rule pages (run `DELINT_UPDATE_DOCS=1 cargo test --test rule_pages`): {stale:?}"
    );
}
