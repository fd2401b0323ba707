//! The wizard's steps and the rules for moving between them: Next checks the fields of
//! the step being left with the provisioning file's validators; the Check step lets the
//! admin on once the account checks pass, or "continue anyway" after a failure unless
//! sign-in failed; editing the account after a check means checking again. Nothing is
//! written anywhere: [`Wizard::finish`] hands back the settings and secrets to save.

use super::draft::{Draft, Field, FieldError, FieldProblem, Problems};
use super::summary::{SummaryLine, summary_of};
use crate::diagnose::{CheckId, CheckResult, CheckStatus};
use crate::settings::validate;
use crate::settings::{CalendarSource, Secrets, Settings};

/// The steps, in order: the screen's `WizardStep`.
pub use crate::ui::WizardStep as Step;

impl Step {
    pub const ALL: [Step; 7] = [
        Step::Welcome,
        Step::RoomAccount,
        Step::CalendarAccess,
        Step::Check,
        Step::ContentInput,
        Step::AdminPin,
        Step::Summary,
    ];

    /// Its position, 0 for Welcome.
    pub fn index(self) -> usize {
        Step::ALL.iter().position(|step| *step == self).unwrap_or(0)
    }

    fn next(self) -> Option<Step> {
        Step::ALL.get(self.index() + 1).copied()
    }

    fn previous(self) -> Option<Step> {
        self.index().checked_sub(1).map(|i| Step::ALL[i])
    }
}

/// Why Next (or Finish) did not move on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Fields of the step have problems, each to show next to its field.
    Fields(Vec<FieldError>),
    /// The checks have not run for the account as it is now.
    ChecksNotRun,
    /// The checks are still running.
    ChecksRunning,
    /// A check failed; `may_continue` is false when sign-in failed.
    ChecksFailed { may_continue: bool },
    /// Finish outside the Summary step.
    NotAtSummary,
}

/// Where the account checks are.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Checks {
    NotRun,
    Running {
        account: String,
    },
    Done {
        account: String,
        results: Vec<CheckResult>,
    },
}

/// The wizard's state: the step shown, the draft, and the checks.
#[derive(Debug, Clone)]
pub struct Wizard {
    step: Step,
    draft: Draft,
    checks: Checks,
}

impl Wizard {
    pub fn new(draft: Draft) -> Wizard {
        Wizard {
            step: Step::Welcome,
            draft,
            checks: Checks::NotRun,
        }
    }

    pub fn step(&self) -> Step {
        self.step
    }

    pub fn draft(&self) -> &Draft {
        &self.draft
    }

    /// Takes the fields as they are on screen now.
    pub fn update(&mut self, draft: Draft) {
        self.draft = draft;
    }

    /// Goes one step back; nothing is checked or lost.
    pub fn back(&mut self) -> Step {
        if let Some(previous) = self.step.previous() {
            self.step = previous;
        }
        self.step
    }

    /// Next: goes to the next step when the current one allows it.
    pub fn advance(&mut self) -> Result<Step, Refusal> {
        match self.step {
            Step::Check => self.check_gate(false)?,
            Step::Summary => return Err(Refusal::NotAtSummary),
            step => {
                let problems = problems_of(step, &self.draft);
                if !problems.is_empty() {
                    return Err(Refusal::Fields(problems));
                }
            }
        }
        if let Some(next) = self.step.next() {
            self.step = next;
        }
        Ok(self.step)
    }

    /// On the Check step after a failure: goes on anyway, unless sign-in failed.
    pub(crate) fn continue_anyway(&mut self) -> Result<Step, Refusal> {
        if self.step != Step::Check {
            return self.advance();
        }
        self.check_gate(true)?;
        self.step = Step::ContentInput;
        Ok(self.step)
    }

    fn check_gate(&self, anyway: bool) -> Result<(), Refusal> {
        let current = self.draft.account_key();
        match &self.checks {
            Checks::Running { account } if *account == current => Err(Refusal::ChecksRunning),
            Checks::Done { account, results } if *account == current => {
                let failed = |id: CheckId| {
                    results
                        .iter()
                        .any(|r| r.id == id && r.status == CheckStatus::Fail)
                };
                let any_failed = results.iter().any(|r| r.status == CheckStatus::Fail);
                if !any_failed {
                    return Ok(());
                }
                let may_continue = !failed(CheckId::SignIn);
                if anyway && may_continue {
                    Ok(())
                } else {
                    Err(Refusal::ChecksFailed { may_continue })
                }
            }
            _ => Err(Refusal::ChecksNotRun),
        }
    }

    /// Starts a run of the checks: the settings and secrets to check. `None` when a run
    /// for the same account is already going.
    pub(crate) fn start_checks(&mut self) -> Option<(Settings, Secrets)> {
        let account = self.draft.account_key();
        if matches!(&self.checks, Checks::Running { account: running } if *running == account) {
            return None;
        }
        self.checks = Checks::Running { account };
        Some(self.draft.to_settings())
    }

    /// Records the results of the run started for `draft`'s account; results of a run
    /// for an account since edited are dropped.
    pub(crate) fn checks_finished(&mut self, account: &str, results: Vec<CheckResult>) -> bool {
        match &self.checks {
            Checks::Running { account: running } if running == account => {
                self.checks = Checks::Done {
                    account: account.to_owned(),
                    results,
                };
                true
            }
            _ => false,
        }
    }

    /// Whether "Continue anyway" is offered: a check failed, but not sign-in.
    pub(crate) fn may_continue_anyway(&self) -> bool {
        self.check_gate(true).is_ok() && self.check_gate(false).is_err()
    }

    /// At the Summary: the settings and secrets to save. Every step is checked again, so
    /// nothing invalid can be saved whatever path led here.
    pub fn finish(&self) -> Result<(Settings, Secrets), Refusal> {
        if self.step != Step::Summary {
            return Err(Refusal::NotAtSummary);
        }
        let problems: Vec<FieldError> = Step::ALL
            .into_iter()
            .flat_map(|step| problems_of(step, &self.draft))
            .collect();
        if !problems.is_empty() {
            return Err(Refusal::Fields(problems));
        }
        Ok(self.draft.to_settings())
    }

    /// What the Summary lists, secrets masked.
    pub fn summary(&self) -> Vec<SummaryLine> {
        summary_of(&self.draft)
    }
}

/// The problems of the fields on `step`.
pub(crate) fn problems_of(step: Step, draft: &Draft) -> Vec<FieldError> {
    let mut p = Problems::default();
    match step {
        Step::Welcome => p.check(Field::TimeZone, validate::time_zone(draft.time_zone.trim())),
        Step::RoomAccount => {
            if p.required(Field::DisplayName, &draft.display_name) {
                p.check(
                    Field::DisplayName,
                    validate::display_name(draft.display_name.trim()),
                );
            }
            if p.required(Field::SignInAddress, &draft.sign_in_address) {
                p.check(
                    Field::SignInAddress,
                    validate::email_address(draft.sign_in_address.trim()),
                );
            }
            // Left empty, it is the sign-in address, checked above.
            let exchange = draft.exchange_address.trim();
            if !exchange.is_empty() {
                p.check(Field::ExchangeAddress, validate::email_address(exchange));
            }
            if !draft.domain_username.trim().is_empty() {
                p.check(
                    Field::DomainUsername,
                    validate::account_name(draft.domain_username.trim()),
                );
            }
        }
        Step::CalendarAccess => calendar_problems(draft, &mut p),
        Step::AdminPin => {
            p.check(Field::Pin, validate::admin_pin(&draft.pin));
            if draft.pin_again != draft.pin {
                p.add(Field::PinAgain, FieldProblem::PinsDiffer);
            }
        }
        Step::Check | Step::ContentInput | Step::Summary => {}
    }
    p.0
}

fn calendar_problems(draft: &Draft, p: &mut Problems) {
    match draft.source {
        CalendarSource::Demo => {
            p.add(Field::Source, FieldProblem::ChooseSource);
            return;
        }
        CalendarSource::Graph => {
            if p.required(Field::TenantId, &draft.tenant_id) {
                p.check(Field::TenantId, validate::tenant_id(draft.tenant_id.trim()));
            }
            if p.required(Field::ClientId, &draft.client_id) {
                p.check(Field::ClientId, validate::client_id(draft.client_id.trim()));
            }
            if draft.client_secret.is_empty() {
                p.add(Field::ClientSecret, FieldProblem::ClientSecretNeeded);
            }
        }
        CalendarSource::EwsRoomAccount => {
            if draft.room_password.is_empty() {
                p.add(Field::RoomPassword, FieldProblem::RoomPasswordNeeded);
                p.add(Field::Source, FieldProblem::SourceNeedsRoomPassword);
            }
        }
        CalendarSource::EwsImpersonation => {
            if p.required(Field::ServiceUsername, &draft.service_username) {
                p.check(
                    Field::ServiceUsername,
                    validate::account_name(draft.service_username.trim()),
                );
            }
            if draft.service_password.is_empty() {
                p.add(Field::ServicePassword, FieldProblem::Needed);
            }
        }
    }
    if draft.source != CalendarSource::Graph && !draft.ews_url.trim().is_empty() {
        p.check(Field::EwsUrl, validate::https_url(draft.ews_url.trim()));
    }
    if !draft.ca_file.trim().is_empty() {
        p.check(
            Field::CaFile,
            validate::trusted_ca_file(draft.ca_file.trim()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::validate::Expected;
    use crate::ui::SummaryLabel;
    use crate::ui::wizard::summary::{SummaryValue, SummaryWord};

    fn filled() -> Draft {
        let mut draft = Draft::new("Europe/Stockholm");
        draft.display_name = "Conference Room 2".into();
        draft.sign_in_address = "confrm2@contoso.com".into();
        draft.service_username = "CONTOSO\\mailboxservice".into();
        draft.service_password = "S3rvice!pw".into();
        draft.ews_url = "https://mail.contoso.com/EWS/Exchange.asmx".into();
        draft.pin = "2468".into();
        draft.pin_again = "2468".into();
        draft
    }

    fn result(id: CheckId, status: CheckStatus) -> CheckResult {
        match status {
            CheckStatus::Pass => CheckResult::pass(id, ""),
            CheckStatus::Warn => CheckResult::warn(id, "", None),
            CheckStatus::Fail => CheckResult::fail(id, "", None),
            CheckStatus::Skipped => CheckResult::skipped(id, CheckId::Server),
        }
    }

    fn all(status_of: impl Fn(CheckId) -> CheckStatus) -> Vec<CheckResult> {
        CheckId::EXCHANGE
            .into_iter()
            .map(|id| result(id, status_of(id)))
            .collect()
    }

    /// Walks to the Check step and finishes a run with `results`.
    fn at_check(results: Vec<CheckResult>) -> Wizard {
        let mut wizard = Wizard::new(filled());
        for _ in 0..3 {
            wizard.advance().expect("valid steps");
        }
        assert_eq!(wizard.step(), Step::Check);
        wizard.start_checks().expect("starts");
        let account = wizard.draft().account_key();
        assert!(wizard.checks_finished(&account, results));
        wizard
    }

    #[test]
    fn walks_all_steps_and_finishes_with_the_settings() {
        let mut wizard = at_check(all(|_| CheckStatus::Pass));
        assert_eq!(wizard.advance(), Ok(Step::ContentInput));
        assert_eq!(wizard.advance(), Ok(Step::AdminPin));
        assert_eq!(wizard.advance(), Ok(Step::Summary));
        let (settings, secrets) = wizard.finish().expect("finishes");
        assert_eq!(settings.room.exchange_address, "confrm2@contoso.com");
        assert_eq!(
            settings.device.time_zone.as_deref(),
            Some("Europe/Stockholm")
        );
        assert_eq!(
            settings.calendar.service_account_username.as_deref(),
            Some("CONTOSO\\mailboxservice")
        );
        assert_eq!(
            secrets
                .service_account_password
                .map(|s| s.expose().to_owned()),
            Some("S3rvice!pw".into())
        );
        assert_eq!(
            secrets.admin_pin.map(|s| s.expose().to_owned()),
            Some("2468".into())
        );
    }

    #[test]
    fn next_refuses_invalid_fields_with_the_provisioning_wording() {
        let mut draft = filled();
        draft.sign_in_address = "confrm2".into();
        draft.display_name = String::new();
        let mut wizard = Wizard::new(draft);
        wizard.advance().expect("welcome is valid");
        let Err(Refusal::Fields(errors)) = wizard.advance() else {
            panic!("should refuse");
        };
        assert_eq!(wizard.step(), Step::RoomAccount);
        assert_eq!(
            errors,
            vec![
                FieldError {
                    field: Field::DisplayName,
                    problem: FieldProblem::Needed
                },
                FieldError {
                    field: Field::SignInAddress,
                    problem: FieldProblem::Invalid(Expected::EmailAddress)
                },
            ]
        );
    }

    #[test]
    fn http_urls_and_mismatched_pins_are_refused() {
        let mut draft = filled();
        draft.ews_url = "http://mail.contoso.com/EWS/Exchange.asmx".into();
        let errors = problems_of(Step::CalendarAccess, &draft);
        assert_eq!(errors[0].field, Field::EwsUrl);
        assert_eq!(
            errors[0].problem,
            FieldProblem::Invalid(Expected::HttpsNotHttp(
                "https://mail.contoso.com/EWS/Exchange.asmx".into()
            ))
        );
        draft.pin_again = "2469".into();
        let errors = problems_of(Step::AdminPin, &draft);
        assert_eq!(errors[0].field, Field::PinAgain);
        assert_eq!(errors[0].problem, FieldProblem::PinsDiffer);
        draft.pin = "12".into();
        assert_eq!(
            problems_of(Step::AdminPin, &draft)[0].problem,
            FieldProblem::Invalid(Expected::AdminPin)
        );
    }

    fn graph_filled() -> Draft {
        let mut draft = filled();
        draft.source = CalendarSource::Graph;
        draft.tenant_id = "contoso.onmicrosoft.com".into();
        draft.client_id = "6731de76-14a6-49ae-97bc-6eba6914391e".into();
        draft.client_secret = "Qx8Q~s3cret.value".into();
        draft
    }

    #[test]
    fn graph_needs_a_tenant_a_client_guid_and_a_secret() {
        assert_eq!(problems_of(Step::CalendarAccess, &graph_filled()), vec![]);
        let mut draft = graph_filled();
        draft.tenant_id = "contoso".into();
        draft.client_id = "my-app".into();
        draft.client_secret = String::new();
        let fields: Vec<Field> = problems_of(Step::CalendarAccess, &draft)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec![Field::TenantId, Field::ClientId, Field::ClientSecret]
        );
        // A GUID tenant is as good as a domain.
        draft = graph_filled();
        draft.tenant_id = "72f988bf-86f1-41af-91ab-2d7cd011db47".into();
        assert_eq!(problems_of(Step::CalendarAccess, &draft), vec![]);
    }

    #[test]
    fn graph_settings_keep_the_secret_in_the_secrets_and_mask_it() {
        let mut draft = graph_filled();
        draft.graph_url = Some("https://graph.microsoft.us".parse().unwrap());
        let (settings, secrets) = draft.to_settings();
        assert_eq!(settings.calendar.source, CalendarSource::Graph);
        assert_eq!(
            settings.calendar.client_id.as_deref(),
            Some("6731de76-14a6-49ae-97bc-6eba6914391e")
        );
        assert_eq!(
            settings.calendar.graph_url.as_ref().map(|u| u.host_str()),
            Some(Some("graph.microsoft.us"))
        );
        assert_eq!(settings.calendar.service_account_username, None);
        assert_eq!(secrets.service_account_password, None);
        assert_eq!(
            secrets.client_secret.map(|s| s.expose().to_owned()),
            Some("Qx8Q~s3cret.value".into())
        );
        let mut wizard = Wizard::new(graph_filled());
        wizard.step = Step::Summary;
        let summary = wizard.summary();
        assert!(summary.iter().all(|l| !text_of(l).contains("s3cret")));
        assert!(
            summary
                .iter()
                .any(|l| l.label == SummaryLabel::ClientSecret)
        );
        assert!(summary.iter().all(|l| l.label != SummaryLabel::EwsUrl));
    }

    #[test]
    fn check_step_needs_a_run_for_the_current_account() {
        let mut wizard = Wizard::new(filled());
        for _ in 0..3 {
            wizard.advance().expect("valid");
        }
        assert_eq!(wizard.advance(), Err(Refusal::ChecksNotRun));
        wizard.start_checks().expect("starts");
        assert_eq!(wizard.start_checks(), None, "one run at a time");
        assert_eq!(wizard.advance(), Err(Refusal::ChecksRunning));
        let account = wizard.draft().account_key();
        wizard.checks_finished(&account, all(|_| CheckStatus::Pass));
        // Editing the password after the run means checking again.
        let mut edited = wizard.draft().clone();
        edited.service_password = "other".into();
        wizard.update(edited);
        assert_eq!(wizard.advance(), Err(Refusal::ChecksNotRun));
    }

    #[test]
    fn a_failure_allows_continue_anyway_but_not_after_sign_in_failed() {
        let mut wizard = at_check(all(|id| match id {
            CheckId::Impersonation => CheckStatus::Fail,
            CheckId::Server | CheckId::SignIn => CheckStatus::Pass,
            _ => CheckStatus::Skipped,
        }));
        assert_eq!(
            wizard.advance(),
            Err(Refusal::ChecksFailed { may_continue: true })
        );
        assert!(wizard.may_continue_anyway());
        assert_eq!(wizard.continue_anyway(), Ok(Step::ContentInput));

        let mut wizard = at_check(all(|id| match id {
            CheckId::SignIn => CheckStatus::Fail,
            CheckId::Server => CheckStatus::Pass,
            _ => CheckStatus::Skipped,
        }));
        assert!(!wizard.may_continue_anyway());
        assert_eq!(
            wizard.continue_anyway(),
            Err(Refusal::ChecksFailed {
                may_continue: false
            })
        );
        assert_eq!(wizard.step(), Step::Check);
    }

    #[test]
    fn warnings_do_not_block() {
        let mut wizard = at_check(all(|id| {
            if id == CheckId::Invitations {
                CheckStatus::Warn
            } else {
                CheckStatus::Pass
            }
        }));
        assert_eq!(wizard.advance(), Ok(Step::ContentInput));
    }

    #[test]
    fn back_keeps_everything_and_stops_at_welcome() {
        let mut wizard = at_check(all(|_| CheckStatus::Pass));
        assert_eq!(wizard.back(), Step::CalendarAccess);
        assert_eq!(wizard.back(), Step::RoomAccount);
        assert_eq!(wizard.back(), Step::Welcome);
        assert_eq!(wizard.back(), Step::Welcome);
        assert_eq!(wizard.draft(), &filled());
    }

    #[test]
    fn summary_masks_secrets() {
        let wizard = at_check(all(|_| CheckStatus::Pass));
        let summary = wizard.summary();
        let value = |label: SummaryLabel| {
            summary
                .iter()
                .find(|l| l.label == label)
                .map(|l| l.value.clone())
        };
        let text = |t: &str| Some(SummaryValue::Text(t.into()));
        assert_eq!(value(SummaryLabel::ServicePassword), text("••••••pw"));
        assert_eq!(value(SummaryLabel::AdminPin), text("••••••"));
        assert!(summary.iter().all(|l| !text_of(l).contains("S3rvice")));
        assert_eq!(
            value(SummaryLabel::ExchangeAddress),
            text("confrm2@contoso.com")
        );
        assert_eq!(
            value(SummaryLabel::CalendarAccess),
            Some(SummaryValue::Word(SummaryWord::Source(
                CalendarSource::EwsImpersonation
            )))
        );
        assert_eq!(
            value(SummaryLabel::UserName),
            Some(SummaryValue::Word(SummaryWord::None))
        );
        assert_eq!(value(SummaryLabel::Language), text("English"));
    }

    fn text_of(line: &SummaryLine) -> &str {
        match &line.value {
            SummaryValue::Text(text) => text,
            SummaryValue::Word(_) => "",
        }
    }

    #[test]
    fn finish_only_at_the_summary() {
        let wizard = Wizard::new(filled());
        assert_eq!(wizard.finish(), Err(Refusal::NotAtSummary));
    }
}
