//! A stand-in for a command the admin sets (join, share): a shell script that writes its
//! first arguments, joined by spaces, into a FIFO, so a test waits for the command by
//! reading what it wrote, without sleeping.

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

pub struct FifoCommand {
    /// The script, for the setting that names the command.
    pub script: PathBuf,
    fifo: PathBuf,
}

impl FifoCommand {
    /// The script `name` in `dir`, writing its first `args` arguments.
    pub fn new(dir: &Path, name: &str, args: usize) -> FifoCommand {
        let fifo = dir.join(format!("{name}.fifo"));
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let script = dir.join(name);
        let format = vec!["%s"; args].join(" ");
        let arguments: Vec<String> = (1..=args).map(|n| format!("\"${n}\"")).collect();
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nprintf '{format}' {} > '{}'\n",
                arguments.join(" "),
                fifo.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        FifoCommand { script, fifo }
    }

    /// What the command wrote: waits until it has run.
    pub fn read(&self) -> String {
        let mut written = String::new();
        std::fs::File::open(&self.fifo)
            .unwrap()
            .read_to_string(&mut written)
            .unwrap();
        written
    }
}
