//! The content watcher end to end on tokio's paused clock: a status file in a temp dir
//! plugs and unplugs a pretend laptop, and the share-window events come out on time.

use std::time::Duration;

use room_console::content::control::ControlCommand;
use room_console::content::drm::{DrmConnector, DrmConnectorSource};
use room_console::content::status_file::StatusFileSource;
use room_console::content::{
    ContentEvent, ContentWatcher, InputSource, MachineConfig, simulated_input,
};
use tokio::sync::mpsc;
use tokio::time::{Instant, timeout};

fn watch(source: impl InputSource + 'static) -> mpsc::Receiver<ContentEvent> {
    let (events, received) = mpsc::channel(8);
    ContentWatcher::new(vec![Box::new(source)], MachineConfig::default()).spawn(events);
    received
}

/// Asserts that no event arrives within `window` (paused time moves on by itself).
async fn assert_quiet(events: &mut mpsc::Receiver<ContentEvent>, window: Duration) {
    if let Ok(event) = timeout(window, events.recv()).await {
        panic!("expected no event for {window:?}, got {event:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_status_file_opens_and_closes_the_share_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hdmi-in");
    std::fs::write(&path, "disconnected\n").unwrap();
    let input = format!("file:{}", path.display());
    let mut events = watch(StatusFileSource::new(&path));
    assert_quiet(&mut events, Duration::from_secs(5)).await;

    std::fs::write(&path, "connected\n").unwrap();
    let plugged = Instant::now();
    // Nothing before the one-second debounce has passed.
    assert_quiet(&mut events, Duration::from_millis(900)).await;
    let event = events.recv().await.unwrap();
    assert_eq!(
        event,
        ContentEvent::ShowContent {
            input: input.clone(),
            resolution: None,
            can_preview: false,
        }
    );
    let waited = plugged.elapsed();
    // Debounce plus at most one poll period.
    assert!(
        waited >= Duration::from_secs(1) && waited <= Duration::from_millis(1500),
        "{waited:?}"
    );

    std::fs::write(&path, "disconnected\n").unwrap();
    let unplugged = Instant::now();
    assert_quiet(&mut events, Duration::from_millis(2900)).await;
    assert_eq!(
        events.recv().await.unwrap(),
        ContentEvent::HideContent { input }
    );
    let waited = unplugged.elapsed();
    // The grace period plus at most one poll period.
    assert!(
        waited >= Duration::from_secs(3) && waited <= Duration::from_millis(3500),
        "{waited:?}"
    );
    assert_quiet(&mut events, Duration::from_secs(10)).await;
}

#[tokio::test(start_paused = true)]
async fn a_short_unplug_does_not_close_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hdmi-in");
    std::fs::write(&path, "1\n").unwrap();
    let mut events = watch(StatusFileSource::new(&path));
    assert!(matches!(
        events.recv().await,
        Some(ContentEvent::ShowContent { .. })
    ));

    std::fs::write(&path, "0\n").unwrap();
    tokio::time::advance(Duration::from_secs(2)).await;
    std::fs::write(&path, "1\n").unwrap();
    assert_quiet(&mut events, Duration::from_secs(10)).await;
}

#[tokio::test(start_paused = true)]
async fn a_missing_status_file_is_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gpio17");
    let mut events = watch(StatusFileSource::new(&path));
    match events.recv().await {
        Some(ContentEvent::InputProblem { message, .. }) => {
            assert!(message.contains("does not exist"), "{message}");
        }
        other => panic!("expected a problem, got {other:?}"),
    }
    // The file appears (the GPIO gets exported): the watcher carries on.
    std::fs::write(&path, "0").unwrap();
    assert!(matches!(
        events.recv().await,
        Some(ContentEvent::ProblemCleared { .. })
    ));
    std::fs::write(&path, "1").unwrap();
    assert!(matches!(
        events.recv().await,
        Some(ContentEvent::ShowContent { .. })
    ));
}

#[tokio::test(start_paused = true)]
async fn the_simulated_input_follows_its_switch() {
    let (source, switch) = simulated_input();
    let mut events = watch(source);
    assert_quiet(&mut events, Duration::from_secs(5)).await;

    switch.set(true);
    assert!(switch.is_plugged_in());
    assert_eq!(
        events.recv().await.unwrap(),
        ContentEvent::ShowContent {
            input: "simulated".into(),
            resolution: None,
            can_preview: false,
        }
    );
    switch.set(false);
    let unplugged = Instant::now();
    assert_eq!(
        events.recv().await.unwrap(),
        ContentEvent::HideContent {
            input: "simulated".into()
        }
    );
    assert_eq!(unplugged.elapsed(), Duration::from_secs(3));
}

#[tokio::test(start_paused = true)]
async fn the_watcher_stops_when_nobody_listens() {
    let (source, _switch) = simulated_input();
    let (events, received) = mpsc::channel(8);
    let running =
        ContentWatcher::new(vec![Box::new(source)], MachineConfig::default()).spawn(events);
    drop(received);
    running.await.unwrap();

    // With nothing to watch it ends at once.
    let (events, _received) = mpsc::channel(8);
    ContentWatcher::new(Vec::new(), MachineConfig::default())
        .spawn(events)
        .await
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_drm_connector_on_a_fake_sysfs_opens_and_closes_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let connector_dir = dir.path().join("class/drm/card0-HDMI-A-1");
    std::fs::create_dir_all(&connector_dir).unwrap();
    let status = connector_dir.join("status");
    std::fs::write(&status, "disconnected\n").unwrap();
    let connector = DrmConnector::at(dir.path(), "card0-HDMI-A-1");
    let mut events = watch(DrmConnectorSource::new(connector));
    assert_quiet(&mut events, Duration::from_secs(5)).await;

    // Whether or not this machine lets us hear hot-plug uevents, the slow re-read
    // finds the change.
    std::fs::write(&status, "connected\n").unwrap();
    assert_eq!(
        events.recv().await.unwrap(),
        ContentEvent::ShowContent {
            input: "drm:card0-HDMI-A-1".into(),
            resolution: None,
            can_preview: false,
        }
    );
    std::fs::write(&status, "disconnected\n").unwrap();
    assert_eq!(
        events.recv().await.unwrap(),
        ContentEvent::HideContent {
            input: "drm:card0-HDMI-A-1".into()
        }
    );
}

#[tokio::test(start_paused = true)]
async fn control_commands_plug_the_simulated_input() {
    let (source, switch) = simulated_input();
    let mut events = watch(source);
    for (command, plugged_in) in [
        (ControlCommand::ContentConnect, Some(true)),
        (ControlCommand::ContentDisconnect, Some(false)),
        (ControlCommand::Ping, None),
    ] {
        assert_eq!(command.plugs_simulated_input(), plugged_in);
    }
    if let Some(plug) = ControlCommand::ContentConnect.plugs_simulated_input() {
        switch.set(plug);
    }
    assert!(matches!(
        events.recv().await,
        Some(ContentEvent::ShowContent { .. })
    ));
}
