//! The admin controller on the UI thread: the gear opens the PIN pad, the right PIN the
//! admin screen (the facts of `room-console status`, the mailbox health hints), whose
//! actions are Sync now, Run checks, Change setup and Factory reset (after a
//! confirmation). A one-second timer keeps the lockout countdown and the facts current;
//! a faster one shows check results as they arrive while checks run.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use slint::{ComponentHandle, ModelRc, SharedString, Timer, TimerMode, VecModel};

use crate::clock::Clock;
use crate::content::InputInfo;
use crate::device::paths::DataDir;
use crate::device::pin::{PIN_LENGTH, PinGate, PinOutcome};
use crate::device::reset::{factory_reset, what_is_erased};
use crate::diagnose::CheckOptions;
use crate::settings::{Secrets, Settings};
use crate::status::{StatusReport, facts, gather};
use crate::store::Store;
use crate::sync::task::SyncHandle;
use crate::ui::admin::checks::{CheckRun, admin_check_rows, english, phrase_wording};
use crate::ui::admin::health::{admin_hint, mailbox_hints};
use crate::ui::admin::model::{
    PinMessage, fact_key, fact_value, fact_word, input_word, locked_message, pin_message,
    reset_list,
};
use crate::ui::admin::update::{slot_facts, update_fact};
use crate::ui::callback::with_window;
use crate::ui::{
    AdminAction, AdminAdapter, AdminFact, AdminHint, AdminResetItems, AppState, AppWindow,
    FactLabel, FactWord, HomeAdapter, PhraseWording, Screen,
};
use crate::update::{UpdateRequest, room_tz};

/// How far back and ahead the health hints look in the cache.
const HINT_WINDOW_DAYS: i64 = 14;
/// How often arrived check results are put on the screen while checks run.
const CHECK_POLL: Duration = Duration::from_millis(200);

/// What the admin screens need from the rest of the program.
pub struct AdminDeps {
    pub data_dir: DataDir,
    pub clock: Arc<dyn Clock>,
    /// The background sync, for "Sync now" (none in demo mode).
    pub sync: Option<SyncHandle>,
    /// The background runtime "Run checks" runs on (none: the button says so).
    pub runtime: Option<tokio::runtime::Handle>,
    /// Allow a plain http:// EWS URL in the checks (a lab only).
    pub allow_insecure_http: bool,
    /// Called once a factory reset is complete; `run` restarts the program there, so
    /// nothing of the old configuration stays in memory and it comes up in the wizard.
    pub after_reset: Box<dyn Fn()>,
}

struct State {
    deps: AdminDeps,
    entered: String,
    gate: PinGate,
    /// The last "Run checks", while its results are on the screen.
    checks: Option<CheckRun>,
    /// Runs every [`CHECK_POLL`] while checks run.
    check_timer: Timer,
}

/// Keeps the admin screens running; drop it to stop them.
pub struct AdminController {
    state: Rc<RefCell<State>>,
    _timer: Timer,
}

impl AdminController {
    /// Wires the gear, the PIN pad and the admin screen of `app`.
    pub fn start(app: &AppWindow, deps: AdminDeps) -> AdminController {
        let gate = PinGate::open(&deps.data_dir, deps.clock.clone());
        let state = Rc::new(RefCell::new(State {
            deps,
            entered: String::new(),
            gate,
            checks: None,
            check_timer: Timer::default(),
        }));
        wire_pin_pad(app, &state);
        wire_admin_screen(app, &state);
        let timer = Timer::default();
        let weak = app.as_weak();
        let ticking = state.clone();
        timer.start(TimerMode::Repeated, Duration::from_secs(1), move || {
            if let Some(app) = weak.upgrade() {
                tick(&app, &ticking.borrow());
            }
        });
        AdminController {
            state,
            _timer: timer,
        }
    }

    /// Waits up to `timeout` for the running checks to finish and shows their results;
    /// whether they finished (true when none run). For tests, which cannot wait on the
    /// screen's timer.
    pub fn wait_for_checks(&self, app: &AppWindow, timeout: Duration) -> bool {
        let mut state = self.state.borrow_mut();
        let finished = state.checks.as_mut().is_none_or(|run| run.wait(timeout));
        show_checks(app, &mut state);
        finished
    }

    /// Shows the PIN pad or the admin screen directly, for `room-console screenshot`
    /// (a command run by whoever already holds the data dir).
    pub fn show_without_pin(&self, app: &AppWindow, screen: Screen) {
        let mut state = self.state.borrow_mut();
        match screen {
            Screen::Admin => open_admin(app, &state),
            _ => open_pin_pad(app, &mut state),
        }
    }
}

/// A callback that runs `f` with the window and the admin state.
fn with_state(
    app: &AppWindow,
    state: &Rc<RefCell<State>>,
    f: fn(&AppWindow, &mut State),
) -> impl Fn() + 'static {
    with_window(app, state, move |app, state| {
        f(app, &mut state.borrow_mut())
    })
}

fn wire_pin_pad(app: &AppWindow, state: &Rc<RefCell<State>>) {
    let with = |f: fn(&AppWindow, &mut State)| with_state(app, state, f);
    app.global::<HomeAdapter>()
        .on_open_admin(with(open_pin_pad));
    let adapter = app.global::<AdminAdapter>();
    adapter.on_pin_erase(with(|app, state| {
        state.entered.pop();
        show_entry(app, state);
    }));
    adapter.on_pin_submit(with(submit_pin));
    adapter.on_pin_cancel(with(|app, state| {
        state.entered.clear();
        go_home(app);
    }));
    let weak = app.as_weak();
    let digits = state.clone();
    adapter.on_pin_digit(move |digit: SharedString| {
        let Some(app) = weak.upgrade() else { return };
        let mut state = digits.borrow_mut();
        if state.entered.len() < *PIN_LENGTH.end() && state.gate.locked_for().is_none() {
            state.entered.push_str(&digit);
        }
        show_entry(&app, &state);
    });
}

fn wire_admin_screen(app: &AppWindow, state: &Rc<RefCell<State>>) {
    let with = |f: fn(&AppWindow, &mut State)| with_state(app, state, f);
    let adapter = app.global::<AdminAdapter>();
    adapter.on_close(with(|app, _| go_home(app)));
    adapter.on_sync_now(with(|app, state| {
        let action = match &state.deps.sync {
            Some(sync) => {
                sync.sync_now();
                AdminAction::SyncRequested
            }
            None => AdminAction::NoSync,
        };
        show_action(app, action, "");
    }));
    adapter.on_check_for_update(with(|app, state| {
        let url = Settings::load(state.deps.data_dir.path())
            .ok()
            .flatten()
            .and_then(|s| s.updates.url);
        let (Some(url), Some(runtime)) = (url, &state.deps.runtime) else {
            show_action(app, AdminAction::NoUpdateSetUp, "");
            return;
        };
        let (data_dir, clock) = (state.deps.data_dir.clone(), state.deps.clock.clone());
        let request = UpdateRequest {
            source: url.to_string(),
            sha256: None,
            restart_now: false,
        };
        // Progress and the outcome land in the update state, which the facts show.
        runtime.spawn(async move {
            if let Err(err) =
                crate::update::start(&data_dir, &request, clock.as_ref(), &mut |_| {}).await
            {
                tracing::error!("update from the admin screen: {err}");
            }
        });
        show_action(app, AdminAction::UpdateStarted, "");
    }));
    adapter.on_change_setup(with(|app, _| open_wizard_for_change(app)));
    let (weak, checking) = (app.as_weak(), Rc::downgrade(state));
    adapter.on_run_checks(move || {
        if let (Some(app), Some(state)) = (weak.upgrade(), checking.upgrade()) {
            start_checks(&app, &state);
        }
    });
    adapter.on_factory_reset(with(|app, state| {
        let adapter = app.global::<AdminAdapter>();
        let list = reset_list(&what_is_erased(&state.deps.data_dir));
        adapter.set_reset_items(AdminResetItems {
            settings: list.settings,
            secrets: list.secrets,
            agenda: list.agenda,
            lockout: list.lockout,
            provisioning: list.provisioning,
            other: list.other.join("\n").into(),
        });
        adapter.set_confirm_reset_shown(true);
    }));
    adapter.on_cancel_reset(with(|app, _| {
        app.global::<AdminAdapter>().set_confirm_reset_shown(false);
    }));
    adapter.on_confirm_reset(with(run_factory_reset));
}

/// "Change setup": re-runs the wizard. The wizard pre-fills today's settings and keeps
/// them (and the cache) in force until Finish; this hook only switches the screen.
pub(crate) fn open_wizard_for_change(app: &AppWindow) {
    app.global::<AppState>().set_screen(Screen::Wizard);
}

/// "Run checks": starts the checks on today's settings and a timer that shows their
/// results as they arrive.
fn start_checks(app: &AppWindow, state: &Rc<RefCell<State>>) {
    let adapter = app.global::<AdminAdapter>();
    let mut current = state.borrow_mut();
    if current.checks.as_ref().is_some_and(|run| !run.finished()) {
        adapter.set_checks_shown(true);
        return;
    }
    let Some(runtime) = current.deps.runtime.clone() else {
        show_action(app, AdminAction::NoRuntime, "");
        return;
    };
    let (settings, secrets) = match configured(&current.deps.data_dir) {
        Ok(configured) => configured,
        Err(problem) => {
            show_action(app, AdminAction::ChecksCannotRun, &problem);
            return;
        }
    };
    let options = CheckOptions {
        now: current.deps.clock.now(),
        allow_insecure_http: current.deps.allow_insecure_http,
    };
    tracing::info!("admin: running the checks");
    current.checks = Some(CheckRun::start(&runtime, settings, secrets, options));
    show_action(app, AdminAction::None, "");
    adapter.set_checks_shown(true);
    show_checks(app, &mut current);
    let (weak, polled) = (app.as_weak(), Rc::downgrade(state));
    current
        .check_timer
        .start(TimerMode::Repeated, CHECK_POLL, move || {
            if let (Some(app), Some(state)) = (weak.upgrade(), polled.upgrade()) {
                show_checks(&app, &mut state.borrow_mut());
            }
        });
}

/// Today's settings and secrets, or why the checks cannot run on them.
fn configured(data_dir: &DataDir) -> Result<(Settings, Secrets), String> {
    let settings = Settings::load(data_dir.path())
        .map_err(|e| e.to_string())?
        .ok_or("the console is not set up yet: finish the setup wizard first")?;
    let secrets = Secrets::load(data_dir.path())
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    Ok((settings, secrets))
}

/// Puts the check results that arrived on the screen; stops polling once all are in.
fn show_checks(app: &AppWindow, state: &mut State) {
    let Some(run) = state.checks.as_mut() else {
        return;
    };
    run.receive();
    let running = !run.finished();
    let rows = admin_check_rows(run.order(), run.results(), running);
    let adapter = app.global::<AdminAdapter>();
    adapter.set_checks(ModelRc::new(VecModel::from(rows)));
    adapter.set_checks_running(running);
    if !running {
        state.check_timer.stop();
    }
}

fn open_pin_pad(app: &AppWindow, state: &mut State) {
    // Re-read the lockout: another run may have written it.
    state.gate = PinGate::open(&state.deps.data_dir, state.deps.clock.clone());
    state.entered.clear();
    show_pin_message(app, None);
    show_entry(app, state);
    app.global::<AppState>().set_screen(Screen::PinPad);
}

fn show_entry(app: &AppWindow, state: &State) {
    let adapter = app.global::<AdminAdapter>();
    adapter.set_pin_length(state.entered.len() as i32);
    let locked = state.gate.locked_for();
    adapter.set_pin_locked(locked.is_some());
    if let Some(remaining) = locked {
        show_pin_message(app, Some(&locked_message(remaining)));
    }
}

fn submit_pin(app: &AppWindow, state: &mut State) {
    let expected = match Secrets::load(state.deps.data_dir.path()) {
        Ok(secrets) => secrets.and_then(|s| s.admin_pin),
        Err(err) => {
            show_pin_message(app, Some(&PinMessage::Unreadable(err.to_string())));
            return;
        }
    };
    let entered = std::mem::take(&mut state.entered);
    let outcome = state.gate.check(&entered, expected.as_ref());
    if outcome == PinOutcome::Accepted {
        open_admin(app, state);
        return;
    }
    if let Some(message) = pin_message(&outcome, state.gate.locked_for()) {
        show_pin_message(app, Some(&message));
    }
    show_entry(app, state);
}

fn open_admin(app: &AppWindow, state: &State) {
    show_action(app, AdminAction::None, "");
    let adapter = app.global::<AdminAdapter>();
    adapter.set_confirm_reset_shown(false);
    adapter.set_checks_shown(false);
    show_facts(app, state);
    let update_url_set = Settings::load(state.deps.data_dir.path())
        .ok()
        .flatten()
        .is_some_and(|s| s.updates.url.is_some());
    adapter.set_update_url_set(update_url_set);
    app.global::<AppState>().set_screen(Screen::Admin);
}

fn go_home(app: &AppWindow) {
    app.global::<AdminAdapter>().set_confirm_reset_shown(false);
    app.global::<AppState>().set_screen(Screen::Home);
}

fn run_factory_reset(app: &AppWindow, state: &mut State) {
    let adapter = app.global::<AdminAdapter>();
    adapter.set_confirm_reset_shown(false);
    match factory_reset(&state.deps.data_dir, &mut |_| {}) {
        Ok(()) => {
            tracing::warn!("factory reset done from the admin screen");
            app.global::<AppState>().set_screen(Screen::Wizard);
            (state.deps.after_reset)();
        }
        Err(err) => show_action(app, AdminAction::ResetFailed, &err.to_string()),
    }
}

fn tick(app: &AppWindow, state: &State) {
    match app.global::<AppState>().get_screen() {
        Screen::PinPad => show_entry(app, state),
        Screen::Admin => show_facts(app, state),
        _ => {}
    }
}

/// Fills the admin screen from the data dir, as `room-console status` reads it.
fn show_facts(app: &AppWindow, state: &State) {
    let adapter = app.global::<AdminAdapter>();
    let report = match gather(&state.deps.data_dir, state.deps.clock.now()) {
        Ok(report) => report,
        Err(err) => {
            adapter.set_facts(ModelRc::new(VecModel::from(vec![AdminFact {
                label: "Status".into(),
                key: FactLabel::StatusUnreadable,
                word: FactWord::AsIs,
                value: format!("{err:#}").into(),
                args: ModelRc::default(),
                words: PhraseWording::default(),
            }])));
            return;
        }
    };
    let rows: Vec<AdminFact> = facts(&report)
        .into_iter()
        .flat_map(|(fact, value)| {
            let key = fact_key(fact);
            if key == FactLabel::ContentInputs && !report.inputs.is_empty() {
                return input_facts(&report.inputs);
            }
            if let (FactLabel::InstalledSoftware, Some(slots)) = (key, &report.slots) {
                return slot_facts(slots);
            }
            if let (FactLabel::SoftwareUpdate, Some(update)) = (key, &report.update) {
                let settings = Settings::load(state.deps.data_dir.path()).ok().flatten();
                return vec![update_fact(update, &room_tz(settings.as_ref()))];
            }
            vec![AdminFact {
                label: fact.label().into(),
                key,
                word: fact_word(key, &report),
                value: fact_value(key, &report, value).into(),
                args: ModelRc::default(),
                // The fleet's reason, for the screen to word in its language.
                words: phrase_wording(report.fleet.reason().filter(|_| key == FactLabel::Fleet)),
            }]
        })
        .collect();
    adapter.set_facts(ModelRc::new(VecModel::from(rows)));
    let error = report.sync.last_error.as_ref();
    let message = error.map(|e| &e.message);
    let fix = error.and_then(|e| e.fix.as_ref());
    adapter.set_last_error(english(message));
    adapter.set_last_error_fix(english(fix));
    adapter.set_last_error_words(phrase_wording(message));
    adapter.set_last_error_fix_words(phrase_wording(fix));
    let hints: Vec<AdminHint> = health_hints(state, &report)
        .into_iter()
        .map(|hint| admin_hint(&hint))
        .collect();
    adapter.set_hints(ModelRc::new(VecModel::from(hints)));
}

/// The content inputs, one line each: the first under the fact's label, each with its
/// state for the screen to word (`input_word`); a read error is shown as it is.
fn input_facts(inputs: &[InputInfo]) -> Vec<AdminFact> {
    inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let (word, value) = match &input.error {
                Some(error) => (FactWord::AsIs, format!("{}: {error}", input.name)),
                None => (input_word(input.status), input.name.clone()),
            };
            AdminFact {
                label: if i == 0 {
                    "Content inputs".into()
                } else {
                    "".into()
                },
                key: if i == 0 {
                    FactLabel::ContentInputs
                } else {
                    FactLabel::AsGiven
                },
                word,
                value: value.into(),
                args: ModelRc::default(),
                words: PhraseWording::default(),
            }
        })
        .collect()
}

/// Shows what an action did; the screen words it (`AdminWords.action`).
fn show_action(app: &AppWindow, action: AdminAction, detail: &str) {
    let adapter = app.global::<AdminAdapter>();
    adapter.set_action_detail(detail.into());
    adapter.set_action_kind(action);
}

fn show_pin_message(app: &AppWindow, message: Option<&PinMessage>) {
    let (kind, [first, second]) = message.map(PinMessage::for_screen).unwrap_or_default();
    let adapter = app.global::<AdminAdapter>();
    adapter.set_pin_message_first(first.into());
    adapter.set_pin_message_second(second.into());
    adapter.set_pin_message_kind(kind);
}

fn health_hints(state: &State, report: &StatusReport) -> Vec<crate::ui::admin::health::HealthHint> {
    let db = state.deps.data_dir.agenda_db();
    if !report.configured || !db.exists() {
        return Vec::new();
    }
    let now = state.deps.clock.now();
    let window = chrono::Duration::days(HINT_WINDOW_DAYS);
    let meetings =
        match Store::open(&db).and_then(|s| s.meetings_between(now - window, now + window)) {
            Ok(meetings) => meetings,
            Err(err) => {
                tracing::warn!("cannot read the cache for the health hints: {err}");
                return Vec::new();
            }
        };
    mailbox_hints(
        &meetings,
        &report.sync,
        report.mailbox.as_deref().unwrap_or("<room mailbox>"),
        report.account.as_deref().unwrap_or("<account>"),
    )
}
