//! What a test server is started with: the accounts that may sign in, the authentication
//! schemes it offers, the mailboxes it hosts and the Exchange version it pretends to be.

use std::path::PathBuf;

use super::item::CalendarItem;

/// A sign-in account: a service account that impersonates rooms, or a room's own account.
#[derive(Debug, Clone)]
pub struct Account {
    /// Down-level logon name, `CONTOSO\svc-rooms` (the NTLM user and domain come from it).
    pub username: String,
    /// User principal name, `svc-rooms@contoso.com`, accepted wherever `username` is.
    pub upn: Option<String>,
    pub password: String,
    /// The SMTP address of the account's own mailbox, if it has one.
    pub own_mailbox: Option<String>,
    /// Mailboxes this account holds the ApplicationImpersonation role for.
    pub may_impersonate: Vec<String>,
    /// Mailboxes whose calendar this account may open as a delegate (`t:Mailbox` in the
    /// folder id, no impersonation header).
    pub delegate_for: Vec<String>,
    /// Mailboxes whose calendar this account may read but not change (a delegate with
    /// Reviewer rights): writes answer ErrorAccessDenied.
    pub read_only_for: Vec<String>,
}

impl Account {
    pub fn new(username: &str, password: &str) -> Self {
        Self {
            username: username.to_string(),
            upn: None,
            password: password.to_string(),
            own_mailbox: None,
            may_impersonate: Vec::new(),
            delegate_for: Vec::new(),
            read_only_for: Vec::new(),
        }
    }

    pub fn with_upn(mut self, upn: &str) -> Self {
        self.upn = Some(upn.to_string());
        self
    }

    pub fn with_own_mailbox(mut self, smtp: &str) -> Self {
        self.own_mailbox = Some(smtp.to_string());
        self
    }

    pub fn impersonating(mut self, mailboxes: &[&str]) -> Self {
        self.may_impersonate
            .extend(mailboxes.iter().map(|smtp| smtp.to_string()));
        self
    }

    pub fn delegate_of(mut self, mailboxes: &[&str]) -> Self {
        self.delegate_for
            .extend(mailboxes.iter().map(|smtp| smtp.to_string()));
        self
    }

    /// Makes the account a read-only delegate (Reviewer) of `mailboxes`.
    pub fn reviewer_of(mut self, mailboxes: &[&str]) -> Self {
        self.read_only_for
            .extend(mailboxes.iter().map(|smtp| smtp.to_string()));
        self.delegate_of(mailboxes)
    }

    /// Whether the account may change `smtp`'s calendar without impersonation.
    pub fn may_write_directly(&self, smtp: &str) -> bool {
        self.may_open_directly(smtp)
            && !self
                .read_only_for
                .iter()
                .any(|reader| reader.eq_ignore_ascii_case(smtp))
    }

    /// The NTLM `(user, domain)` pair of `DOMAIN\user`, or `(user, "")` without a domain.
    pub fn ntlm_user_and_domain(&self) -> (&str, &str) {
        match self.username.split_once('\\') {
            Some((domain, user)) => (user, domain),
            None => (self.username.as_str(), ""),
        }
    }

    /// Whether `name` (a Basic user name, `DOMAIN\user` or UPN) names this account.
    pub fn is_named(&self, name: &str) -> bool {
        self.username.eq_ignore_ascii_case(name)
            || self
                .upn
                .as_deref()
                .is_some_and(|upn| upn.eq_ignore_ascii_case(name))
    }

    pub fn may_impersonate(&self, smtp: &str) -> bool {
        self.may_impersonate
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(smtp))
    }

    /// Whether the account may open `smtp`'s calendar without impersonation.
    pub fn may_open_directly(&self, smtp: &str) -> bool {
        self.own_mailbox
            .as_deref()
            .is_some_and(|own| own.eq_ignore_ascii_case(smtp))
            || self
                .delegate_for
                .iter()
                .any(|allowed| allowed.eq_ignore_ascii_case(smtp))
    }
}

/// Which HTTP authentication schemes the server offers, as IIS would be configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    Basic,
    /// NTLM, offered as `WWW-Authenticate: Negotiate` and `WWW-Authenticate: NTLM`.
    Ntlm,
    Both,
}

impl AuthMode {
    pub fn offers_basic(self) -> bool {
        matches!(self, AuthMode::Basic | AuthMode::Both)
    }

    pub fn offers_ntlm(self) -> bool {
        matches!(self, AuthMode::Ntlm | AuthMode::Both)
    }
}

/// The Exchange release the server answers as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExchangeVersion {
    Exchange2010Sp2,
    Exchange2013,
    Exchange2016,
    Exchange2019,
    SubscriptionEdition,
}

/// `RequestServerVersion` values in the order Exchange ranks them (types.xsd).
const REQUEST_VERSIONS: [&str; 21] = [
    "Exchange2007",
    "Exchange2007_SP1",
    "Exchange2009",
    "Exchange2010",
    "Exchange2010_SP1",
    "Exchange2010_SP2",
    "Exchange2012",
    "Exchange2013",
    "Exchange2013_SP1",
    "Exchange2015",
    "Exchange2016",
    "V2015_10_05",
    "V2016_01_06",
    "V2016_04_13",
    "V2016_07_13",
    "V2016_10_10",
    "V2017_01_07",
    "V2017_04_14",
    "V2017_07_11",
    "V2017_10_09",
    "V2018_01_08",
];

/// How a `RequestServerVersion` compares with what the server supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestedVersion {
    Supported,
    /// A known value newer than this server: ErrorInvalidServerVersion.
    TooNew,
    /// Not a value of ExchangeVersionType at all: ErrorSchemaValidation.
    Unknown,
}

impl ExchangeVersion {
    /// `(MajorVersion, MinorVersion, MajorBuildNumber, MinorBuildNumber)` as builds report it.
    pub fn build(self) -> (u32, u32, u32, u32) {
        match self {
            ExchangeVersion::Exchange2010Sp2 => (14, 2, 328, 9),
            ExchangeVersion::Exchange2013 => (15, 0, 847, 31),
            ExchangeVersion::Exchange2016 => (15, 1, 2507, 6),
            ExchangeVersion::Exchange2019 => (15, 2, 1118, 7),
            ExchangeVersion::SubscriptionEdition => (15, 2, 1544, 4),
        }
    }

    /// The `Version` attribute of ServerVersionInfo.
    pub fn schema_name(self) -> &'static str {
        match self {
            ExchangeVersion::Exchange2010Sp2 => "Exchange2010_SP2",
            ExchangeVersion::Exchange2013 => "V2_8",
            ExchangeVersion::Exchange2016
            | ExchangeVersion::Exchange2019
            | ExchangeVersion::SubscriptionEdition => "V2017_07_11",
        }
    }

    /// The newest `RequestServerVersion` this release accepts.
    fn newest_request_version(self) -> &'static str {
        match self {
            ExchangeVersion::Exchange2010Sp2 => "Exchange2010_SP2",
            ExchangeVersion::Exchange2013 => "Exchange2013_SP1",
            ExchangeVersion::Exchange2016
            | ExchangeVersion::Exchange2019
            | ExchangeVersion::SubscriptionEdition => "V2017_07_11",
        }
    }

    pub fn check_request_version(self, requested: &str) -> RequestedVersion {
        let rank = |name: &str| REQUEST_VERSIONS.iter().position(|known| *known == name);
        match (rank(requested), rank(self.newest_request_version())) {
            (None, _) => RequestedVersion::Unknown,
            (Some(asked), Some(newest)) if asked > newest => RequestedVersion::TooNew,
            _ => RequestedVersion::Supported,
        }
    }

    /// Whether the schema has calendar:JoinOnlineMeetingUrl and the *TimeZoneId elements.
    pub fn has_2013_calendar_fields(self) -> bool {
        self != ExchangeVersion::Exchange2010Sp2
    }
}

/// A mailbox hosted by the server, with the calendar it starts with.
#[derive(Debug, Clone)]
pub struct Mailbox {
    pub smtp: String,
    pub display_name: String,
    pub items: Vec<CalendarItem>,
}

impl Mailbox {
    pub fn new(smtp: &str, display_name: &str) -> Self {
        Self {
            smtp: smtp.to_string(),
            display_name: display_name.to_string(),
            items: Vec::new(),
        }
    }

    pub fn with_items(mut self, items: impl IntoIterator<Item = CalendarItem>) -> Self {
        self.items.extend(items);
        self
    }
}

/// Where Autodiscover sends a client instead of answering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectTarget {
    /// `RedirectAddress`: ask again for this e-mail address.
    Address(String),
    /// `RedirectUrl`: ask this Autodiscover URL instead.
    Url(String),
}

/// A redirection Autodiscover answers for `address`, when asked by the host name `host`
/// (the Host header without port; None: whatever the host).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutodiscoverRedirect {
    pub address: String,
    pub host: Option<String>,
    pub target: RedirectTarget,
}

/// Everything [`super::EwsServer::start`] needs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub accounts: Vec<Account>,
    pub auth: AuthMode,
    pub mailboxes: Vec<Mailbox>,
    pub version: ExchangeVersion,
    /// Also listen for plain HTTP (see [`super::EwsServer::http_url`]).
    pub plain_http: bool,
    /// Validate each EWS request body against the schema with xmllint, when both the
    /// schema folder and xmllint are there (see [`super::RecordedRequest::schema`]).
    pub validate_requests_against: Option<PathBuf>,
    pub autodiscover_redirects: Vec<AutodiscoverRedirect>,
}

impl ServerConfig {
    pub fn new(version: ExchangeVersion, auth: AuthMode) -> Self {
        Self {
            accounts: Vec::new(),
            auth,
            mailboxes: Vec::new(),
            version,
            plain_http: false,
            validate_requests_against: None,
            autodiscover_redirects: Vec::new(),
        }
    }

    /// Autodiscover redirects `address` (asked at `host`, or anywhere) to `target`.
    pub fn with_autodiscover_redirect(
        mut self,
        address: &str,
        host: Option<&str>,
        target: RedirectTarget,
    ) -> Self {
        self.autodiscover_redirects.push(AutodiscoverRedirect {
            address: address.to_string(),
            host: host.map(str::to_string),
            target,
        });
        self
    }

    pub fn with_account(mut self, account: Account) -> Self {
        self.accounts.push(account);
        self
    }

    pub fn with_mailbox(mut self, mailbox: Mailbox) -> Self {
        self.mailboxes.push(mailbox);
        self
    }

    pub fn with_plain_http(mut self) -> Self {
        self.plain_http = true;
        self
    }

    /// Validates requests against the schema at `../shared/ews/schema` when it is present.
    pub fn validating_requests(mut self) -> Self {
        self.validate_requests_against =
            Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/ews/schema"));
        self
    }
}
