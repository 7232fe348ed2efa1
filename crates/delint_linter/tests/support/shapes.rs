//! Hostile input shapes, each a function of a size `n`, shared by the pathological tests
//! (which check that allocation doubles when `n` does) and the benchmark of the same name
//! (which times them).

/// `n` lines of assignment.
pub fn lines(n: usize) -> String {
    (0..n).map(|i| format!("x{i} = \"v{i}\" + y;\n")).collect()
}

/// `n` statements on one line.
pub fn long_line(n: usize) -> String {
    "x = 1; ".repeat(n) + "\n"
}

/// One string literal of `n` characters.
pub fn long_string(n: usize) -> String {
    format!("x = \"{}\";\n", "a".repeat(n))
}

/// `n` nested parentheses, far beyond the nesting limit.
pub fn nesting(n: usize) -> String {
    format!("x = {}1{};\n", "(".repeat(n), ")".repeat(n))
}

/// One `+` chain of `n` string operands.
pub fn plus_chain(n: usize) -> String {
    let operands: Vec<String> = (0..n).map(|i| format!("\"a{i}\"")).collect();
    format!("x = {};\n", operands.join(" + "))
}

/// An `if` with `n - 1` `else if` arms.
pub fn else_ifs(n: usize) -> String {
    let mut source = String::from("if (a == 0) { x = 0; }\n");
    for i in 1..n {
        source.push_str(&format!("else if (a == {i}) {{ x = {i}; }}\n"));
    }
    source
}

/// `n` `getUrl` calls with an authtoken in the URL.
pub fn authtoken_calls(n: usize) -> String {
    (0..n)
        .map(|i| format!("r{i} = getUrl(\"https://crm.zoho.com/crm/v2/Leads?authtoken=\" + t{i});\n"))
        .collect()
}

/// `n` parameter maps carrying an authtoken, each sent by an `invokeurl`.
pub fn authtoken_maps(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "m{i} = Map();\nm{i}.put(\"authtoken\", tok);\nr{i} = invokeurl [ url: \"https://www.zohoapis.com/crm/v2/Leads\" type: POST parameters: m{i} ];\n"
            )
        })
        .collect()
}
