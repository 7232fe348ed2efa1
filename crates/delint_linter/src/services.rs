//! Which Zoho service and data centre a URL targets (reference §5.5, §6.3), and what a
//! connection for that service needs.

/// A Zoho service reachable over HTTP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    /// Zoho CRM.
    Crm,
    /// Bigin, Zoho's pipeline CRM: its own API (`/bigin/v1|v2`) and scopes.
    Bigin,
    /// Zoho Creator.
    Creator,
    /// Zoho Books.
    Books,
    /// Zoho Invoice.
    Invoice,
    /// Zoho Subscriptions / Billing.
    Subscriptions,
    /// Zoho Inventory.
    Inventory,
    /// Zoho Expense.
    Expense,
    /// Zoho Desk.
    Desk,
    /// Zoho Projects.
    Projects,
    /// Zoho Recruit.
    Recruit,
    /// Zoho People.
    People,
    /// Zoho Mail.
    Mail,
    /// Zoho WorkDrive.
    WorkDrive,
    /// Zoho Sign.
    Sign,
    /// Zoho Cliq.
    Cliq,
    /// Zoho Analytics.
    Analytics,
    /// Zoho Meeting.
    Meeting,
    /// Zoho Accounts (OAuth server).
    Accounts,
    /// A Zoho host whose product is not known.
    OtherZoho,
}

impl Service {
    /// Every service, in declaration order.
    pub const ALL: &[Service] = &[
        Service::Crm,
        Service::Bigin,
        Service::Creator,
        Service::Books,
        Service::Invoice,
        Service::Subscriptions,
        Service::Inventory,
        Service::Expense,
        Service::Desk,
        Service::Projects,
        Service::Recruit,
        Service::People,
        Service::Mail,
        Service::WorkDrive,
        Service::Sign,
        Service::Cliq,
        Service::Analytics,
        Service::Meeting,
        Service::Accounts,
        Service::OtherZoho,
    ];

    /// The service whose [`key`](Self::key) is `key` (case-insensitive).
    pub fn from_key(key: &str) -> Option<Service> {
        Service::ALL.iter().copied().find(|s| s.key().eq_ignore_ascii_case(key))
    }

    /// The product's name as users know it.
    pub fn display_name(self) -> &'static str {
        use Service::*;
        match self {
            Crm => "Zoho CRM",
            Bigin => "Bigin",
            Creator => "Zoho Creator",
            Books => "Zoho Books",
            Invoice => "Zoho Invoice",
            Subscriptions => "Zoho Subscriptions (Billing)",
            Inventory => "Zoho Inventory",
            Expense => "Zoho Expense",
            Desk => "Zoho Desk",
            Projects => "Zoho Projects",
            Recruit => "Zoho Recruit",
            People => "Zoho People",
            Mail => "Zoho Mail",
            WorkDrive => "Zoho WorkDrive",
            Sign => "Zoho Sign",
            Cliq => "Zoho Cliq",
            Analytics => "Zoho Analytics",
            Meeting => "Zoho Meeting",
            Accounts => "Zoho Accounts",
            OtherZoho => "a Zoho API",
        }
    }

    /// The configuration key in `[connections]` and the default connection link name.
    pub fn key(self) -> &'static str {
        use Service::*;
        match self {
            Crm => "crm",
            Bigin => "bigin",
            Creator => "creator",
            Books => "books",
            Invoice => "invoice",
            Subscriptions => "subscriptions",
            Inventory => "inventory",
            Expense => "expense",
            Desk => "desk",
            Projects => "projects",
            Recruit => "recruit",
            People => "people",
            Mail => "mail",
            WorkDrive => "workdrive",
            Sign => "sign",
            Cliq => "cliq",
            Analytics => "analytics",
            Meeting => "meeting",
            Accounts => "accounts",
            OtherZoho => "zoho",
        }
    }

    /// The default connection link name delint suggests (`zohocrm`, `zohobooks`, ...).
    pub fn default_connection(self) -> String {
        format!("zoho{}", self.key())
    }

    /// When the service stopped taking authtokens, as Zoho announced it: the date and what
    /// happened then. `None` where no date was announced.
    pub fn authtoken_retirement(self) -> Option<(&'static str, &'static str)> {
        use Service::*;
        match self {
            Crm => Some(("2021-05-31", "CRM functions stopped working with authtokens")),
            Desk => Some(("2020-11-30", "Desk stopped issuing authtokens")),
            Books | Invoice | Subscriptions | Expense | Inventory => Some((
                "2021-08-30",
                "the Finance suite (Books, Invoice, Subscriptions, Expense, Inventory) stopped accepting authtokens",
            )),
            _ => None,
        }
    }

    /// The OAuth scopes to tick when creating the connection.
    pub fn scopes(self) -> &'static [&'static str] {
        use Service::*;
        match self {
            Crm => &["ZohoCRM.modules.ALL", "ZohoCRM.settings.ALL", "ZohoCRM.users.READ"],
            Bigin => &[
                "ZohoBigin.modules.ALL",
                "ZohoBigin.settings.ALL",
                "ZohoBigin.users.READ",
            ],
            Creator => &[
                "ZohoCreator.report.READ",
                "ZohoCreator.report.CREATE",
                "ZohoCreator.report.UPDATE",
                "ZohoCreator.form.CREATE",
            ],
            Books => &["ZohoBooks.fullaccess.all"],
            Invoice => &["ZohoInvoice.fullaccess.all"],
            Subscriptions => &["ZohoSubscriptions.fullaccess.all"],
            Inventory => &["ZohoInventory.fullaccess.all"],
            Expense => &["ZohoExpense.fullaccess.ALL"],
            Desk => &["Desk.tickets.ALL", "Desk.contacts.READ", "Desk.basic.READ"],
            Projects => &[
                "ZohoProjects.portals.READ",
                "ZohoProjects.projects.ALL",
                "ZohoProjects.tasks.ALL",
            ],
            Recruit => &["ZohoRecruit.modules.ALL"],
            People => &["ZOHOPEOPLE.forms.ALL"],
            Mail => &["ZohoMail.messages.ALL"],
            WorkDrive => &["WorkDrive.files.ALL"],
            Sign => &["ZohoSign.documents.ALL"],
            Cliq => &["ZohoCliq.Webhooks.CREATE"],
            Analytics => &["ZohoAnalytics.fullaccess.all"],
            Meeting => &["ZohoMeeting.meeting.ALL"],
            Accounts | OtherZoho => &[],
        }
    }
}

/// A Zoho data centre, from the host's domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataCentre {
    /// zoho.com
    Us,
    /// zoho.eu
    Eu,
    /// zoho.in
    In,
    /// zoho.com.au
    Au,
    /// zoho.jp
    Jp,
    /// zoho.com.cn
    Cn,
    /// zohocloud.ca
    Ca,
    /// zoho.sa
    Sa,
    /// zoho.uk
    Uk,
}

impl DataCentre {
    /// Short name for messages.
    pub fn as_str(self) -> &'static str {
        use DataCentre::*;
        match self {
            Us => "US",
            Eu => "EU",
            In => "IN",
            Au => "AU",
            Jp => "JP",
            Cn => "CN",
            Ca => "CA",
            Sa => "SA",
            Uk => "UK",
        }
    }
}

/// What a URL's host says about its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A Zoho host.
    Zoho {
        /// The product.
        service: Service,
        /// The data centre, when the domain tells.
        dc: Option<DataCentre>,
    },
    /// A host that is provably not Zoho's.
    ThirdParty,
    /// The host is not a literal in the code.
    Unknown,
}

/// Classifies the start of a URL (`https://crm.zoho.eu/crm/private/...`). `url_prefix` is the
/// literal text the URL starts with; a URL whose host is not literal is [`Target::Unknown`].
pub fn classify_url(url_prefix: &str) -> Target {
    let lower = url_prefix.trim().to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) else {
        return Target::Unknown;
    };
    let Some(host_end) = rest.find(['/', '?', ':', '#']) else {
        // The literal ends inside the host (`"https://crm.zoho." + dc`): only its start is known.
        return match rest.split('.').collect::<Vec<_>>().as_slice() {
            [label, "zoho" | "zohoapis" | "zohocloud", ..] => Target::Zoho {
                service: service_from_subdomain(label),
                dc: None,
            },
            _ => Target::Unknown,
        };
    };
    let (host, path) = rest.split_at(host_end);
    classify_host(host, path)
}

fn classify_host(host: &str, path: &str) -> Target {
    let Some((subdomain, dc)) = zoho_domain(host) else {
        return Target::ThirdParty;
    };
    let first_label = subdomain.split('.').next_back().unwrap_or("");
    let service = if first_label == "www" && host.contains("zohoapis") || first_label == "zohoapis" {
        service_from_api_path(path)
    } else {
        service_from_subdomain(first_label)
    };
    Target::Zoho { service, dc }
}

/// Splits `crm.zoho.eu` into (`crm`, EU); `www.zohoapis.com` into (`www.zohoapis`, US).
fn zoho_domain(host: &str) -> Option<(&str, Option<DataCentre>)> {
    const DOMAINS: &[(&str, DataCentre)] = &[
        (".zoho.com.au", DataCentre::Au),
        (".zoho.com.cn", DataCentre::Cn),
        (".zohoapis.com.au", DataCentre::Au),
        (".zohoapis.com.cn", DataCentre::Cn),
        (".zoho.com", DataCentre::Us),
        (".zohoapis.com", DataCentre::Us),
        (".zoho.eu", DataCentre::Eu),
        (".zohoapis.eu", DataCentre::Eu),
        (".zoho.in", DataCentre::In),
        (".zohoapis.in", DataCentre::In),
        (".zoho.jp", DataCentre::Jp),
        (".zohoapis.jp", DataCentre::Jp),
        (".zohocloud.ca", DataCentre::Ca),
        (".zohoapis.ca", DataCentre::Ca),
        (".zoho.sa", DataCentre::Sa),
        (".zohoapis.sa", DataCentre::Sa),
        (".zoho.uk", DataCentre::Uk),
        (".zohoapis.uk", DataCentre::Uk),
        (".zohopublic.com", DataCentre::Us),
        (".zohopublic.eu", DataCentre::Eu),
        (".zohopublic.in", DataCentre::In),
    ];
    DOMAINS.iter().find_map(|(suffix, dc)| {
        let sub = if host == &suffix[1..] {
            ""
        } else {
            host.strip_suffix(suffix)?
        };
        // `www.zohoapis.com` keeps `zohoapis` visible to the caller.
        let sub = if suffix.starts_with(".zohoapis") {
            if sub.is_empty() { "zohoapis" } else { "www" }
        } else {
            sub
        };
        Some((sub, Some(*dc)))
    })
}

/// The service an `invokeapi` `service:` link name (`zohocrm`, `zohobilling`) stands for.
pub fn service_from_link_name(name: &str) -> Service {
    let name = name.trim_matches('"').to_ascii_lowercase();
    service_from_subdomain(name.trim_start_matches("zoho"))
}

fn service_from_subdomain(label: &str) -> Service {
    use Service::*;
    match label {
        "crm" | "crmplus" => Crm,
        "bigin" => Bigin,
        "creator" | "creatorapp" | "app" => Creator,
        "books" => Books,
        "invoice" => Invoice,
        "subscriptions" | "billing" => Subscriptions,
        "inventory" => Inventory,
        "expense" => Expense,
        "desk" | "support" => Desk,
        "projects" | "projectsapi" => Projects,
        "recruit" => Recruit,
        "people" => People,
        "mail" => Mail,
        "workdrive" => WorkDrive,
        "sign" => Sign,
        "cliq" => Cliq,
        "analytics" | "analyticsapi" | "reports" => Analytics,
        "meeting" => Meeting,
        "accounts" => Accounts,
        _ => OtherZoho,
    }
}

fn service_from_api_path(path: &str) -> Service {
    use Service::*;
    let first_segment = path.trim_start_matches('/').split('/').next().unwrap_or("");
    match first_segment {
        "crm" => Crm,
        "bigin" => Bigin,
        "creator" => Creator,
        "books" => Books,
        "invoice" => Invoice,
        "billing" | "subscriptions" => Subscriptions,
        "inventory" => Inventory,
        "expense" => Expense,
        "workdrive" => WorkDrive,
        "sign" => Sign,
        _ => OtherZoho,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zoho(service: Service, dc: DataCentre) -> Target {
        Target::Zoho { service, dc: Some(dc) }
    }

    #[test]
    fn legacy_and_oauth_hosts_map_to_their_service_and_data_centre() {
        assert_eq!(
            classify_url("https://crm.zoho.com/crm/private/json/Leads"),
            zoho(Service::Crm, DataCentre::Us)
        );
        assert_eq!(
            classify_url("https://crm.zoho.eu/crm/private/xml/"),
            zoho(Service::Crm, DataCentre::Eu)
        );
        assert_eq!(
            classify_url("https://www.zohoapis.com.au/crm/v2/Leads"),
            zoho(Service::Crm, DataCentre::Au)
        );
        assert_eq!(
            classify_url("https://www.zohoapis.in/books/v3/invoices"),
            zoho(Service::Books, DataCentre::In)
        );
        assert_eq!(
            classify_url("https://books.zoho.com/api/v3/invoices?x=1"),
            zoho(Service::Books, DataCentre::Us)
        );
        assert_eq!(
            classify_url("https://creator.zoho.com/api/xml/write"),
            zoho(Service::Creator, DataCentre::Us)
        );
        assert_eq!(
            classify_url("https://desk.zoho.in/api/v1/tickets"),
            zoho(Service::Desk, DataCentre::In)
        );
        assert_eq!(
            classify_url("https://projectsapi.zoho.com/api/private/xml/"),
            zoho(Service::Projects, DataCentre::Us)
        );
        assert_eq!(
            classify_url("https://crm.zohocloud.ca/crm/v2"),
            zoho(Service::Crm, DataCentre::Ca)
        );
        assert_eq!(
            classify_url("HTTPS://Subscriptions.Zoho.com/api/v1/"),
            zoho(Service::Subscriptions, DataCentre::Us)
        );
    }

    #[test]
    fn invokeapi_link_names_map_to_services() {
        assert_eq!(service_from_link_name("zohocrm"), Service::Crm);
        assert_eq!(service_from_link_name("zohobilling"), Service::Subscriptions);
        assert_eq!(service_from_link_name("\"zohobooks\""), Service::Books);
        assert_eq!(service_from_link_name("acme"), Service::OtherZoho);
    }

    #[test]
    fn other_hosts_are_third_party_and_partial_urls_unknown() {
        assert_eq!(classify_url("https://ssapi.shipstation.com/orders"), Target::ThirdParty);
        assert_eq!(classify_url("https://evilzoho.com/x"), Target::ThirdParty);
        assert_eq!(classify_url("https://"), Target::Unknown);
        assert_eq!(
            classify_url("https://crm.zoho."),
            Target::Zoho {
                service: Service::Crm,
                dc: None
            }
        );
        assert_eq!(classify_url("/crm/v2/Leads"), Target::Unknown);
    }
}
