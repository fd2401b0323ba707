//! The fault matrix of issue #8, through the real sync engine on an injected clock: one
//! case per fault of the in-repo EWS server. Each asserts that the cached agenda is kept,
//! the status and the admin's fix text, that the wait before the next attempt is the one
//! the server asked for (or the policy's), read on the injected clock as the status's
//! "throttled until", and that the next pass after that wait succeeds by itself once the
//! fault has cleared.

use crate::common::engine_rig;
use crate::common::ews_server;

use std::time::Duration;

use engine_rig::*;
use ews_server::*;
use room_console::clock::Clock;
use room_console::sync::engine::PassResult;
use room_console::sync::source::FailureKind;
use room_console::sync::status::SyncState;

/// The wait a fault must lead to.
#[derive(Debug)]
enum Wait {
    /// Exactly this (the server's BackOffMilliseconds or Retry-After).
    Exactly(Duration),
    /// The exponential back-off's first step: between half the base and the base.
    FirstStep,
}

struct Case {
    fault: Fault,
    kind: fn(&FailureKind) -> bool,
    /// Words the message or the fix must contain (lower case).
    says: &'static [&'static str],
    wait: Wait,
}

fn cases() -> Vec<Case> {
    use Wait::*;
    vec![
        Case {
            fault: Fault::Http503 {
                retry_after: Some(120),
            },
            kind: |k| matches!(k, FailureKind::Throttled { .. }),
            says: &["503"],
            wait: Exactly(Duration::from_secs(120)),
        },
        Case {
            fault: Fault::ServerBusy { back_off_ms: 29571 },
            kind: |k| matches!(k, FailureKind::Throttled { .. }),
            says: &["busy"],
            wait: Exactly(Duration::from_millis(29571)),
        },
        Case {
            fault: Fault::TooManyObjectsOpened,
            kind: |k| matches!(k, FailureKind::Throttled { .. }),
            says: &["toomanyobjectsopened"],
            wait: Exactly(Duration::from_secs(60)),
        },
        Case {
            fault: Fault::Timeout,
            kind: |k| *k == FailureKind::Offline,
            says: &["time"],
            wait: FirstStep,
        },
        Case {
            fault: Fault::TruncatedXml,
            kind: |k| *k == FailureKind::ServerError,
            says: &[],
            wait: FirstStep,
        },
        Case {
            fault: Fault::IisHtmlError,
            kind: |k| *k == FailureKind::ServerError,
            says: &["500"],
            wait: FirstStep,
        },
        Case {
            fault: Fault::Empty200,
            kind: |k| *k == FailureKind::ServerError,
            says: &[],
            wait: FirstStep,
        },
        Case {
            fault: Fault::ConnectionReset,
            kind: |k| *k == FailureKind::Offline,
            says: &[],
            wait: FirstStep,
        },
        Case {
            fault: Fault::Unauthorized,
            kind: |k| *k == FailureKind::SignInFailed,
            says: &["password"],
            wait: Exactly(Duration::from_secs(300)),
        },
        Case {
            fault: Fault::Forbidden403,
            kind: |k| *k == FailureKind::PermissionDenied,
            says: &["403"],
            wait: Exactly(Duration::from_secs(300)),
        },
        Case {
            fault: Fault::Huge {
                bytes: 100 * 1024 * 1024,
            },
            kind: |k| *k == FailureKind::ServerError,
            says: &[],
            wait: FirstStep,
        },
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_keeps_the_agenda_waits_as_asked_and_recovers_by_itself() {
    let mut rig = rig(mailbox(12), Duration::from_millis(800)).await;
    assert!(matches!(
        rig.pass().await.0,
        PassResult::Unchanged | PassResult::Refreshed { .. }
    ));
    let agenda = rig.day();
    assert_eq!(agenda.len(), 12);

    for case in cases() {
        rig.server.inject(case.fault.clone(), Times::UntilCleared);
        let now = rig.clock.now();
        let (result, wait) = rig.pass().await;
        let PassResult::Failed(error) = result else {
            panic!("{:?} must fail the pass, got {result:?}", case.fault);
        };
        assert!((case.kind)(&error.kind), "{:?}: {error:?}", case.fault);
        assert_eq!(
            rig.day(),
            agenda,
            "{:?}: the agenda was not kept",
            case.fault
        );

        let status = rig.engine.status().clone();
        let last = status.last_error.clone().expect("the error is kept");
        let said =
            format!("{} {}", last.message, last.fix.clone().unwrap_or_default()).to_lowercase();
        for word in case.says {
            assert!(
                said.contains(word),
                "{:?}: {word:?} not in {said:?}",
                case.fault
            );
        }
        // A refusal needs the admin; a passing fault only needs time, and says so.
        if matches!(
            error.kind,
            FailureKind::SignInFailed | FailureKind::PermissionDenied
        ) {
            assert!(
                last.fix.is_some_and(|f| !f.is_empty()),
                "{:?}: no fix in {said:?}",
                case.fault
            );
        }
        match case.wait {
            Wait::Exactly(expected) => assert_eq!(wait, expected, "{:?}", case.fault),
            Wait::FirstStep => assert!(
                (Duration::from_millis(2500)..=Duration::from_secs(5)).contains(&wait),
                "{:?}: waited {wait:?}",
                case.fault
            ),
        }
        if let SyncState::Throttled { until } = status.state {
            assert_eq!(
                until,
                now + chrono::Duration::from_std(wait).unwrap(),
                "{:?}",
                case.fault
            );
        }

        // Still failing while the fault lasts; once it clears the next pass, after the
        // wait asked for, succeeds with nobody's help.
        rig.clock.advance(chrono::Duration::from_std(wait).unwrap());
        rig.server.clear_faults();
        assert!(
            matches!(
                rig.pass().await.0,
                PassResult::Unchanged | PassResult::Refreshed { .. }
            ),
            "{:?}: no recovery",
            case.fault
        );
        assert_eq!(rig.engine.status().state, SyncState::Ok);
        assert_eq!(rig.day(), agenda);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_character_references_keep_every_meeting_and_the_sync_ok() {
    let mut rig = rig(mailbox(12), Duration::from_secs(10)).await;
    rig.server
        .inject_on("GetItem", Fault::InvalidCharRefs, Times::UntilCleared);
    assert!(matches!(
        rig.pass().await.0,
        PassResult::Unchanged | PassResult::Refreshed { .. }
    ));
    assert_eq!(rig.day().len(), 12);
    assert_eq!(rig.engine.status().state, SyncState::Ok);
}
