//! What the admin has typed and chosen so far, as text, and the settings it becomes once
//! every field passes the same checks as the provisioning file.

use url::Url;

use crate::settings::validate::{self, Expected};
use crate::settings::{CalendarSource, EwsAuthMethod, Secret, Secrets, Settings};
use crate::ui::FieldProblemKind;

/// Everything the wizard asks, as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub language: String,
    pub time_zone: String,
    pub clock_24h: bool,
    pub display_name: String,
    pub sign_in_address: String,
    /// Pre-filled from the sign-in address when left empty.
    pub exchange_address: String,
    pub domain_username: String,
    pub room_password: String,
    pub source: CalendarSource,
    /// Empty: find it with Autodiscover.
    pub ews_url: String,
    pub authentication: EwsAuthMethod,
    pub service_username: String,
    pub service_password: String,
    pub ca_file: String,
    pub tenant_id: String,
    pub client_id: String,
    pub client_secret: String,
    /// The Graph endpoint and sign-in authority (national clouds, labs); None: the
    /// global cloud. Not asked on screen: they come with the wizard's options.
    pub graph_url: Option<Url>,
    pub authority_url: Option<Url>,
    pub auto_share: bool,
    pub pin: String,
    pub pin_again: String,
}

impl Draft {
    /// A fresh draft: English, `time_zone`, 24-hour clock, impersonation over NTLM.
    pub fn new(time_zone: &str) -> Draft {
        Draft {
            language: "en".into(),
            time_zone: time_zone.into(),
            clock_24h: true,
            display_name: String::new(),
            sign_in_address: String::new(),
            exchange_address: String::new(),
            domain_username: String::new(),
            room_password: String::new(),
            source: CalendarSource::EwsImpersonation,
            ews_url: String::new(),
            authentication: EwsAuthMethod::Ntlm,
            service_username: String::new(),
            service_password: String::new(),
            ca_file: String::new(),
            tenant_id: String::new(),
            client_id: String::new(),
            client_secret: String::new(),
            graph_url: None,
            authority_url: None,
            auto_share: true,
            pin: String::new(),
            pin_again: String::new(),
        }
    }

    /// The Exchange address, or the sign-in address while none was typed.
    pub(crate) fn effective_exchange_address(&self) -> &str {
        let typed = self.exchange_address.trim();
        if typed.is_empty() {
            self.sign_in_address.trim()
        } else {
            typed
        }
    }

    /// The part of the draft the account checks depend on: a change here means checking
    /// again.
    pub(crate) fn account_key(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
            self.effective_exchange_address(),
            self.sign_in_address,
            self.domain_username,
            self.room_password,
            self.source,
            self.ews_url,
            self.authentication,
            self.service_username,
            self.service_password,
            self.ca_file,
            self.tenant_id,
            self.client_id,
            self.client_secret
        )
    }

    /// The settings and secrets this draft stands for. Call after validation; a value that
    /// does not pass its check is left out rather than stored.
    pub(crate) fn to_settings(&self) -> (Settings, Secrets) {
        let mut settings = Settings::default();
        let text = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        settings.device.language = validate::language(&self.language).unwrap_or("en".into());
        settings.device.time_zone = validate::time_zone(self.time_zone.trim()).ok();
        settings.device.clock_24h = self.clock_24h;
        settings.room.display_name = self.display_name.trim().to_owned();
        settings.room.sign_in_address = self.sign_in_address.trim().to_owned();
        settings.room.exchange_address = self.effective_exchange_address().to_owned();
        settings.room.domain_username = text(&self.domain_username);
        let calendar = &mut settings.calendar;
        calendar.source = self.source;
        calendar.ews_url = validate::https_url(self.ews_url.trim()).ok();
        calendar.authentication = self.authentication;
        calendar.trusted_ca_file = text(&self.ca_file).map(Into::into);
        if self.source == CalendarSource::EwsImpersonation {
            calendar.service_account_username = text(&self.service_username);
        }
        if self.source == CalendarSource::Graph {
            calendar.tenant_id = text(&self.tenant_id);
            calendar.client_id = text(&self.client_id);
            calendar.graph_url = self.graph_url.clone();
            calendar.authority_url = self.authority_url.clone();
        }
        settings.content.auto_share = self.auto_share;
        let secret = |value: &str| Some(Secret::new(value)).filter(|_| !value.is_empty());
        let secrets = Secrets {
            room_password: secret(&self.room_password),
            service_account_password: (self.source == CalendarSource::EwsImpersonation)
                .then(|| secret(&self.service_password))
                .flatten(),
            client_secret: (self.source == CalendarSource::Graph)
                .then(|| secret(&self.client_secret))
                .flatten(),
            admin_pin: secret(&self.pin),
            fleet_password: None,
        };
        (settings, secrets)
    }
}

/// A field of the wizard, to put an error next to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    TimeZone,
    DisplayName,
    SignInAddress,
    ExchangeAddress,
    DomainUsername,
    RoomPassword,
    Source,
    EwsUrl,
    ServiceUsername,
    ServicePassword,
    CaFile,
    TenantId,
    ClientId,
    ClientSecret,
    Pin,
    PinAgain,
}

impl Field {
    pub const ALL: [Field; 16] = [
        Field::TimeZone,
        Field::DisplayName,
        Field::SignInAddress,
        Field::ExchangeAddress,
        Field::DomainUsername,
        Field::RoomPassword,
        Field::Source,
        Field::EwsUrl,
        Field::ServiceUsername,
        Field::ServicePassword,
        Field::CaFile,
        Field::TenantId,
        Field::ClientId,
        Field::ClientSecret,
        Field::Pin,
        Field::PinAgain,
    ];

    /// The field's place in [`Field::ALL`], which is how the screen knows it.
    pub fn index(self) -> usize {
        Field::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }
}

/// What is wrong with a field; the screen words it, with the field's name, in its
/// language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldProblem {
    /// Empty, but needed.
    Needed,
    /// The repeated PIN is not the first one.
    PinsDiffer,
    /// No calendar access was chosen.
    ChooseSource,
    /// The client secret was not entered.
    ClientSecretNeeded,
    /// The room signs in itself, but its password was not entered (on the password).
    RoomPasswordNeeded,
    /// The same, on the calendar access choice.
    SourceNeedsRoomPassword,
    /// The value fails its check: what was expected (the provisioning file's check, worded
    /// by the screen in its language).
    Invalid(Expected),
}

impl FieldProblem {
    /// The kind the screen words (`WizardFieldError.problem`).
    pub fn for_screen(&self) -> FieldProblemKind {
        match self {
            FieldProblem::Needed => FieldProblemKind::Needed,
            FieldProblem::PinsDiffer => FieldProblemKind::PinsDiffer,
            FieldProblem::ChooseSource => FieldProblemKind::ChooseSource,
            FieldProblem::ClientSecretNeeded => FieldProblemKind::ClientSecretNeeded,
            FieldProblem::RoomPasswordNeeded => FieldProblemKind::RoomPasswordNeeded,
            FieldProblem::SourceNeedsRoomPassword => FieldProblemKind::SourceNeedsRoomPassword,
            FieldProblem::Invalid(_) => FieldProblemKind::Invalid,
        }
    }
}

/// A problem with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub problem: FieldProblem,
}

/// Collects the problems of one step's fields.
#[derive(Default)]
pub(super) struct Problems(pub Vec<FieldError>);

impl Problems {
    /// Runs `check` on a field's text, recording its problem.
    pub(super) fn check<T>(&mut self, field: Field, result: Result<T, Expected>) {
        if let Err(problem) = result {
            self.0.push(FieldError {
                field,
                problem: FieldProblem::Invalid(problem),
            });
        }
    }

    /// Records that a required field is empty.
    pub(super) fn required(&mut self, field: Field, text: &str) -> bool {
        if text.trim().is_empty() {
            self.add(field, FieldProblem::Needed);
            return false;
        }
        true
    }

    pub(super) fn add(&mut self, field: Field, problem: FieldProblem) {
        self.0.push(FieldError { field, problem });
    }
}
