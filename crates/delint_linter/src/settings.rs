//! What a run is configured with: `delint.toml`, parsed from text (finding the file is the
//! binary's job).
//!
//! ```toml
//! [connections]
//! crm = "zcrm"
//! books = "zbooks"
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::services::Service;

/// The linter's settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// Connection link names configured per service.
    pub connections: BTreeMap<Service, String>,
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    connections: BTreeMap<String, String>,
}

impl Settings {
    /// Parses `delint.toml` text. The error names the line and column.
    pub fn from_toml(text: &str) -> Result<Settings, String> {
        let file: File = toml::from_str(text).map_err(|error| error.to_string())?;
        let mut connections = BTreeMap::new();
        for (key, name) in file.connections {
            let service = Service::from_key(&key).ok_or_else(|| {
                let known: Vec<&str> = Service::ALL.iter().map(|s| s.key()).collect();
                format!("[connections]: unknown service `{key}` (known: {})", known.join(", "))
            })?;
            if !is_link_name(&name) {
                return Err(format!(
                    "[connections]: `{name}` is not a connection link name (lower-case letters, digits and `_`, at most 50)"
                ));
            }
            connections.insert(service, name);
        }
        Ok(Settings { connections })
    }

    /// The connection to use for `service`.
    pub fn connection_for(&self, service: Service) -> ConnectionName {
        match self.connections.get(&service) {
            Some(name) => ConnectionName::Configured(name.clone()),
            None => ConnectionName::Default(service.default_connection()),
        }
    }
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
    fn reads_connections_per_service() {
        let settings = Settings::from_toml("[connections]\ncrm = \"zcrm\"\nbooks = \"zoho_books_conn\"\n").unwrap();
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
        let error = Settings::from_toml("[connections]\ncrn = \"zcrm\"\n").unwrap_err();
        assert!(error.contains("unknown service `crn`"), "{error}");
        let error = Settings::from_toml("[connections]\ncrm = \"Zoho CRM\"\n").unwrap_err();
        assert!(error.contains("not a connection link name"), "{error}");
        let error = Settings::from_toml("[connection]\ncrm = \"zcrm\"\n").unwrap_err();
        assert!(error.contains("line 1"), "{error}");
    }
}
