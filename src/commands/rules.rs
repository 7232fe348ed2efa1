//! `delint rules` and `delint rule CODE`.

use std::process::ExitCode;

use delint_linter::rules;

pub fn list() -> ExitCode {
    for rule in rules::ALL {
        println!(
            "{}  {:<28} {:<12} {}",
            rule.code,
            rule.name,
            rule.category.as_str(),
            rule.summary
        );
    }
    ExitCode::SUCCESS
}

pub fn explain(code: &str) -> ExitCode {
    let Some(rule) = rules::find(code) else {
        eprintln!("error: no rule `{code}`; `delint rules` lists them");
        return ExitCode::from(2);
    };
    println!("# {} ({})\n", rule.name, rule.code);
    println!(
        "Category: {} · default severity: {}\n",
        rule.category.as_str(),
        rule.severity.as_str()
    );
    print!("{}", rule.markdown());
    ExitCode::SUCCESS
}
