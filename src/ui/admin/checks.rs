//! "Run checks" on the admin screen: runs the `diagnose` checks on the background runtime
//! against today's settings and hands each result to the UI thread as it arrives, through
//! a channel the admin screen drains on a short timer; and the check lines it shows.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

use slint::{ModelRc, SharedString, VecModel};
use tokio::runtime::Handle;

use crate::diagnose::{CheckId, CheckOptions, CheckResult, CheckStatus, Wording, run_checks};
use crate::settings::{Secrets, Settings};
use crate::ui::{AdminCheckRow, CheckKey, CheckState, PhraseSentence, PhraseWording};

/// `wording` in English, empty for None: the rows' `message` and `fix`.
pub fn english(wording: Option<&Wording>) -> SharedString {
    wording.map(Wording::english).unwrap_or_default().into()
}

/// `wording` as the screens take it, to show in their language (`PhraseWords.text`);
/// None as no sentence at all.
pub fn phrase_wording(wording: Option<&Wording>) -> PhraseWording {
    let sentences: Vec<PhraseSentence> = wording
        .map(Wording::sentences)
        .unwrap_or_default()
        .iter()
        .map(|sentence| PhraseSentence {
            key: sentence.key(),
            args: ModelRc::new(VecModel::from(
                sentence
                    .args
                    .iter()
                    .map(SharedString::from)
                    .collect::<Vec<_>>(),
            )),
        })
        .collect();
    PhraseWording {
        sentences: ModelRc::new(VecModel::from(sentences)),
    }
}

/// The state of a check line once its check has run, as `AdminCheckRow.status` and the
/// wizard's `WizardCheckRow.status` carry it.
pub(crate) fn check_state(status: CheckStatus) -> CheckState {
    match status {
        CheckStatus::Pass => CheckState::Passed,
        CheckStatus::Warn => CheckState::Warning,
        CheckStatus::Fail => CheckState::Failed,
        CheckStatus::Skipped => CheckState::NotChecked,
    }
}

/// How the screens know a check, to word its title (`CheckWords.title`).
pub(crate) fn check_key(id: CheckId) -> CheckKey {
    match id {
        CheckId::Server => CheckKey::Server,
        CheckId::ExchangeVersion => CheckKey::ExchangeVersion,
        CheckId::SignIn => CheckKey::SignIn,
        CheckId::Impersonation => CheckKey::Impersonation,
        CheckId::Mailbox => CheckKey::Mailbox,
        CheckId::Calendar => CheckKey::Calendar,
        CheckId::Invitations => CheckKey::Invitations,
        CheckId::JoinLinks => CheckKey::JoinLinks,
    }
}

/// One check line: title, status, what was found, the fix (None
/// while the check has not reported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckLine {
    pub id: CheckId,
    pub title: &'static str,
    pub status: CheckState,
    pub message: Option<Wording>,
    pub fix: Option<Wording>,
}

/// The admin screen's rows for the lines of [`check_lines`].
pub fn admin_check_rows(
    order: &[CheckId],
    results: &[CheckResult],
    running: bool,
) -> Vec<AdminCheckRow> {
    check_lines(order, results, running)
        .into_iter()
        .map(|line| AdminCheckRow {
            check: check_key(line.id),
            title: line.title.into(),
            status: line.status,
            message: english(line.message.as_ref()),
            fix: english(line.fix.as_ref()),
            message_words: phrase_wording(line.message.as_ref()),
            fix_words: phrase_wording(line.fix.as_ref()),
        })
        .collect()
}

/// The lines for every check of `order`: those that arrived with their outcome, the next
/// one "checking" while the run goes on, the rest waiting.
pub(crate) fn check_lines(
    order: &[CheckId],
    results: &[CheckResult],
    running: bool,
) -> Vec<CheckLine> {
    let mut next_is_running = running;
    order
        .iter()
        .copied()
        .map(|id| match results.iter().find(|r| r.id == id) {
            Some(result) => CheckLine {
                id,
                title: id.title(),
                status: check_state(result.status),
                message: Some(result.wording.clone()),
                fix: result.fix_wording.clone(),
            },
            None => CheckLine {
                id,
                title: id.title(),
                status: if std::mem::take(&mut next_is_running) {
                    CheckState::Checking
                } else {
                    CheckState::Waiting
                },
                message: None,
                fix: None,
            },
        })
        .collect()
}

enum Event {
    Result(CheckResult),
    Done,
}

/// One run of the checks, started on the background runtime.
pub(crate) struct CheckRun {
    order: &'static [CheckId],
    events: Receiver<Event>,
    results: Vec<CheckResult>,
    finished: bool,
}

impl CheckRun {
    /// Starts the checks of `settings` and `secrets` on `runtime`.
    pub(crate) fn start(
        runtime: &Handle,
        settings: Settings,
        secrets: Secrets,
        options: CheckOptions,
    ) -> CheckRun {
        let order = CheckId::for_source(settings.calendar.source);
        let (sender, events) = mpsc::channel();
        runtime.spawn(async move {
            let progress_sender = sender.clone();
            let mut progress = move |result: &CheckResult| {
                // The admin screen may be gone: then nobody needs the result.
                let _ = progress_sender.send(Event::Result(result.clone()));
            };
            run_checks(&settings, &secrets, options, &mut progress).await;
            let _ = sender.send(Event::Done);
        });
        CheckRun {
            order,
            events,
            results: Vec::new(),
            finished: false,
        }
    }

    /// The checks this run goes through, in order.
    pub(crate) fn order(&self) -> &'static [CheckId] {
        self.order
    }

    /// The results so far.
    pub(crate) fn results(&self) -> &[CheckResult] {
        &self.results
    }

    /// Whether every check has reported.
    pub(crate) fn finished(&self) -> bool {
        self.finished
    }

    /// Takes in what arrived since the last call, without waiting.
    pub(crate) fn receive(&mut self) {
        while !self.finished {
            match self.events.try_recv() {
                Ok(event) => self.take(event),
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => self.finished = true,
            }
        }
    }

    /// Waits up to `timeout` for the run to finish; whether it did.
    pub(crate) fn wait(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while !self.finished {
            match self
                .events
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(event) => self.take(event),
                Err(RecvTimeoutError::Timeout) => return false,
                Err(RecvTimeoutError::Disconnected) => self.finished = true,
            }
        }
        true
    }

    fn take(&mut self, event: Event) {
        match event {
            Event::Result(result) => self.results.push(result),
            Event::Done => self.finished = true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_show_arrived_results_then_the_running_check_then_waiting_ones() {
        let results = [
            CheckResult::pass(CheckId::Server, "Answers over HTTPS."),
            CheckResult::warn(
                CheckId::ExchangeVersion,
                "Exchange 2010.",
                Some("Upgrade.".into()),
            ),
        ];
        let lines = check_lines(&CheckId::EXCHANGE, &results, true);
        assert_eq!(lines.len(), CheckId::EXCHANGE.len());
        assert_eq!(lines[0].status, CheckState::Passed);
        assert_eq!(
            lines[0].message.as_ref().map(Wording::english).as_deref(),
            Some("Answers over HTTPS.")
        );
        assert_eq!(lines[1].status, CheckState::Warning);
        assert_eq!(
            lines[1].fix.as_ref().map(Wording::english).as_deref(),
            Some("Upgrade.")
        );
        assert_eq!(lines[2].message, None);
        assert_eq!(lines[2].status, CheckState::Checking);
        assert_eq!(lines[2].title, CheckId::SignIn.title());
        assert!(lines[3..].iter().all(|l| l.status == CheckState::Waiting));
    }

    #[test]
    fn a_failure_and_the_checks_it_stopped_read_as_such() {
        let results = [
            CheckResult::fail(CheckId::Server, "No answer.", Some("Check the URL.".into())),
            CheckResult::skipped(CheckId::ExchangeVersion, CheckId::Server),
        ];
        let lines = check_lines(&CheckId::EXCHANGE, &results, false);
        assert_eq!(lines[0].status, CheckState::Failed);
        assert_eq!(lines[1].status, CheckState::NotChecked);
        assert_eq!(
            lines[2].status,
            CheckState::Waiting,
            "not running: nothing checking"
        );
    }
}
