//! Migrating a Creator v1 call into the `zoho.creator.*` task that does the same, in place:
//!
//! - a report read (`/api/[<owner>/]json|xml/<app>/view/<report>`) →
//!   `zoho.creator.getRecords(owner, app, report, criteria, 1, 200, connection)`;
//!   `criteria` is passed on as written (v1 and v2 share the Deluge criteria syntax) and
//!   `raw=true` only shaped v1's response; a `startindex`/`limit` window is left to a hand
//!   migration;
//! - a record added (`/api/[<owner>/]json|xml/<app>/form/<form>/record/add`, its fields the
//!   call's parameters) → `zoho.creator.createRecord(owner, app, form, {fields}, Map(), connection)`;
//! - `/api/xml/write` with an `XMLString` that adds one record to one form →
//!   the same `createRecord`, app and form read from the XML.
//!
//! The owner comes from the path or `zc_ownername`. v1 updates and deletes select records
//! of a form, where v2 goes through a report the call does not name: those are left to a
//! hand migration.

use super::authtoken::FixContext;
use super::v1_crm::{Arguments, Migration, call_parameters, is_dropped, replacement, xml_data};
use super::v1_xml::{creator_write, expression, quoted};
use crate::call_facts::CallFacts;
use crate::legacy::{CreatorAction, CreatorCall};

/// The migration of `facts`' call to a `zoho.creator` task, passing `connection`; `Err`
/// says why the call is left to be migrated by hand.
pub fn migrate(ctx: &FixContext, facts: &CallFacts, call: &CreatorCall, connection: &str) -> Result<Migration, String> {
    let (parameters, mut deletions) = call_parameters(ctx, facts)?;
    let args = Arguments {
        source: ctx.source,
        parameters: &parameters,
    };
    let owner = || match (&call.owner, args.value("zc_ownername")) {
        (Some(owner), _) => Ok(quoted(owner)),
        (None, Some(parts)) if !parts.is_empty() => Ok(expression(ctx.source, parts)),
        (None, _) => Err("the call names no owner (`zc_ownername`)".to_owned()),
    };
    let (task, response, reasons) = match call.action {
        CreatorAction::ViewRecords => {
            args.only(&["zc_ownername", "criteria", "raw"])?;
            let criteria = match args.value("criteria") {
                None | Some([]) => "\"\"".to_owned(),
                Some(parts) => expression(ctx.source, parts),
            };
            let task = format!(
                "zoho.creator.getRecords({}, {}, {}, {criteria}, 1, 200, {})",
                owner()?,
                quoted(&call.app),
                quoted(&call.name),
                quoted(connection)
            );
            (
                task,
                "the task returns a map with `data`, a list of records keyed by field link names, where v1 returned the report's form name mapped to its records as text",
                vec!["the task fetches at most 200 records, as the v1 call did by default".to_owned()],
            )
        }
        CreatorAction::AddRecord => {
            let fields: Vec<String> = parameters
                .iter()
                .filter(|p| !is_dropped(&p.name) && !p.name.eq_ignore_ascii_case("zc_ownername"))
                .map(|p| format!("{}: {}", quoted(&p.name), expression(ctx.source, &p.value)))
                .collect();
            if fields.is_empty() {
                return Err("the call sets no field".to_owned());
            }
            let task = format!(
                "zoho.creator.createRecord({}, {}, {}, {{{}}}, Map(), {})",
                owner()?,
                quoted(&call.app),
                quoted(&call.name),
                fields.join(", "),
                quoted(connection)
            );
            (task, ADDED, vec![VALUES.to_owned()])
        }
        CreatorAction::XmlWrite => {
            args.only(&["zc_ownername", "xmlstring"])?;
            let xml = xml_data(ctx, facts, &args, "XMLString", &mut deletions)?;
            let write = creator_write(ctx.source, &xml)?;
            let task = format!(
                "zoho.creator.createRecord({}, {}, {}, {}, Map(), {})",
                owner()?,
                quoted(&write.app),
                quoted(&write.form),
                write.values,
                quoted(connection)
            );
            (task, ADDED, vec![VALUES.to_owned()])
        }
        CreatorAction::UpdateRecords | CreatorAction::DeleteRecords => {
            let (done, task) = if call.action == CreatorAction::UpdateRecords {
                (
                    "updated",
                    "updateRecords(owner, app, report, criteria, values, Map(), connection)",
                )
            } else {
                (
                    "deleted",
                    "deleteRecords(owner, app, report, criteria, Map(), connection)",
                )
            };
            return Err(format!(
                "v1 {done} a form's records, where v2 goes through a report (`zoho.creator.{task}`): the link name of a report showing `{}` is not in the call",
                call.name
            ));
        }
    };
    Ok(replacement(ctx, facts, task, response, reasons, deletions, None))
}

/// How the response of a record added changes.
const ADDED: &str =
    "the task returns a map with `code` (3000 on success) and `data.ID`, where v1 returned the added record as text";

/// Why a record's values need a look.
const VALUES: &str = "values are sent as v1 sent them: check date and multi-select fields against v2's formats";
