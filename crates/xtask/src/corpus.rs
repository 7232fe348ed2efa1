//! A deterministic corpus of realistic Deluge: CRM/Books/Desk functions with maps, loops,
//! Creator fetches, comments, long concatenations, `invokeurl` calls with connections, and
//! in about 3% of files a call that still sends an authtoken (counted, so a test can check
//! recall against it). Same seed, same bytes, on every platform: the generator is
//! splitmix64, not a library whose stream may change between versions.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// splitmix64: tiny, fast, and stable forever.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// What a run wrote.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    pub bytes: usize,
    /// Calls that send an authtoken (each is at least one DL001–DL003 finding).
    pub authtoken_calls: usize,
}

/// Writes `files` functions under `out` (100 per directory).
pub fn write(out: &Path, files: usize, seed: u64) -> io::Result<Stats> {
    let mut rng = Rng::new(seed);
    let mut stats = Stats::default();
    for i in 0..files {
        let dir = out.join(format!("d{:03}", i / 100));
        if i % 100 == 0 {
            std::fs::create_dir_all(&dir)?;
        }
        let (text, tokens) = function(&mut rng, i);
        std::fs::write(dir.join(format!("f{i:05}.dg")), &text)?;
        stats.files += 1;
        stats.bytes += text.len();
        stats.authtoken_calls += tokens;
    }
    Ok(stats)
}

const MODULES: &[&str] = &["Leads", "Contacts", "Deals", "Accounts", "Quotes", "Tasks"];
const FIELDS: &[&str] = &[
    "Email",
    "Phone",
    "Stage",
    "Amount",
    "Owner",
    "Description",
    "Lead_Source",
];

/// One function and how many authtoken calls it holds.
pub fn function(rng: &mut Rng, index: usize) -> (String, usize) {
    let mut out = String::with_capacity(6_000);
    let module = rng.pick(MODULES);
    let _ = writeln!(out, "// Generated function {index}: keeps {module} in sync.");
    let _ = writeln!(
        out,
        "void automation.sync_{}_{index}(int recordId{})\n{{",
        module.to_lowercase(),
        // Typed list parameters, as Zoho's function editor writes them.
        if index.is_multiple_of(4) {
            ", list:int ownerIds"
        } else {
            ""
        }
    );
    let mut tokens = 0;
    let blocks = 8 + rng.below(10);
    for block in 0..blocks {
        match rng.below(7) {
            0 => fetch_and_update(&mut out, rng, module),
            1 => loop_over_related(&mut out, rng),
            2 => invokeurl_with_connection(&mut out, rng, block),
            3 => long_concatenation(&mut out, rng, block),
            4 => creator_fetch(&mut out, rng, block),
            5 => conditions(&mut out, rng, block),
            _ => comments(&mut out, rng),
        }
    }
    if rng.chance(3) {
        authtoken_call(&mut out, rng);
        tokens += 1;
    }
    out.push_str("}\n");
    (out, tokens)
}

fn fetch_and_update(out: &mut String, rng: &mut Rng, module: &str) {
    let field = rng.pick(FIELDS);
    let _ = write!(
        out,
        "\trecord = zoho.crm.getRecordById(\"{module}\", recordId);\n\
         \tupdate = Map();\n\
         \tupdate.put(\"{field}\", record.get(\"{field}\"));\n\
         \tupdate.put(\"Description\", \"Synced on \" + zoho.currentdate);\n\
         \tresult = zoho.crm.updateRecord(\"{module}\", recordId, update);\n\
         \tinfo result;\n"
    );
}

fn loop_over_related(out: &mut String, rng: &mut Rng) {
    let related = rng.pick(&["Notes", "Attachments", "Products", "Calls"]);
    let _ = write!(
        out,
        "\trelated = zoho.crm.getRelatedRecords(\"{related}\", \"Deals\", recordId);\n\
         \ttotal = 0;\n\
         \tfor each item in related\n\
         \t{{\n\
         \t\tif (item.get(\"Amount\") != null)\n\
         \t\t{{\n\
         \t\t\ttotal = total + item.get(\"Amount\").toDecimal();\n\
         \t\t}}\n\
         \t}}\n\
         \tinfo \"Total: \" + total;\n"
    );
}

fn invokeurl_with_connection(out: &mut String, rng: &mut Rng, block: usize) {
    let (url, connection) = match rng.below(4) {
        0 => ("https://www.zohoapis.com/crm/v2/Deals/\" + recordId + \"", "zcrm"),
        1 => (
            "https://www.zohoapis.com/books/v3/invoices?organization_id=\" + orgId + \"",
            "zbooks",
        ),
        2 => ("https://desk.zoho.com/api/v1/tickets", "zdesk"),
        _ => ("https://api.example.com/v1/orders?status=open", ""),
    };
    let _ = write!(
        out,
        "\tresponse{block} = invokeurl\n\t[\n\t\turl: \"{url}\"\n\t\ttype: GET\n"
    );
    if !connection.is_empty() {
        let _ = writeln!(out, "\t\tconnection: \"{connection}\"");
    } else {
        out.push_str("\t\theaders: {\"Authorization\": \"Bearer \" + apiKey}\n");
    }
    let _ = writeln!(out, "\t];\n\tinfo response{block};");
}

fn long_concatenation(out: &mut String, rng: &mut Rng, block: usize) {
    let parts = 5 + rng.below(20);
    let _ = write!(out, "\tmessage{block} = \"Dear \" + record.get(\"First_Name\")");
    for part in 0..parts {
        let field = rng.pick(FIELDS);
        let _ = write!(out, " + \", {field} {part}: \" + record.get(\"{field}\")");
    }
    let _ = writeln!(
        out,
        ";\n\tsendmail\n\t[\n\t\tfrom: zoho.adminuserid\n\t\tto: record.get(\"Email\")\n\t\tsubject: \"Update\"\n\t\tmessage: message{block}\n\t];"
    );
}

fn creator_fetch(out: &mut String, rng: &mut Rng, block: usize) {
    let form = rng.pick(&["Orders", "Customers", "Stock", "Invoices"]);
    // Creator saves `=` as well as `==` in criteria.
    let equals = if block.is_multiple_of(2) { "==" } else { "=" };
    let _ = write!(
        out,
        "\trows{block} = {form}[Status {equals} \"Open\" && Amount > 100] sort by Added_Time desc;\n\
         \tlast{block} = {form}[ID != 0].Number sort by Number desc;\n\
         \tfor each row in rows{block}\n\
         \t{{\n\
         \t\trow.Status = \"Processed\";\n\
         \t}}\n"
    );
}

fn conditions(out: &mut String, rng: &mut Rng, block: usize) {
    let stage = rng.pick(&["Closed Won", "Closed Lost", "Negotiation", "Qualification"]);
    let _ = write!(
        out,
        "\tif (record.get(\"Stage\") == \"{stage}\")\n\
         \t{{\n\
         \t\tstatus{block} = \"done\";\n\
         \t}}\n\
         \telse if (record.get(\"Amount\") > 1000 && record.get(\"Type\") = \"New\")\n\
         \t{{\n\
         \t\tstatus{block} = \"big\";\n\
         \t}}\n\
         \telse\n\
         \t{{\n\
         \t\tstatus{block} = \"open\";\n\
         \t}}\n"
    );
}

fn comments(out: &mut String, rng: &mut Rng) {
    let note = rng.pick(&[
        "TODO: move this to a scheduled function",
        "The old version used getUrl with an authtoken; see ticket 1234",
        "Amounts are in the org currency",
    ]);
    let _ = writeln!(out, "\t// {note}\n\t/* reviewed {} */", rng.below(2030));
}

fn authtoken_call(out: &mut String, rng: &mut Rng) {
    match rng.below(3) {
        0 => out.push_str(
            "\ttoken = zoho.crm.getOrgVariable(\"authtoken\");\n\
             \tlegacy = getUrl(\"https://crm.zoho.com/crm/private/json/Leads/getRecordById?authtoken=\" + token + \"&scope=crmapi&id=\" + recordId);\n\
             \tinfo legacy;\n",
        ),
        1 => out.push_str(
            "\tparams = Map();\n\
             \tparams.put(\"authtoken\", input.token);\n\
             \tparams.put(\"organization_id\", orgId);\n\
             \titems = postUrl(\"https://books.zoho.com/api/v3/items\", params);\n\
             \tinfo items;\n",
        ),
        _ => out.push_str(
            "\theaders = Map();\n\
             \theaders.put(\"Authorization\", \"Zoho-authtoken \" + deskToken);\n\
             \ttickets = invokeurl\n\t[\n\t\turl: \"https://desk.zoho.com/api/v1/tickets\"\n\t\ttype: GET\n\t\theaders: headers\n\t];\n\
             \tinfo tickets;\n",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_writes_the_same_bytes() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        assert_eq!(write(a.path(), 30, 7).unwrap(), write(b.path(), 30, 7).unwrap());
        let read = |dir: &Path| std::fs::read(dir.join("d000/f00017.dg")).unwrap();
        assert_eq!(read(a.path()), read(b.path()));
        let c = tempfile::tempdir().unwrap();
        write(c.path(), 30, 8).unwrap();
        assert_ne!(read(a.path()), read(c.path()), "another seed, another corpus");
    }

    #[test]
    fn the_fast_path_parses_every_generated_file_as_the_resilient_parser_does() {
        let mut rng = Rng::new(7);
        for i in 0..400 {
            let (text, _) = function(&mut rng, i);
            let arena = deluge_syntax::Arena::new();
            let fast = deluge_syntax::parse_fast_path_only(&text, &arena);
            let fast = fast.unwrap_or_else(|| panic!("file {i}: the fast path gave up\n{text}"));
            let resilient = deluge_syntax::parse_resilient_only(&text, &arena);
            assert_eq!(fast.file, resilient.file, "file {i}\n{text}");
            assert_eq!(fast.errors, resilient.errors, "file {i}");
        }
    }

    #[test]
    fn files_parse_cleanly_and_every_planted_token_is_found() {
        let mut rng = Rng::new(42);
        let (mut planted, mut found) = (0, 0);
        for i in 0..400 {
            let (text, tokens) = function(&mut rng, i);
            let arena = deluge_syntax::Arena::new();
            let parsed = deluge_syntax::parse(&text, &arena);
            assert!(parsed.errors.is_empty(), "file {i}: {:?}\n{text}", parsed.errors);
            let result = delint_linter::lint(&text, &parsed, &Default::default());
            let calls: std::collections::HashSet<_> = result
                .diagnostics
                .iter()
                .filter(|d| matches!(d.code, "DL001" | "DL002" | "DL003"))
                .map(|d| d.range)
                .collect();
            planted += tokens;
            found += calls.len();
            assert_eq!(calls.len(), tokens, "file {i}\n{text}");
        }
        assert!(planted >= 5, "the corpus plants authtoken calls ({planted})");
        assert_eq!(found, planted);
    }

    #[test]
    fn files_are_about_five_kilobytes() {
        let mut rng = Rng::new(1);
        let total: usize = (0..200).map(|i| function(&mut rng, i).0.len()).sum();
        let mean = total / 200;
        assert!((2_500..8_000).contains(&mean), "mean file size {mean}");
    }
}
