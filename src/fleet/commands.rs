//! The commands a console takes from the fleet, one row each in [`COMMANDS`]: its name,
//! what it does, and the function that does it — the same functions `room-console`'s
//! subcommands and the admin screen call. A new command is a new row.
//!
//! A command answers with a result or an error (message and fix) and may ask for
//! something to happen once its reply is out: the console restarting after `restart`,
//! `apply-settings` and `factory-reset`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::ring_log;
use super::wire::ReplyError;
use crate::clock::Clock;
use crate::device::paths::DataDir;
use crate::diagnose::{CheckOptions, run_checks};
use crate::settings::provision::apply_bytes;
use crate::settings::{Secrets, Settings};
use crate::sync::task::SyncHandle;

/// How long `sync-now` waits for the pass it asked for.
const SYNC_WAIT: Duration = Duration::from_secs(120);
/// The lines `logs` returns unless `args.lines` says otherwise.
const DEFAULT_LOG_LINES: usize = 100;
/// The most bytes of log lines one `logs` reply carries (well under the largest message,
/// `connection::MAX_PACKET_BYTES`): the newest lines that fit.
const MAX_LOG_REPLY_BYTES: usize = 1024 * 1024;
/// The name an `apply-settings` file goes by in its errors.
const APPLIED_FILE_NAME: &str = "RoomConsoleSettings.xml (apply-settings)";

/// What the commands work with.
pub struct CommandContext {
    pub data_dir: DataDir,
    pub device_id: String,
    /// The running calendar sync (none for the demo calendar).
    pub sync: Option<SyncHandle>,
    pub allow_insecure_http: bool,
    pub clock: Arc<dyn Clock>,
}

/// What happens once the reply is out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterReply {
    Nothing,
    /// The console process starts again (with new settings, or after a reset).
    Restart,
}

/// A command's answer.
pub struct Outcome {
    pub result: Result<Value, ReplyError>,
    pub then: AfterReply,
}

impl Outcome {
    fn ok(result: Value) -> Outcome {
        Outcome {
            result: Ok(result),
            then: AfterReply::Nothing,
        }
    }

    fn failed(message: impl Into<String>, fix: impl Into<String>) -> Outcome {
        Outcome {
            result: Err(ReplyError::new(message, fix)),
            then: AfterReply::Nothing,
        }
    }

    fn then_restart(result: Value) -> Outcome {
        Outcome {
            result: Ok(result),
            then: AfterReply::Restart,
        }
    }
}

type Running = Pin<Box<dyn Future<Output = Outcome> + Send>>;

/// One command of the table.
pub struct Command {
    pub name: &'static str,
    /// What it does and which `args` it takes, for `fleet send --help` and the README.
    pub summary: &'static str,
    pub run: fn(Arc<CommandContext>, Value) -> Running,
}

/// Every command a console takes.
pub(crate) const COMMANDS: &[Command] = &[
    Command {
        name: "sync-now",
        summary: "sync the calendar now; the result is the sync status after the pass",
        run: |ctx, _| Box::pin(sync_now(ctx)),
    },
    Command {
        name: "run-checks",
        summary: "run the account checks of `diagnose`; the result is the same JSON",
        run: |ctx, _| Box::pin(checks(ctx)),
    },
    Command {
        name: "logs",
        summary: "the last lines of the console's log (args.lines, default 100)",
        run: |_, args| Box::pin(async move { logs(&args) }),
    },
    Command {
        name: "apply-settings",
        summary: "apply args.xml (a RoomConsoleSettings.xml) all or nothing; restarts when it changed something",
        run: |ctx, args| Box::pin(async move { apply_settings(&ctx, &args) }),
    },
    Command {
        name: "restart",
        summary: "restart the console program",
        run: |_, _| Box::pin(async { Outcome::then_restart(json!({"restarting": true})) }),
    },
    Command {
        name: "reboot",
        summary: "reboot the device with Device/RebootCommand (default: systemctl reboot)",
        run: |ctx, _| Box::pin(reboot(ctx)),
    },
    Command {
        name: "update",
        summary: "install the RAUC bundle at args.url (https:// or a file on the console; args.sha256 optional) and restart in a free period; progress shows in health",
        run: |ctx, args| Box::pin(async move { update(ctx, &args).await }),
    },
    Command {
        name: "factory-reset",
        summary: "erase settings, secrets and cache (args.confirm must be the device id)",
        run: |ctx, args| Box::pin(async move { factory_reset(&ctx, &args) }),
    },
];

/// `update`: checks the request and that RAUC is there, then installs in the background
/// as `room-console update URL` does; the reply says it started, health carries the
/// progress and the outcome (`update`, `booted_slot`).
async fn update(ctx: Arc<CommandContext>, args: &Value) -> Outcome {
    let request = match update_request(args) {
        Ok(request) => request,
        Err(outcome) => return outcome,
    };
    let rauc = match crate::update::rauc::Rauc::system().await {
        Ok(rauc) => rauc,
        Err(err) => {
            return Outcome::failed(
                err.to_string(),
                "install and start rauc-service on the console, or update it by hand",
            );
        }
    };
    let result = json!({ "started": true, "url": request.source });
    tokio::spawn(async move {
        let outcome = crate::update::start_with(
            &rauc,
            &ctx.data_dir,
            &request,
            ctx.clock.as_ref(),
            &mut |state| tracing::info!(?state, "update"),
        )
        .await;
        if let Err(err) = outcome {
            tracing::error!("the fleet's update failed: {err}");
        }
    });
    Outcome::ok(result)
}

/// The update `args` ask for: `url` (required) and `sha256` (optional hex).
fn update_request(args: &Value) -> Result<crate::update::UpdateRequest, Outcome> {
    let url = args
        .get("url")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|url| !url.is_empty())
        .ok_or_else(|| {
            Outcome::failed(
                "the update command needs args.url",
                "send the bundle's https:// address as args.url (and its SHA-256 as args.sha256)",
            )
        })?;
    let sha256 = match args.get("sha256") {
        None | Some(Value::Null) => None,
        Some(Value::String(hex)) => Some(hex.clone()),
        Some(_) => {
            return Err(Outcome::failed(
                "args.sha256 must be a string of hex digits",
                "send the bundle's SHA-256 as 64 hex digits, or leave it out",
            ));
        }
    };
    Ok(crate::update::UpdateRequest {
        source: url.to_owned(),
        sha256,
        restart_now: false,
    })
}

/// Runs the command called `name`; an unknown name gets an error listing the known ones.
pub async fn execute(ctx: Arc<CommandContext>, name: &str, args: Value) -> Outcome {
    match COMMANDS.iter().find(|c| c.name == name) {
        Some(command) => (command.run)(ctx, args).await,
        None => Outcome::failed(
            format!("unknown command \"{name}\""),
            format!(
                "use one of: {}",
                COMMANDS
                    .iter()
                    .map(|c| c.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    }
}

async fn sync_now(ctx: Arc<CommandContext>) -> Outcome {
    let Some(sync) = &ctx.sync else {
        return Outcome::failed(
            "no calendar sync runs on this console: it shows the demo calendar or is not set up",
            "set a calendar source with apply-settings",
        );
    };
    let mut changes = sync.status_changes();
    let before = changes.borrow_and_update().last_attempt;
    sync.sync_now();
    let finished = tokio::time::timeout(SYNC_WAIT, async {
        while changes.changed().await.is_ok() {
            let status = changes.borrow_and_update().clone();
            if status.last_attempt != before {
                return Some(status);
            }
        }
        None
    })
    .await;
    match finished {
        Ok(Some(status)) => Outcome::ok(json!({ "sync": status })),
        _ => Outcome::failed(
            format!(
                "the sync pass did not finish within {} s",
                SYNC_WAIT.as_secs()
            ),
            "look at the health report's sync state, or send logs",
        ),
    }
}

async fn checks(ctx: Arc<CommandContext>) -> Outcome {
    let settings = match Settings::load(ctx.data_dir.path()) {
        Ok(Some(settings)) => settings,
        Ok(None) => {
            return Outcome::failed(
                "this console is not set up yet",
                "send apply-settings with a RoomConsoleSettings.xml",
            );
        }
        Err(err) => return Outcome::failed(err.to_string(), "send apply-settings to replace them"),
    };
    let secrets = match Secrets::load(ctx.data_dir.path()) {
        Ok(secrets) => secrets.unwrap_or_default(),
        Err(err) => return Outcome::failed(err.to_string(), "send apply-settings to replace them"),
    };
    let options = CheckOptions {
        now: ctx.clock.now(),
        allow_insecure_http: ctx.allow_insecure_http,
    };
    let results = run_checks(&settings, &secrets, options, &mut |_| {}).await;
    Outcome::ok(json!(results))
}

fn logs(args: &Value) -> Outcome {
    let lines = match args.get("lines") {
        None => DEFAULT_LOG_LINES,
        Some(n) => match n
            .as_u64()
            .or_else(|| n.as_str().and_then(|s| s.parse().ok()))
        {
            Some(n) if n >= 1 => usize::try_from(n)
                .unwrap_or(usize::MAX)
                .min(ring_log::CAPACITY),
            _ => {
                return Outcome::failed(
                    "args.lines must be a number of lines",
                    format!("send {{\"lines\": 200}} (at most {})", ring_log::CAPACITY),
                );
            }
        },
    };
    let mut lines = ring_log::last_lines(lines);
    let mut bytes = 0;
    let fitting = lines
        .iter()
        .rev()
        .take_while(|line| {
            bytes += line.len() + 4; // quotes, comma, escapes are rare
            bytes <= MAX_LOG_REPLY_BYTES
        })
        .count();
    let dropped = lines.len() - fitting;
    lines.drain(..dropped);
    Outcome::ok(json!({ "lines": lines }))
}

fn apply_settings(ctx: &CommandContext, args: &Value) -> Outcome {
    let Some(xml) = args.get("xml").and_then(Value::as_str) else {
        return Outcome::failed(
            "apply-settings needs args.xml: the RoomConsoleSettings.xml to apply",
            "room-console fleet send <device> apply-settings --file RoomConsoleSettings.xml",
        );
    };
    match apply_bytes(ctx.data_dir.path(), APPLIED_FILE_NAME, xml.as_bytes()) {
        Ok(summary) => {
            let changes: Vec<Value> = summary
                .changes
                .iter()
                .map(|c| json!({"element": c.element, "before": c.before, "after": c.after}))
                .collect();
            tracing::info!("settings applied from the fleet:\n{summary}");
            let result = json!({ "changes": changes, "restarting": !summary.is_empty() });
            if summary.is_empty() {
                Outcome::ok(result)
            } else {
                Outcome::then_restart(result)
            }
        }
        Err(err) => Outcome::failed(
            err.to_string(),
            "correct the file and send it again; nothing was changed",
        ),
    }
}

async fn reboot(ctx: Arc<CommandContext>) -> Outcome {
    use crate::update::reboot::{reboot, reboot_command};
    let settings = Settings::load(ctx.data_dir.path()).ok().flatten();
    let command = reboot_command(settings.as_ref());
    tracing::warn!(%command, "rebooting at the fleet's request");
    let run = command.clone();
    match tokio::task::spawn_blocking(move || reboot(&run)).await {
        Ok(Ok(())) => Outcome::ok(json!({ "rebooting": true, "command": command })),
        Ok(Err(err)) => Outcome::failed(err.message, err.fix),
        Err(err) => Outcome::failed(format!("the reboot did not run: {err}"), "send it again"),
    }
}

fn factory_reset(ctx: &CommandContext, args: &Value) -> Outcome {
    let confirmed = args.get("confirm").and_then(Value::as_str) == Some(ctx.device_id.as_str());
    if !confirmed {
        return Outcome::failed(
            format!(
                "a factory reset erases this console's settings; it needs args.confirm set to its device id ({})",
                ctx.device_id
            ),
            format!(
                "room-console fleet send {0} factory-reset --arg confirm={0}",
                ctx.device_id
            ),
        );
    }
    match crate::device::reset::factory_reset(&ctx.data_dir, &mut |_| {}) {
        Ok(()) => {
            tracing::warn!("factory reset done at the fleet's request");
            Outcome::then_restart(json!({ "reset": true, "restarting": true }))
        }
        Err(err) => Outcome::failed(
            format!("the factory reset failed: {err}"),
            "send it again; on a second failure, look at the console",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SystemClock;

    fn context(dir: &std::path::Path) -> Arc<CommandContext> {
        Arc::new(CommandContext {
            data_dir: DataDir::at(dir),
            device_id: "saturn-01".into(),
            sync: None,
            allow_insecure_http: false,
            clock: Arc::new(SystemClock),
        })
    }

    #[tokio::test]
    async fn unknown_commands_list_the_known_ones() {
        let dir = tempfile::tempdir().expect("dir");
        let outcome = execute(context(dir.path()), "explode", Value::Null).await;
        let error = outcome.result.expect_err("unknown");
        assert!(error.message.contains("explode"));
        assert!(
            error
                .fix
                .expect("fix")
                .contains("sync-now, run-checks, logs")
        );
    }

    #[tokio::test]
    async fn a_logs_reply_fits_in_one_message() {
        let dir = tempfile::tempdir().expect("dir");
        let long = "x".repeat(1500);
        for _ in 0..ring_log::CAPACITY {
            ring_log::push(long.clone());
        }
        let outcome = execute(
            context(dir.path()),
            "logs",
            json!({"lines": ring_log::CAPACITY}),
        )
        .await;
        let reply = outcome.result.expect("logs");
        let size = reply.to_string().len();
        assert!(size <= MAX_LOG_REPLY_BYTES + 1024, "{size} bytes");
        assert!(
            size > MAX_LOG_REPLY_BYTES / 2,
            "the newest lines that fit: {size} bytes"
        );
    }

    #[tokio::test]
    async fn an_update_needs_a_url_and_a_textual_checksum() {
        let dir = tempfile::tempdir().expect("dir");
        let no_url = execute(context(dir.path()), "update", json!({})).await;
        let error = no_url.result.expect_err("refused");
        assert!(error.message.contains("needs args.url"), "{error:?}");
        let bad_sum = update_request(&json!({"url": "https://u/b.raucb", "sha256": 12}));
        let error = bad_sum.expect_err("refused").result.expect_err("an error");
        assert!(error.message.contains("sha256"), "{error:?}");
        let request = update_request(&json!({"url": " https://u/b.raucb ", "sha256": "ab"}))
            .unwrap_or_else(|_| panic!("a good request"));
        assert_eq!(request.source, "https://u/b.raucb");
        assert_eq!(request.sha256.as_deref(), Some("ab"));
        assert!(!request.restart_now);
    }

    #[tokio::test]
    async fn factory_reset_needs_the_device_id_to_confirm() {
        let dir = tempfile::tempdir().expect("dir");
        Settings::demo().save(dir.path()).expect("settings");
        let ctx = context(dir.path());
        let refused = execute(
            ctx.clone(),
            "factory-reset",
            json!({"confirm": "saturn-02"}),
        )
        .await;
        assert!(refused.result.is_err());
        assert!(Settings::load(dir.path()).expect("load").is_some());
        let done = execute(ctx, "factory-reset", json!({"confirm": "saturn-01"})).await;
        assert_eq!(done.then, AfterReply::Restart);
        assert!(Settings::load(dir.path()).expect("load").is_none());
    }
}
