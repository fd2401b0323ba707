//! `room-console factory-reset --yes`: erases the settings, secrets, agenda cache, sync
//! state, PIN lockout and any pending provisioning file, keeping the software; the
//! console starts in the setup wizard afterwards. Without `--yes` it only says what it
//! would erase.

use anyhow::Result;
use clap::Args;

use crate::device::paths::DataDir;
use crate::device::reset::{Erasable, factory_reset as reset, what_is_erased};

#[derive(Debug, Args)]
pub struct FactoryResetArgs {
    /// Really erase (without it, only list what would be erased)
    #[arg(long)]
    pub yes: bool,
}

pub(super) fn factory_reset(data_dir: &DataDir, args: &FactoryResetArgs) -> Result<()> {
    let items = what_is_erased(data_dir);
    if !args.yes {
        anyhow::bail!(
            "not erasing anything without --yes. A factory reset erases, in {}:\n{}\
             The software and its version stay; the console then starts in the setup wizard.\n\
             To go ahead: room-console factory-reset --yes",
            data_dir.path().display(),
            listing(&items)
        );
    }
    if !data_dir.path().exists() {
        println!(
            "Nothing to erase: {} does not exist.",
            data_dir.path().display()
        );
        return Ok(());
    }
    reset(data_dir, &mut |_| {})?;
    print!(
        "Factory reset done. Erased:\n{}The console starts in the setup wizard.\n",
        listing(&items)
    );
    Ok(())
}

/// One line per item: "  - what (path) [present|not present]".
fn listing(items: &[Erasable]) -> String {
    items
        .iter()
        .map(|item| {
            format!(
                "  - {} ({}){}\n",
                item.what,
                item.path.display(),
                if item.present { "" } else { " (not present)" }
            )
        })
        .collect()
}
