//! `room-console fleet list [--json]`: every console under the prefix, from the retained
//! `online` and `health` messages the broker keeps for each: device, room, online,
//! version, sync state and age, last error.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Result;
use chrono::{DateTime, Utc};
use clap::Args;
use serde::Serialize;
use serde_json::Value;
use tokio::time::Instant;

use super::ConnectionFlags;
use super::session::AdminSession;
use crate::fleet::topics;

/// Once the retained messages stop coming for this long, all have arrived.
const QUIET: Duration = Duration::from_millis(500);
/// The longest a listing waits in all.
const LONGEST: Duration = Duration::from_secs(30);

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON: [{device_id, online, since, version, health}]
    #[arg(long)]
    pub json: bool,
}

/// One console as the broker remembers it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ConsoleRow {
    pub device_id: String,
    /// `None`: the console never said (only a health report is retained).
    pub online: Option<bool>,
    pub since: Option<String>,
    pub version: Option<String>,
    /// The retained health report, as the console published it.
    pub health: Option<Value>,
}

pub(super) async fn list(flags: &ConnectionFlags, args: &ListArgs) -> Result<()> {
    let mut session = AdminSession::connect(flags).await?;
    let rows = collect_rows(&mut session).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        print!("{}", table(&rows, Utc::now()));
    }
    Ok(())
}

/// Reads every console's retained messages under the session's prefix.
pub async fn collect_rows(session: &mut AdminSession) -> Result<Vec<ConsoleRow>> {
    let prefix = session.prefix.clone();
    session
        .subscribe(&[format!("{prefix}/+/online"), format!("{prefix}/+/health")])
        .await?;
    let mut rows: BTreeMap<String, ConsoleRow> = BTreeMap::new();
    let end = Instant::now() + LONGEST;
    loop {
        let deadline = (Instant::now() + QUIET).min(end);
        let Some(message) = session.next_message(deadline).await? else {
            break;
        };
        let Some((device, kind)) = topics::parse(&prefix, &message.topic) else {
            continue;
        };
        let Ok(value) = serde_json::from_slice::<Value>(&message.payload) else {
            continue;
        };
        let row = rows.entry(device.to_owned()).or_insert_with(|| ConsoleRow {
            device_id: device.to_owned(),
            ..ConsoleRow::default()
        });
        match kind {
            "online" => {
                row.online = value["online"].as_bool();
                row.since = value["since"].as_str().map(str::to_owned);
                row.version = value["version"]
                    .as_str()
                    .map(str::to_owned)
                    .or(row.version.take());
            }
            "health" => {
                if row.version.is_none() {
                    row.version = value["version"].as_str().map(str::to_owned);
                }
                row.health = Some(value);
            }
            _ => {}
        }
    }
    Ok(rows.into_values().collect())
}

/// The rows as a table an admin reads at a glance.
fn table(rows: &[ConsoleRow], now: DateTime<Utc>) -> String {
    if rows.is_empty() {
        return "No console has reported under this prefix yet.\n".into();
    }
    let header = [
        "DEVICE",
        "ROOM",
        "ONLINE",
        "VERSION",
        "SYNC",
        "LAST GOOD SYNC",
        "LAST ERROR",
    ];
    let cells: Vec<[String; 7]> = rows.iter().map(|row| cells(row, now)).collect();
    let mut widths = header.map(str::len);
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |row: &[String]| {
        let mut text = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect::<Vec<_>>()
            .join("  ");
        text.truncate(text.trim_end().len());
        text + "\n"
    };
    let mut out = line(&header.map(String::from));
    for row in &cells {
        out += &line(row);
    }
    let online = rows.iter().filter(|r| r.online == Some(true)).count();
    let consoles = match rows.len() {
        1 => "1 console".to_owned(),
        n => format!("{n} consoles"),
    };
    out += &format!("{consoles}, {online} online\n");
    out
}

fn cells(row: &ConsoleRow, now: DateTime<Utc>) -> [String; 7] {
    let health = row.health.as_ref();
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("—").to_owned();
    let sync = health.map(|h| &h["sync"]);
    let last_success = sync
        .and_then(|s| s["last_success"].as_str())
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map_or("never".to_owned(), |t| age(now - t.to_utc()));
    let last_error = sync
        .and_then(|s| s["last_error"]["message"].as_str())
        .map_or("—".to_owned(), |m| shortened(m, 60));
    [
        row.device_id.clone(),
        text(health.map(|h| &h["room"])),
        match row.online {
            Some(true) => "yes".into(),
            Some(false) => "NO".into(),
            None => "?".into(),
        },
        row.version.clone().unwrap_or_else(|| "—".into()),
        text(sync.map(|s| &s["state"])),
        last_success,
        last_error,
    ]
}

/// "12 s ago", "5 min ago", "3 h ago", "2 d ago".
fn age(elapsed: chrono::Duration) -> String {
    let seconds = elapsed.num_seconds().max(0);
    match seconds {
        0..60 => format!("{seconds} s ago"),
        60..3600 => format!("{} min ago", seconds / 60),
        3600..86_400 => format!("{} h ago", seconds / 3600),
        _ => format!("{} d ago", seconds / 86_400),
    }
}

fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        text.chars().take(max - 1).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_table_shows_each_console_with_its_sync_age_and_error() {
        let now: DateTime<Utc> = "2026-12-05T10:00:00Z".parse().expect("instant");
        let rows = [
            ConsoleRow {
                device_id: "saturn-01".into(),
                online: Some(true),
                since: None,
                version: Some("0.1.0".into()),
                health: Some(json!({"room": "Saturn", "sync": {"state": "ok",
                    "last_success": "2026-12-05T09:55:00Z", "last_error": null}})),
            },
            ConsoleRow {
                device_id: "venus-02".into(),
                online: Some(false),
                health: Some(json!({"room": "Venus", "sync": {"state": "offline",
                    "last_success": null, "last_error": {"message": "cannot reach mail.contoso.com"}}})),
                ..ConsoleRow::default()
            },
        ];
        let text = table(&rows, now);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("DEVICE"), "{text}");
        assert!(
            lines[1].contains("saturn-01") && lines[1].contains("5 min ago"),
            "{text}"
        );
        assert!(
            lines[2].contains("NO") && lines[2].contains("cannot reach mail.contoso.com"),
            "{text}"
        );
        assert_eq!(lines[3], "2 consoles, 1 online");
    }
}
