//! `room-console update FILE|URL [--sha256 HEX] [--now]`: installs a software update
//! through RAUC with its progress, then restarts in the room's next free period (shown),
//! or at once with `--now`.

use std::io::Write;

use anyhow::Result;
use clap::Args;

use crate::clock::SystemClock;
use crate::device::paths::DataDir;
use crate::settings::Settings;
use crate::update::{self, UpdateRequest, UpdateState, room_tz};

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The update bundle: a file (e.g. on a USB stick) or an https:// address
    #[arg(value_name = "FILE|URL")]
    pub source: String,
    /// The bundle's SHA-256 (64 hex digits), checked before it is installed
    #[arg(long, value_name = "HEX")]
    pub sha256: Option<String>,
    /// Restart into the new software at once instead of in the room's next free period
    #[arg(long)]
    pub now: bool,
}

pub(super) fn update(data_dir: &DataDir, args: &UpdateArgs) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let tz = room_tz(Settings::load(data_dir.path()).ok().flatten().as_ref());
    let request = UpdateRequest {
        source: args.source.clone(),
        sha256: args.sha256.clone(),
        restart_now: args.now,
    };
    let mut last_line = String::new();
    let mut report = |state: &UpdateState| {
        let line = state.describe(&tz);
        if line != last_line {
            let mut err = std::io::stderr();
            let _ = writeln!(err, "{line}");
            last_line = line;
        }
    };
    let done = runtime.block_on(update::start(data_dir, &request, &SystemClock, &mut report))?;
    if let UpdateState::AwaitingRestart { .. } = &done {
        if args.now {
            println!("installed; restarting now");
        } else {
            println!("installed: {}", done.describe(&tz));
        }
    }
    Ok(())
}
