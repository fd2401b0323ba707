//! The screens' font fallback chain (src/ui/fonts): every character of real-world
//! subjects and names has a glyph, on every screen language, from the font meant for its
//! script; a character that no font has shows as U+FFFD; and the glyphs are really drawn
//! (the home screen's frame changes when they are added to a subject).
//!
//! Needs the fonts of the device image installed (Debian fonts-noto-core,
//! fonts-noto-cjk, fonts-symbola, fonts-unifont: `scripts/setup`).

use crate::common::international;
use crate::common::screens;

use chrono::{Duration, TimeZone, Utc};
use chrono_tz::Tz;
use international::{MEETINGS, NO_FONT_HAS_IT};
use room_console::calendar::demo::demo_agenda;
use room_console::ui::fonts::coverage::{drawing_family, has_glyph, needs_glyph};
use room_console::ui::fonts::screen_text::for_screen;
use room_console::ui::headless::Headless;
use room_console::ui::home::adapter::HomeModels;
use room_console::ui::home::model::{HomeInputs, build};
use room_console::ui::{AppWindow, Screen, language};
use screens::show_app_at;

const INSTALL: &str = "install the fonts of the device image: scripts/setup";

#[test]
fn every_character_of_the_corpus_has_a_glyph_on_every_screen_language() {
    let (_headless, app) = show_app_at(Screen::Home);
    for screen_language in ["en", "sv", "ko"] {
        language::apply(&app, screen_language);
        let missing: Vec<String> = MEETINGS
            .iter()
            .flat_map(|(subject, organizer)| subject.chars().chain(organizer.chars()))
            .filter(|&ch| needs_glyph(ch) && !has_glyph(ch))
            .map(|ch| format!("{ch} U+{:04X}", u32::from(ch)))
            .collect();
        assert!(
            missing.is_empty(),
            "on the {screen_language} screen no font draws {missing:?}; {INSTALL}"
        );
    }
}

#[test]
fn each_script_is_drawn_by_the_font_meant_for_it() {
    let (_headless, app) = show_app_at(Screen::Home);
    language::apply(&app, "en");
    for (ch, family) in [
        ('a', "Inter"),
        ('한', "Console Hangul"),
        ('会', "Noto Sans CJK SC"),
        ('レ', "Noto Sans CJK SC"),
        ('م', "Noto Sans Arabic"),
        ('ש', "Noto Sans Hebrew"),
        ('ท', "Noto Sans Thai"),
        ('क', "Noto Sans Devanagari"),
        ('Ж', "Inter"),
        ('ệ', "Inter"),
        ('🎉', "Symbola"),
        ('👍', "Noto Sans Symbols2"),
        ('\u{1F3FD}', "Symbola"),
        ('🥳', "Unifont Upper"),
    ] {
        assert_eq!(
            drawing_family(ch).as_deref(),
            Some(family),
            "U+{:04X}; {INSTALL}",
            u32::from(ch)
        );
    }
    for (ch, family) in [
        ('ம', "Noto Sans Tamil"),
        ('দ', "Noto Sans Bengali"),
        ('ნ', "Noto Sans Georgian"),
    ] {
        assert_eq!(
            drawing_family(ch).as_deref(),
            Some(family),
            "{ch}; {INSTALL}"
        );
    }
    // A script outside the chain (Ol Chiki) gets a font of fontconfig's choice.
    assert!(drawing_family('ᱚ').is_some(), "{INSTALL}");
}

#[test]
fn a_character_no_font_has_shows_a_replacement() {
    let (_headless, _app) = show_app_at(Screen::Home);
    assert_eq!(drawing_family(NO_FONT_HAS_IT), None);
    assert_eq!(
        for_screen(&format!("Budget {NO_FONT_HAS_IT} 会議")),
        "Budget \u{FFFD} 会議"
    );
    assert!(drawing_family('\u{FFFD}').is_some(), "{INSTALL}");
    // Text every font draws passes unchanged, invisible joiners included.
    for (subject, organizer) in MEETINGS {
        assert_eq!(for_screen(subject), *subject);
        assert_eq!(for_screen(organizer), *organizer);
    }
}

/// The home screen with one meeting in progress called `subject`, rendered.
fn frame_with_subject(headless: &Headless, app: &AppWindow, subject: &str) -> Vec<u8> {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 8, 40, 0).unwrap();
    let mut meeting = demo_agenda(now.date_naive(), 1, &Tz::UTC)
        .into_iter()
        .find(|m| m.time.instants(&Tz::UTC).0 == now - Duration::minutes(10))
        .expect("the 08:30 stand-up");
    meeting.subject = Some(subject.to_owned());
    let view = build(&HomeInputs {
        room_name: "Conference Room 2",
        meetings: &[meeting],
        now,
        tz: Tz::UTC,
        clock_24h: true,
        banner: None,
        agenda_known: true,
    });
    HomeModels::install(app).show(app, &view);
    headless.render().as_bytes().to_vec()
}

#[test]
fn glyphs_of_every_script_and_emoji_reach_the_screen() {
    let (headless, app) = show_app_at(Screen::Home);
    for screen_language in ["en", "ko"] {
        language::apply(&app, screen_language);
        let without = frame_with_subject(&headless, &app, "Plan");
        for added in [
            "会議",
            "한",
            "李",
            "م",
            "ש",
            "ท",
            "क",
            "ம",
            "🎉",
            "✅",
            "👍",
            "👩🏽‍💻",
            "🇸🇪",
            "🥳",
            "e\u{301}",
        ] {
            let with = frame_with_subject(&headless, &app, &format!("Plan {added}"));
            assert_ne!(
                with, without,
                "{added:?} draws nothing on the {screen_language} screen"
            );
        }
        // A character no font has still shows (as U+FFFD).
        let with = frame_with_subject(&headless, &app, &format!("Plan {NO_FONT_HAS_IT}"));
        assert_ne!(with, without, "a character without a glyph shows nothing");
    }
}
