//! `room-console provision FILE`: applies a provisioning file (RoomConsoleSettings.xml),
//! all or nothing, and says what changed; `--check` only validates it.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::device::paths::DataDir;
use crate::settings::provision::{apply_file, check_file};

#[derive(Debug, Args)]
pub struct ProvisionArgs {
    /// The provisioning file (see assets/RoomConsoleSettings.example.xml)
    pub file: PathBuf,
    /// Only check the file: report what would change, write nothing
    #[arg(long)]
    pub check: bool,
}

pub(super) fn provision(data_dir: &DataDir, args: &ProvisionArgs) -> Result<()> {
    data_dir.ensure_exists()?;
    let summary = if args.check {
        check_file(data_dir.path(), &args.file)?
    } else {
        apply_file(data_dir.path(), &args.file)?
    };
    let verb = if args.check {
        "would change"
    } else {
        "applied"
    };
    if summary.is_empty() {
        println!("{}: nothing to change", args.file.display());
    } else {
        println!("{} {verb}:\n{summary}", args.file.display());
    }
    Ok(())
}
