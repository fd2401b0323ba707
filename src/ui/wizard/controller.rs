//! Binds the wizard's flow to the `WizardAdapter` global: reads the fields into the draft
//! on Back/Next, puts each problem next to its field, runs the account checks on a tokio
//! runtime off the UI thread (results come back over a channel a Slint timer polls) and,
//! on Finish, hands the settings and secrets to the caller, which saves them.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use slint::{ComponentHandle, ModelRc, SharedString, Timer, TimerMode, VecModel};

use super::draft::{Draft, Field, FieldError, FieldProblem};
use super::expected::expected_for_screen;
use super::flow::{Refusal, Step, Wizard};
use super::keyboard;
use super::plug::PlugIndicator;
use super::summary::SummaryValue;
use crate::content::ContentEvent;
use crate::diagnose::{CheckId, CheckOptions, CheckResult, CheckStatus, run_checks};
use crate::settings::{CalendarSource, EwsAuthMethod, Secrets, Settings};
use crate::ui::admin::checks::{check_key, check_state, english, phrase_wording};
use crate::ui::callback::with_window;
use crate::ui::{
    AppWindow, CheckState, FieldExpected, SummaryValueWord, WizardAdapter, WizardCheckRow,
    WizardFieldError, WizardNotice, WizardSource, WizardSummaryRow,
};

/// How often the UI looks for check results.
const POLL_INTERVAL: Duration = Duration::from_millis(50);
/// The most time zones listed at once.
const MAX_TIME_ZONES: usize = 400;

/// What the wizard needs from its surroundings.
pub struct WizardOptions {
    /// The IANA zone offered first (the system's).
    pub default_time_zone: String,
    /// The instant the checks read the calendar from.
    pub now: Box<dyn Fn() -> DateTime<Utc>>,
    /// Allow a plain http:// EWS URL (a lab only).
    pub allow_insecure_http: bool,
    /// The content inputs the device has, one per line; empty when none were found.
    pub content_inputs: Vec<String>,
    /// The content watcher's events, for the Content input step's live "laptop
    /// connected" indicator; None when no watcher runs.
    pub content_events: Option<Receiver<ContentEvent>>,
    /// The Graph endpoint and sign-in authority for the Microsoft 365 path (national
    /// clouds, labs); None: the global cloud.
    pub graph_url: Option<url::Url>,
    pub authority_url: Option<url::Url>,
}

/// Saves the finished settings and moves on (to the home screen); an error is shown.
pub(crate) type OnFinish = Box<dyn FnMut(Settings, Secrets) -> Result<(), String>>;

enum CheckEvent {
    Progress(String, CheckResult),
    Done(String, Vec<CheckResult>),
}

struct Inner {
    app: slint::Weak<AppWindow>,
    wizard: RefCell<Wizard>,
    runtime: tokio::runtime::Runtime,
    sender: Sender<CheckEvent>,
    events: Receiver<CheckEvent>,
    options: WizardOptions,
    on_finish: RefCell<OnFinish>,
    /// The checks of the run shown, in their lines' order.
    check_order: Cell<&'static [CheckId]>,
    plug: RefCell<PlugIndicator>,
    _poll: Timer,
}

/// The wizard on screen. Keep it alive while the wizard is shown.
pub struct WizardController {
    inner: Rc<Inner>,
}

impl WizardController {
    /// Shows the wizard's first step in `app` and wires its callbacks.
    pub fn start(app: &AppWindow, options: WizardOptions, on_finish: OnFinish) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("wizard-checks")
            .enable_all()
            .build()
            .context("cannot start the runtime for the account checks")?;
        let (sender, events) = channel();
        let mut draft = Draft::new(&options.default_time_zone);
        draft.graph_url = options.graph_url.clone();
        draft.authority_url = options.authority_url.clone();
        let inner = Rc::new(Inner {
            app: app.as_weak(),
            wizard: RefCell::new(Wizard::new(draft.clone())),
            runtime,
            sender,
            events,
            options,
            on_finish: RefCell::new(on_finish),
            check_order: Cell::new(&CheckId::EXCHANGE),
            plug: RefCell::default(),
            _poll: Timer::default(),
        });
        let adapter = app.global::<WizardAdapter>();
        write_draft(&adapter, &draft);
        adapter.set_content_inputs(inner.options.content_inputs.join("\n").into());
        adapter.set_content_watched(inner.options.content_events.is_some());
        adapter.set_step(Step::Welcome);
        show_time_zones(&adapter, "");
        wire(app, &adapter, &inner);
        let weak = Rc::downgrade(&inner);
        inner
            ._poll
            .start(TimerMode::Repeated, POLL_INTERVAL, move || {
                if let Some(inner) = weak.upgrade() {
                    inner.drain();
                }
            });
        Ok(WizardController { inner })
    }

    /// The step shown.
    pub fn step(&self) -> Step {
        self.inner.wizard.borrow().step()
    }

    /// Blocks until the running checks are done and shows their results (for tests and
    /// the headless renderer, which have no event loop running the poll timer).
    pub fn wait_for_checks(&self) {
        while self.inner.wizard.borrow().step() == Step::Check {
            let mut running = false;
            self.inner
                .with_adapter(|adapter| running = adapter.get_checks_running());
            if !running {
                return;
            }
            match self.inner.events.recv() {
                Ok(event) => self.inner.apply(event),
                Err(_) => return,
            }
        }
    }
}

fn wire(app: &AppWindow, adapter: &WizardAdapter, inner: &Rc<Inner>) {
    let on = |f: fn(&Inner)| with_window(app, inner, move |_, inner| f(inner));
    adapter.on_next(on(Inner::next));
    adapter.on_back(on(Inner::back));
    adapter.on_run_checks(on(Inner::run_checks));
    adapter.on_continue_anyway(on(Inner::continue_anyway));
    adapter.on_finish(on(Inner::finish));
    let weak_app = app.as_weak();
    adapter.on_time_zone_search_edited(move |text| {
        if let Some(app) = weak_app.upgrade() {
            show_time_zones(&app.global::<WizardAdapter>(), &text);
        }
    });
    let weak_app = app.as_weak();
    adapter.on_language_chosen(move |language| {
        if let Some(app) = weak_app.upgrade() {
            crate::ui::language::apply(&app, &language);
        }
    });
    let weak_app = app.as_weak();
    adapter.on_key_pressed(move |key| {
        if let Some(app) = weak_app.upgrade() {
            keyboard::press(app.window(), &key);
        }
    });
}

impl Inner {
    fn with_adapter(&self, f: impl FnOnce(&WizardAdapter)) {
        if let Some(app) = self.app.upgrade() {
            f(&app.global::<WizardAdapter>());
        }
    }

    /// Takes the fields on screen into the draft.
    fn take_fields(&self) {
        self.with_adapter(|adapter| {
            let mut draft = read_draft(adapter);
            draft.graph_url = self.options.graph_url.clone();
            draft.authority_url = self.options.authority_url.clone();
            self.wizard.borrow_mut().update(draft);
        });
    }

    fn show_step(&self) {
        let wizard = self.wizard.borrow();
        let step = wizard.step();
        let summary = (step == Step::Summary).then(|| wizard.summary());
        self.with_adapter(|adapter| {
            adapter.set_step(step);
            if let Some(summary) = summary {
                let rows: Vec<WizardSummaryRow> = summary
                    .into_iter()
                    .map(|line| {
                        let (value, word) = match line.value {
                            SummaryValue::Text(text) => (text.into(), SummaryValueWord::AsGiven),
                            SummaryValue::Word(word) => (SharedString::new(), word.for_screen()),
                        };
                        WizardSummaryRow {
                            label: line.label,
                            value,
                            word,
                        }
                    })
                    .collect();
                adapter.set_summary(ModelRc::new(VecModel::from(rows)));
            }
        });
    }

    fn next(&self) {
        self.take_fields();
        let outcome = self.wizard.borrow_mut().advance();
        self.after(outcome);
    }

    fn continue_anyway(&self) {
        self.take_fields();
        let outcome = self.wizard.borrow_mut().continue_anyway();
        self.after(outcome);
    }

    fn after(&self, outcome: Result<Step, Refusal>) {
        match outcome {
            Ok(step) => {
                self.with_adapter(|adapter| {
                    show_errors(adapter, &[]);
                    adapter.set_notice_kind(WizardNotice::None);
                });
                self.show_step();
                if step == Step::Check {
                    self.run_checks();
                }
            }
            Err(refusal) => self.refused(&refusal),
        }
    }

    fn refused(&self, refusal: &Refusal) {
        let notice = match refusal {
            Refusal::Fields(errors) => {
                self.with_adapter(|adapter| show_errors(adapter, errors));
                WizardNotice::CorrectFields
            }
            Refusal::ChecksNotRun => WizardNotice::CheckAgain,
            Refusal::ChecksRunning => WizardNotice::ChecksRunning,
            Refusal::ChecksFailed { may_continue: true } => WizardNotice::CheckFailed,
            Refusal::ChecksFailed {
                may_continue: false,
            } => WizardNotice::SignInFailed,
            Refusal::NotAtSummary => WizardNotice::None,
        };
        let notice = notice.for_source(self.wizard.borrow().draft().source);
        self.with_adapter(|adapter| adapter.set_notice_kind(notice));
    }

    fn back(&self) {
        self.take_fields();
        self.wizard.borrow_mut().back();
        self.with_adapter(|adapter| {
            show_errors(adapter, &[]);
            adapter.set_notice_kind(WizardNotice::None);
        });
        self.show_step();
    }

    fn run_checks(&self) {
        self.take_fields();
        let Some((settings, secrets)) = self.wizard.borrow_mut().start_checks() else {
            return;
        };
        let account = self.wizard.borrow().draft().account_key();
        let order = CheckId::for_source(settings.calendar.source);
        self.check_order.set(order);
        self.with_adapter(|adapter| {
            let rows: Vec<WizardCheckRow> = order
                .iter()
                .enumerate()
                .map(|(i, id)| WizardCheckRow {
                    check: check_key(*id),
                    title: id.title().into(),
                    status: if i == 0 {
                        CheckState::Checking
                    } else {
                        CheckState::Waiting
                    },
                    message: SharedString::new(),
                    fix: SharedString::new(),
                    message_words: phrase_wording(None),
                    fix_words: phrase_wording(None),
                })
                .collect();
            adapter.set_checks(ModelRc::new(VecModel::from(rows)));
            adapter.set_checks_running(true);
            adapter.set_checks_failed(false);
            adapter.set_may_continue_anyway(false);
            adapter.set_notice_kind(WizardNotice::None);
        });
        let options = CheckOptions {
            now: (self.options.now)(),
            allow_insecure_http: self.options.allow_insecure_http,
        };
        let sender = self.sender.clone();
        self.runtime.spawn(async move {
            let progress_sender = sender.clone();
            let progress_account = account.clone();
            let mut progress = move |result: &CheckResult| {
                let _ = progress_sender.send(CheckEvent::Progress(
                    progress_account.clone(),
                    result.clone(),
                ));
            };
            let results = run_checks(&settings, &secrets, options, &mut progress).await;
            let _ = sender.send(CheckEvent::Done(account, results));
        });
    }

    /// Shows every check result and content input event that has arrived.
    fn drain(&self) {
        while let Ok(event) = self.events.try_recv() {
            self.apply(event);
        }
        let Some(content) = &self.options.content_events else {
            return;
        };
        let mut changed = false;
        while let Ok(event) = content.try_recv() {
            self.plug.borrow_mut().on_event(&event);
            changed = true;
        }
        if changed {
            let plug = self.plug.borrow();
            self.with_adapter(|adapter| {
                adapter.set_laptop_connected(plug.laptop_connected());
                adapter.set_content_problem(plug.problems().into());
            });
        }
    }

    fn apply(&self, event: CheckEvent) {
        match event {
            CheckEvent::Progress(account, result) => {
                if self.wizard.borrow().draft().account_key() != account {
                    return;
                }
                self.with_adapter(|adapter| show_result(adapter, self.check_order.get(), &result));
            }
            CheckEvent::Done(account, results) => {
                let mut wizard = self.wizard.borrow_mut();
                if !wizard.checks_finished(&account, results.clone()) {
                    return;
                }
                let may_continue = wizard.may_continue_anyway();
                let failed = results.iter().any(|r| r.status == CheckStatus::Fail);
                let settings_source = wizard.draft().source;
                drop(wizard);
                self.with_adapter(|adapter| {
                    for result in &results {
                        show_result(adapter, self.check_order.get(), result);
                    }
                    adapter.set_checks_running(false);
                    adapter.set_checks_failed(failed);
                    adapter.set_may_continue_anyway(may_continue);
                    let notice = match (failed, may_continue) {
                        (false, _) => WizardNotice::None,
                        (true, true) => WizardNotice::CheckFailedAfterChecks,
                        (true, false) => WizardNotice::SignInFailedAfterChecks,
                    }
                    .for_source(settings_source);
                    adapter.set_notice_kind(notice);
                });
            }
        }
    }

    fn finish(&self) {
        self.take_fields();
        let outcome = self.wizard.borrow().finish();
        match outcome {
            Ok((settings, secrets)) => {
                let saved = (self.on_finish.borrow_mut())(settings, secrets);
                if let Err(message) = saved {
                    self.with_adapter(|adapter| {
                        adapter.set_notice_detail(message.into());
                        adapter.set_notice_kind(WizardNotice::NotSaved);
                    });
                }
            }
            Err(refusal) => self.refused(&refusal),
        }
    }
}

/// Puts one result on its line of `order` (and marks the next line as running).
fn show_result(adapter: &WizardAdapter, order: &[CheckId], result: &CheckResult) {
    let checks = adapter.get_checks();
    let Some(index) = order.iter().position(|id| *id == result.id) else {
        return;
    };
    let status = check_state(result.status);
    let row = WizardCheckRow {
        check: check_key(result.id),
        title: result.id.title().into(),
        status,
        message: english(Some(&result.wording)),
        fix: english(result.fix_wording.as_ref()),
        message_words: phrase_wording(Some(&result.wording)),
        fix_words: phrase_wording(result.fix_wording.as_ref()),
    };
    use slint::Model;
    checks.set_row_data(index, row);
    if let Some(mut next) = checks.row_data(index + 1)
        && next.status == CheckState::Waiting
    {
        next.status = CheckState::Checking;
        checks.set_row_data(index + 1, next);
    }
}

fn show_time_zones(adapter: &WizardAdapter, search: &str) {
    let needle = search.trim().to_lowercase();
    let zones: Vec<SharedString> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter(|name| needle.is_empty() || name.to_lowercase().contains(&needle))
        .take(MAX_TIME_ZONES)
        .map(SharedString::from)
        .collect();
    adapter.set_time_zones(ModelRc::new(VecModel::from(zones)));
}

/// The Calendar access choice that shows `source` (the demo calendar is not offered).
fn wizard_source(source: CalendarSource) -> WizardSource {
    match source {
        CalendarSource::EwsImpersonation | CalendarSource::Demo => WizardSource::Impersonation,
        CalendarSource::EwsRoomAccount => WizardSource::RoomAccount,
        CalendarSource::Graph => WizardSource::Microsoft365,
    }
}

fn source_of(choice: WizardSource) -> CalendarSource {
    match choice {
        WizardSource::Impersonation => CalendarSource::EwsImpersonation,
        WizardSource::RoomAccount => CalendarSource::EwsRoomAccount,
        WizardSource::Microsoft365 => CalendarSource::Graph,
    }
}

fn read_draft(a: &WizardAdapter) -> Draft {
    Draft {
        language: a.get_language().into(),
        time_zone: a.get_time_zone().into(),
        clock_24h: a.get_clock_24h(),
        display_name: a.get_display_name().into(),
        sign_in_address: a.get_sign_in_address().into(),
        exchange_address: a.get_exchange_address().into(),
        domain_username: a.get_domain_username().into(),
        room_password: a.get_room_password().into(),
        source: source_of(a.get_source()),
        ews_url: a.get_ews_url().into(),
        authentication: if a.get_auth_basic() {
            EwsAuthMethod::Basic
        } else {
            EwsAuthMethod::Ntlm
        },
        service_username: a.get_service_username().into(),
        service_password: a.get_service_password().into(),
        ca_file: a.get_ca_file().into(),
        tenant_id: a.get_tenant_id().into(),
        client_id: a.get_client_id().into(),
        client_secret: a.get_client_secret().into(),
        graph_url: None,
        authority_url: None,
        auto_share: a.get_auto_share(),
        pin: a.get_pin().into(),
        pin_again: a.get_pin_again().into(),
    }
}

fn write_draft(a: &WizardAdapter, d: &Draft) {
    a.set_language(d.language.as_str().into());
    a.set_time_zone(d.time_zone.as_str().into());
    a.set_clock_24h(d.clock_24h);
    a.set_display_name(d.display_name.as_str().into());
    a.set_sign_in_address(d.sign_in_address.as_str().into());
    a.set_exchange_address(d.exchange_address.as_str().into());
    a.set_domain_username(d.domain_username.as_str().into());
    a.set_room_password(d.room_password.as_str().into());
    a.set_source(wizard_source(d.source));
    a.set_ews_url(d.ews_url.as_str().into());
    a.set_auth_basic(d.authentication == EwsAuthMethod::Basic);
    a.set_service_username(d.service_username.as_str().into());
    a.set_service_password(d.service_password.as_str().into());
    a.set_ca_file(d.ca_file.as_str().into());
    a.set_tenant_id(d.tenant_id.as_str().into());
    a.set_client_id(d.client_id.as_str().into());
    a.set_client_secret(d.client_secret.as_str().into());
    a.set_auto_share(d.auto_share);
    a.set_pin(d.pin.as_str().into());
    a.set_pin_again(d.pin_again.as_str().into());
}

impl WizardNotice {
    /// The sign-in notice in the words of the calendar source being set up.
    fn for_source(self, source: CalendarSource) -> WizardNotice {
        match (self, source) {
            (WizardNotice::SignInFailed, CalendarSource::Graph) => WizardNotice::AppSignInFailed,
            (WizardNotice::SignInFailedAfterChecks, CalendarSource::Graph) => {
                WizardNotice::AppSignInFailedAfterChecks
            }
            (notice, _) => notice,
        }
    }
}

/// Shows `errors` next to their fields and clears every other field's error.
fn show_errors(a: &WizardAdapter, errors: &[FieldError]) {
    let mut shown = vec![WizardFieldError::default(); Field::ALL.len()];
    // One problem per field is shown: the first found.
    for error in errors.iter().rev() {
        let (expected, values) = match &error.problem {
            FieldProblem::Invalid(expected) => expected_for_screen(expected),
            _ => (FieldExpected::Nothing, Vec::new()),
        };
        let value = |i: usize| values.get(i).map(SharedString::from).unwrap_or_default();
        shown[error.field.index()] = WizardFieldError {
            problem: error.problem.for_screen(),
            expected,
            first: value(0),
            second: value(1),
        };
    }
    a.set_field_errors(ModelRc::new(VecModel::from(shown)));
}
