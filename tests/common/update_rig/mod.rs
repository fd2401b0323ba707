//! The real RAUC for the update tests, as RAUC's own test suite runs it: a private
//! dbus-daemon, `rauc service` with ext4 image files as the A/B slots and a GRUB
//! environment file as the bootloader, bundles built and signed by `rauc bundle` with a
//! key and certificate made here. Installing needs root and loop devices: without them
//! [`RaucRig::start`] prints why and answers `None`.

pub mod bundle_server;
pub use super::http_wire;
pub use super::tls;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::StreamExt;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};

/// The compatible of the pretend console.
pub const COMPATIBLE: &str = "room-console test";
/// How long RAUC may take to come up on the bus.
const SERVICE_START_LIMIT: Duration = Duration::from_secs(60);

pub struct RaucRig {
    pub dir: tempfile::TempDir,
    bus: Child,
    pub address: String,
    service: Option<Child>,
}

/// A signing identity: key and certificate files.
pub struct Signer {
    pub key: PathBuf,
    pub cert: PathBuf,
}

impl RaucRig {
    /// The rig with RAUC booted from slot A; `None` (and a printed notice) where it cannot
    /// run here.
    pub async fn start() -> Option<RaucRig> {
        if let Some(missing) = missing_requirement() {
            eprintln!("SKIPPED: the RAUC integration test needs {missing}");
            return None;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let trusted = make_signer(root, "trusted");
        for slot in ["rootfs-0", "rootfs-1"] {
            ext4_image(&root.join(slot), 16);
        }
        let grubenv = root.join("grubenv");
        run(Command::new("grub-editenv").arg(&grubenv).arg("create"));
        run(Command::new("grub-editenv").arg(&grubenv).args([
            "set",
            "ORDER=A B",
            "A_TRY=0",
            "B_TRY=0",
            "A_OK=1",
            "B_OK=1",
        ]));
        std::fs::create_dir(root.join("mnt")).expect("mount dir");
        std::fs::write(
            root.join("system.conf"),
            format!(
                "[system]\ncompatible={COMPATIBLE}\nbootloader=grub\ngrubenv={grubenv}\n\
                 mountprefix={mnt}\n\n[keyring]\npath={cert}\n\n\
                 [slot.rootfs.0]\ndevice={root}/rootfs-0\ntype=ext4\nbootname=A\n\n\
                 [slot.rootfs.1]\ndevice={root}/rootfs-1\ntype=ext4\nbootname=B\n",
                grubenv = grubenv.display(),
                mnt = root.join("mnt").display(),
                cert = trusted.cert.display(),
                root = root.display(),
            ),
        )
        .expect("system.conf");
        std::fs::write(
            root.join("bus.conf"),
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}/bus.socket</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
                root.display()
            ),
        )
        .expect("bus.conf");
        let mut bus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", root.join("bus.conf").display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon starts");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().expect("stdout"))
            .read_line(&mut address)
            .expect("the bus says its address");
        let mut rig = RaucRig {
            dir,
            bus,
            address: address.trim().to_owned(),
            service: None,
        };
        rig.boot("A").await;
        Some(rig)
    }

    /// (Re)starts RAUC as if the device had booted slot `bootname`, and waits until it
    /// is on the bus.
    pub async fn boot(&mut self, bootname: &str) {
        self.stop_service();
        let connection = self.connection().await;
        let dbus = zbus::fdo::DBusProxy::new(&connection)
            .await
            .expect("bus proxy");
        let mut owners = dbus
            .receive_name_owner_changed_with_args(&[(0, "de.pengutronix.rauc")])
            .await
            .expect("watch the name");
        let root = self.dir.path();
        let log = std::fs::File::create(root.join(format!("rauc-{bootname}.log"))).expect("log");
        let service = Command::new("rauc")
            .arg("service")
            .arg(format!("--conf={}", root.join("system.conf").display()))
            .arg(format!("--mount={}", root.join("mnt").display()))
            .arg(format!("--override-boot-slot={bootname}"))
            .env("DBUS_STARTER_BUS_TYPE", "session")
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("DBUS_SYSTEM_BUS_ADDRESS", &self.address)
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("rauc service starts");
        self.service = Some(service);
        let on_bus = async {
            loop {
                if dbus
                    .name_has_owner("de.pengutronix.rauc".try_into().expect("name"))
                    .await
                    .expect("asks the bus")
                {
                    return;
                }
                owners.next().await.expect("the bus stays up");
            }
        };
        tokio::time::timeout(SERVICE_START_LIMIT, on_bus)
            .await
            .unwrap_or_else(|_| panic!("RAUC did not come up: {}", self.service_log(bootname)));
    }

    /// The service's output while booted from `bootname`.
    pub fn service_log(&self, bootname: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(format!("rauc-{bootname}.log")))
            .unwrap_or_default()
    }

    fn stop_service(&mut self) {
        if let Some(mut service) = self.service.take() {
            let _ = service.kill();
            let _ = service.wait();
        }
    }

    /// A fresh connection to the private bus.
    pub async fn connection(&self) -> zbus::Connection {
        let connect = zbus::connection::Builder::address(self.address.as_str())
            .expect("address")
            .build();
        tokio::time::timeout(SERVICE_START_LIMIT, connect)
            .await
            .expect("the private bus answers in time")
            .expect("connects to the private bus")
    }

    /// The key and certificate the console's keyring trusts.
    pub fn trusted(&self) -> Signer {
        Signer {
            key: self.dir.path().join("trusted.key.pem"),
            cert: self.dir.path().join("trusted.cert.pem"),
        }
    }

    /// A key and certificate the console has never seen.
    pub fn stranger(&self) -> Signer {
        make_signer(self.dir.path(), "stranger")
    }

    /// Builds a bundle `name.raucb` with one rootfs image, signed by `signer`.
    pub fn bundle(&self, name: &str, compatible: &str, version: &str, signer: &Signer) -> PathBuf {
        let content = self.dir.path().join(format!("{name}-content"));
        std::fs::create_dir(&content).expect("bundle dir");
        ext4_image(&content.join("rootfs.ext4"), 8);
        std::fs::write(
            content.join("manifest.raucm"),
            format!(
                "[update]\ncompatible={compatible}\nversion={version}\n\n[bundle]\nformat=plain\n\n\
                 [image.rootfs]\nfilename=rootfs.ext4\n"
            ),
        )
        .expect("manifest");
        let bundle = self.dir.path().join(format!("{name}.raucb"));
        run(Command::new("rauc")
            .arg("bundle")
            .arg(format!("--cert={}", signer.cert.display()))
            .arg(format!("--key={}", signer.key.display()))
            .arg(&content)
            .arg(&bundle));
        bundle
    }

    /// One variable of the GRUB environment, as the bootloader would read it.
    pub fn grubenv(&self, name: &str) -> Option<String> {
        let out = Command::new("grub-editenv")
            .arg(self.dir.path().join("grubenv"))
            .arg("list")
            .output()
            .expect("grub-editenv runs");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find_map(|line| line.strip_prefix(&format!("{name}=")).map(str::to_owned))
    }

    /// Sets a variable of the GRUB environment, as GRUB does when it tries a slot.
    pub fn set_grubenv(&self, assignment: &str) {
        run(Command::new("grub-editenv")
            .arg(self.dir.path().join("grubenv"))
            .args(["set", assignment]));
    }
}

impl Drop for RaucRig {
    fn drop(&mut self) {
        self.stop_service();
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}

/// What this machine lacks for the test, if anything.
fn missing_requirement() -> Option<String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some("root (RAUC mounts the bundle through a loop device); CI runs as root".into());
    }
    if !Path::new("/dev/loop-control").exists() {
        return Some("loop devices (/dev/loop-control)".into());
    }
    for tool in [
        "rauc",
        "dbus-daemon",
        "grub-editenv",
        "mksquashfs",
        "mkfs.ext4",
    ] {
        let found = Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {tool}"))
            .output()
            .is_ok_and(|o| o.status.success());
        if !found {
            return Some(format!(
                "`{tool}` (apt-get install rauc rauc-service grub-common squashfs-tools dbus-daemon e2fsprogs)"
            ));
        }
    }
    None
}

/// A self-signed signing certificate (a CA, as RAUC's keyring expects) and its key.
fn make_signer(dir: &Path, name: &str) -> Signer {
    let key = KeyPair::generate().expect("key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(
        DnType::CommonName,
        format!("room-console {name} update signer"),
    );
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyCertSign,
    ];
    let cert = params.self_signed(&key).expect("certificate");
    let signer = Signer {
        key: dir.join(format!("{name}.key.pem")),
        cert: dir.join(format!("{name}.cert.pem")),
    };
    std::fs::write(&signer.key, key.serialize_pem()).expect("key written");
    std::fs::write(&signer.cert, cert.pem()).expect("cert written");
    signer
}

fn ext4_image(path: &Path, megabytes: u64) {
    let file = std::fs::File::create(path).expect("image");
    file.set_len(megabytes << 20).expect("image size");
    run(Command::new("mkfs.ext4").args(["-q", "-F"]).arg(path));
}

fn run(command: &mut Command) {
    let out = command.output().expect("the tool runs");
    assert!(
        out.status.success(),
        "{command:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
