//! Migrating a call to CRM API v1 (`/crm/private/json|xml/<Module>/<method>`) into the
//! `zoho.crm.*` integration task that does the same (DL011's migration table):
//!
//! - `getRecordById?id=..` → `zoho.crm.getRecordById(module, id, Map(), connection)`;
//! - `getRecords?fromIndex=..&toIndex=..` → `zoho.crm.getRecords(module, page, per_page, Map(), connection)`;
//! - `searchRecords?criteria=(Label:value)` → `zoho.crm.searchRecords(module, "(API_name:equals:value)", page, per_page, Map(), connection)`;
//! - `getSearchRecordsByPDC?searchColumn=email&searchValue=..` → the same `searchRecords`, on `Email`;
//! - `getRelatedRecords?parentModule=..&id=..` → `zoho.crm.getRelatedRecords(relation, parent, id, page, per_page, Map(), connection)`;
//! - `insertRecords?xmlData=<Leads><row no="1"><FL val="Last Name">..</FL></row></Leads>` →
//!   `zoho.crm.createRecord(module, {"Last_Name": ..}, options, connection)`, and
//!   `updateRecords?id=..&xmlData=..` → `zoho.crm.updateRecord(module, id, {..}, options, connection)`,
//!   where the XML is written in the URL or in a variable assigned once just for it;
//!   `wfTrigger=true` becomes `{"trigger":{"workflow"}}` (v1 and the tasks both skip
//!   workflows otherwise);
//! - `updateRelatedRecords?relatedModule=..&id=..&xmlData=..` (the row naming the related
//!   record by `CONTACTID`, `PRODUCTID`, ...) → `zoho.crm.updateRelatedRecord(relation, related_id, module, id, {..}, connection)`;
//! - `convertLead?leadId=..&xmlData=..` (options row, deal row) → `zoho.crm.convertLead(id, values, connection)`;
//! - `deleteRecords?id=..` and `getUsers?type=..`, which no task does → an `invokeurl` task
//!   (`type: DELETE` on the v2 record, `GET` on `/crm/v2/users`) for the v1 URL's data centre.
//!
//! A task is an expression, so the call is replaced where it stands: nothing moves and
//! nothing runs at another time. The parameters are read, with literal names, from the
//! call's URL, a URL variable or a `postUrl` map built just for the call (whose statements
//! go with it); values must be literals or plain reads nothing reassigns before the call.
//! A parameter the task has no place for (`idlist`, `sortColumnString`, a
//! `lastModifiedTime`) leaves the call to be migrated by hand. The XML is read in
//! `fix/v1_xml.rs`.
//! The fix is always unsafe: the task returns maps keyed by field API names where v1
//! returned `response.result.<Module>.row.FL` text: the reads in known idioms are
//! rewritten (`fix/v1_response.rs`) and each other read of the result is named in its reason.

use deluge_syntax::ast::{BinaryOp, ExprKind, StmtKind};
use deluge_syntax::{TextRange, TextSize};

use super::authtoken::{FixContext, concatenation_pieces};
use super::query::{self, Parameter, ValuePart};
use super::v1_response::{self, Holds};
use super::v1_xml::{self, expression, quoted, record_map};
use crate::call_facts::CallFacts;
use crate::diagnostic::{Edit, Label};
use crate::legacy::CrmMethod;

/// v1 parameters the task needs no counterpart for: the credentials, and output options
/// whose loss only adds fields or keeps the default format.
pub(super) const DROPPED: &[&str] = &["authtoken", "scope", "newformat", "version", "selectcolumns"];

/// The call's replacement and what a reviewer must check.
pub struct Migration {
    /// The edits (the call replaced, and a `;` where a task block had none).
    pub edits: Vec<Edit>,
    /// The task written, for the fix's message.
    pub task: String,
    /// Why the fix is unsafe, in words.
    pub reasons: Vec<String>,
    /// The reads of the result, for the diagnostic: each reads the old response shape.
    pub labels: Vec<Label>,
}

/// The migration of `facts`' call to the integration task for `crm`, passing `connection`;
/// `Err` says why the call is left to be migrated by hand.
pub fn migrate(ctx: &FixContext, facts: &CallFacts, crm: &CrmMethod, connection: &str) -> Result<Migration, String> {
    let (parameters, map_deletions) = call_parameters(ctx, facts)?;
    let args = Arguments {
        source: ctx.source,
        parameters: &parameters,
    };
    let module = quoted(&crm.module);
    let mut reasons = Vec::new();
    // Edits outside the call: the deletion of a parameter map or an XML variable only the
    // call read.
    let mut edits_before: Vec<Edit> = map_deletions;
    let task = match crm.method.as_str() {
        "getrecordbyid" => {
            args.only(&["id"])?;
            let id = args.record_id("id")?;
            format!("zoho.crm.getRecordById({module}, {id}, Map(), {})", quoted(connection))
        }
        "getrecords" => {
            args.only(&["fromindex", "toindex"])?;
            let (page, per_page) = args.page()?;
            format!(
                "zoho.crm.getRecords({module}, {page}, {per_page}, Map(), {})",
                quoted(connection)
            )
        }
        "searchrecords" => {
            args.only(&["criteria", "fromindex", "toindex"])?;
            let (criteria, label) = args.criteria()?;
            reasons.push(format!(
                "the v1 field label `{}` is taken as the API name `{}`: check it in CRM's API names",
                label.0, label.1
            ));
            let (page, per_page) = args.page()?;
            format!(
                "zoho.crm.searchRecords({module}, {criteria}, {page}, {per_page}, Map(), {})",
                quoted(connection)
            )
        }
        "getsearchrecordsbypdc" => {
            args.only(&["searchcolumn", "searchvalue", "fromindex", "toindex"])?;
            let (criteria, label) = args.pdc_criteria()?;
            reasons.push(format!(
                "the v1 search column `{}` is taken as the API name `{}`: check it in CRM's API names",
                label.0, label.1
            ));
            let (page, per_page) = args.page()?;
            format!(
                "zoho.crm.searchRecords({module}, {criteria}, {page}, {per_page}, Map(), {})",
                quoted(connection)
            )
        }
        "deleterecords" => {
            args.only(&["id"])?;
            let id = args.record_id("id")?;
            let base = facts
                .legacy
                .as_ref()
                .map_or("", |e| e.replacement_url().trim_end_matches("{id}"));
            let url = if id.bytes().all(|b| b.is_ascii_digit()) {
                quoted(&format!("{base}{id}"))
            } else {
                format!("{} + {id}", quoted(base))
            };
            invokeurl_task(ctx, facts, "DELETE", &url, connection, &mut reasons)?
        }
        "getusers" => {
            args.only(&["type"])?;
            let url = match args.value("type") {
                None => quoted(facts.legacy.as_ref().map_or("", |e| e.replacement_url())),
                Some(parts @ [ValuePart::Text(_) | ValuePart::Operand(_), ..]) => {
                    let base = facts.legacy.as_ref().map_or("", |e| e.replacement_url());
                    let mut with_type = vec![ValuePart::Text(format!("{base}?type="))];
                    with_type.extend(parts.iter().cloned());
                    expression(ctx.source, &merged(with_type))
                }
                Some(_) => return Err("the user `type` is empty".to_owned()),
            };
            invokeurl_task(ctx, facts, "GET", &url, connection, &mut reasons)?
        }
        "updaterelatedrecords" => {
            args.only(&["relatedmodule", "id", "xmldata"])?;
            let related = match args.value("relatedModule") {
                Some([ValuePart::Text(related)]) if !related.trim().is_empty() => {
                    crate::legacy::v2_module_name(related.trim()).to_owned()
                }
                _ => return Err("the `relatedModule` is not written out".to_owned()),
            };
            let parent_id = args.record_id("id")?;
            let xml = xml_data(ctx, facts, &args, "xmlData", &mut edits_before)?;
            let rows = v1_xml::rows(&xml, &related)?;
            let [row] = rows.as_slice() else {
                return Err("the XML holds more than one row".to_owned());
            };
            let (ids, fields): (Vec<_>, Vec<_>) = row
                .fields
                .iter()
                .cloned()
                .partition(|(label, _)| v1_xml::is_record_id_label(label));
            let [(id_label, related_id)] = ids.as_slice() else {
                return Err(format!("the XML does not name one {related} record by its id"));
            };
            let record = v1_xml::fields_map(ctx.source, &fields)?;
            reasons.push(format!(
                "`{related}` is taken as the API name of {}'s related list and the row's `{id_label}` as the related record's id; field labels are taken as API names: {}",
                crm.module,
                record.renamed.join(", ")
            ));
            format!(
                "zoho.crm.updateRelatedRecord({}, {}, {module}, {parent_id}, {}, {})",
                quoted(&related),
                expression(ctx.source, related_id),
                record.map,
                quoted(connection)
            )
        }
        "convertlead" => {
            args.only(&["leadid", "id", "xmldata"])?;
            if crm.module != "Leads" {
                return Err("only leads are converted".to_owned());
            }
            let lead = args.record_id("leadId").or_else(|_| args.record_id("id"))?;
            let values = match args.value("xmlData") {
                None => "Map()".to_owned(),
                Some(_) => {
                    let xml = xml_data(ctx, facts, &args, "xmlData", &mut edits_before)?;
                    let (values, renamed) = conversion_values(ctx.source, &xml)?;
                    if !renamed.is_empty() {
                        reasons.push(format!(
                            "deal field labels are taken as API names: {}",
                            renamed.join(", ")
                        ));
                    }
                    values
                }
            };
            format!("zoho.crm.convertLead({lead}, {values}, {})", quoted(connection))
        }
        "uploadfile" => {
            return Err("v1 sent the file in a `content` parameter; `zoho.crm.attachFile(module, id, file)` takes a file object, which the script must first fetch (an `invokeurl` with `response-format: FILE`)".to_owned());
        }
        "downloadfile" => {
            return Err("v1 named only the attachment; v2 downloads it from its record (`GET /crm/v2/<Module>/<record id>/Attachments/<attachment id>`), whose id the call does not have".to_owned());
        }
        "getrelatedrecords" => {
            args.only(&["parentmodule", "id", "fromindex", "toindex"])?;
            let parent = match args.value("parentModule") {
                Some([ValuePart::Text(parent)]) if !parent.trim().is_empty() => {
                    crate::legacy::v2_module_name(parent.trim())
                }
                _ => return Err("the `parentModule` is not written out".to_owned()),
            };
            let id = args.record_id("id")?;
            let (page, per_page) = args.page()?;
            reasons.push(format!(
                "`{}` is taken as the API name of {parent}'s related list: check it in CRM's related lists",
                crm.module
            ));
            format!(
                "zoho.crm.getRelatedRecords({module}, {}, {id}, {page}, {per_page}, Map(), {})",
                quoted(parent),
                quoted(connection)
            )
        }
        "insertrecords" | "updaterecords" => {
            let update = crm.method == "updaterecords";
            let known: &[&str] = if update {
                &["id", "xmldata", "wftrigger"]
            } else {
                &["xmldata", "wftrigger"]
            };
            args.only(known)?;
            let xml = xml_data(ctx, facts, &args, "xmlData", &mut edits_before)?;
            let record = record_map(ctx.source, &xml, &crm.module)?;
            reasons.push(format!(
                "field labels are taken as API names: {}; check them in CRM's API names",
                record.renamed.join(", ")
            ));
            let options = match args.flag("wfTrigger")? {
                true => "{\"trigger\":{\"workflow\"}}",
                false => "Map()",
            };
            if update {
                let id = args.record_id("id")?;
                format!(
                    "zoho.crm.updateRecord({module}, {id}, {}, {options}, {})",
                    record.map,
                    quoted(connection)
                )
            } else {
                format!(
                    "zoho.crm.createRecord({module}, {}, {options}, {})",
                    record.map,
                    quoted(connection)
                )
            }
        }
        other => return Err(format!("the fix knows no task or v2 call that does what `{other}` did")),
    };
    let response = format!(
        "the task returns maps keyed by field API names (`{}` records, `id`), where v1 returned `response.result.{}.row` with `FL` lists of `val`/`content`",
        crm.module, crm.module
    );
    let holds = match crm.method.as_str() {
        "getrecordbyid" => Some(Holds::Record),
        "getrecords" | "searchrecords" | "getsearchrecordsbypdc" | "getrelatedrecords" => Some(Holds::Records),
        _ => None,
    };
    let shape = holds.map(|holds| (holds, crm.module.as_str()));
    Ok(replacement(ctx, facts, task, &response, reasons, edits_before, shape))
}

/// `invokeurl [ url: ..  type: <method>  connection: .. ]` in place of the call (there is no
/// task). A task block is a statement's value, never part of an expression: the call must be
/// the whole value of an assignment to a variable, or a statement of its own, which gets a
/// fresh variable to hold the response.
fn invokeurl_task(
    ctx: &FixContext,
    facts: &CallFacts,
    method: &str,
    url: &str,
    connection: &str,
    reasons: &mut Vec<String>,
) -> Result<String, String> {
    let statement = ctx
        .index
        .stmt_containing(facts.call.range)
        .ok_or("the call is in no statement")?;
    let assignment = match &statement.stmt.kind {
        StmtKind::Assign { target, value, .. }
            if value.range == facts.call.range && matches!(target.kind, ExprKind::Ident(_)) =>
        {
            ""
        }
        StmtKind::Expr(expr) if expr.range == facts.call.range => {
            let name = fresh_name(
                ctx,
                statement.scope,
                &format!("{}Response", method.to_ascii_lowercase()),
            );
            reasons.push(format!("the response is kept in a new variable, `{name}`"));
            return Ok(format!(
                "{name} = {}",
                invokeurl_block(ctx, statement, method, url, connection)
            ));
        }
        _ => return Err("the call is part of an expression, where an `invokeurl` task cannot stand".to_owned()),
    };
    Ok(format!(
        "{assignment}{}",
        invokeurl_block(ctx, statement, method, url, connection)
    ))
}

fn invokeurl_block(
    ctx: &FixContext,
    statement: &crate::syntax_index::StmtEntry,
    method: &str,
    url: &str,
    connection: &str,
) -> String {
    let indent = crate::syntax_index::indentation_at(ctx.source, statement.stmt.range.start());
    let (unit, eol) = (ctx.indent_unit, ctx.eol);
    format!(
        "invokeurl{eol}{indent}[{eol}{indent}{unit}url: {url}{eol}{indent}{unit}type: {method}{eol}{indent}{unit}connection: {}{eol}{indent}]",
        quoted(connection)
    )
}

/// `base`, or `base2`, `base3`, ...: the first name `scope` does not mention.
fn fresh_name(ctx: &FixContext, scope: usize, base: &str) -> String {
    std::iter::once(base.to_owned())
        .chain((2..).map(|n| format!("{base}{n}")))
        .find(|name| !ctx.index.mentions(scope, name))
        .unwrap_or_else(|| base.to_owned())
}

/// The `values` of `zoho.crm.convertLead` from v1's conversion XML:
/// `<Potentials><row no="1"><option val="createPotential">true</option>..</row><row no="2"><FL ..>..</row></Potentials>`.
/// `notifyLeadOwner`/`notifyNewEntityOwner` keep their meaning; the deal is created from
/// the second row when `createPotential` is true. `assignTo` named a user by email where v2
/// takes a user id, so a call with it is left to a hand migration.
fn conversion_values(source: &str, xml: &[ValuePart]) -> Result<(String, Vec<String>), String> {
    let rows = v1_xml::rows(xml, "Deals")?;
    let (options, deal) = match rows.as_slice() {
        [options] => (options, None),
        [options, deal] => (options, Some(deal)),
        _ => return Err("the XML holds more than two rows".to_owned()),
    };
    if !options.fields.is_empty() || deal.is_some_and(|d| !d.options.is_empty()) {
        return Err("the XML mixes options and deal fields in a row".to_owned());
    }
    let mut entries = Vec::new();
    let mut create_deal = false;
    for (name, value) in &options.options {
        if name.eq_ignore_ascii_case("assignTo") {
            return Err(
                "v1's `assignTo` named the new owner by e-mail, where v2's `assign_to` takes a user id".to_owned(),
            );
        }
        let flag = match value.as_slice() {
            [ValuePart::Text(text)] if text.trim().eq_ignore_ascii_case("true") => true,
            [ValuePart::Text(text)] if text.trim().eq_ignore_ascii_case("false") => false,
            _ => return Err(format!("the `{name}` option is not `true` or `false`")),
        };
        match name.to_ascii_lowercase().as_str() {
            "createpotential" => create_deal = flag,
            "notifyleadowner" => entries.push(format!("\"notify_lead_owner\": {flag}")),
            "notifynewentityowner" => entries.push(format!("\"notify_new_entity_owner\": {flag}")),
            other => {
                return Err(format!(
                    "the conversion option `{other}` has no v2 counterpart the fix can write"
                ));
            }
        }
    }
    let mut renamed = Vec::new();
    match (create_deal, deal) {
        (true, Some(deal)) => {
            let record = v1_xml::fields_map(source, &deal.fields)?;
            entries.push(format!("\"Deals\": {}", record.map));
            renamed = record.renamed;
        }
        (false, None) => {}
        (true, None) => return Err("`createPotential` is true but the XML has no deal row".to_owned()),
        (false, Some(_)) => return Err("the XML has a deal row but `createPotential` is not true".to_owned()),
    }
    let values = match entries.as_slice() {
        [] => "Map()".to_owned(),
        _ => format!("{{{}}}", entries.join(", ")),
    };
    Ok((values, renamed))
}

/// The parameters a call sends, and the deletions of the statements that built them.
pub(super) type SentParameters = (Vec<Parameter>, Vec<Edit>);

/// The parameters of a call that a task can replace whole (no comment inside it, its URL
/// written in the call): those of its URL and, for `postUrl(url, params)`, those of a map
/// built just for it ([`body_map_parameters`]), with the deletions of that map's statements.
pub(super) fn call_parameters(ctx: &FixContext, facts: &CallFacts) -> Result<SentParameters, String> {
    if !deluge_syntax::lexer::lex(&ctx.source[facts.call.range])
        .comments
        .is_empty()
    {
        // The task replaces the whole call: a comment inside it would be lost.
        return Err("a comment inside the call would be lost".to_owned());
    }
    let url = facts.call.url.fragments.first().ok_or("the URL is not written out")?;
    let (pieces, whole) = concatenation_pieces(ctx, url.range);
    let mut deletions = Vec::new();
    if !facts.call.range.contains_range(whole) {
        deletions.push(url_variable(ctx, facts, whole, &pieces)?);
    }
    let mut parameters = query::url_parameters(ctx.source, &pieces).map_err(|e| e.0.to_owned())?;
    let sends_body =
        !facts.call.body.entries.iter().all(|e| is_dropped(&e.key)) || !facts.call.body.fragments.is_empty();
    if sends_body {
        let (body, deleted) = body_map_parameters(ctx, facts).ok_or("the call sends parameters in its body")??;
        parameters.extend(body);
        deletions.extend(deleted);
    }
    Ok((parameters, deletions))
}

/// For `url = "..v1.." + id; r = getUrl(url);`: the deletion of that assignment, when the
/// call reads the variable as its whole URL, the assignment (the variable's only one) is in
/// the call's block before it, nothing else reads it, and no variable its operands read is
/// reassigned in between (the task reads them at the call).
fn url_variable(
    ctx: &FixContext,
    facts: &CallFacts,
    built: TextRange,
    pieces: &[query::Piece],
) -> Result<Edit, String> {
    let outside = || "the URL is built outside the call in a way the task cannot take".to_owned();
    let ExprKind::Call { args, .. } = &ctx.index.expr_at(facts.call.range).ok_or_else(outside)?.expr.kind else {
        return Err(outside());
    };
    let ExprKind::Ident(name) = args.first().ok_or_else(outside)?.value.kind else {
        return Err(outside());
    };
    let call_stmt = ctx.index.stmt_containing(facts.call.range).ok_or_else(outside)?;
    let assigned: Vec<_> = ctx.index.assignments(call_stmt.scope, name).collect();
    let [assignment] = assigned.as_slice() else {
        return Err(format!("`{name}` is assigned more than once"));
    };
    let assigns_the_url = matches!(
        &assignment.kind,
        StmtKind::Assign { op: deluge_syntax::ast::AssignOp::Assign, value, .. } if value.range == built
    );
    if !assigns_the_url || !runs_before_in_block(ctx, call_stmt, assignment.range) {
        return Err(format!("`{name}` is not built once, just before the call"));
    }
    if ctx.index.reads(call_stmt.scope, name).count() != 1 {
        return Err(format!("`{name}` is read elsewhere too"));
    }
    let between = TextRange::new(assignment.range.end(), call_stmt.stmt.range.start());
    for piece in pieces {
        if let query::Piece::Opaque(range) = piece {
            let operand = ctx.index.expr_at(*range).ok_or_else(outside)?.expr;
            if !is_plain_read(operand) || reassigned_between(ctx, call_stmt.scope, operand, between) {
                return Err(format!(
                    "`{name}` is built from a value that may change before the call"
                ));
            }
        }
    }
    Ok(Edit {
        range: crate::syntax_index::statement_deletion(ctx.source, assignment.range),
        content: String::new(),
    })
}

/// The parameters of `postUrl(url, params)` when `params` is a map literal of plain values,
/// or a variable set to `Map()` and filled by `params.put("key", value);` statements in the
/// call's own block, before it, that nothing else reads; those statements are deleted.
/// `None` when the body is not of that shape; `Err` when a value could change before the
/// call (the task reads it there).
fn body_map_parameters(ctx: &FixContext, facts: &CallFacts) -> Option<Result<SentParameters, String>> {
    let ExprKind::Call { callee, args, .. } = &ctx.index.expr_at(facts.call.range)?.expr.kind else {
        return None;
    };
    let ExprKind::Ident(function) = callee.kind else {
        return None;
    };
    let [_, body] = args.as_slice() else { return None };
    if !function.eq_ignore_ascii_case("postUrl") {
        return None;
    }
    let call_stmt = ctx.index.stmt_containing(facts.call.range)?;
    let parameter = |key: &deluge_syntax::ast::Expr, value: &deluge_syntax::ast::Expr, since: TextSize| {
        let ExprKind::String(_) = key.kind else {
            return Err("a parameter's name is not written out".to_owned());
        };
        let name = query::unescaped(crate::literal::contents(ctx.source, key.range));
        if is_dropped(&name) {
            // The token and the legacy scope go; their values do not matter.
            return Ok(Parameter {
                name,
                value: Vec::new(),
            });
        }
        let between = TextRange::new(since.min(call_stmt.stmt.range.start()), call_stmt.stmt.range.start());
        let value = stable_parts(ctx, call_stmt.scope, value, between)
            .ok_or_else(|| format!("the `{name}` parameter's value may change before the call"))?;
        Ok(Parameter { name, value })
    };
    match &body.value.kind {
        ExprKind::Map(entries) => Some(
            entries
                .iter()
                .map(|entry| parameter(&entry.key, &entry.value, call_stmt.stmt.range.start()))
                .collect::<Result<Vec<_>, _>>()
                .map(|parameters| (parameters, Vec::new())),
        ),
        ExprKind::Ident(map) => Some(map_filled_by_puts(ctx, call_stmt, map, body.value.range, &parameter)),
        _ => None,
    }
}

/// `map = Map();` and `map.put(k, v);` statements, in the block of `call_stmt` and before
/// it, as parameters; the only other read of `map` must be `body` (the call's argument).
fn map_filled_by_puts(
    ctx: &FixContext,
    call_stmt: &crate::syntax_index::StmtEntry,
    map: &str,
    body: TextRange,
    parameter: &dyn Fn(&deluge_syntax::ast::Expr, &deluge_syntax::ast::Expr, TextSize) -> Result<Parameter, String>,
) -> Result<SentParameters, String> {
    let sibling = |range: TextRange| runs_before_in_block(ctx, call_stmt, range);
    let assigned: Vec<_> = ctx.index.assignments(call_stmt.scope, map).collect();
    let [created] = assigned.as_slice() else {
        return Err(format!("`{map}` is assigned more than once"));
    };
    let is_new_map = matches!(
        &created.kind,
        StmtKind::Assign { op: deluge_syntax::ast::AssignOp::Assign, value, .. }
            if matches!(&value.kind, ExprKind::Call { callee, args, .. } if args.is_empty() && matches!(callee.kind, ExprKind::Ident(f) if f.eq_ignore_ascii_case("map")))
                || matches!(&value.kind, ExprKind::Map(entries) if entries.is_empty())
    );
    if !is_new_map || !sibling(created.range) {
        return Err(format!("`{map}` is not a `Map()` built just before the call"));
    }
    let mut deletions = vec![Edit {
        range: crate::syntax_index::statement_deletion(ctx.source, created.range),
        content: String::new(),
    }];
    let mut parameters = Vec::new();
    for read in ctx.index.reads(call_stmt.scope, map) {
        if read.expr.range == body {
            continue;
        }
        let stmt = ctx.index.stmts[read.stmt].stmt;
        let put = match &stmt.kind {
            StmtKind::Expr(expr) => match &expr.kind {
                ExprKind::Call { callee, args, .. } => match &callee.kind {
                    ExprKind::Member { object, name }
                        if object.range == read.expr.range && name.text.eq_ignore_ascii_case("put") =>
                    {
                        args.as_slice()
                    }
                    _ => &[],
                },
                _ => &[],
            },
            _ => &[],
        };
        let ([key, value], true) = (put, sibling(stmt.range)) else {
            return Err(format!("`{map}` is used otherwise than filled and sent"));
        };
        parameters.push(parameter(key.value, value.value, stmt.range.end())?);
        deletions.push(Edit {
            range: crate::syntax_index::statement_deletion(ctx.source, stmt.range),
            content: String::new(),
        });
    }
    Ok((parameters, deletions))
}

/// The call replaced by `task` (and a `;` where a task block had none), after `before`;
/// the first reason says how the `response` changes and names the lines that read it,
/// which become the diagnostic's labels. With a `shape` (what the task returns, and the
/// module v1 keyed its response by), the reads in a recognised idiom are rewritten too
/// (`fix/v1_response.rs`) and only the others are named.
pub(super) fn replacement(
    ctx: &FixContext,
    facts: &CallFacts,
    task: String,
    response: &str,
    mut reasons: Vec<String>,
    before: Vec<Edit>,
    shape: Option<(Holds, &str)>,
) -> Migration {
    let mut reads = reads_of_result(ctx, facts.call.range);
    let mut rewritten = v1_response::Rewritten::default();
    if let (Some((_, ranges)), Some((holds, module))) = (&mut reads, shape) {
        rewritten = v1_response::rewrite(ctx, ranges, holds, module);
        *ranges = std::mem::take(&mut rewritten.unchanged);
    }
    let left = reads_in_words(ctx, &reads, rewritten.rewritten > 0);
    let rewrites = match rewritten.rewritten {
        0 => String::new(),
        1 => "; one read of the v1 response is rewritten for the new shape".to_owned(),
        n => format!("; {n} reads of the v1 response are rewritten for the new shape"),
    };
    reasons.insert(0, format!("{response}{rewrites}{left}"));
    let labels = reads
        .map(|(_, ranges)| ranges)
        .unwrap_or_default()
        .into_iter()
        .map(|range| Label {
            range,
            message: "this reads the v1 response; the new call returns a different shape".to_owned(),
        })
        .collect();
    let mut edits = before;
    edits.extend(rewritten.edits);
    edits.push(Edit {
        range: facts.call.range,
        content: task.clone(),
    });
    let after = &ctx.source[usize::from(facts.call.range.end())..];
    if !after.trim_start().starts_with(';') {
        // `r = invokeurl [..]` may end without `;`; a task call may not.
        edits.push(Edit {
            range: TextRange::empty(facts.call.range.end()),
            content: ";".to_owned(),
        });
    }
    // Deletions before the call, the call, rewritten reads after it: in text order.
    edits.sort_by_key(|edit| (edit.range.start(), edit.range.end()));
    Migration {
        edits,
        task,
        reasons,
        labels,
    }
}

pub(super) fn is_dropped(name: &str) -> bool {
    DROPPED.iter().any(|d| d.eq_ignore_ascii_case(name))
}

/// The URL's parameters, read as the task's arguments.
pub(super) struct Arguments<'p> {
    pub(super) source: &'p str,
    pub(super) parameters: &'p [Parameter],
}

impl Arguments<'_> {
    /// Refuses a parameter that is neither dropped nor one of `known` (lower case).
    pub(super) fn only(&self, known: &[&str]) -> Result<(), String> {
        match self
            .parameters
            .iter()
            .find(|p| !is_dropped(&p.name) && !known.contains(&p.name.to_ascii_lowercase().as_str()))
        {
            Some(other) => Err(format!("the task has no place for the v1 parameter `{}`", other.name)),
            None => Ok(()),
        }
    }

    pub(super) fn value(&self, name: &str) -> Option<&[ValuePart]> {
        self.parameters
            .iter()
            .rev()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| p.value.as_slice())
    }

    /// A record id: digits written out, or one operand (`leadId`, `input.id`).
    pub(super) fn record_id(&self, name: &str) -> Result<String, String> {
        match self.value(name) {
            Some([ValuePart::Text(digits)]) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(digits.clone())
            }
            Some([ValuePart::Operand(range)]) => Ok(self.source[*range].to_owned()),
            Some(_) => Err(format!("the `{name}` is not a plain value")),
            None => Err(format!("the call names no `{name}`")),
        }
    }

    /// A literal `true`/`false` parameter; absent is false.
    pub(super) fn flag(&self, name: &str) -> Result<bool, String> {
        match self.value(name) {
            None => Ok(false),
            Some([ValuePart::Text(text)]) if text.eq_ignore_ascii_case("true") => Ok(true),
            Some([ValuePart::Text(text)]) if text.eq_ignore_ascii_case("false") => Ok(false),
            Some(_) => Err(format!("`{name}` is not `true` or `false`")),
        }
    }

    /// A literal number parameter, or `default` when absent.
    pub(super) fn number(&self, name: &str, default: u64) -> Result<u64, String> {
        match self.value(name) {
            None => Ok(default),
            Some([ValuePart::Text(text)]) => text.trim().parse().map_err(|_| format!("`{name}` is not a number")),
            Some(_) => Err(format!("`{name}` is computed; the page cannot be worked out")),
        }
    }

    /// v1's `fromIndex`/`toIndex` (1-based, inclusive; 1 and 20 by default) as v2's `page`
    /// and `per_page`, when the range is a whole page.
    pub(super) fn page(&self) -> Result<(u64, u64), String> {
        let from = self.number("fromIndex", 1)?;
        let to = self.number("toIndex", 20)?;
        if from == 0 || to < from {
            return Err("`fromIndex`/`toIndex` is not a range".to_owned());
        }
        let per_page = to - from + 1;
        if per_page > 200 || (from - 1) % per_page != 0 {
            return Err(format!("records {from} to {to} are not one page of a v2 listing"));
        }
        Ok(((from - 1) / per_page + 1, per_page))
    }

    /// v1's `searchColumn=email&searchValue=..` as v2's `(Email:equals:..)`; the column,
    /// written out, is taken as the API name with its first letter capitalised. Returns the
    /// criteria expression and the column with the API name it became.
    fn pdc_criteria(&self) -> Result<(String, (String, String)), String> {
        let column = match self.value("searchColumn") {
            Some([ValuePart::Text(column)]) if !column.trim().is_empty() => column.trim().to_owned(),
            _ => return Err("the `searchColumn` is not written out".to_owned()),
        };
        let value = match self.value("searchValue") {
            Some(parts) if !parts.is_empty() => parts,
            _ => return Err("the call names no `searchValue`".to_owned()),
        };
        let mut chars = column.chars();
        let api_name: String = chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default()
            .replace(' ', "_");
        let mut parts = vec![ValuePart::Text(format!("({api_name}:equals:"))];
        parts.extend(value.iter().cloned());
        parts.push(ValuePart::Text(")".to_owned()));
        Ok((expression(self.source, &merged(parts)), (column, api_name)))
    }

    /// v1's `criteria=(Label:value)` as v2's `(API_name:equals:value)`: one condition, its
    /// label literal, its value literal or concatenated. Returns the criteria expression and
    /// the label with the API name it became.
    fn criteria(&self) -> Result<(String, (String, String)), String> {
        let parts = self.value("criteria").ok_or("the call names no `criteria`")?;
        let Some((ValuePart::Text(first), rest)) = parts.split_first() else {
            return Err("the criteria starts with a variable".to_owned());
        };
        let Some((label, value_start)) = first.strip_prefix('(').and_then(|c| c.split_once(':')) else {
            return Err("the criteria is not `(Field:value)`".to_owned());
        };
        let texts = std::iter::once(value_start).chain(rest.iter().filter_map(|part| match part {
            ValuePart::Text(text) => Some(text.as_str()),
            ValuePart::Operand(_) => None,
        }));
        let parentheses: usize = texts.map(|t| t.matches(['(', ')']).count()).sum();
        let closed = match parts.last() {
            Some(ValuePart::Text(last)) => last.ends_with(')'),
            _ => false,
        };
        if parentheses != 1 || !closed {
            return Err("the criteria is not one `(Field:value)` condition".to_owned());
        }
        let api_name = label.trim().replace(' ', "_");
        let mut operands: Vec<String> = Vec::new();
        let mut text = format!("({api_name}:equals:{value_start}");
        for part in rest {
            match part {
                ValuePart::Text(more) => text.push_str(more),
                ValuePart::Operand(range) => {
                    if !text.is_empty() {
                        operands.push(quoted(&std::mem::take(&mut text)));
                    }
                    operands.push(self.source[*range].to_owned());
                }
            }
        }
        if !text.is_empty() {
            operands.push(quoted(&text));
        }
        Ok((operands.join(" + "), (label.trim().to_owned(), api_name)))
    }
}

/// Adjacent text parts joined, so an expression has no `"a" + "b"`.
fn merged(parts: Vec<ValuePart>) -> Vec<ValuePart> {
    let mut out: Vec<ValuePart> = Vec::new();
    for part in parts {
        match (out.last_mut(), part) {
            (Some(ValuePart::Text(last)), ValuePart::Text(more)) => last.push_str(&more),
            (_, part) => out.push(part),
        }
    }
    out
}

/// The variable the call's result is assigned to and its reads up to its next
/// assignment; `None` when the result is not assigned to a variable.
pub(super) fn reads_of_result<'s>(ctx: &FixContext<'s, '_, '_>, call: TextRange) -> Option<(&'s str, Vec<TextRange>)> {
    let entry = ctx.index.stmt_containing(call)?;
    let StmtKind::Assign { target, value, .. } = &entry.stmt.kind else {
        return None;
    };
    let ExprKind::Ident(_) = target.kind else {
        return None;
    };
    if value.range != call {
        return None;
    }
    let name = &ctx.source[target.range];
    let reads = ctx
        .index
        .reads_until_reassigned(entry.scope, name, entry.stmt.range.end())
        .map(|read| read.expr.range)
        .collect();
    Some((name, reads))
}

/// `: \`resp\` is read on lines 5, 8; adapt that code`, or nothing; after some reads were
/// rewritten (`partly`), the lines where the old shape is still read.
fn reads_in_words(ctx: &FixContext, reads: &Option<(&str, Vec<TextRange>)>, partly: bool) -> String {
    let Some((name, ranges)) = reads else {
        return String::new();
    };
    let mut lines: Vec<u32> = ranges
        .iter()
        .map(|range| ctx.lines.line_col(ctx.source, range.start()).line)
        .collect();
    lines.sort_unstable();
    lines.dedup();
    let subject = if partly {
        "the v1 shape is still read".to_owned()
    } else {
        format!("`{name}` is read")
    };
    match lines.as_slice() {
        [] => String::new(),
        [one] => format!(": {subject} on line {one}; adapt that code"),
        many => format!(
            ": {subject} on lines {}; adapt that code",
            many.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The parts of the XML `parameter` (`xmlData`, `XMLString`): written in the URL, or an identifier assigned once, earlier in
/// the same function, to a literal or a concatenation whose operands are names, fields
/// and `.get(..)` reads nothing reassigns before the call (so they read the same values
/// at the call). That assignment is deleted when the call is the variable's only reader.
pub(super) fn xml_data(
    ctx: &FixContext,
    facts: &CallFacts,
    args: &Arguments,
    parameter: &str,
    deletions: &mut Vec<Edit>,
) -> Result<Vec<ValuePart>, String> {
    let value = args
        .value(parameter)
        .ok_or_else(|| format!("the call names no `{parameter}`"))?;
    let [ValuePart::Operand(operand)] = value else {
        return Ok(value.to_vec());
    };
    let name = &ctx.source[*operand];
    let call_stmt = ctx
        .index
        .stmt_containing(facts.call.range)
        .ok_or("the call is in no statement")?;
    let assigned: Vec<_> = ctx.index.assignments(call_stmt.scope, name).collect();
    let assignment = match assigned.as_slice() {
        [one] => one,
        [] => return Err(format!("`{name}` is not built in this function")),
        _ => return Err(format!("`{name}` is assigned more than once")),
    };
    let StmtKind::Assign {
        op: deluge_syntax::ast::AssignOp::Assign,
        value: xml,
        ..
    } = &assignment.kind
    else {
        return Err(format!("`{name}` is not built by one assignment"));
    };
    if assignment.range.end() > call_stmt.stmt.range.start() {
        return Err(format!("`{name}` is assigned after the call"));
    }
    if !runs_before_in_block(ctx, call_stmt, assignment.range) {
        return Err(format!("`{name}` is built in another block than the call"));
    }
    let between = TextRange::new(assignment.range.end(), call_stmt.stmt.range.start());
    let parts = stable_parts(ctx, call_stmt.scope, xml, between)
        .ok_or_else(|| format!("`{name}` is not text built from values that stay the same until the call"))?;
    if ctx.index.reads(call_stmt.scope, name).count() == 1 {
        deletions.push(Edit {
            range: crate::syntax_index::statement_deletion(ctx.source, assignment.range),
            content: String::new(),
        });
    }
    Ok(parts)
}

/// A literal, a plain read, or a `+` concatenation of them, as value parts, when no variable
/// it reads is assigned in `between` (the task evaluates it at the call instead).
fn stable_parts(
    ctx: &FixContext,
    scope: usize,
    expr: &deluge_syntax::ast::Expr,
    between: TextRange,
) -> Option<Vec<ValuePart>> {
    let operands: Vec<&deluge_syntax::ast::Expr> = match &expr.kind {
        ExprKind::Binary(chain) if chain.rest.iter().all(|(op, _)| *op == BinaryOp::Add) => chain.operands().collect(),
        _ => vec![expr],
    };
    operands
        .into_iter()
        .map(|operand| match operand.kind {
            ExprKind::String(_) => Some(ValuePart::Text(query::unescaped(crate::literal::contents(
                ctx.source,
                operand.range,
            )))),
            _ if is_plain_read(operand) && !reassigned_between(ctx, scope, operand, between) => {
                Some(ValuePart::Operand(operand.range))
            }
            _ => None,
        })
        .collect()
}

/// Whether the statement at `range` is in `call_stmt`'s own block and ends before it: it has
/// run whenever the call runs (one in a branch may not have).
fn runs_before_in_block(ctx: &FixContext, call_stmt: &crate::syntax_index::StmtEntry, range: TextRange) -> bool {
    ctx.index
        .stmt_containing(range)
        .is_some_and(|entry| entry.parent == call_stmt.parent && entry.stmt.range.end() <= call_stmt.stmt.range.start())
}

/// `name`, `input.Field`, `record.get("Field")`: reads with no effect, safe to evaluate at
/// the call instead of where the XML was built.
fn is_plain_read(expr: &deluge_syntax::ast::Expr) -> bool {
    match &expr.kind {
        // `zoho.currenttime`, `zoho.loginuser`: system values that change between reads.
        ExprKind::Ident(name) => !name.eq_ignore_ascii_case("zoho"),
        ExprKind::Member { object, .. } => is_plain_read(object),
        ExprKind::Call { callee, args, .. } => {
            matches!(&callee.kind, ExprKind::Member { object, name } if name.text.eq_ignore_ascii_case("get") && is_plain_read(object))
                && args
                    .iter()
                    .all(|a| matches!(a.value.kind, ExprKind::String(_) | ExprKind::Number(_)))
        }
        _ => false,
    }
}

/// Whether a variable the operand reads is assigned in `between`.
fn reassigned_between(ctx: &FixContext, scope: usize, operand: &deluge_syntax::ast::Expr, between: TextRange) -> bool {
    ctx.index.idents_within(operand.range).any(|read| {
        let ExprKind::Ident(name) = read.expr.kind else {
            return false;
        };
        ctx.index
            .assignments(scope, name)
            .any(|stmt| between.contains_range(stmt.range))
    })
}
