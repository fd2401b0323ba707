//! The status-file and DRM sources on a fake sysfs tree, discovery on fake roots, and
//! the setting string.

use std::fs;
use std::path::{Path, PathBuf};

use room_console::content::drm::{DrmConnector, DrmConnectorSource, list_connectors};
use room_console::content::status_file::StatusFileSource;
use room_console::content::{
    InputError, InputInfo, InputKind, InputSetting, InputSource, InputStatus, Roots, SignalReading,
    build_sources, discover,
};

fn fake_roots(dir: &Path) -> Roots {
    let roots = Roots {
        sysfs: dir.join("sys"),
        dev: dir.join("dev"),
    };
    fs::create_dir_all(roots.sysfs.join("class/drm")).unwrap();
    fs::create_dir_all(&roots.dev).unwrap();
    roots
}

fn add_connector(roots: &Roots, name: &str, status: &str) -> PathBuf {
    let dir = roots.sysfs.join("class/drm").join(name);
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join("status");
    fs::write(&path, status).unwrap();
    path
}

/// Asserts that the input `found` has the error "`path` `said`" (the path first, as the
/// admin reads it).
fn assert_error_about(found: &InputInfo, path: &Path, said: &str) {
    assert_eq!(
        found.error.as_deref(),
        Some(format!("{} {said}", path.display()).as_str())
    );
}

#[test]
fn status_file_follows_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hdmi-in");
    let mut source = StatusFileSource::new(&path);
    assert_eq!(source.id(), format!("file:{}", path.display()));

    assert!(matches!(source.read(), Err(InputError::NotFound { .. })));
    for (content, expected) in [
        ("connected\n", SignalReading::CONNECTED),
        ("disconnected\n", SignalReading::Absent),
        ("1\n", SignalReading::CONNECTED),
        ("0", SignalReading::Absent),
    ] {
        fs::write(&path, content).unwrap();
        assert_eq!(source.read(), Ok(expected), "for {content:?}");
    }
    fs::write(&path, "maybe\n").unwrap();
    let error = source.read().unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{} says \"maybe\"; expected connected, disconnected, 1 or 0",
            path.display()
        )
    );
}

#[test]
fn drm_connector_status_on_a_fake_sysfs() {
    let dir = tempfile::tempdir().unwrap();
    let roots = fake_roots(dir.path());
    let status = add_connector(&roots, "card0-HDMI-A-1", "disconnected\n");
    let mut source = DrmConnectorSource::new(DrmConnector::at(&roots.sysfs, "card0-HDMI-A-1"));
    assert_eq!(source.id(), "drm:card0-HDMI-A-1");
    assert_eq!(source.read(), Ok(SignalReading::Absent));
    fs::write(&status, "connected\n").unwrap();
    assert_eq!(source.read(), Ok(SignalReading::CONNECTED));
    fs::write(&status, "unknown\n").unwrap();
    assert_eq!(source.read(), Ok(SignalReading::Absent));

    // The card goes away (driver unbound): an error, not a crash.
    fs::remove_dir_all(status.parent().unwrap()).unwrap();
    assert!(matches!(source.read(), Err(InputError::DeviceGone { .. })));
}

#[test]
fn drm_connectors_are_listed_but_never_picked_automatically() {
    let dir = tempfile::tempdir().unwrap();
    let roots = fake_roots(dir.path());
    add_connector(&roots, "card0-VGA-1", "disconnected\n");
    add_connector(&roots, "card0-HDMI-A-1", "connected\n");
    // Not connectors: the card itself and a render node.
    fs::create_dir_all(roots.sysfs.join("class/drm/card0")).unwrap();
    fs::create_dir_all(roots.sysfs.join("class/drm/renderD128")).unwrap();

    let names: Vec<String> = list_connectors(&roots.sysfs)
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["card0-HDMI-A-1", "card0-VGA-1"]);

    // `auto` on a board with no HDMI receiver: only the simulated input.
    let found = discover(&InputSetting::Auto, &roots);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, InputKind::Simulated);
    assert_eq!(found[0].status, InputStatus::Disconnected);
    assert!(
        build_sources(&InputSetting::Auto, &roots)
            .simulated
            .is_some()
    );
}

#[test]
fn discover_reports_the_named_inputs_with_their_status() {
    let dir = tempfile::tempdir().unwrap();
    let roots = fake_roots(dir.path());
    add_connector(&roots, "card0-HDMI-A-1", "connected\n");

    let found = discover(&"drm:card0-HDMI-A-1".parse().unwrap(), &roots);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, "drm:card0-HDMI-A-1");
    assert_eq!(found[0].kind, InputKind::Drm);
    assert_eq!(found[0].status, InputStatus::Connected);
    assert!(!found[0].can_preview);
    assert_eq!(found[0].error, None);

    let missing = dir.path().join("no-such-file");
    let found = discover(&InputSetting::File(missing.clone()), &roots);
    assert_eq!(found[0].status, InputStatus::Error);
    assert_error_about(
        &found[0],
        &missing,
        "does not exist (unplugged, or its driver is not loaded)",
    );

    assert!(discover(&InputSetting::None, &roots).is_empty());
}

#[test]
fn v4l2_nodes_that_are_not_receivers_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let roots = fake_roots(dir.path());
    // Regular files stand in for device nodes: they answer every ioctl with ENOTTY,
    // like a webcam answers the DV-timings ioctls.
    fs::write(roots.dev.join("video0"), "").unwrap();
    fs::write(roots.dev.join("v4l-subdev0"), "").unwrap();
    let found = discover(&InputSetting::Auto, &roots);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, InputKind::Simulated);

    // Named explicitly, the same node says what is wrong with it.
    let node = roots.dev.join("video0");
    let found = discover(&InputSetting::V4l2(node.clone()), &roots);
    assert_eq!(found[0].kind, InputKind::V4l2);
    assert_error_about(
        &found[0],
        &node,
        "is not an HDMI receiver: it has no digital-video timings input",
    );
}

#[test]
fn setting_strings_parse_and_print_back() {
    for text in [
        "auto",
        "none",
        "simulated",
        "v4l2:/dev/video0",
        "v4l2:/dev/v4l-subdev2",
        "drm:card0-HDMI-A-1",
        "drm:card1-VGA-1",
        "file:/sys/class/gpio/gpio17/value",
    ] {
        let setting: InputSetting = text.parse().unwrap();
        assert_eq!(setting.to_string(), text);
    }
    assert_eq!(" AUTO\n".parse::<InputSetting>(), Ok(InputSetting::Auto));
    assert_eq!("".parse::<InputSetting>(), Ok(InputSetting::Auto));
    assert_eq!(
        "v4l2:/dev/video0".parse::<InputSetting>(),
        Ok(InputSetting::V4l2(PathBuf::from("/dev/video0")))
    );
    assert_eq!(
        "drm:card0-HDMI-A-1".parse::<InputSetting>(),
        Ok(InputSetting::Drm("card0-HDMI-A-1".into()))
    );
}

#[test]
fn bad_setting_strings_say_what_is_accepted() {
    for text in [
        "hdmi",
        "v4l2:video0",
        "drm:HDMI-A-1",
        "drm:../../etc",
        "file:relative",
        "usb:1",
    ] {
        let error = text.parse::<InputSetting>().unwrap_err();
        let message = error.to_string();
        assert!(message.contains(&format!("{text:?}")), "{message}");
        assert!(
            message.contains("accepted: auto, none, simulated, v4l2:/dev/videoN"),
            "{message}"
        );
    }
    let message = "drm:HDMI-A-1"
        .parse::<InputSetting>()
        .unwrap_err()
        .to_string();
    assert!(message.contains("card0-HDMI-A-1"), "{message}");
}
