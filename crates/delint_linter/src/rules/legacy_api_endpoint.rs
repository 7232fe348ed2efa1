use deluge_syntax::{TextRange, TextSize};

use super::declare_rule;
use crate::call_facts::CallFacts;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::legacy::LegacyEndpoint;
use crate::literal::{contents, inner};
use crate::rule::{Category, FixAvailability};

declare_rule! {
    /// ## What it does
    /// Finds calls to API versions that no longer accept any token, OAuth included: CRM
    /// `/crm/private/json|xml/<Module>/<method>`, Creator `/api/<owner>/json|xml/...` and
    /// `/api/xml/write`, Projects `/api/private/...`, Recruit `/recruit/private/...`. The
    /// message names the v2+ endpoint to use and, for CRM, the integration task that needs
    /// no URL at all.
    ///
    /// ## Why is this bad?
    /// These APIs reached their end of life (CRM API v1 on 31 Dec 2019, Creator API v1 on
    /// 3 Feb 2021): removing the authtoken and adding a connection does not make the call
    /// work. Requests, responses (XML `row`/`FL` versus JSON `data`) and parameters differ.
    ///
    /// ## Example
    /// ```deluge
    /// lead = invokeurl
    /// [
    ///     url: "https://crm.zoho.com/crm/private/json/Leads/getRecordById?id=" + leadId
    ///     type: GET
    ///     connection: "zohocrm"
    /// ];
    /// ```
    ///
    /// ## Use instead
    /// ```deluge
    /// lead = zoho.crm.getRecordById("Leads", leadId, Map(), "zohocrm");
    /// ```
    ///
    /// ## Migration table
    /// CRM v1 methods and what replaces them (Zoho's Deluge task reference and CRM API v2
    /// documentation). A Deluge integration task needs no URL; pass the connection as its
    /// last argument (`zoho.crm.getRecordById("Leads", id, Map(), "zohocrm")`), which new
    /// tasks in CRM require. REST calls go to `www.zohoapis.<dc>` for the data centre the
    /// v1 URL named, through `invokeurl` with a `connection:`.
    ///
    /// | v1 method (`/crm/private/json/<Module>/...`) | integration task | v2 REST call | DL011's fix |
    /// |---|---|---|---|
    /// | `getRecordById` (`id`) | `zoho.crm.getRecordById(module, id)` | `GET /crm/v2/<Module>/<id>` | the task |
    /// | `getRecords` (`fromIndex`, `toIndex`) | `zoho.crm.getRecords(module, page, per_page)` | `GET /crm/v2/<Module>?page=&per_page=` | the task, when the range is one page |
    /// | `searchRecords` (`criteria=(Field:value)`) | `zoho.crm.searchRecords(module, "(Field_API_name:equals:value)")` | `GET /crm/v2/<Module>/search?criteria=` | the task, for one condition |
    /// | `getSearchRecordsByPDC` (`searchColumn`, `searchValue`) | `zoho.crm.searchRecords(module, "(Column:equals:value)")` | `GET /crm/v2/<Module>/search?criteria=` | the task |
    /// | `insertRecords` (`xmlData`, `wfTrigger`) | `zoho.crm.createRecord(module, map, {"trigger":{"workflow"}})` | `POST /crm/v2/<Module>` | the task, for one row |
    /// | `updateRecords` (`id`, `xmlData`, `wfTrigger`) | `zoho.crm.updateRecord(module, id, map, options)` | `PUT /crm/v2/<Module>/<id>` | the task, for one row |
    /// | `deleteRecords` (`id`) | none | `DELETE /crm/v2/<Module>/<id>` | an `invokeurl` task |
    /// | `getRelatedRecords` (`parentModule`, `id`) | `zoho.crm.getRelatedRecords(relation, parent_module, id, page, per_page)` | `GET /crm/v2/<Parent>/<id>/<relation>` | the task |
    /// | `updateRelatedRecords` (`relatedModule`, `id`, `xmlData` naming the related id) | `zoho.crm.updateRelatedRecord(relation, related_id, module, id, map)` | `PUT /crm/v2/<Module>/<id>/<relation>/<related id>` | the task |
    /// | `convertLead` (`leadId`, `xmlData` options and deal) | `zoho.crm.convertLead(lead_id, {"notify_lead_owner":.., "Deals":{..}})` | `POST /crm/v2/Leads/<id>/actions/convert` | the task; by hand with `assignTo` (an e-mail, where v2 takes a user id) |
    /// | `getUsers` (`type`) | none | `GET /crm/v2/users?type=AllUsers` | an `invokeurl` task |
    /// | `uploadFile` (`id`, `content`) | `zoho.crm.attachFile(module, id, file)` | `POST /crm/v2/<Module>/<id>/Attachments` | by hand: v2 takes a file object |
    /// | `downloadFile` (`id` of the attachment) | none | `GET /crm/v2/<Module>/<record id>/Attachments/<id>` | by hand: v2 needs the record's id too |
    /// | `getCVRecords`, `getMyRecords`, `getDeletedRecordIds`, ... | none | see the CRM API v2 documentation | by hand |
    ///
    /// | Creator v1 call | task | v2 REST call | DL011's fix |
    /// |---|---|---|---|
    /// | `GET /api/[<owner>/]json/<app>/view/<report>` (`zc_ownername`, `criteria`, `raw`) | `zoho.creator.getRecords(owner, app, report, criteria, 1, 200)` | `GET /api/v2/<owner>/<app>/report/<report>` | the task |
    /// | `POST /api/<owner>/json/<app>/form/<form>/record/add` (fields) | `zoho.creator.createRecord(owner, app, form, values, Map())` | `POST /api/v2/<owner>/<app>/form/<form>` | the task |
    /// | `POST /api/xml/write` (`XMLString` adding one record) | `zoho.creator.createRecord(owner, app, form, values, Map())` | `POST /api/v2/<owner>/<app>/form/<form>` | the task |
    /// | `.../form/<form>/record/update` or `/delete` (`criteria`) | `zoho.creator.updateRecords` / `deleteRecords(owner, app, report, criteria, ..)` | `PATCH` / `DELETE /api/v2/<owner>/<app>/report/<report>` | by hand: v2 names a report, not the form |
    ///
    /// Modules keep their names except `Potentials`, which is `Deals` in v2. v1 field labels
    /// become API names: `Last Name` → `Last_Name`, `SMOWNERID` and `<Module> Owner` →
    /// `Owner`, `LEADID`/`CONTACTID`/... → `id`, `Potential Name` → `Deal_Name`,
    /// `Potential Stage` → `Stage`. The response is a map (or list of maps) keyed by API
    /// names instead of v1's `response.result.<Module>.row.FL` list of `{val, content}`,
    /// so the code that reads it changes too. Projects (`/api/private/...` →
    /// `/restapi/portal/<portal>/projects/`) and Recruit (`/recruit/v2/<Module>`) calls
    /// differ call by call and are migrated by hand.
    ///
    /// ## Fix safety
    /// A v1 call the table migrates, whose parameters are plain values written in its URL,
    /// a URL variable built once just before it, or a `postUrl` map built just for it (an
    /// XML parameter may be a variable built once just before), gets an **unsafe** fix that
    /// replaces it where it stands (nothing moves out of a condition or runs at another
    /// time): connection passed, token, URL and XML variables deleted when nothing else
    /// reads them, one-row XML as a map of API names, `wfTrigger=true` as
    /// `{"trigger":{"workflow"}}`. An `invokeurl` task must be a statement's value, so a
    /// `deleteRecords` or `getUsers` call inside a larger expression is left alone, and
    /// one standing alone gets a new variable for its response. The reads of the result
    /// in known idioms are rewritten with it: the `.get("response").get("result").get("<Module>").get("row")`
    /// chain becomes the result itself (and variables and loops over it are followed), a
    /// loop over `FL` that only picks fields (`if(f.get("val") == "Phone") { phone = f.get("content"); }`)
    /// becomes `phone = resp.get("Phone");`, an XPath on `FL[@val='Email']` becomes
    /// `resp.get("Email")`, and a listing's `"nodata"`/`"4422"` check becomes `isEmpty()`.
    /// It is unsafe because the result's shape changes: its reason names each line that
    /// still reads the v1 shape (and the finding labels them), and each field label taken
    /// as an API name. Any other call is left to be migrated by hand, its help saying why;
    /// a **display-only** suggestion points a parameterless literal URL at its v2+ endpoint
    /// when that needs no placeholder.
    pub struct LegacyApiEndpoint {
        code: "DL011",
        name: "legacy-api-endpoint",
        category: Category::Correctness,
        severity: Severity::Error,
        fix: FixAvailability::Sometimes,
        summary: "A call to a v1 Zoho API (CRM, Creator, Projects, Recruit) that accepts no token at all.",
    }
}

pub(crate) fn check(facts: &CallFacts, source: &str) -> Option<Diagnostic> {
    let endpoint = facts.legacy.as_ref()?;
    let url = facts.call.url.fragments.first()?;
    let path = v1_path(contents(source, url.range));
    let help = match &endpoint.task {
        Some(task) => format!(
            "or use the integration task `{task}` (no URL; pass the connection as its last argument); its response is shaped differently from v1's, so the code that reads it changes too"
        ),
        None => "the v2+ API differs in parameters and response format: adapt the code around the call".to_owned(),
    };
    let message = format!(
        "{} calls {} (`{path}`), which reached its end of life and accepts no token at all: use `{}`",
        facts.call.kind.describe(),
        endpoint.api,
        endpoint.replacement
    );
    let diagnostic = Diagnostic::new(&LegacyApiEndpoint::META, facts.call.range, message).with_help(help);
    Some(match point_at_replacement(source, url.range, facts, endpoint) {
        Some(fix) => diagnostic.with_fix(fix),
        None => diagnostic,
    })
}

/// The v1 path as written, without host and query: `/crm/private/json/Leads/getRecords`.
fn v1_path(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let path = url[after_scheme..].find('/').map_or("", |i| &url[after_scheme + i..]);
    // A URL path has no spaces or quotes; what follows one is not part of it.
    path.split(['?', '#', ' ', '\t', '"', '\'']).next().unwrap_or(path)
}

/// Replaces the literal URL with the v2+ one, shown, never applied: only when that is
/// correct code, i.e. the replacement has no placeholder (`{id}`, `<owner>`) and the v1
/// URL is one literal without parameters, which a v2 URL could not take. (A CRM call the
/// migration fix handles gets that fix instead, `fix/v1_crm.rs`.)
fn point_at_replacement(source: &str, literal: TextRange, facts: &CallFacts, endpoint: &LegacyEndpoint) -> Option<Fix> {
    let text = contents(source, literal);
    let replacement = endpoint.replacement_url();
    if replacement.contains(['{', '<']) || text.contains(['?', '#']) || facts.call.url.fragments.len() != 1 {
        return None;
    }
    let range = TextRange::at(inner(literal).start(), TextSize::of(text));
    Some(Fix {
        message: format!(
            "Point the call at `{}` (not applied: the request and response formats change too; adapt the code by hand)",
            endpoint.replacement
        ),
        edits: vec![Edit {
            range,
            content: replacement.to_owned(),
        }],
        applicability: Applicability::DisplayOnly,
    })
}
