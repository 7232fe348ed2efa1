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
    /// | v1 method (`/crm/private/json/<Module>/...`) | integration task | v2 REST call |
    /// |---|---|---|
    /// | `getRecordById` (`id`) | `zoho.crm.getRecordById(module, id)` | `GET /crm/v2/<Module>/<id>` |
    /// | `getRecords` (`fromIndex`, `toIndex`) | `zoho.crm.getRecords(module, page, per_page)` | `GET /crm/v2/<Module>?page=&per_page=` |
    /// | `searchRecords` (`criteria=(Field:value)`) | `zoho.crm.searchRecords(module, "(Field_API_name:equals:value)")` | `GET /crm/v2/<Module>/search?criteria=` |
    /// | `getSearchRecordsByPDC` (`searchColumn`, `searchValue`) | `zoho.crm.searchRecords(module, "(Field:equals:value)")` | `GET /crm/v2/<Module>/search?criteria=` |
    /// | `insertRecords` (`xmlData`) | `zoho.crm.createRecord(module, map)` | `POST /crm/v2/<Module>` |
    /// | `updateRecords` (`id`, `xmlData`) | `zoho.crm.updateRecord(module, id, map)` | `PUT /crm/v2/<Module>/<id>` |
    /// | `deleteRecords` (`id`) | none | `DELETE /crm/v2/<Module>/<id>` |
    /// | `getRelatedRecords` (`parentModule`, `id`) | `zoho.crm.getRelatedRecords(relation, parent_module, id)` | `GET /crm/v2/<Parent>/<id>/<relation>` |
    /// | `uploadFile` (`id`, `content`) | `zoho.crm.attachFile(module, id, file)` | `POST /crm/v2/<Module>/<id>/Attachments` |
    /// | `getUsers` (`type`) | none | `GET /crm/v2/users?type=AllUsers` |
    ///
    /// Modules keep their names except `Potentials`, which is `Deals` in v2. v1 field labels
    /// (`Last Name`, `SMOWNERID`) become API names (`Last_Name`, `Owner`), and the response
    /// is a map (or list of maps) keyed by API names instead of v1's
    /// `response.result.<Module>.row.FL` list of `{val, content}`: the code that reads it
    /// changes too. Creator v1 (`/api/json/<app>/view/<report>`, `/api/xml/write`) moves to
    /// `zoho.creator.getRecords/createRecord/updateRecord` or `/api/v2/<owner>/<app>/report/<report>`;
    /// Projects to `/restapi/portal/<portal>/projects/`; Recruit to `/recruit/v2/<Module>`.
    ///
    /// ## Fix safety
    /// A CRM `getRecordById`, `getRecords`, `searchRecords`, `insertRecords` or
    /// `updateRecords` call whose parameters are plain values in its own URL (the
    /// `xmlData` may be a variable built once just before) gets an **unsafe** fix that
    /// replaces it, where it stands, with the integration task (connection passed, token
    /// and XML variables deleted, one-row XML as a map of API names, `wfTrigger=true` as
    /// `{"trigger":{"workflow"}}`); a `deleteRecords` whose result is assigned becomes an
    /// `invokeurl` task, `type: DELETE`, on the v2 record; a Creator report read
    /// (`/api/json/<app>/view/<report>`) becomes `zoho.creator.getRecords`. It is
    /// unsafe because the result's shape changes: the fix's reason names each line that
    /// reads it (and the finding labels them), and each field label taken as an API name. Any other v1 call is left to be migrated by
    /// hand; a **display-only** suggestion points a parameterless literal URL at its v2+
    /// endpoint when that needs no placeholder.
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
