//! `room-console screenshot`: renders a screen to PNG without a display, at a fixed
//! instant, from the cache or the demo agenda.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use slint::{ComponentHandle, PhysicalSize};

use super::source::{AgendaSource, WhenNotSetUp};
use crate::content::preview::convert::convert_scaled;
use crate::content::preview::scale::fit_within;
use crate::content::preview::test_pattern::{colour_bars_frame, colour_bars_uyvy};
use crate::content::preview::{PreviewProblem, RgbFrame};
use crate::content::{ContentEvent, VideoMode};
use crate::device::paths::DataDir;
use crate::ui::content::panel::ContentPanel;
use crate::ui::content::preview::image_of;
use crate::ui::headless::{Headless, write_png};
use crate::ui::home::adapter::HomeModels;
use crate::ui::home::model::{Banner, HomeInputs, build};
use crate::ui::home::sync_banner::banner_for;
use crate::ui::{AppWindow, BannerKind, ContentAdapter};

/// The screens that can be rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Screen {
    /// The home screen
    Home,
    /// The "Joining…" overlay with the link and its QR code, for the next joinable meeting
    JoinOverlay,
    /// The shared-content window, as when a laptop is plugged in
    Content,
    /// The shared-content window with a live preview (synthetic colour bars) in a meeting
    ContentPreview,
    /// The shared-content window when the picture cannot be shown (copy-protected)
    ContentProblem,
    /// The "Content detected — Show" prompt (auto-share off)
    ContentPrompt,
    /// The PIN pad in front of the admin settings
    PinPad,
    /// The admin screen with the diagnostics of `room-console status`
    Admin,
    /// The admin screen with the factory-reset confirmation
    ResetConfirmation,
    /// The home screen dimmed by night mode, as on a panel without a backlight
    NightDimmed,
    /// The setup wizard's Welcome step (language, time zone, clock)
    WizardWelcome,
    /// The setup wizard's Room account step
    WizardRoomAccount,
}

#[derive(Debug, Args)]
pub struct ScreenshotArgs {
    /// The PNG file to write
    #[arg(long, value_name = "FILE.png")]
    pub out: PathBuf,
    /// The screen to render
    #[arg(long, value_enum, default_value_t = Screen::Home)]
    pub screen: Screen,
    /// The panel size in pixels, WIDTHxHEIGHT
    #[arg(long, default_value = "1280x800", value_parser = parse_size)]
    pub size: PhysicalSize,
    /// The instant to render at (RFC 3339) [default: now]
    #[arg(long, value_parser = super::parse_instant)]
    pub now: Option<DateTime<Utc>>,
    /// Use the built-in demo calendar
    #[arg(long)]
    pub demo: bool,
    /// The language to render in [default: the setting Device/Language]
    #[arg(long, value_enum)]
    pub language: Option<Language>,
}

/// The languages the screens ship in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Language {
    /// English
    En,
    /// Swedish (Svenska)
    Sv,
    /// Korean (한국어)
    Ko,
}

impl Language {
    fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Sv => "sv",
            Language::Ko => "ko",
        }
    }
}

fn parse_size(text: &str) -> Result<PhysicalSize, String> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("expected WIDTHxHEIGHT, e.g. 1280x800, not {text:?}"))?;
    let parse = |v: &str| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (320..=7680).contains(n))
            .ok_or_else(|| format!("{v:?} is not a size between 320 and 7680 pixels"))
    };
    Ok(PhysicalSize::new(parse(w)?, parse(h)?))
}

pub(super) fn screenshot(data_dir: &DataDir, args: &ScreenshotArgs) -> Result<()> {
    let now = super::clock_for(args.now).now();
    let (source, room) = AgendaSource::open(data_dir, args.demo, WhenNotSetUp::Demo)?;
    let today = now.with_timezone(&room.tz).date_naive();
    let meetings = source.meetings_on_day(today, &room.tz)?;

    let headless = Headless::install(args.size)?;
    let app = AppWindow::new().context("cannot create the window")?;
    let language = args
        .language
        .map_or(room.language.clone(), |l| l.code().to_owned());
    let language = language.as_str();
    crate::ui::language::apply(&app, language);
    let models = HomeModels::install(&app);
    let sync_status = source.sync_status();
    let agenda_known = match &source {
        AgendaSource::Demo => true,
        AgendaSource::Cache(_) => sync_status
            .as_ref()
            .is_some_and(|s| s.last_success.is_some()),
    };
    let view = build(&HomeInputs {
        room_name: &room.name,
        meetings: &meetings,
        now,
        tz: room.tz,
        clock_24h: room.clock_24h,
        agenda_known,
        banner: sync_status
            .as_ref()
            .and_then(|status| banner_for(status, &room.tz, room.clock_24h, now))
            .or(room.notice.clone().map(|message| Banner {
                kind: BannerKind::Info,
                message,
            })),
    });
    models.show(&app, &view);
    if args.screen == Screen::JoinOverlay {
        let Some(meeting) = meetings.iter().find(|m| m.join.is_some() && !m.cancelled) else {
            bail!("no meeting with a join link today to show the join overlay for");
        };
        crate::ui::home::join_overlay::show(&app, meeting);
    }
    if let Some(auto_share) = match args.screen {
        Screen::Content | Screen::ContentPreview | Screen::ContentProblem => Some(true),
        Screen::ContentPrompt => Some(false),
        _ => None,
    } {
        show_sample_content(&app, auto_share);
    }
    match args.screen {
        Screen::ContentPreview => show_sample_preview(&app, args.size),
        Screen::ContentProblem => {
            app.global::<ContentAdapter>()
                .set_preview_message(PreviewProblem::ProbablyProtected.to_string().into());
        }
        _ => {}
    }
    show_admin_screen(&app, data_dir, args.screen, now);
    let _wizard = show_wizard_screen(&app, args.screen, &room, language, now)?;
    if args.screen == Screen::NightDimmed {
        crate::ui::night::show_cover(&app, crate::device::night::ScreenState::Dimmed, false);
    }
    app.show().context("cannot show the window")?;
    let buffer = headless.render();
    write_png(&buffer, &args.out)?;
    println!("{}", args.out.display());
    Ok(())
}

/// The content window as a 1080p laptop on the HDMI input would open it.
fn show_sample_content(app: &AppWindow, auto_share: bool) {
    let input = "drm:card0-HDMI-A-1".to_owned();
    let names = HashMap::from([(input.clone(), "HDMI input".to_owned())]);
    let mut panel = ContentPanel::default();
    panel.on_event(
        &ContentEvent::ShowContent {
            input,
            resolution: Some(VideoMode {
                width: 1920,
                height: 1080,
                refresh_millihertz: 60_000,
            }),
            can_preview: false,
        },
        auto_share,
        &names,
    );
    panel.apply(app);
}

/// The live preview as colour bars from a 1080p receiver, during a meeting.
fn show_sample_preview(app: &AppWindow, size: PhysicalSize) {
    let (width, height) = (1920, 1080);
    let bars = colour_bars_uyvy(width, height);
    let (out_width, out_height) = fit_within(
        (width, height),
        (
            size.width.saturating_sub(64),
            size.height.saturating_sub(150),
        ),
    );
    let mut pixels = vec![0; out_width as usize * out_height as usize * 3];
    if let Err(error) = convert_scaled(
        &colour_bars_frame(&bars, width, height),
        out_width,
        out_height,
        &mut pixels,
    ) {
        tracing::error!("cannot convert the sample frame: {error}");
        return;
    }
    let adapter = app.global::<ContentAdapter>();
    adapter.set_preview(image_of(&RgbFrame {
        width: out_width,
        height: out_height,
        pixels,
    }));
    adapter.set_preview_live(true);
    adapter.set_in_meeting(true);
}

/// The setup wizard at its Welcome or Room account step, in `language`; None for the
/// other screens. The controller must live until the frame is rendered.
fn show_wizard_screen(
    app: &AppWindow,
    screen: Screen,
    room: &super::source::RoomView,
    language: &str,
    now: DateTime<Utc>,
) -> Result<Option<crate::ui::wizard::WizardController>> {
    use crate::ui::wizard::{WizardController, WizardOptions};
    use crate::ui::{AppState, Screen as UiScreen, WizardAdapter};
    if !matches!(screen, Screen::WizardWelcome | Screen::WizardRoomAccount) {
        return Ok(None);
    }
    app.global::<AppState>().set_screen(UiScreen::Wizard);
    let controller = WizardController::start(
        app,
        WizardOptions {
            default_time_zone: room.tz.name().to_owned(),
            now: Box::new(move || now),
            allow_insecure_http: false,
            content_inputs: Vec::new(),
            content_events: None,
            graph_url: None,
            authority_url: None,
        },
        Box::new(|_, _| Err("a screenshot saves nothing".to_owned())),
    )?;
    let adapter = app.global::<WizardAdapter>();
    adapter.set_language(language.into());
    if screen == Screen::WizardRoomAccount {
        adapter.invoke_next();
    }
    Ok(Some(controller))
}

/// Brings up the PIN pad or the admin screen the way a tap on the gear (and the right
/// PIN) would; the home screen stays for the other screens.
fn show_admin_screen(app: &AppWindow, data_dir: &DataDir, screen: Screen, now: DateTime<Utc>) {
    use crate::ui::admin::controller::{AdminController, AdminDeps};
    use crate::ui::{AdminAdapter, Screen as UiScreen};
    let shown = match screen {
        Screen::Home
        | Screen::JoinOverlay
        | Screen::Content
        | Screen::ContentPreview
        | Screen::ContentProblem
        | Screen::ContentPrompt
        | Screen::NightDimmed
        | Screen::WizardWelcome
        | Screen::WizardRoomAccount => return,
        Screen::PinPad => UiScreen::PinPad,
        Screen::Admin | Screen::ResetConfirmation => UiScreen::Admin,
    };
    let controller = AdminController::start(
        app,
        AdminDeps {
            data_dir: data_dir.clone(),
            clock: std::sync::Arc::new(crate::clock::FixedClock::new(now)),
            sync: None,
            runtime: None,
            allow_insecure_http: false,
            after_reset: Box::new(|| {}),
        },
    );
    controller.show_without_pin(app, shown);
    if screen == Screen::ResetConfirmation {
        app.global::<AdminAdapter>().invoke_factory_reset();
    }
    // The screen stays up after this function: the controller's timer is not needed.
    drop(controller);
}
