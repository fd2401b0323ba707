//! The Summary step's lines: what the finished settings will say, secrets masked, as
//! labels and values the screen words in its language (`ui/wizard/summary_words.slint`).

use super::draft::Draft;
use crate::settings::CalendarSource;
use crate::ui::{SummaryLabel, SummaryValueWord};

/// What the Summary lists for `draft`, secrets masked.
pub(crate) fn summary_of(draft: &Draft) -> Vec<SummaryLine> {
    let (settings, secrets) = draft.to_settings();
    let text = |value: &str| SummaryValue::Text(value.to_owned());
    let none = || SummaryValue::Word(SummaryWord::None);
    let masked = |secret: &Option<crate::settings::Secret>| {
        secret.as_ref().map_or_else(none, |s| text(&s.masked()))
    };
    let or_none = |value: &Option<String>| value.as_deref().map_or_else(none, text);
    let either = |yes: bool, word_if_yes, word_if_not| {
        SummaryValue::Word(if yes { word_if_yes } else { word_if_not })
    };
    let line = |label, value| SummaryLine { label, value };
    let (device, room, calendar) = (&settings.device, &settings.room, &settings.calendar);
    let mut lines = vec![
        line(
            SummaryLabel::Language,
            text(language_name(&device.language)),
        ),
        line(SummaryLabel::TimeZone, or_none(&device.time_zone)),
        line(
            SummaryLabel::Clock,
            either(
                device.clock_24h,
                SummaryWord::Clock24h,
                SummaryWord::Clock12h,
            ),
        ),
        line(SummaryLabel::DisplayName, text(&room.display_name)),
        line(SummaryLabel::SignInAddress, text(&room.sign_in_address)),
        line(SummaryLabel::ExchangeAddress, text(&room.exchange_address)),
        line(SummaryLabel::UserName, or_none(&room.domain_username)),
        line(SummaryLabel::RoomPassword, masked(&secrets.room_password)),
        line(
            SummaryLabel::CalendarAccess,
            SummaryValue::Word(SummaryWord::Source(calendar.source)),
        ),
    ];
    if calendar.source == CalendarSource::Graph {
        lines.extend([
            line(SummaryLabel::TenantId, or_none(&calendar.tenant_id)),
            line(SummaryLabel::ClientId, or_none(&calendar.client_id)),
            line(SummaryLabel::ClientSecret, masked(&secrets.client_secret)),
        ]);
    } else {
        let ews_url = calendar
            .ews_url
            .as_ref()
            .map_or(SummaryValue::Word(SummaryWord::Autodiscover), |url| {
                text(url.as_str())
            });
        lines.extend([
            line(SummaryLabel::EwsUrl, ews_url),
            line(
                SummaryLabel::Authentication,
                text(&calendar.authentication.id().to_uppercase()),
            ),
        ]);
    }
    if calendar.source == CalendarSource::EwsImpersonation {
        lines.extend([
            line(
                SummaryLabel::ServiceAccount,
                or_none(&calendar.service_account_username),
            ),
            line(
                SummaryLabel::ServicePassword,
                masked(&secrets.service_account_password),
            ),
        ]);
    }
    let ca_file = calendar
        .trusted_ca_file
        .as_ref()
        .map(|p| p.display().to_string());
    lines.extend([
        line(SummaryLabel::TrustedCaFile, or_none(&ca_file)),
        line(
            SummaryLabel::AutoShare,
            either(
                settings.content.auto_share,
                SummaryWord::On,
                SummaryWord::Off,
            ),
        ),
        line(SummaryLabel::AdminPin, masked(&secrets.admin_pin)),
    ]);
    lines
}

/// One line of the Summary: what it is and its value. The screen words both in its
/// language (`SummaryWords`), except values that are the admin's own text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryLine {
    pub label: SummaryLabel,
    pub value: SummaryValue,
}

/// A Summary line's value: the admin's text (or a masked secret), or a word the screen
/// translates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SummaryValue {
    Text(String),
    Word(SummaryWord),
}

/// The values the wizard itself words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryWord {
    /// Nothing entered.
    None,
    Clock24h,
    Clock12h,
    On,
    Off,
    /// No EWS URL: found with Autodiscover.
    Autodiscover,
    Source(CalendarSource),
}

impl SummaryWord {
    /// How the screen words it (`SummaryWords.value`).
    pub fn for_screen(self) -> SummaryValueWord {
        match self {
            SummaryWord::None => SummaryValueWord::None,
            SummaryWord::Clock24h => SummaryValueWord::Clock24h,
            SummaryWord::Clock12h => SummaryValueWord::Clock12h,
            SummaryWord::On => SummaryValueWord::On,
            SummaryWord::Off => SummaryValueWord::Off,
            SummaryWord::Autodiscover => SummaryValueWord::Autodiscover,
            SummaryWord::Source(CalendarSource::EwsImpersonation) => {
                SummaryValueWord::SourceImpersonation
            }
            SummaryWord::Source(CalendarSource::EwsRoomAccount) => {
                SummaryValueWord::SourceRoomAccount
            }
            SummaryWord::Source(CalendarSource::Graph) => SummaryValueWord::SourceGraph,
            SummaryWord::Source(CalendarSource::Demo) => SummaryValueWord::SourceDemo,
        }
    }
}

/// A language's own name, as the Welcome step offers it.
fn language_name(code: &str) -> &str {
    match code {
        "sv" => "Svenska",
        "ko" => "한국어",
        "en" => "English",
        other => other,
    }
}
