//! Who may use the data directory. On the device it belongs to the console's own user
//! (`room-console`, see `assets/room-console.service`). A command an admin runs there as
//! root would leave root's files behind (a settings file, the agenda cache's WAL files)
//! that the unprivileged console can no longer read or replace, so root is refused and
//! told how to run the command as the owner.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use nix::unistd::{Gid, Uid, User, geteuid};

/// Why a command may not run on this data directory as this user.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "the data directory {dir} belongs to the user {owner}, and this command runs as root: \
     files it wrote would be root's, and the console could no longer read them. Run it as \
     the console's user instead:\n    {fix}"
)]
pub(crate) struct ForeignDataDir {
    dir: String,
    owner: String,
    fix: String,
}

/// Refuses to work as root on a data directory another user owns. `command` is the
/// command line, repeated in the fix. A directory that does not exist yet is fine.
pub(crate) fn check_data_dir_owner(dir: &Path, command: &[String]) -> Result<(), ForeignDataDir> {
    let Ok(metadata) = std::fs::metadata(dir) else {
        return Ok(());
    };
    let owner = (Uid::from_raw(metadata.uid()), Gid::from_raw(metadata.gid()));
    check(geteuid(), owner, dir, command)
}

fn check(
    runs_as: Uid,
    (owner, group): (Uid, Gid),
    dir: &Path,
    command: &[String],
) -> Result<(), ForeignDataDir> {
    if !runs_as.is_root() || owner == runs_as {
        return Ok(());
    }
    let command = shell_words(command);
    let (owner, fix) = match User::from_uid(owner) {
        Ok(Some(user)) => (
            user.name.clone(),
            format!("runuser -u {} -- {command}", user.name),
        ),
        // A user id with no name: setpriv takes numbers.
        _ => (
            format!("with id {owner}"),
            format!("setpriv --reuid={owner} --regid={group} --clear-groups -- {command}"),
        ),
    };
    Err(ForeignDataDir {
        dir: dir.display().to_string(),
        owner,
        fix,
    })
}

/// The command line as an admin can paste it: words with spaces or quotes in single
/// quotes.
fn shell_words(words: &[String]) -> String {
    words
        .iter()
        .map(|word| {
            let plain = !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:@,+%".contains(c));
            if plain {
                word.clone()
            } else {
                format!("'{}'", word.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &[&str]) -> Vec<String> {
        line.iter().map(|w| w.to_string()).collect()
    }

    /// What root is told running `line` on `dir`, owned by the user and group `owner`.
    fn refused_to_root(owner: (u32, u32), dir: &str, line: &[&str]) -> String {
        let owner = (Uid::from_raw(owner.0), Gid::from_raw(owner.1));
        check(Uid::from_raw(0), owner, Path::new(dir), &words(line))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn root_on_a_directory_another_user_owns_is_told_to_run_as_that_user() {
        let text = refused_to_root(
            (65534, 65534),
            "/var/lib/room-console",
            &["room-console", "provision", "/root/Room 2.xml"],
        );
        assert!(text.contains("belongs to the user nobody"), "{text}");
        assert!(
            text.ends_with("runuser -u nobody -- room-console provision '/root/Room 2.xml'"),
            "{text}"
        );
    }

    #[test]
    fn the_owner_and_root_on_its_own_directory_go_ahead() {
        let dir = Path::new("/d");
        let line = words(&["room-console", "status"]);
        let owned_by = |id: u32| (Uid::from_raw(id), Gid::from_raw(id));
        assert_eq!(check(Uid::from_raw(0), owned_by(0), dir, &line), Ok(()));
        assert_eq!(
            check(Uid::from_raw(1000), owned_by(1000), dir, &line),
            Ok(())
        );
        // Not root: the directory's own permissions decide, as for any program.
        assert_eq!(check(Uid::from_raw(1000), owned_by(0), dir, &line), Ok(()));
    }

    #[test]
    fn an_owner_without_a_name_is_shown_by_number() {
        let text = refused_to_root((4_000_000_000, 77), "/d", &["room-console", "status"]);
        assert!(
            text.contains("belongs to the user with id 4000000000"),
            "{text}"
        );
        assert!(
            text.ends_with(
                "setpriv --reuid=4000000000 --regid=77 --clear-groups -- room-console status"
            ),
            "{text}"
        );
    }

    #[test]
    fn quotes_only_words_that_need_it() {
        assert_eq!(
            shell_words(&words(&["a", "--data-dir=/x", "it's", ""])),
            r"a --data-dir=/x 'it'\''s' ''"
        );
    }
}
