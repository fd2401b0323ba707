//! A real Mosquitto for the fleet tests: a private CA made with rcgen, a server
//! certificate for 127.0.0.1, one client certificate per identity (its common name is
//! its MQTT user name: `use_identity_as_username`), an ACL confining each console to
//! `room-console/<its id>/#` and an `admin` identity allowed everything under the
//! prefix. The broker listens with TLS on a free loopback port and runs as long as the
//! `Broker`; `restart` stops and starts it on the same port, forgetting retained
//! messages (`persistence false`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use room_console::fleet::admin::{AdminSession, ConnectionFlags};

/// How long the broker may take to listen.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// The certificates of one private CA, written into a directory.
pub struct Pki {
    dir: PathBuf,
    issuer: Issuer<'static, KeyPair>,
    pub ca: PathBuf,
}

/// An identity's certificate and key files.
#[derive(Debug, Clone)]
pub struct Identity {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl Pki {
    /// A new CA called `name`, its certificate written to `<dir>/<name>.pem`.
    pub fn new(dir: &Path, name: &str) -> Pki {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let cert = params.self_signed(&key).unwrap();
        let ca = dir.join(format!("{name}.pem"));
        std::fs::write(&ca, cert.pem()).unwrap();
        Pki {
            dir: dir.to_owned(),
            issuer: Issuer::new(params, key),
            ca,
        }
    }

    /// A certificate for `common_name` (and the `names` as alternative names).
    pub fn issue(&self, common_name: &str, names: &[&str]) -> Identity {
        let key = KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = CertificateParams::new(names).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, common_name);
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        let identity = Identity {
            cert: self.dir.join(format!("{common_name}.crt.pem")),
            key: self.dir.join(format!("{common_name}.key.pem")),
        };
        std::fs::write(&identity.cert, cert.pem()).unwrap();
        std::fs::write(&identity.key, key.serialize_pem()).unwrap();
        identity
    }
}

/// A running Mosquitto.
pub struct Broker {
    pub port: u16,
    config: PathBuf,
    child: Option<Child>,
    pub pki: Pki,
    pub admin: Identity,
    dir: PathBuf,
}

impl Broker {
    /// Starts a broker with a new CA in `dir`; each client proves who it is with a
    /// certificate the CA signed.
    pub fn start(dir: &Path) -> Broker {
        Broker::start_with(
            dir,
            "require_certificate true\nuse_identity_as_username true\n",
        )
    }

    /// Starts a broker whose clients sign in with these user names and passwords (TLS
    /// still, without client certificates).
    pub fn start_with_passwords(dir: &Path, users: &[(&str, &str)]) -> Broker {
        let passwords = dir.join("passwords");
        std::fs::write(&passwords, "").unwrap();
        for (user, password) in users {
            let made = Command::new("mosquitto_passwd")
                .arg("-b")
                .arg(&passwords)
                .args([user, password])
                .status()
                .expect("mosquitto_passwd runs");
            assert!(made.success());
        }
        Broker::start_with(
            dir,
            &format!(
                "require_certificate false\nallow_anonymous false\npassword_file {}\n",
                passwords.display()
            ),
        )
    }

    fn start_with(dir: &Path, authentication: &str) -> Broker {
        let pki = Pki::new(dir, "fleet-ca");
        let server = pki.issue("broker", &["localhost", "127.0.0.1"]);
        let admin = pki.issue("admin", &[]);
        let port = free_port();
        let acl = dir.join("acl");
        std::fs::write(
            &acl,
            "user admin\ntopic readwrite room-console/#\n\n\
             pattern readwrite room-console/%u/#\n",
        )
        .unwrap();
        let config = dir.join("mosquitto.conf");
        std::fs::write(
            &config,
            format!(
                "user root\npersistence false\nlog_dest stderr\nlog_type error\nlog_type warning\n\
                 listener {port} 127.0.0.1\ncafile {ca}\ncertfile {cert}\nkeyfile {key}\n\
                 {authentication}acl_file {acl}\n",
                ca = pki.ca.display(),
                cert = server.cert.display(),
                key = server.key.display(),
                acl = acl.display(),
            ),
        )
        .unwrap();
        let mut broker = Broker {
            port,
            config,
            child: None,
            pki,
            admin,
            dir: dir.to_owned(),
        };
        broker.launch();
        broker
    }

    /// `mqtts://127.0.0.1:<port>`
    pub fn url(&self) -> String {
        format!("mqtts://127.0.0.1:{}", self.port)
    }

    fn launch(&mut self) {
        let child = Command::new("mosquitto")
            .arg("-c")
            .arg(&self.config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("mosquitto runs (apt-get install mosquitto)");
        self.child = Some(child);
        let deadline = Instant::now() + START_TIMEOUT;
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "mosquitto did not listen on {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The broker's process id while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Stops the broker (it forgets every retained message).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port.
    pub fn start_again(&mut self) {
        self.launch();
    }

    /// The admin's connection flags.
    pub fn admin_flags(&self) -> ConnectionFlags {
        self.flags_for(&self.admin)
    }

    /// Connection flags for `identity`.
    pub fn flags_for(&self, identity: &Identity) -> ConnectionFlags {
        ConnectionFlags {
            broker: Some(self.url().parse().unwrap()),
            ca: Some(self.pki.ca.clone()),
            cert: Some(identity.cert.clone()),
            key: Some(identity.key.clone()),
            username: None,
            password_file: None,
            topic_prefix: "room-console".into(),
            allow_insecure_mqtt: false,
        }
    }

    /// An admin session subscribed to `filters`.
    pub async fn admin_session(&self, filters: &[&str]) -> AdminSession {
        let mut session = AdminSession::connect(&self.admin_flags()).await.unwrap();
        let filters: Vec<String> = filters.iter().map(|f| f.to_string()).collect();
        session.subscribe(&filters).await.unwrap();
        session
    }

    /// The arguments `room-console fleet …` connects with as the admin.
    pub fn admin_args(&self) -> Vec<String> {
        vec![
            "--broker".into(),
            self.url(),
            "--ca".into(),
            self.pki.ca.display().to_string(),
            "--cert".into(),
            self.admin.cert.display().to_string(),
            "--key".into(),
            self.admin.key.display().to_string(),
        ]
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The `<Fleet>` section for a console `device` with `identity`, trusting `ca`.
pub fn fleet_section(broker: &str, device: &str, ca: &Path, identity: Option<&Identity>) -> String {
    let identity = identity.map_or(String::new(), |id| {
        format!(
            "<ClientCertificate>{}</ClientCertificate><ClientKey>{}</ClientKey>",
            id.cert.display(),
            id.key.display()
        )
    });
    format!(
        "<Fleet><Broker>{broker}</Broker><DeviceId>{device}</DeviceId>\
         <TrustedCaFile>{}</TrustedCaFile>{identity}\
         <HealthIntervalSeconds>60</HealthIntervalSeconds></Fleet>",
        ca.display()
    )
}

/// A provisioning file for a demo-calendar room called `room` with `extra` elements
/// (a `<Fleet>` section, `<Device>` settings).
pub fn settings_xml(room: &str, extra: &str) -> String {
    format!(
        "<RoomConsoleSettings>\
         <RoomAccount><DisplayName>{room}</DisplayName></RoomAccount>\
         <Calendar><Source>demo</Source></Calendar>{extra}</RoomConsoleSettings>"
    )
}

/// A console running headless as its own process.
pub struct RunningConsole {
    pub child: Child,
}

impl RunningConsole {
    /// Starts `room-console --data-dir data run --headless`.
    pub fn start(data: &Path) -> RunningConsole {
        let child = Command::new(env!("CARGO_BIN_EXE_room-console"))
            .arg("--data-dir")
            .arg(data)
            .args(["run", "--headless"])
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        RunningConsole { child }
    }

    /// `kill -9`.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for RunningConsole {
    fn drop(&mut self) {
        self.kill();
    }
}
