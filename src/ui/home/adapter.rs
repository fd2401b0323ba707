//! Puts a [`HomeView`] on the Slint home screen. The list models are installed once and
//! updated in place, so a clock tick redraws only what changed. Text from the calendar
//! goes through [`for_screen`]: a character no font draws shows as U+FFFD.

use std::rc::Rc;

use slint::{ComponentHandle, Model, ModelRc, SharedString, VecModel};

use crate::ui::fonts::screen_text::for_screen;
use crate::ui::home::model::{
    AsOf, Banner, BannerMessage, Card, ClockTime, Headline, HomeView, PRIVATE_TITLE, Row, Span,
    UNTITLED,
};
use crate::ui::{
    AgendaRow, AppWindow, BannerKind, BannerSince, BannerTopic, ClockTime as SlintClockTime,
    DayHalf, HomeAdapter, HomeStatus, MeetingCard,
};

/// The home screen's list models, owned by the controller.
pub struct HomeModels {
    all_day: Rc<VecModel<AgendaRow>>,
    agenda: Rc<VecModel<AgendaRow>>,
}

impl HomeModels {
    /// Installs empty list models into the window's `HomeAdapter`.
    pub fn install(app: &AppWindow) -> HomeModels {
        let models = HomeModels {
            all_day: Rc::new(VecModel::default()),
            agenda: Rc::new(VecModel::default()),
        };
        let adapter = app.global::<HomeAdapter>();
        adapter.set_all_day(ModelRc::from(models.all_day.clone()));
        adapter.set_agenda(ModelRc::from(models.agenda.clone()));
        models
    }

    /// Shows `view` on the home screen.
    pub fn show(&self, app: &AppWindow, view: &HomeView) {
        let adapter = app.global::<HomeAdapter>();
        set_if_changed(adapter.get_room_name(), &for_screen(&view.room_name), |v| {
            adapter.set_room_name(v)
        });
        set_if_changed(adapter.get_clock(), &view.clock.digits, |v| {
            adapter.set_clock(v)
        });
        adapter.set_clock_half(view.clock.half);
        adapter.set_clock_24h(view.clock_24h);
        adapter.set_weekday(view.date.weekday);
        adapter.set_day(view.date.day as i32);
        adapter.set_month(view.date.month as i32);
        let (kind, until, subject) = match &view.headline {
            Headline::Unknown => (HomeStatus::Unknown, None, ""),
            Headline::Available => (HomeStatus::Available, None, ""),
            Headline::AvailableUntil(t) => (HomeStatus::AvailableUntil, Some(t), ""),
            Headline::InUseUntil { until, subject } => {
                (HomeStatus::InUseUntil, Some(until), subject.as_str())
            }
        };
        let (until, until_half) =
            until.map_or(("", DayHalf::None), |t| (t.digits.as_str(), t.half));
        adapter.set_status_until_half(until_half);
        adapter.set_status_kind(kind);
        adapter.set_status_private(kind == HomeStatus::InUseUntil && subject == PRIVATE_TITLE);
        set_if_changed(adapter.get_status_until(), until, |v| {
            adapter.set_status_until(v)
        });
        set_if_changed(adapter.get_status_subject(), &for_screen(subject), |v| {
            adapter.set_status_subject(v)
        });
        adapter.set_now_card(card(view.now_card.as_ref()));
        adapter.set_next_card(card(view.next_card.as_ref()));
        match &view.banner {
            Some(banner) => show_banner(&adapter, banner),
            None => adapter.set_banner_kind(BannerKind::None),
        }
        update_rows(&self.all_day, &view.all_day);
        update_rows(&self.agenda, &view.agenda);
        adapter.set_agenda_focus(view.agenda_focus.try_into().unwrap_or(i32::MAX));
    }
}

/// Hands the banner's message and its values to the screen, which words it.
fn show_banner(adapter: &HomeAdapter, banner: &Banner) {
    let (message, since, detail) = match &banner.message {
        BannerMessage::FirstSync => (BannerTopic::FirstSync, None, ""),
        BannerMessage::Offline(since) => (BannerTopic::Offline, Some(since), ""),
        BannerMessage::Throttled(since) => (BannerTopic::Throttled, Some(since), ""),
        BannerMessage::ServerError(since) => (BannerTopic::ServerError, Some(since), ""),
        BannerMessage::StorageError(since) => (BannerTopic::StorageError, Some(since), ""),
        BannerMessage::NeedsAdministrator(since) => {
            (BannerTopic::NeedsAdministrator, Some(since), "")
        }
        BannerMessage::DemoCalendar => (BannerTopic::DemoCalendar, None, ""),
        BannerMessage::CacheUnreadable(why) => (BannerTopic::CacheUnreadable, None, why.as_str()),
    };
    let (since_kind, time, day, month) = match since {
        None | Some(AsOf::NeverLoaded) => (BannerSince::NeverLoaded, None, 1, 1),
        Some(AsOf::Today { time }) => (BannerSince::Today, Some(time), 1, 1),
        Some(AsOf::Earlier { day, month, time }) => {
            (BannerSince::Earlier, Some(time), *day, *month)
        }
    };
    let (time, half) = time.map_or(("", DayHalf::None), |t| (t.digits.as_str(), t.half));
    adapter.set_banner_time_half(half);
    adapter.set_banner_kind(banner.kind);
    adapter.set_banner_message(message);
    adapter.set_banner_since(since_kind);
    set_if_changed(adapter.get_banner_time(), time, |v| {
        adapter.set_banner_time(v)
    });
    adapter.set_banner_day(day as i32);
    adapter.set_banner_month(month as i32);
    set_if_changed(adapter.get_banner_detail(), detail, |v| {
        adapter.set_banner_detail(v)
    });
}

fn set_if_changed(current: SharedString, new: &str, set: impl FnOnce(SharedString)) {
    if current.as_str() != new {
        set(new.into());
    }
}

/// The ends of `span` as the screen takes them (`TimeWords.span`); empty for all day.
fn span_ends(span: &Span) -> (SlintClockTime, SlintClockTime) {
    let slint_time = |time: &ClockTime| SlintClockTime {
        digits: time.digits.as_str().into(),
        half: time.half,
    };
    match span {
        Span::AllDay => Default::default(),
        Span::Times { start, end } => (slint_time(start), slint_time(end)),
    }
}

fn agenda_row(row: &Row) -> AgendaRow {
    let (start, end) = span_ends(&row.time);
    AgendaRow {
        id: row.id.as_str().into(),
        start,
        end,
        title: for_screen(&row.title).as_ref().into(),
        detail: for_screen(&row.detail).as_ref().into(),
        phase: row.phase,
        cancelled: row.cancelled,
        private: row.private,
        untitled: row.title == UNTITLED,
        all_day: row.all_day,
        can_join: row.can_join,
        pending: row.pending,
    }
}

fn card(card: Option<&Card>) -> MeetingCard {
    match card {
        None => MeetingCard::default(),
        Some(c) => {
            let (start, end) = span_ends(&c.time);
            MeetingCard {
                present: true,
                id: c.id.as_str().into(),
                all_day: c.time == Span::AllDay,
                start,
                end,
                title: for_screen(&c.title).as_ref().into(),
                detail: for_screen(&c.detail).as_ref().into(),
                private: c.private,
                untitled: c.title == UNTITLED,
                can_join: c.can_join,
                no_join_note: c.no_join_note.as_str().into(),
            }
        }
    }
}

/// Updates `model` in place to hold `rows`: unchanged rows are not touched.
fn update_rows(model: &VecModel<AgendaRow>, rows: &[Row]) {
    for (index, row) in rows.iter().enumerate() {
        let new = agenda_row(row);
        match model.row_data(index) {
            Some(old) if old == new => {}
            Some(_) => model.set_row_data(index, new),
            None => model.push(new),
        }
    }
    while model.row_count() > rows.len() {
        model.remove(model.row_count() - 1);
    }
}
