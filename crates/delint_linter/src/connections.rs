//! OAuth connections: which link name a fix writes, and the list of connections a client
//! must have in their org before the fixed code runs.
//!
//! A fix reuses the link name the code already uses for the service (in the same function
//! first, then anywhere in the file), then the one `delint.toml` names, then delint's
//! default (`zohocrm`). Placeholders pasted from samples (`<connection_name>`,
//! `INSERT YOUR CONNECTION NAME HERE`, `yourConnectionName`) are never reused: they are
//! listed as placeholders to replace.

use std::collections::BTreeSet;

use deluge_syntax::TextRange;

use crate::services::Service;

/// Where the link name a fix writes comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkNameOrigin {
    /// Another call of the same function already uses it.
    SameFunction,
    /// Another call of the same file already uses it.
    SameFile,
    /// `delint.toml` names it in `[connections]`.
    Configured,
    /// delint's default for the service; the connection may not exist yet.
    Default,
}

/// The link name a fix writes for one call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChosenConnection {
    /// The link name.
    pub name: String,
    /// Why this one.
    pub origin: LinkNameOrigin,
}

/// The link names a file's calls already use, per service, with the function of each.
#[derive(Debug, Default)]
pub struct LinkNamesInUse<'s> {
    /// (service, link name, the range of the function holding the call).
    uses: Vec<(Service, &'s str, TextRange)>,
}

impl<'s> LinkNamesInUse<'s> {
    /// Records that a call inside `function` names `name` for `service`; placeholders
    /// are not recorded (they are never reused).
    pub fn record(&mut self, service: Service, name: &'s str, function: TextRange) {
        if !is_placeholder(name) {
            self.uses.push((service, name, function));
        }
    }

    /// The link name for a call to `service` inside `function`: one in use there, else one
    /// in use in the file, else `configured` (`delint.toml`'s, or the service's default).
    pub fn choose(
        &self,
        service: Service,
        function: TextRange,
        configured: impl FnOnce(Service) -> ConnectionName,
    ) -> ChosenConnection {
        let used = |same_function: bool| {
            self.uses
                .iter()
                .find(|(s, _, f)| *s == service && (!same_function || *f == function))
                .map(|(_, name, _)| (*name).to_owned())
        };
        if let Some(name) = used(true) {
            return ChosenConnection {
                name,
                origin: LinkNameOrigin::SameFunction,
            };
        }
        if let Some(name) = used(false) {
            return ChosenConnection {
                name,
                origin: LinkNameOrigin::SameFile,
            };
        }
        match configured(service) {
            ConnectionName::Configured(name) => ChosenConnection {
                name,
                origin: LinkNameOrigin::Configured,
            },
            ConnectionName::Default(name) => ChosenConnection {
                name,
                origin: LinkNameOrigin::Default,
            },
        }
    }
}

/// Where a call's connection name comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectionName {
    /// Configured in `[connections]`: the connection is known to exist.
    Configured(String),
    /// delint's default for the service (`zohocrm`); it may not exist yet.
    Default(String),
}

impl ConnectionName {
    /// The link name.
    pub fn as_str(&self) -> &str {
        match self {
            ConnectionName::Configured(name) | ConnectionName::Default(name) => name,
        }
    }
}

/// Whether a link name is a sample's placeholder rather than a real connection: Zoho link
/// names are lower-case letters, digits and `_`, so `<connection_name>`, `Your Connection`
/// and `yourConnectionName` cannot be one; nor can the words samples use for one.
pub fn is_placeholder(name: &str) -> bool {
    let valid = !name.is_empty()
        && name.len() <= 50
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    // Names are short: a window scan beats building a substring searcher.
    let says = |word: &[u8]| name.as_bytes().windows(word.len()).any(|w| w == word);
    !valid
        || says(b"your")
        || says(b"insert")
        || matches!(
            name,
            "connection" | "connection_name" | "connectionname" | "link_name" | "linkname" | "xxx" | "xxxx"
        )
}

/// What the client must do about one listed connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConnectionStatus {
    /// The code already names it: check it exists in the org (with the scopes listed).
    Referenced,
    /// A fix introduces it: create it.
    ToCreate,
    /// The code names a placeholder: replace it with a real link name.
    Placeholder,
}

impl ConnectionStatus {
    /// The words for reports: "referenced: check it exists in the org".
    pub fn describe(self) -> &'static str {
        match self {
            ConnectionStatus::Referenced => "referenced: check it exists in the org",
            ConnectionStatus::ToCreate => "to create",
            ConnectionStatus::Placeholder => "placeholder: replace it with a real link name",
        }
    }

    /// A short machine name: `referenced`, `to-create`, `placeholder`.
    pub fn key(self) -> &'static str {
        match self {
            ConnectionStatus::Referenced => "referenced",
            ConnectionStatus::ToCreate => "to-create",
            ConnectionStatus::Placeholder => "placeholder",
        }
    }
}

/// A need of a connection: its link name, the service called and the scopes the
/// endpoint needs, with the calls that have it. Two needs are the same need whatever their
/// calls (equality and order ignore `calls`), so a set of them is a set of needs;
/// [`merge`] gathers the calls of equal needs.
#[derive(Clone, Debug)]
pub struct NeededConnection {
    /// The link name.
    pub name: String,
    /// The service called.
    pub service: Service,
    /// Whether the code names it, a fix adds it, or it is a placeholder.
    pub status: ConnectionStatus,
    /// The scopes the call's endpoint needs.
    pub scopes: Vec<String>,
    /// The calls that need it, so reports can name the connection beside each call.
    pub calls: Vec<TextRange>,
}

impl NeededConnection {
    fn key(&self) -> (&str, Service, ConnectionStatus, &[String]) {
        (&self.name, self.service, self.status, &self.scopes)
    }
}

impl PartialEq for NeededConnection {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for NeededConnection {}

impl Ord for NeededConnection {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for NeededConnection {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Sorts `needs` and merges equal ones, keeping every call of each, in source order.
pub fn merge(needs: &mut Vec<NeededConnection>) {
    needs.sort();
    needs.dedup_by(|later, kept| {
        let same = later == kept;
        if same {
            kept.calls.append(&mut later.calls);
        }
        same
    });
    for need in needs {
        need.calls.sort_by_key(|call| (call.start(), call.end()));
    }
}

/// One connection of the list handed to a client: one link name, whatever services it
/// serves, with the union of its calls' scopes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection {
    /// The link name.
    pub name: String,
    /// The services its calls reach.
    pub services: BTreeSet<Service>,
    /// What to do about it. A name the code references is "referenced" even where a fix
    /// adds more calls to it; a placeholder stays a placeholder.
    pub status: ConnectionStatus,
    /// Every scope its calls need, sorted.
    pub scopes: BTreeSet<String>,
}

impl Connection {
    /// "Zoho CRM, Zoho Books".
    pub fn service_names(&self) -> String {
        self.services
            .iter()
            .map(|s| s.display_name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The connections to list, one per link name, sorted by name.
pub fn summarise<'n>(needs: impl IntoIterator<Item = &'n NeededConnection>) -> Vec<Connection> {
    let mut list: Vec<Connection> = Vec::new();
    for need in needs {
        let at = match list.iter().position(|c| c.name == need.name) {
            Some(at) => at,
            None => {
                list.push(Connection {
                    name: need.name.clone(),
                    services: BTreeSet::new(),
                    status: need.status,
                    scopes: BTreeSet::new(),
                });
                list.len() - 1
            }
        };
        let connection = &mut list[at];
        connection.services.insert(need.service);
        connection.scopes.extend(need.scopes.iter().cloned());
        connection.status = match (connection.status, need.status) {
            (ConnectionStatus::Placeholder, _) | (_, ConnectionStatus::Placeholder) => ConnectionStatus::Placeholder,
            (ConnectionStatus::Referenced, _) | (_, ConnectionStatus::Referenced) => ConnectionStatus::Referenced,
            _ => ConnectionStatus::ToCreate,
        };
    }
    list.sort_by(|a, b| a.name.cmp(&b.name));
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_placeholders_are_not_link_names() {
        for placeholder in [
            "<connection_name>",
            "INSERT YOUR CONNECTION NAME HERE",
            "yourConnectionName",
            "your_connection",
            "connection_name",
            "",
        ] {
            assert!(is_placeholder(placeholder), "{placeholder}");
        }
        for real in ["zcrm", "zoho_books_1", "crm_connection", "zohodesk"] {
            assert!(!is_placeholder(real), "{real}");
        }
    }

    #[test]
    fn the_same_function_wins_over_the_file_and_the_file_over_the_configuration() {
        let (first, second) = (
            TextRange::new(0.into(), 10.into()),
            TextRange::new(20.into(), 30.into()),
        );
        let mut names = LinkNamesInUse::default();
        names.record(Service::Crm, "crm_file", first);
        names.record(Service::Crm, "crm_here", second);
        names.record(Service::Books, "<connection_name>", second);
        let configured = |service| match service {
            Service::Crm => ConnectionName::Configured("zcrm".to_owned()),
            Service::Books => ConnectionName::Configured("zbooks".to_owned()),
            other => ConnectionName::Default(other.default_connection()),
        };
        let here = names.choose(Service::Crm, second, configured);
        assert_eq!(
            (here.name.as_str(), here.origin),
            ("crm_here", LinkNameOrigin::SameFunction)
        );
        let elsewhere = names.choose(Service::Crm, TextRange::new(40.into(), 50.into()), configured);
        assert_eq!(
            (elsewhere.name.as_str(), elsewhere.origin),
            ("crm_file", LinkNameOrigin::SameFile)
        );
        let books = names.choose(Service::Books, second, configured);
        assert_eq!(
            (books.name.as_str(), books.origin),
            ("zbooks", LinkNameOrigin::Configured)
        );
        let desk = names.choose(Service::Desk, second, configured);
        assert_eq!((desk.name.as_str(), desk.origin), ("zohodesk", LinkNameOrigin::Default));
    }

    #[test]
    fn equal_needs_merge_and_keep_every_call() {
        let need = |name: &str, call: u32| NeededConnection {
            name: name.to_owned(),
            service: Service::Crm,
            status: ConnectionStatus::ToCreate,
            scopes: vec!["ZohoCRM.modules.leads.READ".to_owned()],
            calls: vec![TextRange::new(call.into(), (call + 5).into())],
        };
        let mut needs = vec![need("zohocrm", 40), need("crm_conn", 10), need("zohocrm", 0)];
        merge(&mut needs);
        let merged: Vec<(&str, Vec<u32>)> = needs
            .iter()
            .map(|n| (n.name.as_str(), n.calls.iter().map(|c| u32::from(c.start())).collect()))
            .collect();
        assert_eq!(merged, [("crm_conn", vec![10]), ("zohocrm", vec![0, 40])]);
    }

    #[test]
    fn one_link_name_is_one_connection_whatever_it_serves() {
        let need = |name: &str, service, status, scope: &str| NeededConnection {
            name: name.to_owned(),
            service,
            status,
            scopes: vec![scope.to_owned()],
            calls: Vec::new(),
        };
        let list = summarise(&[
            need(
                "zoho_all",
                Service::Crm,
                ConnectionStatus::ToCreate,
                "ZohoCRM.modules.leads.READ",
            ),
            need(
                "zoho_all",
                Service::Books,
                ConnectionStatus::Referenced,
                "ZohoBooks.invoices.READ",
            ),
            need("<x>", Service::Desk, ConnectionStatus::Placeholder, "Desk.tickets.READ"),
        ]);
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].name, "zoho_all");
        assert_eq!(list[1].status, ConnectionStatus::Referenced);
        assert_eq!(list[1].service_names(), "Zoho CRM, Zoho Books");
        assert_eq!(list[1].scopes.len(), 2);
        assert_eq!(list[0].status, ConnectionStatus::Placeholder);
    }
}
