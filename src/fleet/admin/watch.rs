//! `room-console fleet watch [--json]`: the consoles' `online` and `health` messages as
//! they change, one line each, until Ctrl-C.

use std::time::Duration;

use anyhow::Result;
use clap::Args;
use serde_json::Value;
use tokio::time::Instant;

use super::ConnectionFlags;
use super::session::AdminSession;
use crate::fleet::topics;

/// How long a watch waits at a time (it waits again; only Ctrl-C ends it).
const WAIT: Duration = Duration::from_secs(3600);

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Print each message as JSON: {"device_id", "kind", "message"}
    #[arg(long)]
    pub json: bool,
}

pub(super) async fn watch(flags: &ConnectionFlags, args: &WatchArgs) -> Result<()> {
    let mut session = AdminSession::connect(flags).await?;
    let prefix = session.prefix.clone();
    session
        .subscribe(&[format!("{prefix}/+/online"), format!("{prefix}/+/health")])
        .await?;
    loop {
        let Some(message) = session.next_message(Instant::now() + WAIT).await? else {
            continue;
        };
        let Some((device, kind)) = topics::parse(&prefix, &message.topic) else {
            continue;
        };
        let value: Value = serde_json::from_slice(&message.payload).unwrap_or(Value::Null);
        if args.json {
            println!(
                "{}",
                serde_json::json!({"device_id": device, "kind": kind, "message": value})
            );
        } else {
            println!(
                "{} {device} {}",
                chrono::Utc::now().format("%H:%M:%S"),
                summary(kind, &value)
            );
        }
    }
}

/// `online since …`, `OFFLINE`, or the health in a few words.
fn summary(kind: &str, value: &Value) -> String {
    match (kind, value["online"].as_bool()) {
        ("online", Some(true)) => format!(
            "online (version {}, since {})",
            value["version"].as_str().unwrap_or("?"),
            value["since"].as_str().unwrap_or("?")
        ),
        ("online", _) => "OFFLINE".into(),
        _ => {
            let room = &value["room_status"];
            let mut text = format!(
                "health: sync {}, room {}",
                value["sync"]["state"].as_str().unwrap_or("?"),
                room["state"].as_str().unwrap_or("?")
            );
            if let Some(until) = room["until"].as_str() {
                text += &format!(" until {until}");
            }
            if let Some(error) = value["sync"]["last_error"]["message"].as_str() {
                text += &format!(", last error: {error}");
            }
            text
        }
    }
}
