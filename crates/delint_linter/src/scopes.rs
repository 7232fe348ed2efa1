//! The OAuth scopes a connection needs, from the endpoints its calls use.
//!
//! A scope is `Service.scope.OPERATION` (Zoho's own syntax: `ZohoCRM.modules.leads.READ`,
//! `ZohoBooks.invoices.CREATE`, `Desk.tickets.UPDATE`). Each product divides its API into
//! scope names by resource, and a token without the right one is answered with
//! `OAUTH_SCOPE_MISMATCH`: so the scopes are worked out per call, from the URL's path and
//! the request method, and a connection gets the union of its calls'. Where the path is not
//! known (a URL built from variables), the service's broad default list is used.

use std::borrow::Cow;

use crate::services::Service;

/// The scopes one call needs. `url` is the literal text the URL starts with, `whole` whether
/// that literal is all of the URL (else its last segment may continue in what follows);
/// `method` the upper-case request method, when known.
pub fn scopes_for(service: Service, url: &str, whole: bool, method: Option<&str>) -> Vec<Cow<'static, str>> {
    let path = lower_case_path(url, whole);
    // No scope family looks deeper than a few segments.
    let mut first_segments = [""; 8];
    let mut depth = 0;
    for (slot, segment) in first_segments.iter_mut().zip(path.split('/').filter(|s| !s.is_empty())) {
        *slot = segment;
        depth += 1;
    }
    let segments = &first_segments[..depth];
    let found = (|| match service {
        Service::Crm => crm_like("ZohoCRM", CRM_MODULES, strip_version(segments, "crm")?, method),
        Service::Bigin => crm_like("ZohoBigin", BIGIN_MODULES, strip_version(segments, "bigin")?, method),
        Service::Books | Service::Invoice | Service::Inventory | Service::Subscriptions => {
            finance(service, segments, method)
        }
        Service::Desk => desk(segments, method),
        Service::Creator => creator(segments, method),
        _ => None,
    })();
    found.unwrap_or_else(|| service.scopes().iter().map(|s| Cow::Borrowed(*s)).collect())
}

/// The lower-case path of a URL's literal start, without host and query, as one string to
/// split on `/`. A segment cut off by the end of the literal (`.../crm/v2/` + module) is
/// left out.
fn lower_case_path(url: &str, whole: bool) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let Some(path_start) = url[after_scheme..].find('/') else {
        return String::new();
    };
    let path = &url[after_scheme + path_start..];
    let (mut path, complete) = match path.find(['?', '#']) {
        Some(end) => (&path[..end], true),
        None => (path, false),
    };
    // `/crm/v2/Leads` + id: the last segment is whole only when something follows it.
    if !complete && !whole && !path.ends_with('/') {
        path = path.rfind('/').map_or("", |last| &path[..last]);
    }
    path.to_ascii_lowercase()
}

/// A CRM-shaped path: `/<api>/<version>/<rest>`, or a bulk job under `/<api>/bulk/<version>`.
enum CrmPath<'s> {
    Bulk,
    Rest(&'s [&'s str]),
}

/// Where `/<api>/[bulk/]<version>/` ends; `None` when the path is not of that shape.
fn strip_version<'s>(segments: &'s [&'s str], api: &str) -> Option<CrmPath<'s>> {
    match segments {
        [first, "bulk", version, ..] if *first == api && is_version(version) => Some(CrmPath::Bulk),
        [first, version, rest @ ..] if *first == api && is_version(version) => Some(CrmPath::Rest(rest)),
        _ => None,
    }
}

fn is_version(segment: &str) -> bool {
    segment
        .strip_prefix('v')
        .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

/// `READ` for GET, `CREATE` for POST, `UPDATE` for PUT/PATCH, `DELETE`; `ALL` when unknown.
fn operation(method: Option<&str>) -> &'static str {
    match method {
        Some("GET" | "HEAD") => "READ",
        Some("POST") => "CREATE",
        Some("PUT" | "PATCH") => "UPDATE",
        Some("DELETE") => "DELETE",
        _ => "ALL",
    }
}

/// `READ` for GET, else `ALL`: for resources whose writes Zoho scopes only as `ALL`.
fn read_or_all(method: Option<&str>) -> &'static str {
    if matches!(method, Some("GET" | "HEAD")) {
        "READ"
    } else {
        "ALL"
    }
}

/// `service.name.OPERATION`, built in one allocation (this runs for every call that names
/// a connection).
fn scope(service: &str, name: &str, operation: &str) -> Cow<'static, str> {
    Cow::Owned([service, ".", name, ".", operation].concat())
}

/// CRM's module records in its standard modules (Zoho scopes each one by name).
const CRM_MODULES: &[&str] = &[
    "leads",
    "accounts",
    "contacts",
    "deals",
    "campaigns",
    "tasks",
    "cases",
    "events",
    "calls",
    "solutions",
    "products",
    "vendors",
    "pricebooks",
    "quotes",
    "salesorders",
    "purchaseorders",
    "invoices",
    "notes",
    "activities",
];

/// Bigin's standard modules.
const BIGIN_MODULES: &[&str] = &[
    "pipelines",
    "contacts",
    "accounts",
    "products",
    "tasks",
    "events",
    "calls",
    "notes",
];

/// CRM and Bigin share the scope families: users, org, settings, COQL, bulk, modules.
fn crm_like(prefix: &str, modules: &[&str], path: CrmPath, method: Option<&str>) -> Option<Vec<Cow<'static, str>>> {
    let rest = match path {
        CrmPath::Bulk => return Some(vec![scope(prefix, "bulk", "ALL"), scope(prefix, "modules", "ALL")]),
        CrmPath::Rest(rest) => rest,
    };
    let scopes = match rest {
        [] => return None,
        ["users", ..] => vec![scope(prefix, "users", read_or_all(method))],
        ["org", ..] => vec![scope(prefix, "org", read_or_all(method))],
        ["settings", ..] => vec![scope(prefix, "settings", read_or_all(method))],
        ["coql", ..] => vec![scope(prefix, "coql", "READ"), scope(prefix, "modules", "READ")],
        // `/<Parent>/{id}/Contacts`, a related list of a parent the URL does not name.
        [parent, _, related, ..] if parent.starts_with('<') => {
            return crm_like(prefix, modules, CrmPath::Rest(&[related]), method);
        }
        [module, rest @ ..] => {
            let operation = match rest {
                // `POST /Leads/upsert` creates or updates; `/actions/...` do either.
                ["upsert", ..] | ["actions", ..] => "ALL",
                ["search", ..] => "READ",
                _ => operation(method),
            };
            let name = if modules.contains(module) {
                ["modules.", module].concat()
            } else {
                "modules.custom".to_owned()
            };
            vec![scope(prefix, &name, operation)]
        }
    };
    Some(scopes)
}

/// Books, Invoice, Inventory and Billing scope by entity: `ZohoBooks.invoices.CREATE`.
fn finance(service: Service, segments: &[&str], method: Option<&str>) -> Option<Vec<Cow<'static, str>>> {
    let prefix = match service {
        Service::Books => "ZohoBooks",
        Service::Invoice => "ZohoInvoice",
        Service::Inventory => "ZohoInventory",
        _ => "ZohoSubscriptions",
    };
    // `/api/v3/invoices` on the product's host, `/books/v3/invoices` on zohoapis.
    let entity = match segments {
        [_, version, entity, ..] if is_version(version) => *entity,
        _ => return None,
    };
    let name = match entity {
        "invoices" | "recurringinvoices" | "retainerinvoices" => "invoices",
        "contacts" | "customers" => match service {
            Service::Subscriptions => "customers",
            _ => "contacts",
        },
        "estimates" | "quotes" => "estimates",
        "customerpayments" | "payments" => match service {
            Service::Subscriptions => "payments",
            _ => "customerpayments",
        },
        "creditnotes" => "creditnotes",
        "salesorders" => "salesorders",
        "purchaseorders" => "purchaseorders",
        "bills" | "recurringbills" => "bills",
        "vendorcredits" => "debitnotes",
        "vendorpayments" => "vendorpayments",
        "expenses" | "recurringexpenses" | "employees" => "expenses",
        "projects" | "timeentries" => "projects",
        "bankaccounts" | "banktransactions" | "bankstatements" | "bankrules" => "banking",
        "chartofaccounts" | "journals" | "basecurrencyadjustment" => "accountants",
        "subscriptions" => "subscriptions",
        "plans" => "plans",
        "products" => "products",
        "addons" => "addons",
        "coupons" => "coupons",
        "hostedpages" => "hostedpages",
        "items" | "compositeitems" | "itemgroups" if service == Service::Inventory => "items",
        "packages" | "shipmentorders" | "salesreturns" if service == Service::Inventory => "salesorders",
        _ => "settings",
    };
    Some(vec![scope(prefix, name, operation(method))])
}

/// Desk scopes by resource: `Desk.tickets.UPDATE`, `Desk.contacts.READ`, `Desk.basic.READ`.
fn desk(segments: &[&str], method: Option<&str>) -> Option<Vec<Cow<'static, str>>> {
    let resource = match segments {
        ["api", version, resource, ..] if is_version(version) => *resource,
        _ => return None,
    };
    let operation = match method {
        Some("POST") => "CREATE",
        Some("PATCH" | "PUT") => "UPDATE",
        other => operation(other),
    };
    let scope = match resource {
        "tickets" | "threads" | "comments" | "ticketsbycontact" => scope("Desk", "tickets", operation),
        "contacts" | "accounts" => scope("Desk", "contacts", operation),
        "tasks" | "calls" | "events" | "activities" => scope("Desk", "activities", operation),
        "products" => scope("Desk", "products", operation),
        "articles" | "kbrootcategories" => scope("Desk", "articles", operation),
        "search" | "tickets/search" => scope("Desk", "search", "READ"),
        "organizations" | "departments" | "agents" | "myinfo" | "teams" => scope("Desk", "basic", "READ"),
        _ => scope("Desk", "settings", operation),
    };
    Some(vec![scope])
}

/// Creator v2/v2.1: reports are read, updated and deleted; forms are added to.
fn creator(segments: &[&str], method: Option<&str>) -> Option<Vec<Cow<'static, str>>> {
    let after_app = match segments {
        ["api", "v2", "applications", ..] | ["api", "v2", "meta", ..] => {
            return Some(vec![scope("ZohoCreator", "meta.application", "READ")]);
        }
        ["api", version, _owner, _app, rest @ ..] if is_version(version) => rest,
        ["creator", version, "data", _owner, _app, rest @ ..] if is_version(version) => rest,
        ["creator", version, "meta", ..] if is_version(version) => {
            return Some(vec![scope("ZohoCreator", "meta.form", "READ")]);
        }
        _ => return None,
    };
    let scope = match after_app {
        ["form", _, "fields", ..] => scope("ZohoCreator", "meta.form", "READ"),
        ["form", ..] => scope("ZohoCreator", "form", "CREATE"),
        ["report", ..] => match method {
            Some("POST") => scope("ZohoCreator", "report", "CREATE"),
            other => scope("ZohoCreator", "report", operation(other)),
        },
        _ => return None,
    };
    Some(vec![scope])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(service: Service, url: &str, method: &str) -> Vec<String> {
        scopes_for(service, url, false, Some(method))
            .into_iter()
            .map(Cow::into_owned)
            .collect()
    }

    #[test]
    fn crm_scopes_follow_the_endpoint_family_and_method() {
        assert_eq!(
            scopes(Service::Crm, "https://www.zohoapis.com/crm/v2/Leads?page=1", "GET"),
            ["ZohoCRM.modules.leads.READ"]
        );
        assert_eq!(
            scopes(Service::Crm, "https://www.zohoapis.com/crm/v6/Deals/", "PUT"),
            ["ZohoCRM.modules.deals.UPDATE"]
        );
        assert_eq!(
            scopes(
                Service::Crm,
                "https://www.zohoapis.com/crm/v2/users?type=ActiveUsers",
                "GET"
            ),
            ["ZohoCRM.users.READ"]
        );
        assert_eq!(
            scopes(Service::Crm, "https://www.zohoapis.eu/crm/v2/org?", "GET"),
            ["ZohoCRM.org.READ"]
        );
        assert_eq!(
            scopes(
                Service::Crm,
                "https://www.zohoapis.com/crm/v3/settings/fields?module=Leads",
                "GET"
            ),
            ["ZohoCRM.settings.READ"]
        );
        assert_eq!(
            scopes(Service::Crm, "https://www.zohoapis.com/crm/v7/coql?", "POST"),
            ["ZohoCRM.coql.READ", "ZohoCRM.modules.READ"]
        );
        assert_eq!(
            scopes(Service::Crm, "https://www.zohoapis.com/crm/bulk/v2/read?", "POST"),
            ["ZohoCRM.bulk.ALL", "ZohoCRM.modules.ALL"]
        );
        assert_eq!(
            scopes(Service::Crm, "https://www.zohoapis.com/crm/v2/Invoice_Items_X?", "POST"),
            ["ZohoCRM.modules.custom.CREATE"]
        );
    }

    #[test]
    fn a_module_cut_off_by_concatenation_falls_back_to_the_broad_list() {
        assert_eq!(
            scopes(Service::Crm, "https://www.zohoapis.com/crm/v2/", "GET"),
            Service::Crm.scopes()
        );
        assert_eq!(
            scopes(Service::Crm, "https://www.zohoapis.com/crm/v2/Lea", "GET"),
            Service::Crm.scopes()
        );
    }

    #[test]
    fn a_whole_literal_url_names_its_last_segment() {
        let whole = scopes_for(
            Service::Crm,
            "https://www.zohoapis.com/crm/v2/Leads",
            true,
            Some("POST"),
        );
        assert_eq!(whole, ["ZohoCRM.modules.leads.CREATE"]);
    }

    #[test]
    fn finance_scopes_are_per_entity() {
        assert_eq!(
            scopes(
                Service::Books,
                "https://books.zoho.com/api/v3/contacts?organization_id=1",
                "POST"
            ),
            ["ZohoBooks.contacts.CREATE"]
        );
        assert_eq!(
            scopes(Service::Books, "https://www.zohoapis.com/books/v3/invoices/", "GET"),
            ["ZohoBooks.invoices.READ"]
        );
        assert_eq!(
            scopes(
                Service::Subscriptions,
                "https://www.zohoapis.com/billing/v1/subscriptions?",
                "GET"
            ),
            ["ZohoSubscriptions.subscriptions.READ"]
        );
        assert_eq!(
            scopes(Service::Inventory, "https://inventory.zoho.com/api/v1/items?", "PUT"),
            ["ZohoInventory.items.UPDATE"]
        );
    }

    #[test]
    fn desk_creator_and_bigin_scopes() {
        assert_eq!(
            scopes(Service::Desk, "https://desk.zoho.com/api/v1/tickets?", "PATCH"),
            ["Desk.tickets.UPDATE"]
        );
        assert_eq!(
            scopes(Service::Desk, "https://desk.zoho.com/api/v1/departments?", "GET"),
            ["Desk.basic.READ"]
        );
        assert_eq!(
            scopes(
                Service::Creator,
                "https://creator.zoho.com/api/v2/acme/shop/report/All_Orders?",
                "GET"
            ),
            ["ZohoCreator.report.READ"]
        );
        assert_eq!(
            scopes(
                Service::Creator,
                "https://www.zohoapis.com/creator/v2.1/data/acme/shop/form/Order?",
                "POST"
            ),
            ["ZohoCreator.form.CREATE"]
        );
        assert_eq!(
            scopes(Service::Bigin, "https://www.zohoapis.com/bigin/v2/Pipelines?", "GET"),
            ["ZohoBigin.modules.pipelines.READ"]
        );
    }
}
