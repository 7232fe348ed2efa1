//! What one file is linted with: the rules that run and the connection names fixes use.
//! Reading `delint.toml` and deciding which settings apply to which file is
//! `delint_workspace`'s job.

use std::collections::BTreeMap;

use crate::connections::ConnectionName;
use crate::rule_selection::RuleSet;
use crate::services::Service;

/// The linter's settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// The rules that report.
    pub rules: RuleSet,
    /// Connection link names configured per service.
    pub connections: BTreeMap<Service, String>,
}

impl Settings {
    /// The connection to use for `service`.
    pub fn connection_for(&self, service: Service) -> ConnectionName {
        match self.connections.get(&service) {
            Some(name) => ConnectionName::Configured(name.clone()),
            None => ConnectionName::Default(service.default_connection()),
        }
    }
}

/// Checks one `[connections]` entry: a known service key and a valid link name.
pub fn parse_connection(key: &str, name: &str) -> Result<Service, String> {
    let service = Service::from_key(key).ok_or_else(|| {
        let known: Vec<&str> = Service::ALL.iter().map(|s| s.key()).collect();
        format!("unknown service `{key}` (expected one of: {})", known.join(", "))
    })?;
    if !is_link_name(name) {
        return Err(format!(
            "`{name}` is not a connection link name (expected lower-case letters, digits and `_`, at most 50)"
        ));
    }
    Ok(service)
}

/// Zoho's rule for link names (reference §6.1).
fn is_link_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 50
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_connections_win_over_defaults() {
        let settings = Settings {
            connections: BTreeMap::from([(Service::Crm, "zcrm".to_owned())]),
            ..Settings::default()
        };
        assert_eq!(
            settings.connection_for(Service::Crm),
            ConnectionName::Configured("zcrm".into())
        );
        assert_eq!(
            settings.connection_for(Service::Desk),
            ConnectionName::Default("zohodesk".into())
        );
    }

    #[test]
    fn rejects_unknown_services_and_bad_names_with_a_reason() {
        assert_eq!(parse_connection("books", "zoho_books_1"), Ok(Service::Books));
        let error = parse_connection("crn", "zcrm").unwrap_err();
        assert!(error.contains("unknown service `crn`"), "{error}");
        let error = parse_connection("crm", "Zoho CRM").unwrap_err();
        assert!(error.contains("not a connection link name"), "{error}");
    }
}
