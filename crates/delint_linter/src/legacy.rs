//! Legacy (v1) endpoints that accepted only authtokens, and the v2+ endpoints that replace
//! them (reference §5.5–5.6). Removing the token from a v1 call does not make it work.

use crate::services::DataCentre;

/// A v1 endpoint found in a URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegacyEndpoint {
    /// The API as users know it, e.g. "CRM API v1".
    pub api: &'static str,
    /// The method and URL to move to, e.g. `GET https://www.zohoapis.com/crm/v2/Leads/{id}`.
    pub replacement: String,
    /// The Deluge integration task that does the same with no URL at all (CRM), e.g.
    /// `zoho.crm.getRecordById("Leads", id)`.
    pub task: Option<String>,
    /// For CRM v1, the module (its v2 API name) and method the URL names.
    pub crm: Option<CrmMethod>,
    /// For a Creator v1 call, what it reads or writes.
    pub creator: Option<CreatorCall>,
}

/// A Creator v1 call: `/api/[<owner>/]json|xml/<app>/view/<report>` (a report read),
/// `/api/[<owner>/]json|xml/<app>/form/<form>/record/add|update|delete` (a form's records
/// written) or `/api/xml/write` (records written as XML).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatorCall {
    /// The owner named in the path; else it is the `zc_ownername` parameter.
    pub owner: Option<String>,
    /// The application's link name (empty for `/api/xml/write`, whose XML names it).
    pub app: String,
    /// The report's (v1 "view") or form's link name (empty for `/api/xml/write`).
    pub name: String,
    pub action: CreatorAction,
}

/// What a Creator v1 call does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreatorAction {
    /// `/view/<report>`: read a report's records.
    ViewRecords,
    /// `/form/<form>/record/add`.
    AddRecord,
    /// `/form/<form>/record/update`, by criteria.
    UpdateRecords,
    /// `/form/<form>/record/delete`, by criteria.
    DeleteRecords,
    /// `/api/xml/write` with an `XMLString`.
    XmlWrite,
}

impl CreatorCall {
    /// Whether DL011's fix can turn the call into a `zoho.creator.*` task: a report read,
    /// a record added (v2 updates and deletes go through a report, which v1's form calls
    /// do not name).
    pub fn has_task_migration(&self) -> bool {
        !matches!(self.action, CreatorAction::UpdateRecords | CreatorAction::DeleteRecords)
    }
}

/// A CRM v1 `<Module>/<method>` pair, read from the URL's literal start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrmMethod {
    /// The v2 API name of the module (`Deals` for v1 `Potentials`).
    pub module: String,
    /// The v1 method, lower-cased: `getrecordbyid`, `searchrecords`, ...
    pub method: String,
}

impl CrmMethod {
    /// Whether DL011's fix can turn this method into an integration task, given plain
    /// parameters (see `fix/v1_crm.rs`).
    pub fn has_task_migration(&self) -> bool {
        matches!(
            self.method.as_str(),
            "getrecordbyid"
                | "getrecords"
                | "searchrecords"
                | "getrelatedrecords"
                | "insertrecords"
                | "updaterecords"
                | "deleterecords"
                | "getsearchrecordsbypdc"
                | "getusers"
                | "updaterelatedrecords"
                | "convertlead"
        )
    }
}

impl LegacyEndpoint {
    /// Whether DL011's fix may turn the call into an integration task (given plain
    /// parameters): a CRM method it knows, or a Creator report read.
    pub fn has_task_migration(&self) -> bool {
        self.crm.as_ref().is_some_and(CrmMethod::has_task_migration)
            || self.creator.as_ref().is_some_and(CreatorCall::has_task_migration)
    }

    /// What to move the call to, in words of help: the integration task DL011's fix
    /// migrates it to, or the replacement to migrate to by hand.
    pub fn migration_hint(&self) -> String {
        match &self.task {
            None if self.has_task_migration() => format!(
                "migrate it to an `invokeurl` task on `{}` (DL011's fix does it when the call's parameters are plain values)",
                self.replacement
            ),
            Some(task) if self.has_task_migration() => format!(
                "migrate it to the integration task `{task}` (DL011's fix does it when the call's parameters are plain values)"
            ),
            _ => format!("migrate it by hand to `{}` (see DL011)", self.replacement),
        }
    }

    /// The replacement URL without its method.
    pub fn replacement_url(&self) -> &str {
        self.replacement
            .split_once(' ')
            .map_or(&self.replacement, |(_, url)| url)
    }
}

/// The v1 endpoint `url` (the literal start of a URL) calls, if any.
pub fn legacy_endpoint(url: &str, dc: Option<DataCentre>) -> Option<LegacyEndpoint> {
    let path_start = url.find("://").map_or(0, |i| i + 3);
    let path_at = url[path_start..].find('/').map(|i| path_start + i)?;
    let path = &url[path_at..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    // Every v1 path starts `/crm/`, `/recruit/` or `/api/`: most URLs are ruled out here,
    // before anything is lower-cased.
    let first = path.split('/').find(|s| !s.is_empty())?;
    if !["crm", "recruit", "api"]
        .iter()
        .any(|api| first.eq_ignore_ascii_case(api))
    {
        return None;
    }
    let lower = url.to_ascii_lowercase();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let lower_segments: Vec<String> = segments.iter().map(|s| s.to_ascii_lowercase()).collect();
    let lower_segments: Vec<&str> = lower_segments.iter().map(String::as_str).collect();
    let tld = tld(dc);
    match lower_segments.as_slice() {
        ["crm", "private", "json" | "xml", ..] => {
            let module = segments.get(3).copied().map(v2_module_name);
            Some(LegacyEndpoint {
                api: "CRM API v1",
                replacement: crm_replacement(module, segments.get(4).copied(), tld),
                task: crm_task(module, segments.get(4).copied()),
                crm: module.zip(segments.get(4)).map(|(module, method)| CrmMethod {
                    module: module.to_owned(),
                    method: method.to_ascii_lowercase(),
                }),
                creator: None,
            })
        }
        ["recruit", "private", "json" | "xml", ..] => Some(LegacyEndpoint {
            api: "Recruit API v1",
            replacement: format!(
                "https://recruit.zoho.{tld}/recruit/v2/{}",
                segments.get(3).copied().unwrap_or("<Module>")
            ),
            task: None,
            crm: None,
            creator: None,
        }),
        ["api", "private", ..] if lower.contains("projectsapi.") => Some(LegacyEndpoint {
            api: "Projects API v1",
            replacement: format!("https://projectsapi.zoho.{tld}/restapi/portal/<portal id>/projects/"),
            task: None,
            crm: None,
            creator: None,
        }),
        ["api", "json" | "xml", ..] | ["api", _, "json" | "xml", ..] if lower.contains("creator.") => {
            let owner_in_path = lower_segments[1] != "json" && lower_segments[1] != "xml";
            let rest = &segments[if owner_in_path { 3 } else { 2 }..];
            let creator = creator_call(rest, owner_in_path.then(|| segments[1]));
            Some(LegacyEndpoint {
                api: "Creator API v1",
                replacement: creator_replacement(creator.as_ref(), tld),
                task: creator.as_ref().and_then(creator_task),
                crm: None,
                creator,
            })
        }
        _ => None,
    }
}

/// The Creator call of a v1 path's segments after `json|xml` (`<app>/view/<report>`,
/// `<app>/form/<form>/record/<action>`, `write`).
fn creator_call(rest: &[&str], owner: Option<&str>) -> Option<CreatorCall> {
    let call = |app: &str, name: &str, action| CreatorCall {
        owner: owner.map(str::to_owned),
        app: app.to_owned(),
        name: name.to_owned(),
        action,
    };
    match rest {
        [app, view, report, ..] if view.eq_ignore_ascii_case("view") => {
            Some(call(app, report, CreatorAction::ViewRecords))
        }
        [app, form, name, record, action, ..]
            if form.eq_ignore_ascii_case("form") && record.eq_ignore_ascii_case("record") =>
        {
            let action = match action.to_ascii_lowercase().as_str() {
                "add" => CreatorAction::AddRecord,
                "update" => CreatorAction::UpdateRecords,
                "delete" => CreatorAction::DeleteRecords,
                _ => return None,
            };
            Some(call(app, name, action))
        }
        [write] if write.eq_ignore_ascii_case("write") => Some(call("", "", CreatorAction::XmlWrite)),
        _ => None,
    }
}

/// The Creator v2 REST endpoint replacing a v1 call.
fn creator_replacement(call: Option<&CreatorCall>, tld: &str) -> String {
    let base = format!("https://creator.zoho.{tld}/api/v2");
    let Some(call) = call else {
        return format!("{base}/<owner>/<app>/report/<report>");
    };
    let owner = call.owner.as_deref().unwrap_or("<owner>");
    let (app, name) = (&call.app, &call.name);
    match call.action {
        CreatorAction::ViewRecords => format!("GET {base}/{owner}/{app}/report/{name}"),
        CreatorAction::AddRecord => format!("POST {base}/{owner}/{app}/form/{name}"),
        CreatorAction::UpdateRecords => format!("PATCH {base}/{owner}/{app}/report/<report of {name}>"),
        CreatorAction::DeleteRecords => format!("DELETE {base}/{owner}/{app}/report/<report of {name}>"),
        CreatorAction::XmlWrite => format!("POST {base}/{owner}/<app>/form/<form>"),
    }
}

/// The `zoho.creator.*` task replacing a v1 call.
fn creator_task(call: &CreatorCall) -> Option<String> {
    let (app, name) = (&call.app, &call.name);
    Some(match call.action {
        CreatorAction::ViewRecords => {
            format!("zoho.creator.getRecords(owner, \"{app}\", \"{name}\", criteria, 1, 200, connection)")
        }
        CreatorAction::AddRecord => {
            format!("zoho.creator.createRecord(owner, \"{app}\", \"{name}\", values, Map(), connection)")
        }
        CreatorAction::UpdateRecords => {
            format!("zoho.creator.updateRecords(owner, \"{app}\", report, criteria, values, Map(), connection)")
        }
        CreatorAction::DeleteRecords => {
            format!("zoho.creator.deleteRecords(owner, \"{app}\", report, criteria, Map(), connection)")
        }
        CreatorAction::XmlWrite => "zoho.creator.createRecord(owner, app, form, values, Map(), connection)".to_owned(),
    })
}

/// The v2 API name of a module v1 named otherwise: `Potentials` became `Deals`. Other
/// standard modules kept their names; a custom module's v1 name (`CustomModule1`) is also
/// its default API name.
pub fn v2_module_name(v1: &str) -> &str {
    if v1.eq_ignore_ascii_case("potentials") {
        "Deals"
    } else {
        v1
    }
}

/// CRM v1 `Module/method` to its v2 method and URL (reference §5.6).
fn crm_replacement(module: Option<&str>, method: Option<&str>, tld: &str) -> String {
    let module = module.filter(|m| !m.is_empty()).unwrap_or("<Module>");
    let base = format!("https://www.zohoapis.{tld}/crm/v2");
    let method = method.unwrap_or("").to_ascii_lowercase();
    match method.as_str() {
        "getusers" => format!("GET {base}/users"),
        "getrecordbyid" => format!("GET {base}/{module}/{{id}}"),
        "searchrecords" | "getsearchrecords" | "getsearchrecordsbypdc" => format!("GET {base}/{module}/search"),
        "insertrecords" => format!("POST {base}/{module}"),
        "updaterecords" => format!("PUT {base}/{module}/{{id}}"),
        "deleterecords" => format!("DELETE {base}/{module}/{{id}}"),
        "getrelatedrecords" => format!("GET {base}/<Parent>/{{id}}/{module}"),
        "updaterelatedrecords" => format!("PUT {base}/{module}/{{id}}/<Related list>/{{related id}}"),
        "convertlead" => format!("POST {base}/Leads/{{id}}/actions/convert"),
        "uploadfile" => format!("POST {base}/{module}/{{id}}/Attachments"),
        "downloadfile" => format!("GET {base}/{module}/{{record id}}/Attachments/{{id}}"),
        _ => format!("GET {base}/{module}"),
    }
}

/// The `zoho.crm.*` integration task for a v1 method (reference §2.4).
fn crm_task(module: Option<&str>, method: Option<&str>) -> Option<String> {
    let module = module.filter(|m| !m.is_empty()).unwrap_or("<Module>");
    let task = match method?.to_ascii_lowercase().as_str() {
        "getrecordbyid" => format!("zoho.crm.getRecordById(\"{module}\", id)"),
        "getrecords" => format!("zoho.crm.getRecords(\"{module}\")"),
        "searchrecords" | "getsearchrecords" | "getsearchrecordsbypdc" => {
            format!("zoho.crm.searchRecords(\"{module}\", criteria)")
        }
        "insertrecords" => format!("zoho.crm.createRecord(\"{module}\", record)"),
        "updaterecords" => format!("zoho.crm.updateRecord(\"{module}\", id, record)"),
        "getrelatedrecords" => format!("zoho.crm.getRelatedRecords(\"{module}\", \"<Parent>\", id)"),
        "updaterelatedrecords" => {
            format!("zoho.crm.updateRelatedRecord(\"<Related list>\", relatedId, \"{module}\", id, values)")
        }
        "convertlead" => "zoho.crm.convertLead(leadId, values)".to_owned(),
        "uploadfile" => format!("zoho.crm.attachFile(\"{module}\", id, file)"),
        _ => return None,
    };
    Some(task)
}

fn tld(dc: Option<DataCentre>) -> &'static str {
    match dc {
        None | Some(DataCentre::Us) => "com",
        Some(DataCentre::Eu) => "eu",
        Some(DataCentre::In) => "in",
        Some(DataCentre::Au) => "com.au",
        Some(DataCentre::Jp) => "jp",
        Some(DataCentre::Cn) => "com.cn",
        Some(DataCentre::Ca) => "ca",
        Some(DataCentre::Sa) => "sa",
        Some(DataCentre::Uk) => "uk",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replacement(url: &str, dc: Option<DataCentre>) -> Option<String> {
        legacy_endpoint(url, dc).map(|e| e.replacement)
    }

    #[test]
    fn maps_crm_v1_methods_to_v2() {
        assert_eq!(
            replacement(
                "https://crm.zoho.eu/crm/private/json/Leads/getRecordById?authtoken=",
                Some(DataCentre::Eu)
            ),
            Some("GET https://www.zohoapis.eu/crm/v2/Leads/{id}".into())
        );
        assert_eq!(
            replacement(
                "https://crm.zoho.com/crm/private/xml/Deals/insertRecords",
                Some(DataCentre::Us)
            ),
            Some("POST https://www.zohoapis.com/crm/v2/Deals".into())
        );
    }

    #[test]
    fn potentials_are_deals_in_v2() {
        let endpoint = legacy_endpoint(
            "https://crm.zoho.in/crm/private/json/Potentials/getRecordById?id=",
            Some(DataCentre::In),
        )
        .unwrap();
        assert_eq!(endpoint.replacement, "GET https://www.zohoapis.in/crm/v2/Deals/{id}");
        assert_eq!(endpoint.task.as_deref(), Some("zoho.crm.getRecordById(\"Deals\", id)"));
        assert_eq!(v2_module_name("Leads"), "Leads");
    }

    #[test]
    fn crm_methods_name_their_integration_task() {
        let endpoint = legacy_endpoint("https://crm.zoho.com/crm/private/json/Leads/getRecordById?", None).unwrap();
        assert_eq!(endpoint.task.as_deref(), Some("zoho.crm.getRecordById(\"Leads\", id)"));
        assert_eq!(endpoint.replacement_url(), "https://www.zohoapis.com/crm/v2/Leads/{id}");
        let users = legacy_endpoint("https://crm.zoho.com/crm/private/json/Users/getUsers", None).unwrap();
        assert_eq!(users.task, None);
    }

    #[test]
    fn knows_creator_projects_and_recruit_v1() {
        assert!(replacement("https://creator.zoho.com/api/xml/write", None).is_some());
        assert!(
            replacement(
                "https://creator.zoho.com/api/acme/json/shop/form/Order/record/add/",
                None
            )
            .is_some()
        );
        assert!(replacement("https://projectsapi.zoho.com/api/private/json/projects?", None).is_some());
        assert!(
            replacement(
                "https://recruit.zoho.com/recruit/private/json/Candidates/getRecords",
                None
            )
            .is_some()
        );
    }

    #[test]
    fn current_endpoints_are_not_legacy() {
        for url in [
            "https://www.zohoapis.com/crm/v2/Leads",
            "https://books.zoho.com/api/v3/invoices",
            "https://creator.zoho.com/api/v2/acme/shop/report/Orders",
            "https://desk.zoho.com/api/v1/tickets",
        ] {
            assert_eq!(replacement(url, None), None, "{url}");
        }
    }
}
