//! The panel's backlight through sysfs (`<root>/class/backlight/<name>/brightness` and
//! `max_brightness`), for night mode: full (as found at start), dimmed, or off. The sysfs
//! root is a parameter so tests use a fake one in a temporary folder.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::night::ScreenState;

/// The real sysfs root.
pub(crate) const SYSFS: &str = "/sys";

/// The dimmed brightness, as a share of the maximum.
const DIMMED_SHARE: u32 = 10;

/// One backlight device.
#[derive(Debug)]
pub struct Backlight {
    brightness: PathBuf,
    max: u32,
    /// The brightness found at start: what "awake" restores.
    awake: u32,
}

impl Backlight {
    /// The first backlight (by name) under `sysfs_root`, or `None` when the device has
    /// none or it cannot be read; the screen then blanks by drawing black.
    pub fn find(sysfs_root: &Path) -> Option<Backlight> {
        let mut dirs: Vec<PathBuf> = fs::read_dir(sysfs_root.join("class/backlight"))
            .ok()?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .collect();
        dirs.sort();
        dirs.iter().find_map(|dir| match Backlight::open(dir) {
            Ok(backlight) => Some(backlight),
            Err(err) => {
                tracing::warn!("backlight {} not usable: {err}", dir.display());
                None
            }
        })
    }

    fn open(dir: &Path) -> io::Result<Backlight> {
        let read = |name: &str| -> io::Result<u32> {
            fs::read_to_string(dir.join(name))?
                .trim()
                .parse()
                .map_err(|_| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("{name} is not a number"),
                    )
                })
        };
        let max = read("max_brightness")?;
        if max == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "max_brightness is 0",
            ));
        }
        let current = read("brightness")?;
        Ok(Backlight {
            brightness: dir.join("brightness"),
            max,
            // Started with the light off (e.g. by a crash at night): come back on fully.
            awake: if current == 0 { max } else { current.min(max) },
        })
    }

    /// The brightness for `state`.
    pub fn level(&self, state: ScreenState) -> u32 {
        match state {
            ScreenState::Awake => self.awake,
            ScreenState::Dimmed => (self.max / DIMMED_SHARE).clamp(1, self.awake),
            ScreenState::Blank => 0,
        }
    }

    /// Sets the backlight for `state`.
    pub fn show(&self, state: ScreenState) -> io::Result<()> {
        fs::write(&self.brightness, self.level(state).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_sysfs(devices: &[(&str, &str, &str)]) -> tempfile::TempDir {
        let root = tempfile::tempdir().expect("temp dir");
        for (name, brightness, max) in devices {
            let dir = root.path().join("class/backlight").join(name);
            fs::create_dir_all(&dir).expect("dir");
            fs::write(dir.join("brightness"), brightness).expect("brightness");
            fs::write(dir.join("max_brightness"), max).expect("max");
        }
        root
    }

    fn brightness(root: &Path, name: &str) -> String {
        fs::read_to_string(root.join("class/backlight").join(name).join("brightness"))
            .expect("read")
    }

    #[test]
    fn dims_blanks_and_restores_the_brightness_it_found() {
        let root = fake_sysfs(&[("panel", "180\n", "255\n")]);
        let backlight = Backlight::find(root.path()).expect("found");
        backlight.show(ScreenState::Dimmed).expect("dim");
        assert_eq!(brightness(root.path(), "panel"), "25");
        backlight.show(ScreenState::Blank).expect("blank");
        assert_eq!(brightness(root.path(), "panel"), "0");
        backlight.show(ScreenState::Awake).expect("wake");
        assert_eq!(brightness(root.path(), "panel"), "180");
    }

    #[test]
    fn a_light_found_off_comes_back_fully_on_and_dimming_never_brightens() {
        let root = fake_sysfs(&[("panel", "0", "7")]);
        let backlight = Backlight::find(root.path()).expect("found");
        assert_eq!(backlight.level(ScreenState::Awake), 7);
        assert_eq!(backlight.level(ScreenState::Dimmed), 1);
        let dark = fake_sysfs(&[("panel", "3", "1000")]);
        let backlight = Backlight::find(dark.path()).expect("found");
        assert_eq!(backlight.level(ScreenState::Dimmed), 3);
    }

    #[test]
    fn none_without_a_usable_backlight() {
        let empty = tempfile::tempdir().expect("temp dir");
        assert!(Backlight::find(empty.path()).is_none());
        let broken = fake_sysfs(&[("a", "x", "255"), ("b", "5", "0")]);
        assert!(Backlight::find(broken.path()).is_none());
        let second = fake_sysfs(&[("a", "x", "255"), ("b", "5", "10")]);
        assert_eq!(
            Backlight::find(second.path())
                .expect("b")
                .level(ScreenState::Awake),
            5
        );
    }
}
