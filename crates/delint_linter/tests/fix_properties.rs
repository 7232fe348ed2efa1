//! Properties of `--fix --unsafe-fixes` over every rule fixture: no fixable authtoken finding
//! survives, nothing new breaks, a second run changes nothing, and every byte outside the
//! fixes' edits is left alone.

use std::path::{Path, PathBuf};

use delint_linter::diagnostic::{Applicability, Edit};
use delint_linter::fix::apply::fix_source;
use delint_linter::services::Service;
use delint_linter::settings::Settings;

fn fixtures() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rules");
    let mut files = Vec::new();
    for dir in [
        "DL001",
        "DL002",
        "DL003",
        "DL010",
        "DL011",
        "DL012",
        "DL020",
        "DL021",
        "clean",
        "fixes",
        "negative",
        "suppression",
    ] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let source = std::fs::read_to_string(&path).unwrap();
            files.push((path, source));
        }
    }
    files.sort();
    assert!(files.len() >= 15);
    files
}

/// The messages of a text's syntax errors, sorted.
fn syntax_errors(source: &str) -> Vec<String> {
    let arena = deluge_syntax::Arena::new();
    let mut messages: Vec<String> = deluge_syntax::parse(source, &arena)
        .errors
        .iter()
        .map(|e| e.message.clone())
        .collect();
    messages.sort();
    messages
}

fn lint(source: &str) -> delint_linter::LintResult {
    delint_linter::lint(
        source,
        &deluge_syntax::parse(source, &deluge_syntax::Arena::new()),
        &Settings::default(),
    )
}

#[test]
fn only_display_only_authtoken_findings_remain() {
    for (path, source) in fixtures() {
        let fixed = fix_source(&source, &Settings::default(), Applicability::Unsafe);
        assert_eq!(fixed.rejected, None, "{}", path.display());
        for diagnostic in &fixed.remaining.diagnostics {
            if matches!(diagnostic.code, "DL001" | "DL002" | "DL003") {
                // A call to a retired v1 API is left for a hand migration: no fix at all.
                let v1 = fixed
                    .remaining
                    .diagnostics
                    .iter()
                    .any(|d| d.code == "DL011" && d.range == diagnostic.range);
                if v1 {
                    assert_eq!(diagnostic.fix, None, "{}: a v1 call got a fix", path.display());
                    continue;
                }
                let fix = diagnostic.fix.as_ref().expect("authtoken findings carry a fix");
                assert_eq!(
                    fix.applicability,
                    Applicability::DisplayOnly,
                    "{}: {} survived: {}\n{}",
                    path.display(),
                    diagnostic.code,
                    fix.message,
                    fixed.text
                );
            }
        }
    }
}

#[test]
fn fixed_text_parses_without_new_errors_and_a_second_run_changes_nothing() {
    for (path, source) in fixtures() {
        let fixed = fix_source(&source, &Settings::default(), Applicability::Unsafe);
        assert_eq!(
            syntax_errors(&fixed.text),
            syntax_errors(&source),
            "{}: a fixed file keeps exactly its syntax errors:\n{}",
            path.display(),
            fixed.text
        );
        let again = fix_source(&fixed.text, &Settings::default(), Applicability::Unsafe);
        assert_eq!(again.text, fixed.text, "{} is not idempotent", path.display());
    }
}

#[test]
fn bytes_outside_the_edits_are_unchanged() {
    for (path, source) in fixtures() {
        let result = lint(&source);
        let edits: Vec<Edit> = result
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.applicability != Applicability::DisplayOnly)
            .flat_map(|f| f.edits.iter().cloned())
            .chain(result.leftover_tokens.iter().flat_map(|l| l.deletions.iter().cloned()))
            .collect();
        let fixed = fix_source(&source, &Settings::default(), Applicability::Unsafe);
        // The spans no edit touches must all appear in the output, in order.
        let mut cuts: Vec<(usize, usize)> = edits
            .iter()
            .map(|e| (usize::from(e.range.start()), usize::from(e.range.end())))
            .collect();
        cuts.sort();
        let mut untouched = Vec::new();
        let mut from = 0;
        for (start, end) in cuts {
            if start > from {
                untouched.push(&source[from..start]);
            }
            from = from.max(end);
        }
        untouched.push(&source[from..]);
        let mut cursor = 0;
        for span in untouched {
            let found = fixed.text[cursor..].find(span).unwrap_or_else(|| {
                panic!(
                    "{}: {span:?} was changed outside every edit:\n{}",
                    path.display(),
                    fixed.text
                )
            });
            cursor += found + span.len();
        }
    }
}

#[test]
fn a_configured_connection_makes_the_invokeurl_fix_safe() {
    let source =
        "r = invokeurl\n[\n\turl: \"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + tok\n\ttype: GET\n];\n";
    let settings = Settings {
        connections: [(Service::Crm, "zcrm".to_owned())].into(),
        ..Settings::default()
    };
    let fixed = fix_source(source, &settings, Applicability::Safe);
    assert_eq!(
        fixed.text,
        "r = invokeurl\n[\n\turl: \"https://www.zohoapis.com/crm/v2/Leads\"\n\ttype: GET\n\tconnection: \"zcrm\"\n];\n"
    );
    let unconfigured = fix_source(source, &Settings::default(), Applicability::Safe);
    assert_eq!(unconfigured.text, source, "the default name is only an unsafe guess");
}

#[test]
fn a_shared_variable_gets_a_display_only_fix() {
    let source = "url = \"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + tok;\ninfo url;\nr = invokeurl [ url: url type: GET ];\n";
    let result = lint(source);
    let fix = result.diagnostics[0].fix.as_ref().unwrap();
    assert_eq!(fix.applicability, Applicability::DisplayOnly);
    assert!(fix.message.contains("`url` is also used on line 2"), "{}", fix.message);
}

#[test]
fn nested_calls_are_hoisted_into_a_variable() {
    let source = "\tdata = getUrl(\"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + tok, false).toMap();\n";
    let fixed = fix_source(source, &Settings::default(), Applicability::Unsafe);
    assert_eq!(
        fixed.text,
        "\tresponse = invokeurl\n\t[\n\t\turl: \"https://www.zohoapis.com/crm/v2/Leads\"\n\t\ttype: GET\n\t\tdetailed: true\n\t\tconnection: \"zohocrm\"\n\t];\n\tdata = response.toMap();\n"
    );
}

#[test]
fn crlf_line_endings_and_a_bom_survive() {
    let source = "\u{feff}h = Map();\r\nh.put(\"Authorization\", \"Zoho-authtoken \" + tok);\r\nr = invokeurl\r\n[\r\n    url: \"https://desk.zoho.com/api/v1/tickets\"\r\n    headers: h\r\n];\r\n";
    let fixed = fix_source(source, &Settings::default(), Applicability::Unsafe);
    assert_eq!(
        fixed.text,
        "\u{feff}h = Map();\r\nr = invokeurl\r\n[\r\n    url: \"https://desk.zoho.com/api/v1/tickets\"\r\n    headers: h\r\n    connection: \"zohodesk\"\r\n];\r\n"
    );
}

fn unsafe_fix(source: &str) -> String {
    fix_source(source, &Settings::default(), Applicability::Unsafe).text
}

/// The fix offered for the finding of `code` on the `nth` call (0-based) of `source`.
fn fix_of(source: &str, code: &str, nth: usize) -> delint_linter::diagnostic::Fix {
    let result = lint(source);
    let diagnostic = result
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .nth(nth)
        .unwrap_or_else(|| panic!("no {code} #{nth} in {source}"));
    diagnostic.fix.clone().expect("a fix")
}

// 1. Evaluation order.

#[test]
fn a_request_in_an_else_if_condition_is_never_hoisted_above_the_if() {
    let source = "if(existingId != \"\")\n{\n\tinfo \"exists\";\n}\nelse if(postUrl(\"https://books.zoho.com/api/v3/contacts?organization_id=1&authtoken=\" + tok, body).contains(\"\\\"code\\\":0\"))\n{\n\tinfo \"created\";\n}\n";
    let fix = fix_of(source, "DL001", 0);
    assert_eq!(fix.applicability, Applicability::DisplayOnly);
    assert!(fix.message.contains("`else if` condition"), "{}", fix.message);
    assert_eq!(unsafe_fix(source), source);
}

#[test]
fn requests_right_of_and_or_in_a_ternary_branch_or_after_another_request_stay_put() {
    for (source, reason) in [
        (
            "ready = id == \"\" && getUrl(\"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + tok).contains(\"data\");\n",
            "right of `&&` or `||`",
        ),
        (
            "label = if(id == \"\", getUrl(\"https://www.zohoapis.com/crm/v2/Deals?authtoken=\" + tok), \"none\");\n",
            "branch of `if(condition, a, b)`",
        ),
        (
            "s = zoho.crm.updateRecord(\"Leads\", id, m) + getUrl(\"https://www.zohoapis.com/crm/v2/Tasks?authtoken=\" + tok);\n",
            "runs first in the same statement",
        ),
    ] {
        let fix = fix_of(source, "DL001", 0);
        assert_eq!(fix.applicability, Applicability::DisplayOnly, "{source}");
        assert!(fix.message.contains(reason), "{}", fix.message);
        assert_eq!(unsafe_fix(source), source);
    }
}

#[test]
fn a_request_in_the_first_if_condition_moves_just_before_the_if() {
    let source = "if(getUrl(\"https://www.zohoapis.com/crm/v2/Notes?authtoken=\" + tok) != \"\")\n{\n\tinfo 1;\n}\n";
    let fixed = unsafe_fix(source);
    assert!(
        fixed.starts_with("response = invokeurl\n[") && fixed.contains("];\nif(response != \"\")"),
        "{fixed}"
    );
}

// 2. Calls that already authenticate.

#[test]
fn a_call_with_its_own_oauth_header_or_zapikey_gets_no_connection() {
    for source in [
        "h = {\"Authorization\":\"Zoho-oauthtoken \" + at};\nlead = getUrl(\"https://www.zohoapis.com/crm/v2/Leads/\" + id, h);\n",
        "r = getUrl(\"https://www.zohoapis.com/crm/v2/functions/f/actions/execute?auth_type=apikey&zapikey=1003.x\");\n",
        "t = postUrl(\"https://accounts.zoho.com/oauth/v2/token?refresh_token=\" + rt, \"\");\n",
    ] {
        let fixed = unsafe_fix(source);
        assert!(fixed.contains("invokeurl"), "{fixed}");
        assert!(!fixed.contains("connection:"), "{fixed}");
    }
    let help =
        &lint("t = postUrl(\"https://accounts.zoho.com/oauth/v2/token?refresh_token=\" + rt, \"\");\n").diagnostics[0];
    assert!(
        help.help.as_deref().unwrap_or("").contains("delete the refresh"),
        "{:?}",
        help.help
    );
}

#[test]
fn a_third_partys_own_authtoken_survives_the_rewrite_of_its_call() {
    // Slack's or Zendesk's `authtoken` is their key, not Zoho's: the `getUrl` rewrite must
    // send it as before, in the URL, the parameters and the header.
    let source = "slack = postUrl(\"https://hooks.slack.com/services/T000/B000\", {\"authtoken\":t, \"text\":\"hi\"});\n\
                  zendesk = getUrl(\"https://acme.zendesk.com/api/v2/tickets.json?authtoken=\" + t, {\"Authorization\":\"Zoho-authtoken \" + t});\n";
    let fixed = unsafe_fix(source);
    assert_eq!(fixed.matches("invokeurl").count(), 2, "{fixed}");
    assert!(
        fixed.contains("parameters: {\"authtoken\":t, \"text\":\"hi\"}"),
        "{fixed}"
    );
    assert!(
        fixed.contains("url: \"https://acme.zendesk.com/api/v2/tickets.json?authtoken=\" + t"),
        "{fixed}"
    );
    assert!(
        fixed.contains("headers: {\"Authorization\":\"Zoho-authtoken \" + t}"),
        "{fixed}"
    );
    assert!(!fixed.contains("connection:"), "{fixed}");
}

// Issue 22: CRM v1 calls migrated into their integration tasks.

#[test]
fn crm_v1_reads_become_integration_tasks_in_place() {
    let cases = [
        (
            "r = getUrl(\"https://crm.zoho.com/crm/private/json/Leads/getRecordById?authtoken=\" + t + \"&scope=crmapi&id=\" + leadId);\n",
            "r = zoho.crm.getRecordById(\"Leads\", leadId, Map(), \"zohocrm\");\n",
        ),
        (
            "r = getUrl(\"https://crm.zoho.eu/crm/private/xml/Potentials/getRecordById?scope=crmapi&authtoken=\" + t + \"&id=3719000000123\");\n",
            "r = zoho.crm.getRecordById(\"Deals\", 3719000000123, Map(), \"zohocrm\");\n",
        ),
        (
            "r = postUrl(\"https://crm.zoho.in/crm/private/json/Contacts/getRecords?authtoken=\" + t + \"&fromIndex=1&toIndex=200\", Map());\n",
            "r = zoho.crm.getRecords(\"Contacts\", 1, 200, Map(), \"zohocrm\");\n",
        ),
        (
            "r = getUrl(\"https://crm.zoho.com.au/crm/private/json/Leads/getRecords?authtoken=\" + t);\n",
            "r = zoho.crm.getRecords(\"Leads\", 1, 20, Map(), \"zohocrm\");\n",
        ),
        (
            "r = getUrl(\"https://crm.zoho.com/crm/private/json/Leads/searchRecords?authtoken=\" + t + \"&criteria=(Last%20Name:\" + name + \")&fromIndex=21&toIndex=40\");\n",
            "r = zoho.crm.searchRecords(\"Leads\", \"(Last_Name:equals:\" + name + \")\", 2, 20, Map(), \"zohocrm\");\n",
        ),
        (
            "info invokeUrl(\"https://crm.zoho.com/crm/private/json/Leads/getRecordById?authtoken=\" + t + \"&id=\" + input.id, \"GET\");\n",
            "info zoho.crm.getRecordById(\"Leads\", input.id, Map(), \"zohocrm\");\n",
        ),
        (
            "r = invokeurl\n[\n\turl: \"https://crm.zoho.com/crm/private/json/Leads/getRecordById?id=\" + id\n\ttype: GET\n\tconnection: \"zcrm\"\n]\ninfo r;\n",
            "r = zoho.crm.getRecordById(\"Leads\", id, Map(), \"zcrm\");\ninfo r;\n",
        ),
        (
            "x = \"<Leads><row no=\\\"1\\\"><FL val=\\\"Last Name\\\">\" + input.Name + \"</FL><FL val=\\\"Email\\\">\" + lead.get(\"Email\") + \"</FL></row></Leads>\";\ninfo \"sending\";\nr = postUrl(\"https://crm.zoho.com/crm/private/xml/Leads/insertRecords?authtoken=\" + t + \"&scope=crmapi&xmlData=\" + x, Map());\n",
            "info \"sending\";\nr = zoho.crm.createRecord(\"Leads\", {\"Last_Name\": input.Name, \"Email\": lead.get(\"Email\")}, Map(), \"zohocrm\");\n",
        ),
        (
            "r = getUrl(\"https://crm.zoho.eu/crm/private/xml/Potentials/updateRecords?authtoken=\" + t + \"&wfTrigger=true&id=\" + dealId + \"&xmlData=<Potentials><row no=\\\"1\\\"><FL val=\\\"Potential Stage\\\">Closed Won</FL><FL val=\\\"Amount\\\">\" + amount + \"</FL></row></Potentials>\");\n",
            "r = zoho.crm.updateRecord(\"Deals\", dealId, {\"Stage\": \"Closed Won\", \"Amount\": amount}, {\"trigger\":{\"workflow\"}}, \"zohocrm\");\n",
        ),
        (
            "notes = getUrl(\"https://crm.zoho.com/crm/private/json/Notes/getRelatedRecords?authtoken=\" + t + \"&parentModule=Potentials&id=\" + dealId);\n",
            "notes = zoho.crm.getRelatedRecords(\"Notes\", \"Deals\", dealId, 1, 20, Map(), \"zohocrm\");\n",
        ),
        (
            "o = getUrl(\"https://creator.zoho.com/api/json/shop/view/Orders?authtoken=\" + t + \"&scope=creatorapi&zc_ownername=acme&raw=true&criteria=Status==\\\"Open\\\"\");\n",
            "o = zoho.creator.getRecords(\"acme\", \"shop\", \"Orders\", \"Status==\\\"Open\\\"\", 1, 200, \"zohocreator\");\n",
        ),
        (
            "c = invokeUrl(\"https://creator.zoho.eu/api/acme/json/shop/view/Customers?authtoken=\" + t + \"&criteria=Email==\\\"\" + input.Email + \"\\\"\", \"GET\");\n",
            "c = zoho.creator.getRecords(\"acme\", \"shop\", \"Customers\", \"Email==\\\"\" + input.Email + \"\\\"\", 1, 200, \"zohocreator\");\n",
        ),
        (
            "x = \"<Leads><row no=\\\"1\\\"><FL val=\\\"Last Name\\\">\" + name + \"</FL></row></Leads>\";\np = Map();\np.put(\"authtoken\", t);\np.put(\"scope\", \"crmapi\");\np.put(\"xmlData\", x);\nr = postUrl(\"https://crm.zoho.com/crm/private/xml/Leads/insertRecords\", p);\n",
            "r = zoho.crm.createRecord(\"Leads\", {\"Last_Name\": name}, Map(), \"zohocrm\");\n",
        ),
        (
            "r = postUrl(\"https://crm.zoho.com/crm/private/json/Leads/getRecordById\", {\"authtoken\": t, \"scope\": \"crmapi\", \"id\": input.id});\n",
            "r = zoho.crm.getRecordById(\"Leads\", input.id, Map(), \"zohocrm\");\n",
        ),
        (
            "\tgone = getUrl(\"https://crm.zoho.eu/crm/private/json/Leads/deleteRecords?authtoken=\" + t + \"&scope=crmapi&id=\" + leadId);\n",
            "\tgone = invokeurl\n\t[\n\t\turl: \"https://www.zohoapis.eu/crm/v2/Leads/\" + leadId\n\t\ttype: DELETE\n\t\tconnection: \"zohocrm\"\n\t];\n",
        ),
        (
            "u = \"https://crm.zoho.com/crm/private/json/Leads/getRecordById?authtoken=\" + t + \"&scope=crmapi&id=\" + id;\ninfo \"fetching\";\nr = getUrl(u);\n",
            "info \"fetching\";\nr = zoho.crm.getRecordById(\"Leads\", id, Map(), \"zohocrm\");\n",
        ),
    ];
    for (source, expected) in cases {
        // The token variable goes with the last call that read it.
        let source = match source.contains(" + t") || source.contains(", t)") || source.contains(": t") {
            true => format!("t = zoho.crm.getOrgVariable(\"crm_token\");\n{source}"),
            false => source.to_owned(),
        };
        assert_eq!(unsafe_fix(&source), expected, "{source}");
    }
}

#[test]
fn users_related_records_conversion_and_creator_writes_are_migrated() {
    let cases = [
        (
            "u = getUrl(\"https://crm.zoho.eu/crm/private/json/Users/getUsers?authtoken=\" + t + \"&scope=crmapi&type=AdminUsers\");\n",
            "u = invokeurl\n[\n    url: \"https://www.zohoapis.eu/crm/v2/users?type=AdminUsers\"\n    type: GET\n    connection: \"zohocrm\"\n];\n",
        ),
        (
            "getUrl(\"https://crm.zoho.com/crm/private/json/Leads/deleteRecords?authtoken=\" + t + \"&id=123\");\n",
            "deleteResponse = invokeurl\n[\n    url: \"https://www.zohoapis.com/crm/v2/Leads/123\"\n    type: DELETE\n    connection: \"zohocrm\"\n];\n",
        ),
        (
            "r = getUrl(\"https://crm.zoho.com.au/crm/private/json/Leads/getSearchRecordsByPDC?authtoken=\" + t + \"&searchColumn=phone&searchValue=\" + phone);\n",
            "r = zoho.crm.searchRecords(\"Leads\", \"(Phone:equals:\" + phone + \")\", 1, 20, Map(), \"zohocrm\");\n",
        ),
        (
            "r = getUrl(\"https://crm.zoho.com/crm/private/xml/PriceBooks/updateRelatedRecords?authtoken=\" + t + \"&relatedModule=Products&id=\" + book + \"&xmlData=<Products><row no=\\\"1\\\"><FL val=\\\"PRODUCTID\\\">42</FL><FL val=\\\"list_price\\\">9.5</FL></row></Products>\");\n",
            "r = zoho.crm.updateRelatedRecord(\"Products\", \"42\", \"PriceBooks\", book, {\"list_price\": \"9.5\"}, \"zohocrm\");\n",
        ),
        (
            "r = getUrl(\"https://crm.zoho.in/crm/private/xml/Leads/convertLead?authtoken=\" + t + \"&leadId=\" + id + \"&xmlData=<Potentials><row no=\\\"1\\\"><option val=\\\"createPotential\\\">false</option><option val=\\\"notifyLeadOwner\\\">true</option></row></Potentials>\");\n",
            "r = zoho.crm.convertLead(id, {\"notify_lead_owner\": true}, \"zohocrm\");\n",
        ),
        (
            "r = postUrl(\"https://creator.zoho.com/api/json/shop/form/Orders/record/add\", {\"authtoken\": t, \"zc_ownername\": \"acme\", \"Item\": item});\n",
            "r = zoho.creator.createRecord(\"acme\", \"shop\", \"Orders\", {\"Item\": item}, Map(), \"zohocreator\");\n",
        ),
    ];
    for (source, expected) in cases {
        let source = format!("t = zoho.crm.getOrgVariable(\"crm_token\");\n{source}");
        assert_eq!(unsafe_fix(&source), expected, "{source}");
    }
    // The fresh name for an unassigned response avoids one already in use.
    let taken = unsafe_fix(
        "deleteResponse = 1;\ngetUrl(\"https://crm.zoho.com/crm/private/json/Leads/deleteRecords?authtoken=\" + t + \"&id=123\");\ninfo deleteResponse;\n",
    );
    assert!(taken.contains("deleteResponse2 = invokeurl"), "{taken}");
}

#[test]
fn reads_of_the_v1_response_in_known_idioms_are_rewritten_and_the_rest_labelled() {
    let source = "t = zoho.crm.getOrgVariable(\"crm_token\");\nr = getUrl(\"https://crm.zoho.com/crm/private/json/Leads/getRecordById?authtoken=\" + t + \"&id=\" + id);\nfor each f in r.get(\"response\").get(\"result\").get(\"Leads\").get(\"row\").get(\"FL\")\n{\n\tif(f.get(\"val\") == \"Email\")\n\t{\n\t\temail = f.get(\"content\");\n\t}\n}\nowner = r.executeXPath(\"/response/result/Leads/row/FL[@val='SMOWNERID']/text()\");\ninfo r.get(\"response\");\n";
    let fixed = unsafe_fix(source);
    assert_eq!(
        fixed,
        "r = zoho.crm.getRecordById(\"Leads\", id, Map(), \"zohocrm\");\nemail = r.get(\"Email\");\nowner = r.get(\"Owner\").get(\"id\");\ninfo r.get(\"response\");\n"
    );
    let fix = fix_of(source, "DL011", 0);
    assert!(
        fix.message.contains(
            "2 reads of the v1 response are rewritten for the new shape: the v1 shape is still read on line 11"
        ),
        "{}",
        fix.message
    );
    // A listing: the row chain becomes the list, a loop over it yields records, and the
    // "nodata" check becomes `isEmpty()`.
    let listing = "t = zoho.crm.getOrgVariable(\"crm_token\");\nr = getUrl(\"https://crm.zoho.eu/crm/private/json/Potentials/getRecords?authtoken=\" + t);\nif(!r.contains(\"4422\"))\n{\n\tfor each row in r.toMap().get(\"response\").get(\"result\").get(\"Potentials\").get(\"row\")\n\t{\n\t\tfor each fl in row.get(\"FL\")\n\t\t{\n\t\t\tif(fl.get(\"val\") == \"Potential Name\")\n\t\t\t{\n\t\t\t\tname = fl.get(\"content\");\n\t\t\t}\n\t\t}\n\t}\n}\n";
    assert_eq!(
        unsafe_fix(listing),
        "r = zoho.crm.getRecords(\"Deals\", 1, 20, Map(), \"zohocrm\");\nif(!r.isEmpty())\n{\n\tfor each row in r\n\t{\n\t\tname = row.get(\"Deal_Name\");\n\t}\n}\n"
    );
    // A loop doing more than picking fields, or holding a comment, is left as it is and
    // labelled.
    for body in [
        "\tif(f.get(\"val\") == \"Email\")\n\t{\n\t\temail = f.get(\"content\");\n\t\tinfo email;\n\t}\n",
        "\t// the e-mail\n\tif(f.get(\"val\") == \"Email\")\n\t{\n\t\temail = f.get(\"content\");\n\t}\n",
    ] {
        let source = format!(
            "t = zoho.crm.getOrgVariable(\"crm_token\");\nr = getUrl(\"https://crm.zoho.com/crm/private/json/Leads/getRecordById?authtoken=\" + t + \"&id=\" + id);\nfor each f in r.get(\"response\").get(\"result\").get(\"Leads\").get(\"row\").get(\"FL\")\n{{\n{body}}}\n"
        );
        let fixed = unsafe_fix(&source);
        assert!(fixed.contains("for each f in r.get(\"response\")"), "{fixed}");
        let dl011 = lint(&source)
            .diagnostics
            .into_iter()
            .find(|d| d.code == "DL011")
            .unwrap();
        assert!(
            dl011.labels.iter().any(|l| l.message.contains("reads the v1 response")),
            "{:?}",
            dl011.labels
        );
    }
}

#[test]
fn a_migration_names_every_read_of_the_old_response_and_is_unsafe() {
    let source = "resp = getUrl(\"https://crm.zoho.com/crm/private/json/Leads/getRecordById?authtoken=\" + t + \"&id=\" + id);\nrows = resp.get(\"response\").get(\"result\");\ninfo resp;\n";
    let fix = fix_of(source, "DL011", 0);
    assert_eq!(fix.applicability, Applicability::Unsafe);
    assert!(fix.message.contains("`resp` is read on lines 2, 3"), "{}", fix.message);
    // The diagnostic points at each read too, so an editor shows every line to change.
    let result = lint(source);
    let dl011 = result.diagnostics.iter().find(|d| d.code == "DL011").unwrap();
    let read_at: Vec<&str> = dl011
        .labels
        .iter()
        .filter(|l| l.message.contains("reads the v1 response"))
        .map(|l| &source[l.range])
        .collect();
    assert_eq!(read_at, ["resp", "resp"], "{:?}", dl011.labels);
    // A call left to a hand migration says why in its help.
    let refused = lint(
        "r = getUrl(\"https://crm.zoho.com/crm/private/json/Leads/getRecordById?authtoken=\" + t + \"&idlist=1;2\");\n",
    );
    let help = refused
        .diagnostics
        .iter()
        .find(|d| d.code == "DL011")
        .unwrap()
        .help
        .clone()
        .unwrap();
    assert!(
        help.contains("not migrated automatically because the task has no place for the v1 parameter `idlist`"),
        "{help}"
    );
    let searched = fix_of(
        "r = getUrl(\"https://crm.zoho.com/crm/private/json/Leads/searchRecords?authtoken=\" + t + \"&criteria=(Lead Status:Contacted)\");\n",
        "DL001",
        0,
    );
    assert!(
        searched
            .message
            .contains("`Lead Status` is taken as the API name `Lead_Status`"),
        "{}",
        searched.message
    );
}

#[test]
fn v1_calls_the_tasks_cannot_express_are_left_for_a_hand_migration() {
    for source in [
        // A computed page, two conditions, a parameter the task has no place for, a URL
        // built outside the call, a body of parameters.
        "r = getUrl(\"https://crm.zoho.com/crm/private/json/Leads/getRecords?authtoken=\" + t + \"&fromIndex=\" + from + \"&toIndex=200\");\n",
        "r = getUrl(\"https://crm.zoho.com/crm/private/json/Leads/searchRecords?authtoken=\" + t + \"&criteria=((Email:a)OR(Phone:b))\");\n",
        "r = getUrl(\"https://crm.zoho.com/crm/private/json/Leads/getRecordById?authtoken=\" + t + \"&idlist=1;2\");\n",
        "r = getUrl(\"https://crm.zoho.com/crm/private/json/Leads/getRecords?authtoken=\" + t + \"&sortColumnString=Company\");\n",
        "u = \"https://crm.zoho.com/crm/private/json/Leads/getRecordById?authtoken=\" + t + \"&id=\" + id;\ninfo u;\nr = getUrl(u);\n",
        "u = \"https://crm.zoho.com/crm/private/json/Leads/getRecordById?authtoken=\" + t + \"&id=\" + id;\nid = next;\nr = getUrl(u);\n",
        "if(a)\n{\n\tu = \"https://crm.zoho.com/crm/private/json/Leads/getRecordById?authtoken=\" + t + \"&id=\" + id;\n}\nr = getUrl(u);\n",
        "m = Map();\nm.put(\"id\", id);\nif(x)\n{\n\tm.put(\"newFormat\", 1);\n}\nr = postUrl(\"https://crm.zoho.com/crm/private/json/Leads/getRecordById?authtoken=\" + t, m);\n",
        "m = Map();\nm.put(\"id\", id);\ninfo m;\nr = postUrl(\"https://crm.zoho.com/crm/private/json/Leads/getRecordById?authtoken=\" + t, m);\n",
        "m = Map();\nm.put(\"id\", id);\nid = other;\nr = postUrl(\"https://crm.zoho.com/crm/private/json/Leads/getRecordById?authtoken=\" + t, m);\n",
        "r = getUrl(\"https://crm.zoho.com/crm/private/json/Leads/getRecords?authtoken=\" + t + \"&fromIndex=5&toIndex=30\");\n",
        // XML with two rows, XML whose variable is reassigned, XML built from a call that
        // may change before the request, a duplicate check the task cannot make.
        "x = \"<Leads><row no=\\\"1\\\"><FL val=\\\"Last Name\\\">A</FL></row><row no=\\\"2\\\"><FL val=\\\"Last Name\\\">B</FL></row></Leads>\";\nr = getUrl(\"https://crm.zoho.com/crm/private/xml/Leads/insertRecords?authtoken=\" + t + \"&xmlData=\" + x);\n",
        "x = \"<Leads><row no=\\\"1\\\"><FL val=\\\"Last Name\\\">\" + name + \"</FL></row></Leads>\";\nname = \"other\";\nr = getUrl(\"https://crm.zoho.com/crm/private/xml/Leads/insertRecords?authtoken=\" + t + \"&xmlData=\" + x);\n",
        "x = \"<Leads><row no=\\\"1\\\"><FL val=\\\"Last Name\\\">\" + zoho.currenttime + \"</FL></row></Leads>\";\nr = getUrl(\"https://crm.zoho.com/crm/private/xml/Leads/insertRecords?authtoken=\" + t + \"&xmlData=\" + x);\n",
        "r = getUrl(\"https://crm.zoho.com/crm/private/xml/Leads/insertRecords?authtoken=\" + t + \"&duplicateCheck=2&xmlData=<Leads><row no=\\\"1\\\"><FL val=\\\"Last Name\\\">A</FL></row></Leads>\");\n",
        // A Creator read with a window, one without an owner, a Creator write.
        "r = getUrl(\"https://creator.zoho.com/api/json/shop/view/Orders?authtoken=\" + t + \"&zc_ownername=acme&startindex=200&limit=100\");\n",
        "r = getUrl(\"https://creator.zoho.com/api/json/shop/view/Orders?authtoken=\" + t);\n",
        "r = postUrl(\"https://creator.zoho.com/api/xml/write?authtoken=\" + t, xml);\n",
        // XML built in a branch the call does not depend on.
        "if(a)\n{\n\tx = \"<Leads><row no=\\\"1\\\"><FL val=\\\"Last Name\\\">A</FL></row></Leads>\";\n}\nr = getUrl(\"https://crm.zoho.com/crm/private/xml/Leads/insertRecords?authtoken=\" + t + \"&xmlData=\" + x);\n",
        // A delete whose result is not assigned (a task block must be).
        "info getUrl(\"https://crm.zoho.com/crm/private/json/Leads/deleteRecords?authtoken=\" + t + \"&id=1\");\n",
        // A comment inside the call would be lost with it.
        "r = invokeurl // the old lead\n[\n\turl: \"https://crm.zoho.com/crm/private/json/Leads/getRecordById?id=\" + id\n\ttype: GET\n\tconnection: \"zcrm\"\n];\n",
    ] {
        assert_eq!(unsafe_fix(source), source, "{source}");
        let result = lint(source);
        assert!(
            result.diagnostics.iter().all(|d| d.fix.is_none()),
            "{source}: {:?}",
            result.diagnostics.iter().map(|d| &d.fix).collect::<Vec<_>>()
        );
    }
}

#[test]
fn a_v1_suggestion_is_never_a_url_with_a_placeholder_or_v1_parameters() {
    for fixture in fixtures() {
        for diagnostic in lint(&fixture.1).diagnostics.iter().filter(|d| d.code == "DL011") {
            let Some(fix) = &diagnostic.fix else { continue };
            for edit in &fix.edits {
                let lower = edit.content.to_ascii_lowercase();
                let placeholder = ["{id}", "{record id}", "<module>", "<owner>", "<report", "<parent>"]
                    .iter()
                    .any(|p| lower.contains(p));
                let v1_parameter = [
                    "authtoken",
                    "xmldata",
                    "zc_ownername",
                    "fromindex",
                    "toindex",
                    "/crm/private/",
                ]
                .iter()
                .any(|p| lower.contains(p));
                assert!(
                    !placeholder && !v1_parameter,
                    "{}: {}",
                    fixture.0.display(),
                    edit.content
                );
            }
        }
    }
}

// 3. Calls to retired v1 APIs.

#[test]
fn a_v1_call_gets_no_connection_fix_and_the_others_keep_theirs() {
    // `getCVRecords` (a custom view's records) has no mechanical migration: it stays as it is.
    let source = "old = getUrl(\"https://crm.zoho.com/crm/private/json/Leads/getCVRecords?authtoken=\" + tok + \"&scope=crmapi&cvName=Open\");\nnew = getUrl(\"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + tok);\n";
    let result = lint(source);
    let on_v1: Vec<_> = result
        .diagnostics
        .iter()
        .filter(|d| d.range.start() == 6.into() && d.code != "DL011")
        .collect();
    assert!(!on_v1.is_empty());
    for diagnostic in on_v1 {
        assert_eq!(diagnostic.fix, None, "{}", diagnostic.code);
        assert!(
            diagnostic.help.as_deref().unwrap_or("").contains("by hand"),
            "{:?}",
            diagnostic.help
        );
    }
    assert!(
        result
            .connections
            .iter()
            .all(|c| c.scopes.iter().all(|s| s.contains("leads"))),
        "only the v2 call needs a connection: {:?}",
        result.connections
    );
    let fixed = unsafe_fix(source);
    assert!(
        fixed.starts_with("old = getUrl(\"https://crm.zoho.com/crm/private/json/Leads/getCVRecords?authtoken="),
        "{fixed}"
    );
    assert!(fixed.contains("new = invokeurl"), "{fixed}");
}

// 4. Syntax errors.

#[test]
fn no_edit_touches_a_broken_statement() {
    let source = "m = Map();\nm.put(\"authtoken\",YOUR ZOHO CRM AUTHTOKEN);\nm.put(\"id\",id);\nresp = postUrl(\"https://www.zohoapis.com/crm/v2/Leads\", m);\nd = getUrl(\"https://www.zohoapis.com/crm/v2/Deals?authtoken=\" + tok);\n";
    let fix = fix_of(source, "DL002", 0);
    assert_eq!(fix.applicability, Applicability::DisplayOnly);
    assert!(fix.message.contains("syntax error, on line 2"), "{}", fix.message);
    let fixed = unsafe_fix(source);
    assert!(
        fixed.contains("m.put(\"authtoken\",YOUR ZOHO CRM AUTHTOKEN);\n"),
        "{fixed}"
    );
    assert!(
        fixed.contains("d = invokeurl"),
        "the call clear of the error is fixed: {fixed}"
    );
    assert_eq!(syntax_errors(&fixed), syntax_errors(source));
}

#[test]
fn syntax_errors_are_kept_even_when_syntax_errors_are_not_reported() {
    let source = "token = \"x\" +;\nd = getUrl(\"https://www.zohoapis.com/crm/v2/Deals?authtoken=\" + token);\n";
    let settings = Settings {
        rules: delint_linter::rule_selection::RuleSet::from_selectors(
            &["DL001".parse().unwrap(), "DL010".parse().unwrap()],
            &[],
        ),
        ..Settings::default()
    };
    let fixed = fix_source(source, &settings, Applicability::Unsafe);
    assert_eq!(syntax_errors(&fixed.text), syntax_errors(source), "{}", fixed.text);
    assert!(fixed.text.starts_with("token = \"x\" +;"), "{}", fixed.text);
}

// 5. Variables still read.

const SHARED_TOKEN: &str = "t = zoho.crm.getOrgVariable(\"books_authtoken\");\na = getUrl(\"https://books.zoho.com/api/v3/invoices?organization_id=1&authtoken=\" + t);\nb = getUrl(\"https://books.zoho.com/api/v3/bills?organization_id=1&authtoken=\" + t);\n";

#[test]
fn one_calls_fix_never_deletes_a_variable_another_call_reads() {
    for nth in 0..2 {
        let fix = fix_of(SHARED_TOKEN, "DL001", nth);
        let alone = delint_linter::fix::apply::apply_edits(SHARED_TOKEN, &fix.edits);
        assert!(alone.starts_with("t = zoho.crm.getOrgVariable"), "{alone}");
    }
    let both = unsafe_fix(SHARED_TOKEN);
    assert!(!both.contains("getOrgVariable"), "fixing both calls deletes it: {both}");
}

#[test]
fn a_suppressed_call_keeps_the_token_variable_alive() {
    let source = SHARED_TOKEN.replacen(
        "a = getUrl",
        "// delint-ignore DL001: migrated next sprint\na = getUrl",
        1,
    );
    let fixed = unsafe_fix(&source);
    assert!(fixed.starts_with("t = zoho.crm.getOrgVariable"), "{fixed}");
    assert!(fixed.contains("&authtoken=\" + t);\nb = invokeurl"), "{fixed}");
}

// 6. Text results.

#[test]
fn text_uses_of_a_rewritten_result_stay_text() {
    let source = "string standalone.f(string tok)\n{\n\tr = getUrl(\"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + tok);\n\tif(r.contains(\"Qualified\"))\n\t{\n\t\tinfo \"lead: \" + r;\n\t}\n\tm = r.toMap();\n\treturn getUrl(\"https://www.zohoapis.com/crm/v2/Deals?authtoken=\" + tok);\n}\n";
    let fixed = unsafe_fix(source);
    assert!(fixed.contains("if(r.toString().contains(\"Qualified\"))"), "{fixed}");
    assert!(fixed.contains("info \"lead: \" + r.toString();"), "{fixed}");
    assert!(fixed.contains("m = r.toMap();"), "a map use is left alone: {fixed}");
    assert!(fixed.contains("return response.toString();"), "{fixed}");
    let fix = fix_of(source, "DL001", 0);
    assert!(fix.message.contains("`.contains(..)` on line 4"), "{}", fix.message);
}

// 7. Connection names.

#[test]
fn the_fix_reuses_the_files_link_name_and_the_help_names_what_the_fix_writes() {
    let source = "a = invokeurl\n[\n\turl: \"https://www.zohoapis.com/crm/v2/Leads\"\n\ttype: GET\n\tconnection: \"zcrm\"\n];\nb = getUrl(\"https://www.zohoapis.com/crm/v2/Deals?authtoken=\" + tok);\nc = getUrl(\"https://books.zoho.com/api/v3/invoices?organization_id=1&authtoken=\" + tok);\n";
    let settings = Settings {
        connections: [(Service::Books, "zbooks".to_owned())].into(),
        ..Settings::default()
    };
    let result = delint_linter::lint(
        source,
        &deluge_syntax::parse(source, &deluge_syntax::Arena::new()),
        &settings,
    );
    let helps: Vec<&str> = result
        .diagnostics
        .iter()
        .filter(|d| d.code == "DL001")
        .map(|d| d.help.as_deref().unwrap_or(""))
        .collect();
    assert!(helps[0].contains("`connection: \"zcrm\"`"), "{}", helps[0]);
    assert!(helps[1].contains("`connection: \"zbooks\"`"), "{}", helps[1]);
    let fixed = fix_source(source, &settings, Applicability::Unsafe).text;
    assert!(fixed.contains("connection: \"zcrm\"\n];\nc ="), "{fixed}");
    assert!(fixed.contains("connection: \"zbooks\""), "{fixed}");
}

#[test]
fn bigin_is_its_own_service() {
    let source = "p = getUrl(\"https://www.zohoapis.com/bigin/v2/Pipelines?authtoken=\" + tok);\n";
    let result = lint(source);
    assert_eq!(result.diagnostics[0].service, Some(Service::Bigin));
    assert!(unsafe_fix(source).contains("connection: \"zohobigin\""));
    assert_eq!(result.connections[0].scopes, ["ZohoBigin.modules.pipelines.READ"]);
}

// 8. X-HTTP-Method-Override.

#[test]
fn a_method_override_header_becomes_the_tasks_type() {
    let source = "h = Map();\nh.put(\"X-HTTP-Method-Override\", \"PUT\");\nr = postUrl(\"https://www.zohoapis.com/crm/v2/Deals/1?authtoken=\" + tok, body, h);\n";
    let fixed = unsafe_fix(source);
    assert!(!fixed.contains("X-HTTP-Method-Override"), "{fixed}");
    assert!(fixed.contains("type: PUT"), "{fixed}");
    assert!(!fixed.contains("type: POST"), "{fixed}");
}
