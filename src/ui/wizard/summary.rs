//! The Summary step's lines: what the finished settings will say, secrets masked, as
//! labels and values the screen words in its language (`ui/wizard/summary_words.slint`).

use super::draft::Draft;
use crate::settings::CalendarSource;
use crate::ui::{SummaryLabel, SummaryValueWord};

/// What the Summary lists for `draft`, secrets masked.
pub fn summary_of(draft: &Draft) -> Vec<SummaryLine> {
    let (settings, secrets) = draft.to_settings();
    let text = |value: String| SummaryValue::Text(value);
    let masked = |secret: &Option<crate::settings::Secret>| {
        secret
            .as_ref()
            .map_or(SummaryValue::Word(SummaryWord::None), |s| text(s.masked()))
    };
    let or_none = |value: Option<String>| value.map_or(SummaryValue::Word(SummaryWord::None), text);
    let line = |label, value| SummaryLine { label, value };
    let calendar = &settings.calendar;
    let mut lines = vec![
        line(
            SummaryLabel::Language,
            text(language_name(&settings.device.language).into()),
        ),
        line(
            SummaryLabel::TimeZone,
            or_none(settings.device.time_zone.clone()),
        ),
        line(
            SummaryLabel::Clock,
            SummaryValue::Word(if settings.device.clock_24h {
                SummaryWord::Clock24h
            } else {
                SummaryWord::Clock12h
            }),
        ),
        line(
            SummaryLabel::DisplayName,
            text(settings.room.display_name.clone()),
        ),
        line(
            SummaryLabel::SignInAddress,
            text(settings.room.sign_in_address.clone()),
        ),
        line(
            SummaryLabel::ExchangeAddress,
            text(settings.room.exchange_address.clone()),
        ),
        line(
            SummaryLabel::UserName,
            or_none(settings.room.domain_username.clone()),
        ),
        line(SummaryLabel::RoomPassword, masked(&secrets.room_password)),
        line(
            SummaryLabel::CalendarAccess,
            SummaryValue::Word(SummaryWord::Source(calendar.source)),
        ),
    ];
    if calendar.source == CalendarSource::Graph {
        lines.extend([
            line(SummaryLabel::TenantId, or_none(calendar.tenant_id.clone())),
            line(SummaryLabel::ClientId, or_none(calendar.client_id.clone())),
            line(SummaryLabel::ClientSecret, masked(&secrets.client_secret)),
        ]);
    } else {
        lines.extend([
            line(
                SummaryLabel::EwsUrl,
                calendar
                    .ews_url
                    .as_ref()
                    .map_or(SummaryValue::Word(SummaryWord::Autodiscover), |u| {
                        text(u.to_string())
                    }),
            ),
            line(
                SummaryLabel::Authentication,
                text(calendar.authentication.id().to_uppercase()),
            ),
        ]);
    }
    if calendar.source == CalendarSource::EwsImpersonation {
        lines.push(line(
            SummaryLabel::ServiceAccount,
            or_none(calendar.service_account_username.clone()),
        ));
        lines.push(line(
            SummaryLabel::ServicePassword,
            masked(&secrets.service_account_password),
        ));
    }
    lines.extend([
        line(
            SummaryLabel::TrustedCaFile,
            or_none(
                calendar
                    .trusted_ca_file
                    .as_ref()
                    .map(|p| p.display().to_string()),
            ),
        ),
        line(
            SummaryLabel::AutoShare,
            SummaryValue::Word(if settings.content.auto_share {
                SummaryWord::On
            } else {
                SummaryWord::Off
            }),
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
