//! Migrating a Creator v1 report read (`/api/[<owner>/]json|xml/<app>/view/<report>`) into
//! `zoho.creator.getRecords(owner, app, report, criteria, 1, 200, connection)`, in place.
//!
//! The owner comes from the path or `zc_ownername`; `criteria` is passed on as written
//! (v1 and v2 share the Deluge criteria syntax); `raw=true` only shaped v1's response.
//! A `startindex`/`limit` window is left to a hand migration.

use super::authtoken::FixContext;
use super::query::ValuePart;
use super::v1_crm::{Arguments, Migration, call_parameters, replacement};
use super::v1_xml::{expression, quoted};
use crate::call_facts::CallFacts;
use crate::legacy::CreatorReport;

/// The migration of `facts`' call to `zoho.creator.getRecords`, passing `connection`; `Err`
/// says why the call is left to be migrated by hand.
pub fn migrate(
    ctx: &FixContext,
    facts: &CallFacts,
    report: &CreatorReport,
    connection: &str,
) -> Result<Migration, String> {
    let (parameters, map_deletions) = call_parameters(ctx, facts)?;
    let args = Arguments {
        source: ctx.source,
        parameters: &parameters,
    };
    args.only(&["zc_ownername", "criteria", "raw"])?;
    let owner = match (&report.owner, args.value("zc_ownername")) {
        (Some(owner), _) => quoted(owner),
        (None, Some(parts)) if !parts.is_empty() => expression(ctx.source, parts),
        (None, _) => return Err("the call names no owner (`zc_ownername`)".to_owned()),
    };
    let criteria = match args.value("criteria") {
        None | Some([]) => "\"\"".to_owned(),
        Some(parts)
            if parts
                .iter()
                .all(|p| matches!(p, ValuePart::Text(_) | ValuePart::Operand(_))) =>
        {
            expression(ctx.source, parts)
        }
        Some(_) => return Err("the criteria is not written out".to_owned()),
    };
    let task = format!(
        "zoho.creator.getRecords({owner}, {}, {}, {criteria}, 1, 200, {})",
        quoted(&report.app),
        quoted(&report.report),
        quoted(connection)
    );
    let response = "the task returns a map with `data`, a list of records keyed by field link names, where v1 returned the report's form name mapped to its records as text";
    let reasons = vec!["the task fetches at most 200 records, as the v1 call did by default".to_owned()];
    Ok(replacement(ctx, facts, task, response, reasons, map_deletions))
}
