//! The wizard's Content input step on the headless platform: it lists the device's
//! inputs and shows "Laptop connected" live from the content watcher. The watcher reads a
//! status file in a temp dir on a tokio runtime with paused time, so the debounce and
//! grace periods pass in virtual time, deterministically; its events reach the wizard
//! over the same kind of channel `run` bridges them with. (The wizard is walked to the
//! step over the Microsoft 365 path against the in-repo Graph server.)

use crate::common::screens;
use screens::*;

use crate::common::graph_server;

use std::path::{Path, PathBuf};
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use graph_server::*;
use room_console::content::status_file::StatusFileSource;
use room_console::content::{ContentEvent, ContentWatcher, InputSetting, MachineConfig, Roots};
use room_console::settings::{Secrets, Settings};
use room_console::ui::wizard::{Step, WizardOptions};
use room_console::ui::{WizardAdapter, WizardSource};
use slint::ComponentHandle;
use tokio::sync::mpsc;
use url::Url;

const ROOM: &str = "confrm2@contoso.com";

/// The content watcher on a paused clock, and the bridge to the wizard.
struct Watcher {
    runtime: tokio::runtime::Runtime,
    events: mpsc::Receiver<ContentEvent>,
    to_wizard: std_mpsc::Sender<ContentEvent>,
}

impl Watcher {
    fn start(status_file: &Path, to_wizard: std_mpsc::Sender<ContentEvent>) -> Watcher {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .unwrap();
        let (sender, events) = mpsc::channel(16);
        let source = StatusFileSource::new(status_file);
        runtime.spawn(
            ContentWatcher::new(vec![Box::new(source)], MachineConfig::default()).run(sender),
        );
        Watcher {
            runtime,
            events,
            to_wizard,
        }
    }

    /// Lets `virtual_time` pass on the watcher's clock, handing every event to the wizard.
    fn let_pass(&mut self, virtual_time: Duration) {
        let (events, to_wizard) = (&mut self.events, &self.to_wizard);
        self.runtime.block_on(async {
            let end = tokio::time::sleep(virtual_time);
            tokio::pin!(end);
            loop {
                tokio::select! {
                    Some(event) = events.recv() => to_wizard.send(event).unwrap(),
                    () = &mut end => return,
                }
            }
        });
    }
}

#[test]
fn plugging_a_laptop_in_flips_the_content_steps_indicator() {
    let dir = tempfile::tempdir().unwrap();
    let status_file: PathBuf = dir.path().join("hdmi-in");
    std::fs::write(&status_file, "disconnected\n").unwrap();
    let (to_wizard, content_events) = std_mpsc::channel();
    let mut watcher = Watcher::start(&status_file, to_wizard);

    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    let server = server_runtime
        .block_on(GraphServer::start(
            App::new(TENANT, CLIENT_ID, SECRET),
            [(ROOM, Vec::new())],
            2,
        ))
        .unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, server.ca_pem()).unwrap();

    // The inputs the device has, as discovery lists them.
    let inputs: Vec<String> =
        room_console::content::discover(&InputSetting::File(status_file.clone()), &Roots::system())
            .into_iter()
            .map(|input| input.name)
            .collect();
    assert_eq!(inputs.len(), 1);

    let (headless, app, controller) = start_wizard(
        WizardOptions {
            content_inputs: inputs.clone(),
            content_events: Some(content_events),
            graph_url: Some(Url::parse(&server.graph_url()).unwrap()),
            authority_url: Some(Url::parse(&server.authority_url()).unwrap()),
            ..wizard_options()
        },
        |_: Settings, _: Secrets| Ok(()),
    );
    let a = app.global::<WizardAdapter>();

    // Walk to the Content input step over the Microsoft 365 path.
    a.invoke_next();
    a.set_display_name("Conference Room 2".into());
    a.set_sign_in_address(ROOM.into());
    a.invoke_next();
    a.set_source(WizardSource::Microsoft365);
    a.set_tenant_id(TENANT.into());
    a.set_client_id(CLIENT_ID.into());
    a.set_client_secret(SECRET.into());
    a.set_ca_file(ca.display().to_string().into());
    a.invoke_next();
    controller.wait_for_checks();
    a.invoke_next();
    assert_eq!(controller.step(), Step::ContentInput);
    assert_eq!(a.get_content_inputs(), inputs[0].as_str());
    assert!(a.get_content_watched());

    // Nothing plugged in: not connected, however long it stays so.
    watcher.let_pass(Duration::from_secs(5));
    headless.advance(Duration::from_millis(100));
    assert!(!a.get_laptop_connected());
    keep_screenshot(&headless, "wizard-5-content-input-not-connected");

    // The laptop is plugged in: connected once the picture held for the debounce.
    std::fs::write(&status_file, "connected\n").unwrap();
    watcher.let_pass(Duration::from_millis(500));
    headless.advance(Duration::from_millis(100));
    assert!(
        !a.get_laptop_connected(),
        "not before the one-second debounce"
    );
    watcher.let_pass(Duration::from_secs(2));
    headless.advance(Duration::from_millis(100));
    assert!(a.get_laptop_connected());
    assert_eq!(a.get_content_problem(), "");
    keep_screenshot(&headless, "wizard-5-content-input-connected");

    // Unplugged: back to not connected after the grace period.
    std::fs::write(&status_file, "disconnected\n").unwrap();
    watcher.let_pass(Duration::from_secs(5));
    headless.advance(Duration::from_millis(100));
    assert!(!a.get_laptop_connected());
}
