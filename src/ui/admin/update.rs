//! The software-update lines of the admin screen: each A/B slot (version, running or
//! not, good or bad, starts next) and where the update stands (the planned restart, the
//! trial after it, a rollback), as `FactWord`s and values the screen words in its
//! language (`AdminWords.update-value`).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use slint::{ModelRc, SharedString, VecModel};

use crate::ui::admin::checks::phrase_wording;
use crate::ui::{AdminFact, FactLabel, FactWord, PhraseWording};
use crate::update::state::SlotsSnapshot;
use crate::update::{Slot, UpdateState};

/// One line per slot, the first under the "Installed software" label; no RAUC is one
/// line saying updates are not available.
pub(crate) fn slot_facts(snapshot: &SlotsSnapshot) -> Vec<AdminFact> {
    let Some(slots) = &snapshot.slots else {
        return vec![fact(
            FactLabel::InstalledSoftware,
            "Slots",
            FactWord::NoRauc,
            &[] as &[&str],
        )];
    };
    slots
        .iter()
        .enumerate()
        .map(|(i, slot)| {
            let (key, label) = if i == 0 {
                (FactLabel::InstalledSoftware, "Slots")
            } else {
                (FactLabel::AsGiven, "")
            };
            fact(key, label, FactWord::Slot, &slot_args(slot))
        })
        .collect()
}

/// bootname (or name), version, state, boot status, "primary" or "".
fn slot_args(slot: &Slot) -> [String; 5] {
    [
        slot.bootname.clone().unwrap_or_else(|| slot.name.clone()),
        slot.version.clone().unwrap_or_default(),
        slot.state.clone(),
        slot.boot_status.clone().unwrap_or_default(),
        if slot.primary { "primary" } else { "" }.to_owned(),
    ]
}

/// The update's state as a `FactWord` and its values, times in the room's time zone.
pub(crate) fn update_fact(state: &UpdateState, tz: &Tz) -> AdminFact {
    let time = |t: &DateTime<Utc>| t.with_timezone(tz).format("%H:%M").to_string();
    let when = |t: &DateTime<Utc>| t.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string();
    let (word, args): (FactWord, Vec<String>) = match state {
        UpdateState::AwaitingRestart {
            version,
            plan: Some(plan),
            ..
        } => match plan.free_until {
            Some(until) => (
                FactWord::RestartPlannedFree,
                vec![
                    version.clone(),
                    when(&plan.at),
                    time(&plan.at),
                    time(&until),
                ],
            ),
            None => (
                FactWord::RestartPlanned,
                vec![version.clone(), when(&plan.at)],
            ),
        },
        UpdateState::AwaitingRestart { version, .. } => {
            (FactWord::InstalledAwaitingRestart, vec![version.clone()])
        }
        UpdateState::Downloading { .. } => (
            FactWord::Downloading,
            vec![state.describe(tz).replace("downloading: ", "")],
        ),
        UpdateState::Installing { percent, .. } => {
            (FactWord::Installing, vec![percent.to_string()])
        }
        UpdateState::Proving {
            version, deadline, ..
        } => (FactWord::OnTrial, vec![version.clone(), when(deadline)]),
        UpdateState::Kept { version, at } => (FactWord::Kept, vec![version.clone(), when(at)]),
        UpdateState::RolledBack {
            version,
            reason,
            at,
            ..
        } => (
            FactWord::RolledBack,
            vec![version.clone(), when(at), reason.clone()],
        ),
        UpdateState::Failed { message, at, .. } => {
            (FactWord::UpdateFailed, vec![when(at), message.clone()])
        }
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut fact = fact(FactLabel::SoftwareUpdate, "Software update", word, &args);
    fact.value = state.describe(tz).into();
    if let UpdateState::Failed {
        words: Some(words), ..
    }
    | UpdateState::RolledBack {
        words: Some(words), ..
    } = state
    {
        fact.words = phrase_wording(Some(words));
    }
    fact
}

fn fact(key: FactLabel, label: &str, word: FactWord, args: &[impl AsRef<str>]) -> AdminFact {
    let args: Vec<SharedString> = args.iter().map(|a| a.as_ref().into()).collect();
    AdminFact {
        label: label.into(),
        key,
        word,
        value: SharedString::default(),
        args: ModelRc::new(VecModel::from(args)),
        words: PhraseWording::default(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use slint::Model;

    use super::*;
    use crate::update::plan::RestartPlan;

    #[test]
    fn the_planned_restart_carries_its_times_in_the_room_zone() {
        let tz: Tz = "Europe/Stockholm".parse().expect("tz");
        let at = Utc.with_ymd_and_hms(2026, 12, 7, 11, 30, 0).unwrap();
        let state = UpdateState::AwaitingRestart {
            version: "1.4.0".into(),
            slot: "B".into(),
            plan: Some(RestartPlan {
                at,
                free_until: Some(at + chrono::Duration::minutes(45)),
                in_maintenance_hours: false,
            }),
        };
        let fact = update_fact(&state, &tz);
        assert_eq!(fact.word, FactWord::RestartPlannedFree);
        let args: Vec<String> = fact.args.iter().map(|a| a.to_string()).collect();
        assert_eq!(args, ["1.4.0", "2026-12-07 12:30", "12:30", "13:15"]);
        let none = slot_facts(&SlotsSnapshot { slots: None });
        assert_eq!((none.len(), none[0].word), (1, FactWord::NoRauc));
    }
}
