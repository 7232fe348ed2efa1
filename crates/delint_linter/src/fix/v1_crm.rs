//! Migrating a call to CRM API v1 (`/crm/private/json|xml/<Module>/<method>`) into the
//! `zoho.crm.*` integration task that does the same (DL011's migration table):
//!
//! - `getRecordById?id=..` → `zoho.crm.getRecordById(module, id, Map(), connection)`;
//! - `getRecords?fromIndex=..&toIndex=..` → `zoho.crm.getRecords(module, page, per_page, Map(), connection)`;
//! - `searchRecords?criteria=(Label:value)` → `zoho.crm.searchRecords(module, "(API_name:equals:value)", page, per_page, Map(), connection)`.
//!
//! A task is an expression, so the call is replaced where it stands: nothing moves and
//! nothing runs at another time. Only a call whose parameters are all in its own URL, with
//! literal names, is migrated; a parameter the task has no place for (`idlist`,
//! `sortColumnString`, a `lastModifiedTime`) leaves the call to be migrated by hand.
//! The fix is always unsafe: the task returns maps keyed by field API names where v1
//! returned `response.result.<Module>.row.FL` text, so each later read of the result is
//! named in its reason.

use deluge_syntax::ast::StmtKind;
use deluge_syntax::{TextRange, TextSize};

use super::authtoken::{FixContext, concatenation_pieces};
use super::query::{self, Parameter, ValuePart};
use crate::call_facts::CallFacts;
use crate::diagnostic::Edit;
use crate::legacy::CrmMethod;

/// v1 parameters the task needs no counterpart for: the credentials, and output options
/// whose loss only adds fields or keeps the default format.
const DROPPED: &[&str] = &["authtoken", "scope", "newformat", "version", "selectcolumns"];

/// The call's replacement and what a reviewer must check.
pub struct Migration {
    /// The edits (the call replaced, and a `;` where a task block had none).
    pub edits: Vec<Edit>,
    /// The task written, for the fix's message.
    pub task: String,
    /// Why the fix is unsafe, in words.
    pub reasons: Vec<String>,
}

/// The migration of `facts`' call to the integration task for `crm`, passing `connection`;
/// `Err` says why the call is left to be migrated by hand.
pub fn migrate(ctx: &FixContext, facts: &CallFacts, crm: &CrmMethod, connection: &str) -> Result<Migration, String> {
    if !facts.call.body.entries.iter().all(|e| is_dropped(&e.key)) || !facts.call.body.fragments.is_empty() {
        return Err("the call sends parameters in its body".to_owned());
    }
    if !deluge_syntax::lexer::lex(&ctx.source[facts.call.range])
        .comments
        .is_empty()
    {
        // The task replaces the whole call: a comment inside it would be lost.
        return Err("a comment inside the call would be lost".to_owned());
    }
    let url = facts.call.url.fragments.first().ok_or("the URL is not written out")?;
    let (pieces, whole) = concatenation_pieces(ctx, url.range);
    if !facts.call.range.contains_range(whole) {
        return Err("the URL is built outside the call".to_owned());
    }
    let parameters = query::url_parameters(ctx.source, &pieces).map_err(|e| e.0.to_owned())?;
    let args = Arguments {
        source: ctx.source,
        parameters: &parameters,
    };
    let module = quoted(&crm.module);
    let mut reasons = Vec::new();
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
        other => return Err(format!("`{other}` has no task migration")),
    };
    reasons.insert(
        0,
        format!(
            "the task returns maps keyed by field API names (`{}` records, `id`), where v1 returned `response.result.{}.row` with `FL` lists of `val`/`content`{}",
            crm.module,
            crm.module,
            reads_of_result(ctx, facts.call.range)
        ),
    );
    let mut edits = vec![Edit {
        range: facts.call.range,
        content: task.clone(),
    }];
    let after = &ctx.source[usize::from(facts.call.range.end())..];
    if !after.trim_start().starts_with(';') {
        // `r = invokeurl [..]` may end without `;`; a task call may not.
        edits.push(Edit {
            range: TextRange::empty(facts.call.range.end()),
            content: ";".to_owned(),
        });
    }
    Ok(Migration { edits, task, reasons })
}

fn is_dropped(name: &str) -> bool {
    DROPPED.iter().any(|d| d.eq_ignore_ascii_case(name))
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The URL's parameters, read as the task's arguments.
struct Arguments<'p> {
    source: &'p str,
    parameters: &'p [Parameter],
}

impl Arguments<'_> {
    /// Refuses a parameter that is neither dropped nor one of `known` (lower case).
    fn only(&self, known: &[&str]) -> Result<(), String> {
        match self
            .parameters
            .iter()
            .find(|p| !is_dropped(&p.name) && !known.contains(&p.name.to_ascii_lowercase().as_str()))
        {
            Some(other) => Err(format!("the task has no place for the v1 parameter `{}`", other.name)),
            None => Ok(()),
        }
    }

    fn value(&self, name: &str) -> Option<&[ValuePart]> {
        self.parameters
            .iter()
            .rev()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| p.value.as_slice())
    }

    /// A record id: digits written out, or one operand (`leadId`, `input.id`).
    fn record_id(&self, name: &str) -> Result<String, String> {
        match self.value(name) {
            Some([ValuePart::Text(digits)]) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(digits.clone())
            }
            Some([ValuePart::Operand(range)]) => Ok(self.source[*range].to_owned()),
            Some(_) => Err(format!("the `{name}` is not a plain value")),
            None => Err(format!("the call names no `{name}`")),
        }
    }

    /// A literal number parameter, or `default` when absent.
    fn number(&self, name: &str, default: u64) -> Result<u64, String> {
        match self.value(name) {
            None => Ok(default),
            Some([ValuePart::Text(text)]) => text.trim().parse().map_err(|_| format!("`{name}` is not a number")),
            Some(_) => Err(format!("`{name}` is computed; the page cannot be worked out")),
        }
    }

    /// v1's `fromIndex`/`toIndex` (1-based, inclusive; 1 and 20 by default) as v2's `page`
    /// and `per_page`, when the range is a whole page.
    fn page(&self) -> Result<(u64, u64), String> {
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

/// ` (read on lines 5, 8)` for the reads of the variable the call's result is assigned
/// to, up to its next assignment; empty when it is not assigned.
fn reads_of_result(ctx: &FixContext, call: TextRange) -> String {
    let Some(entry) = ctx.index.stmt_containing(call) else {
        return String::new();
    };
    let StmtKind::Assign { target, value, .. } = &entry.stmt.kind else {
        return String::new();
    };
    let deluge_syntax::ast::ExprKind::Ident(name) = target.kind else {
        return String::new();
    };
    if value.range != call {
        return String::new();
    }
    let after = entry.stmt.range.end();
    let next = ctx
        .index
        .assignments(entry.scope, name)
        .map(|stmt| stmt.range.start())
        .filter(|start| *start >= after)
        .min()
        .unwrap_or(TextSize::new(u32::MAX));
    let mut lines: Vec<u32> = ctx
        .index
        .reads(entry.scope, name)
        .map(|read| read.expr.range.start())
        .filter(|start| *start >= after && *start < next)
        .map(|start| ctx.lines.line_col(ctx.source, start).line)
        .collect();
    lines.dedup();
    match lines.as_slice() {
        [] => String::new(),
        [one] => format!(": `{name}` is read on line {one}; adapt that code"),
        many => format!(
            ": `{name}` is read on lines {}; adapt that code",
            many.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        ),
    }
}
