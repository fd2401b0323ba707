//! `room-console fleet send <device-id | --all> <command> [--arg k=v …] [--file
//! settings.xml]`: publishes a request to one console's `cmd` topic, or to every
//! console the broker knows as online, and prints the replies as they come, with
//! progress for `--all` and a timeout after which the silent consoles are named.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde_json::{Map, Value};
use tokio::time::Instant;

use super::ConnectionFlags;
use super::list::collect_rows;
use super::session::AdminSession;
use crate::fleet::topics::{self, Topics};
use crate::fleet::wire::{Reply, Request};

#[derive(Debug, Args)]
pub struct SendArgs {
    /// Send to every console that is online
    #[arg(long)]
    pub all: bool,
    /// The device id (left out with --all), then the command: sync-now, run-checks,
    /// logs, apply-settings, restart, reboot, factory-reset
    #[arg(required = true, num_args = 1..=2, value_name = "DEVICE-ID> <COMMAND")]
    pub words: Vec<String>,
    /// An argument of the command, `name=value` (a number, true/false or text); repeatable
    #[arg(long = "arg", value_name = "NAME=VALUE")]
    pub args: Vec<String>,
    /// A RoomConsoleSettings.xml sent as args.xml (for apply-settings)
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Seconds to wait for the replies
    #[arg(long, default_value_t = 60)]
    pub timeout: u64,
    /// The request id [default: a new random one]; the same id again is never executed twice
    #[arg(long)]
    pub id: Option<String>,
}

pub(super) async fn send(flags: &ConnectionFlags, args: &SendArgs) -> Result<()> {
    let (device, command) = match (args.all, args.words.as_slice()) {
        (true, [command]) => (None, command.clone()),
        (false, [device, command]) => (Some(device.clone()), command.clone()),
        (true, _) => bail!("with --all, give only the command: fleet send --all sync-now"),
        (false, _) => bail!("give the device id and the command: fleet send saturn-01 sync-now"),
    };
    let request = Request {
        id: args
            .id
            .clone()
            .unwrap_or_else(|| format!("{:016x}", fastrand::u64(..))),
        command,
        args: request_args(&args.args, args.file.as_deref())?,
    };
    let mut session = AdminSession::connect(flags).await?;
    let prefix = session.prefix.clone();
    let targets: Vec<String> = match device {
        Some(device) => vec![device],
        None => collect_rows(&mut session)
            .await?
            .into_iter()
            .filter(|row| row.online == Some(true))
            .map(|row| row.device_id)
            .collect(),
    };
    if targets.is_empty() {
        bail!("no console under {prefix}/ is online");
    }
    session
        .subscribe(&[format!("{prefix}/+/reply/{}", request.id)])
        .await?;
    let payload = serde_json::to_vec(&request)?;
    for target in &targets {
        session.publish(Topics::new(&prefix, target).cmd(), payload.clone())?;
    }
    let mut waiting: BTreeSet<String> = targets.iter().cloned().collect();
    let (total, all) = (targets.len(), args.all);
    if all {
        eprintln!("sent {} to {total} consoles", request.command);
    }
    let mut failed = 0usize;
    let deadline = Instant::now() + Duration::from_secs(args.timeout);
    while !waiting.is_empty() {
        let Some(message) = session.next_message(deadline).await? else {
            break;
        };
        let Some((device, "reply")) = topics::parse(&prefix, &message.topic) else {
            continue;
        };
        if !waiting.remove(device) {
            continue;
        }
        let reply: Reply = match serde_json::from_slice(&message.payload) {
            Ok(reply) => reply,
            Err(e) => {
                failed += 1;
                eprintln!("{device}: an unreadable reply ({e})");
                continue;
            }
        };
        if !reply.ok {
            failed += 1;
        }
        if all {
            let mut line = serde_json::to_value(&reply)?;
            line["device_id"] = Value::from(device);
            println!("{line}");
            eprintln!("{}/{total} replied", total - waiting.len());
        } else {
            println!("{}", serde_json::to_string_pretty(&reply)?);
        }
    }
    if !waiting.is_empty() {
        bail!(
            "no reply within {} s from {}: they may be offline or denied by the broker's ACL",
            args.timeout,
            waiting.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
    if failed > 0 {
        bail!("{failed} of {total} answered with an error");
    }
    Ok(())
}

/// `args` of the request from `--arg name=value` and `--file`.
fn request_args(pairs: &[String], file: Option<&std::path::Path>) -> Result<Value> {
    let mut args = Map::new();
    for pair in pairs {
        let (name, value) = pair.split_once('=').with_context(|| {
            format!("--arg {pair}: write it as name=value, e.g. --arg lines=50")
        })?;
        let value = match serde_json::from_str::<Value>(value) {
            Ok(v @ (Value::Number(_) | Value::Bool(_))) => v,
            _ => Value::from(value),
        };
        args.insert(name.to_owned(), value);
    }
    if let Some(file) = file {
        let xml = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        args.insert("xml".into(), Value::from(xml));
    }
    Ok(if args.is_empty() {
        Value::Null
    } else {
        Value::Object(args)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_numbers_booleans_or_text() {
        let args = request_args(
            &[
                "lines=50".into(),
                "confirm=saturn-01".into(),
                "force=true".into(),
            ],
            None,
        )
        .expect("args");
        assert_eq!(args["lines"], 50);
        assert_eq!(args["confirm"], "saturn-01");
        assert_eq!(args["force"], true);
        assert!(request_args(&["lines".into()], None).is_err());
    }
}
