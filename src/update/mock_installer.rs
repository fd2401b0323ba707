//! A stand-in for RAUC's Installer for unit tests, served in-process over a socket pair
//! (peer-to-peer D-Bus): installs succeed or fail with a given `LastError`, marks are
//! recorded.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use zbus::object_server::SignalEmitter;
use zbus::zvariant::{OwnedValue, Value};

/// What the mock does and what it was asked.
#[derive(Debug, Default)]
pub(super) struct Script {
    /// `Some(text)`: installations fail with this `LastError`.
    pub fail_with: Option<String>,
    pub installed: Vec<String>,
    pub marks: Vec<(String, String)>,
    pub boot_slot: String,
    pub primary: String,
}

pub(super) struct MockInstaller {
    pub script: Arc<Mutex<Script>>,
    last_error: String,
}

#[zbus::interface(name = "de.pengutronix.rauc.Installer")]
impl MockInstaller {
    async fn install_bundle(
        &mut self,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
        source: String,
        _args: HashMap<String, OwnedValue>,
    ) -> zbus::fdo::Result<()> {
        let result = {
            let mut script = self.script.lock().expect("lock");
            match script.fail_with.clone() {
                Some(error) => {
                    self.last_error = error;
                    1
                }
                None => {
                    script.installed.push(source);
                    script.primary = "rootfs.1".into();
                    0
                }
            }
        };
        Self::completed(&emitter, result)
            .await
            .map_err(|e| zbus::fdo::Error::Failed(e.to_string()))
    }

    fn mark(&mut self, state: String, slot_identifier: String) -> (String, String) {
        let mut script = self.script.lock().expect("lock");
        script.marks.push((state.clone(), slot_identifier));
        (
            "rootfs.1".into(),
            format!("marked slot rootfs.1 as {state}"),
        )
    }

    fn get_slot_status(&self) -> Vec<(String, HashMap<String, OwnedValue>)> {
        let script = self.script.lock().expect("lock");
        let slot = |bootname: &str, version: &str| {
            let booted = script.boot_slot == bootname;
            let mut fields = HashMap::new();
            for (key, value) in [
                ("class", "rootfs"),
                ("bootname", bootname),
                ("state", if booted { "booted" } else { "inactive" }),
                ("boot-status", "good"),
                ("bundle.version", version),
            ] {
                fields.insert(
                    key.to_owned(),
                    OwnedValue::try_from(Value::from(value)).expect("a string value"),
                );
            }
            fields
        };
        vec![
            ("rootfs.0".into(), slot("A", "1.3.0")),
            ("rootfs.1".into(), slot("B", "1.4.0")),
        ]
    }

    fn get_primary(&self) -> String {
        self.script.lock().expect("lock").primary.clone()
    }

    #[zbus(property)]
    fn operation(&self) -> String {
        "idle".into()
    }

    #[zbus(property)]
    fn last_error(&self) -> String {
        self.last_error.clone()
    }

    #[zbus(property)]
    fn progress(&self) -> (i32, String, i32) {
        (100, "Installing done.".into(), 1)
    }

    #[zbus(property)]
    fn compatible(&self) -> String {
        "room-console test".into()
    }

    #[zbus(property)]
    fn boot_slot(&self) -> String {
        self.script.lock().expect("lock").boot_slot.clone()
    }

    #[zbus(signal)]
    async fn completed(emitter: &SignalEmitter<'_>, result: i32) -> zbus::Result<()>;
}

/// Serves a mock Installer (at "/" when `serve`) over a socket pair; answers the client side and
/// the script. The server connection lives in the returned tuple.
pub(super) async fn connect(
    script: Script,
    serve: bool,
) -> (zbus::Connection, zbus::Connection, Arc<Mutex<Script>>) {
    let (ours, theirs) = tokio::net::UnixStream::pair().expect("socket pair");
    let guid = zbus::Guid::generate();
    let script = Arc::new(Mutex::new(script));
    // Without `serve`, the installer sits elsewhere: "/" answers "unknown object", as a
    // bus without RAUC answers "unknown service".
    let path = if serve { "/" } else { "/elsewhere" };
    let server = zbus::connection::Builder::unix_stream(theirs)
        .server(guid)
        .expect("server")
        .p2p()
        .serve_at(
            path,
            MockInstaller {
                script: script.clone(),
                last_error: String::new(),
            },
        )
        .expect("serve");
    let client = zbus::connection::Builder::unix_stream(ours).p2p().build();
    let (server, client) = tokio::join!(server.build(), client);
    (
        server.expect("server connection"),
        client.expect("client connection"),
        script,
    )
}
